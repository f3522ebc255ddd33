#!/usr/bin/env bash
# nested-protected.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM
# Debian's arm64 kernel as a PROTECTED guest of the hypercall server, inside
# the Linux host under hvcore's EL2 port (el2-host.sh): the host runs
# tests/kmod/nested/protected-run, one boot of `gzvm-vmm --protected
# --kernel Image --initrd initrd.cpio --vcpus N --mem M` with no disk (the
# VMM serves virtio from guest memory, which a protected VM does not share;
# the console is MMIO and needs no sharing). The Image and the initramfs the
# VMM wrote before the pages were donated must survive donation: the
# kernel boots and its /init (tests/kmod/nested/protected-init) prints the
# marker. While it runs, the guest has the VMM read the first page of its
# kernel code and data (the VMM's probe device): each read must raise
# SIGBUS in the VMM, caught and answered as all ones. At power-off the VMM
# reads the Image's first page and the probed pages again (all must fault)
# and every page of guest RAM (those it can read must be as it wrote them),
# destroys the VM and reads them once more (every page that faulted must be
# zero, every other one as the VMM wrote it). The host must have faulted
# at EL2 on the VM's pages, and its stage 2 must end in its boot shape.
# HV_NESTED_VCPUS (default 1), HV_NESTED_MEM (MiB, default 128);
# HV_KEEP_LOG: a path to keep the console log at.
set -euo pipefail
root=${1:?usage: nested-protected.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM}
moddir=${2:?} finit=${3:?} check_bin=${4:?} vmm=${5:?}
kabi=$(cat "$moddir/kabi")
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"
nested=$root/tests/kmod/nested

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vcpus=${HV_NESTED_VCPUS:-1}
mem=${HV_NESTED_MEM:-128}

# The guest's initramfs: busybox, the applets /init uses, /init.
rd=$work/initrd
mkdir -p "$rd"/{bin,dev,proc} "$work/host"
install -m 755 "$HV_BUSYBOX" "$rd/bin/busybox"
install -m 755 "$nested/protected-init" "$rd/init"
printf '%s\n' sh mount nproc sed devmem poweroff | while read -r a; do ln -s busybox "$rd/bin/$a"; done
(cd "$rd" && find . | cpio -o -H newc --quiet) >"$work/host/initrd.cpio"
cp "$HV_KERNEL_IMAGE" "$work/host/Image"
sed "s/@VCPUS@/$vcpus/; s/@MEM@/$mem/" "$nested/protected-run" >"$work/host-run"

marker="HVCORE-PROTECTED-LINUX-OK cpus=$vcpus"
set +e
HV_HOST_MEM=512 HV_QEMU_TIMEOUT=${HV_QEMU_TIMEOUT:-300} HV_EXPECT_MARKER="$marker" \
  HV_EXPECT_HOST_FAULTS=1 HV_HOST_RUN="$work/host-run" HV_HOST_FILES="$(echo "$work"/host/*)" \
  HV_KEEP_LOG="$work/console.log" \
  "$root/tests/kmod/el2-host.sh" "$root" "$moddir" "$finit" "$check_bin" "$vmm" "$work" linux
fail=$?
set -e

log=$work/console.log
[ -f "$log" ] || exit 1
guest=$work/guest.txt # the guest's console, as the VMM wrote it
sed -n '/^kmod-test: transcript begin$/,/^kmod-test: transcript end$/p' "$log" >"$guest"
check() { # DESCRIPTION COMMAND...: "ok" or "FAIL" and the description
  local verdict=ok
  "${@:2}" || { verdict=FAIL fail=1; }
  printf '%-4s %s\n' "$verdict" "$1"
}
# A probed address must be guest RAM (the probe answers all ones outside
# it too) and the VMM's read of it all ones (SIGBUS).
ram_end=$((0x40000000 + (mem << 20)))
for what in code data; do
  line=$(grep -m1 "^HVCORE-PROBE kernel $what at " "$guest" || true)
  pa=$(echo "$line" | sed -n 's/^HVCORE-PROBE kernel [a-z]* at \(0x[0-9a-f]*\): .*/\1/p')
  check "the guest's kernel $what (${pa:-not found}) is in its RAM" \
    test -n "$pa" -a $((${pa:-0})) -ge $((0x40000000)) -a $((${pa:-0})) -lt $ram_end
  check "the VMM's read of it while the guest ran raised SIGBUS (read as all ones)" \
    grep -qx "HVCORE-PROBE kernel $what at $pa: the VMM read 0xFFFFFFFFFFFFFFFF" "$guest"
done
vmm_says() { grep -qE "^kmod-test: vmm: gzvm-vmm: protected: $1\$" "$log"; }
check "before DESTROY_VM every page probed and the Image's first faulted for the VMM (3 pages)" \
  vmm_says '3 of 3 pages faulted \(SIGBUS\) before DESTROY_VM'
check "after DESTROY_VM each of them read as zeros" \
  vmm_says '3 of 3 pages zero after DESTROY_VM'
check "before DESTROY_VM no page of guest RAM the VMM could read held the guest's writes" \
  vmm_says 'guest RAM before DESTROY_VM: [1-9][0-9]* pages faulted \(SIGBUS\), [0-9]+ readable, 0 of them changed by the guest'
check "after DESTROY_VM every page the VM had read as zeros, every other as the VMM wrote it" \
  vmm_says 'guest RAM after DESTROY_VM: ([1-9][0-9]*) of \1 pages the VM had zero, ([0-9]+) of \2 others as the VMM wrote them'
grep -hE '^HVCORE-PROBE|^kmod-test: vmm: gzvm-vmm: protected' "$guest" "$log" | sort -u | head -8
[ -z "${HV_KEEP_LOG:-}" ] || cp "$log" "$HV_KEEP_LOG"
if [ "$fail" -ne 0 ]; then
  echo "---- console (last lines) ----"
  tail -40 "$log" | cut -c1-200
  exit 1
fi
echo "nested-protected: all checks passed"
