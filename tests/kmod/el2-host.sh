#!/usr/bin/env bash
# el2-host.sh SRC_ROOT MODULE_DIR FINIT CHECK
# Debian's arm64 kernel as the HOST under hvcore's EL2 port (QEMU virt at
# EL2, hvcore.host=1: the Linux VM's HVCs in the GenieZone function-ID range
# go to the hypercall server, its RAM is identity mapped). /init loads
# gzvm.ko (FINIT: one finit_module), which must find the hypervisor (SMCCC
# 1.1, hvcore's UID, PROBE), then runs CHECK (gzvm-host-check: the UAPI
# against the real server, VMs created and destroyed), powers off.
# Asserts: the module binds, /dev/gzvm appears, every check passes, no
# DESTROY_VM failed, and at the end the server holds no VM and owns no page
# of the host's (el2: abi server line). QEMU under a timeout, output capped.
set -euo pipefail
root=${1:?usage: el2-host.sh SRC_ROOT MODULE_DIR FINIT CHECK}
moddir=${2:?}
finit=${3:?}
check_bin=${4:?}
for f in "$moddir/gzvm.ko" "$moddir/kabi" "$finit" "$check_bin"; do
  [ -f "$f" ] || { echo "el2-host: missing $f"; exit 1; }
done
kabi=$(cat "$moddir/kabi")
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"

img=$root/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin
if [ ! -f "$img" ] || [ -n "$(find "$root/core" "$root/ports/el2-qemu" -newer "$img" -name '*.[chS]' | head -1)" ]; then
  (cd "$root" && cmake --preset el2-qemu >/dev/null && cmake --build --preset el2-qemu -j2 >/dev/null) ||
    { echo "el2-host: el2-qemu build failed"; exit 1; }
fi

work=$(mktemp -d)
trap '[ -n "${HV_KEEP_LOG:-}" ] && cp "$work/console.log" "$HV_KEEP_LOG"; rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,proc,sys}
cp "$HV_BUSYBOX" "$rootfs/bin/busybox"
for applet in sh mount cat grep sed dmesg poweroff; do
  ln -s busybox "$rootfs/bin/$applet"
done
cp "$moddir/gzvm.ko" "$rootfs/gzvm.ko"
cp "$finit" "$rootfs/finit-module"
cp "$check_bin" "$rootfs/gzvm-host-check"
cat >"$rootfs/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
echo "kmod-test: init"
/finit-module /gzvm.ko 2>&1
echo "kmod-test: load rc=$?"
dmesg | grep 'gzvm' | sed 's/^/kmod-test: kernel: /'
[ -c /dev/gzvm ] && echo "kmod-test: /dev/gzvm is a character device"
/gzvm-host-check 2>&1
echo "kmod-test: check rc=$?"
dmesg | grep 'gzvm' | grep -v 'hvcore hypervisor ABI' | sed 's/^/kmod-test: kernel: /'
echo "kmod-test: poweroff"
poweroff -f
INIT
chmod +x "$rootfs/init"
(cd "$rootfs" && find . | cpio -o -H newc --quiet) >"$work/initrd.cpio"

ram=0x50000000 initrd_pa=0x54000000
log=$work/console.log
start=$(date +%s)
set +e
timeout 150 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on \
  -smp 2 -m 1G -nic none -nographic -semihosting -no-reboot \
  -kernel "$img" \
  -device loader,file="$HV_KERNEL_IMAGE",addr=$ram,force-raw=on \
  -device loader,file="$work/initrd.cpio",addr=$initrd_pa,force-raw=on \
  -append "hvcore.guest=$ram hvcore.mem=256 hvcore.vcpus=2 hvcore.initrd=$initrd_pa hvcore.initrd_size=$(stat -c %s "$work/initrd.cpio") hvcore.host=1 -- console=ttyAMA0 quiet panic=-1 rdinit=/init" \
  </dev/null 2>&1 | head -c 1000000 | tr -d '\r' >"$log"
qemu_rc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))

fail=0
check() { # check DESCRIPTION COMMAND...: one line per assertion
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
has() { grep -qF -- "$1" "$log"; }
count() { grep -cF -- "$1" "$log" || true; }

check "QEMU exited 0 (rc $qemu_rc, ${elapsed} s)" test "$qemu_rc" -eq 0
check "module loaded (rc 0)" has "kmod-test: load rc=0"
check "module found hvcore: ABI 1.0.0 over SMCCC 1.1" has "gzvm: hvcore hypervisor ABI 1.0.0 (SMCCC 1.1)"
check "no decline" test "$(count 'no hvcore hypervisor')" -eq 0
check "/dev/gzvm registered" has "kmod-test: /dev/gzvm is a character device"
check "every UAPI check passed against the server" grep -qE '^gzvm-host-check: PASS [0-9]+ checks$' "$log"
check "check program exit status 0" has "kmod-test: check rc=0"
check "no DESTROY_VM failed" test "$(count 'DESTROY_VM')" -eq 0
check "init reached poweroff" has "kmod-test: poweroff"
check "host powered off (PSCI SYSTEM_OFF): status 0" has "--- guest exit status 0x0000000000000000 ---"
check "server served calls, refused some, holds no VM and no host page" \
  grep -qE '^el2: abi server: calls 0x0*[1-9a-f][0-9a-f]* refused 0x0*[1-9a-f][0-9a-f]* vms 0x0+ pages not the host.s 0x0+$' "$log"

grep -E '^(gzvm-host-check: |el2: abi server)' "$log" | head -5
if [ "$fail" -ne 0 ]; then
  echo "---- last console lines ----"
  tail -60 "$log" | cut -c1-200
  exit 1
fi
echo "el2-host: all checks passed in ${elapsed} s (kernel $kabi)"
