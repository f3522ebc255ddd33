#!/usr/bin/env bash
# boot-decline.sh SRC_ROOT MODULE_DIR VMM FINIT GUEST
# Boots Debian's arm64 kernel (the ABI gzvm.ko in MODULE_DIR was built for)
# under QEMU without any hypervisor below it, with an initramfs of
# busybox-static + gzvm.ko + the static VMM + a contract guest + FINIT (a
# static finit_module(2) loader: one load attempt, as kmod's insmod). /init
# loads the module, runs the VMM, powers off. Asserts: the module declines
# with exactly one "no hvcore hypervisor" kernel log line and the load fails
# with ENODEV; nothing named gzvm is left loaded or in /dev; the VMM reports the
# missing device and exits 69; the kernel powers off cleanly.
set -euo pipefail
root=${1:?usage: boot-decline.sh SRC_ROOT MODULE_DIR VMM FINIT GUEST}
moddir=${2:?}
vmm=${3:?}
finit=${4:?}
guest=${5:?}
for f in "$moddir/gzvm.ko" "$moddir/kabi" "$vmm" "$finit" "$guest"; do
  [ -f "$f" ] || { echo "boot-decline: missing $f (build the gzvm-module and gzvm-vmm targets)"; exit 1; }
done

kabi=$(cat "$moddir/kabi")
# The same ABI as the module: a -50 module does not load into a -56 kernel.
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,proc,sys}
cp "$HV_BUSYBOX" "$rootfs/bin/busybox"
for applet in sh mount cat grep sed dmesg poweroff; do
  ln -s busybox "$rootfs/bin/$applet"
done
cp "$moddir/gzvm.ko" "$rootfs/gzvm.ko"
cp "$vmm" "$rootfs/gzvm-vmm"
cp "$finit" "$rootfs/finit-module"
cp "$guest" "$rootfs/guest.bin"
cat >"$rootfs/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "kmod-test: init"
/finit-module /gzvm.ko 2>&1
echo "kmod-test: load rc=$?"
dmesg | grep 'gzvm' | sed 's/^/kmod-test: kernel: /'
grep -q '^gzvm ' /proc/modules && echo "kmod-test: gzvm still loaded"
[ -e /dev/gzvm ] && echo "kmod-test: /dev/gzvm exists"
/gzvm-vmm /guest.bin 2>&1
echo "kmod-test: vmm rc=$?"
echo "kmod-test: poweroff"
poweroff -f
EOF
chmod +x "$rootfs/init"
(cd "$rootfs" && find . | cpio -o -H newc --quiet) >"$work/initrd.cpio"

log=$work/console.log
start=$(date +%s)
set +e
timeout 120 qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth-impdef=on -nographic \
  -nic none -m 512 -no-reboot -kernel "$HV_KERNEL_IMAGE" -initrd "$work/initrd.cpio" \
  -append 'console=ttyAMA0 quiet panic=-1 rdinit=/init' </dev/null 2>&1 |
  head -c 1000000 | tr -d '\r' >"$log"
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
check "finit_module refused: No such device" has "finit-module: /gzvm.ko: No such device"
check "load status is ENODEV (19)" has "kmod-test: load rc=19"
check "exactly one decline line in the kernel log" \
  test "$(grep -cE '^kmod-test: kernel: (\[[ 0-9.]+\] )?gzvm: no hvcore hypervisor \(' "$log")" -eq 1
check "decline line says /dev/gzvm is not registered" has "/dev/gzvm not registered"
check "no hypervisor was claimed" test "$(count 'hvcore hypervisor ABI')" -eq 0
check "module not left loaded" test "$(count 'kmod-test: gzvm still loaded')" -eq 0
check "no /dev/gzvm" test "$(count 'kmod-test: /dev/gzvm exists')" -eq 0
check "VMM reports the missing device" \
  has "gzvm-vmm: /dev/gzvm: No such file or directory: the gzvm module is not loaded"
check "VMM exit status 69" has "kmod-test: vmm rc=69"
check "init reached poweroff" has "kmod-test: poweroff"
check "kernel powered down" has "reboot: Power down"

grep -E '^kmod-test: kernel:' "$log" | head -5
if [ "$fail" -ne 0 ]; then
  echo "---- last console lines ----"
  tail -40 "$log"
  exit 1
fi
echo "boot-decline: all checks passed in ${elapsed} s (kernel $kabi)"
