#!/usr/bin/env bash
# linux-guest.sh: boot Debian bookworm's arm64 kernel (unmodified) with a
# busybox initramfs whose /init prints HVCORE-LINUX-INIT-OK and powers off.
#
#   scripts/linux-guest.sh [--direct] [--vcpus N] [--timeout S] [-- CMDLINE...]
#
# Default: under the hypervisor. QEMU virt (virtualization=on, GICv3,
# -cpu max,pauth-impdef=on, -smp 2, 1 GiB) boots build/el2-qemu's
# hvcore-el2.bin at EL2; QEMU's generic loader puts the kernel Image at
# 0x50000000 (the guest's RAM: 256 MiB from there, at IPA 0x40000000) and the
# initramfs at 0x54000000; -append tells the hypervisor (hvcore.guest, mem,
# vcpus, initrd, initrd_size) and, after "--", the kernel's command line. The
# hypervisor generates the guest's device tree and runs N vCPUs (default 2).
# --direct: the same kernel and initramfs straight on QEMU at EL1
# (-smp N, 256 MiB, the same command line), for comparison.
#
# HV_QEMU_ICOUNT=1: QEMU runs with -icount shift=0,align=off (one
# instruction = 1 ns of virtual time, deterministic); HV_QEMU_CPUS=N: the
# board's CPUs under the hypervisor (default 2; the direct boot has --vcpus);
# HV_EL2_ARGS: more hypervisor options (e.g. hvcore.trace=1: the event
# trace, dumped at power-off for scripts/hvtrace).
# The console goes to stdout (capped at 2 MB); the exit status is QEMU's: 0
# after the guest's PSCI SYSTEM_OFF, 124 on timeout (default 120 s). Builds
# the EL2 image if missing or older than its sources; kernel and busybox come
# from scripts/debian-arm64-fetch.sh (cached), the initramfs is cached in
# build/linux-guest/ (HV_KERNEL_IMAGE and HV_INITRAMFS override both).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
direct=0 vcpus=2 tmo=120 cmdline="console=ttyAMA0"
while [ $# -gt 0 ]; do
  case $1 in
    --direct) direct=1 ;;
    --vcpus) vcpus=$2; shift ;;
    --timeout) tmo=$2; shift ;;
    --) shift; cmdline="$*"; break ;;
    *) echo "linux-guest: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# HV_KERNEL_IMAGE / HV_INITRAMFS from the environment skip the look-ups (the
# benchmark resolves them once, outside its timed runs).
if [ -z "${HV_KERNEL_IMAGE:-}" ] || [ ! -f "$HV_KERNEL_IMAGE" ]; then
  fetched=$(bash "$here/debian-arm64-fetch.sh" kernel) || exit 3
  eval "$fetched"
fi
initrd=${HV_INITRAMFS:-}
if [ -z "$initrd" ] || [ ! -f "$initrd" ]; then
  initrd=$(bash "$here/linux-initramfs.sh" "$src/build/linux-guest/initramfs.cpio") || exit 3
fi
qemu=(qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth-impdef=on -nic none -nographic)
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (one instruction per ns, the
# CPUs run one at a time): nothing may rely on two CPUs running at once.
# The hypervisor is told that CPUs may starve there (QEMU before 8.1 runs a
# CPU that neither halts nor yields alone): hvcore.cpus_may_starve=1.
starve=""
[ "${HV_QEMU_ICOUNT:-0}" = 1 ] && qemu+=(-icount shift=0,align=off) && starve="hvcore.cpus_may_starve=1 "

if [ $direct -eq 1 ]; then
  timeout "$tmo" "${qemu[@]}" -smp "$vcpus" -m 256M -kernel "$HV_KERNEL_IMAGE" \
    -initrd "$initrd" -append "$cmdline" 2>&1 | head -c 2000000
  exit "${PIPESTATUS[0]}"
fi

img=$("$src/scripts/el2-image.sh" "$src") || { echo "linux-guest: el2-qemu build failed" >&2; exit 3; }
ram=0x50000000 initrd_pa=0x54000000
timeout "$tmo" "${qemu[@]}" -M virt,virtualization=on,gic-version=3 -smp "${HV_QEMU_CPUS:-2}" -m 1G -semihosting \
  -kernel "$img" \
  -device loader,file="$HV_KERNEL_IMAGE",addr=$ram,force-raw=on \
  -device loader,file="$initrd",addr=$initrd_pa,force-raw=on \
  -append "hvcore.guest=$ram hvcore.mem=256 hvcore.vcpus=$vcpus hvcore.initrd=$initrd_pa hvcore.initrd_size=$(stat -c %s "$initrd") $starve${HV_EL2_ARGS:-}-- $cmdline" \
  2>&1 | head -c 2000000
exit "${PIPESTATUS[0]}"
