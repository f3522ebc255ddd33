#!/usr/bin/env bash
# linux-initramfs.sh OUT.cpio: a tiny initramfs for the Linux guest: Debian's
# busybox-static (aarch64, fetched by scripts/debian-arm64-fetch.sh) and an
# /init that mounts /proc, prints the number of online CPUs, the timer, UART
# and IPI lines of /proc/interrupts and the marker line
# "HVCORE-LINUX-INIT-OK", takes CPU 1 offline and online again (PSCI
# CPU_OFF / CPU_ON) when there is one, then powers the machine off (busybox
# `poweroff -f`: the reboot syscall, PSCI SYSTEM_OFF in the kernel).
# Prints the path written. Rebuilt only when busybox or this script changed.
set -euo pipefail
out=${1:?usage: linux-initramfs.sh OUT.cpio}
here=$(cd "$(dirname "$0")" && pwd)
eval "$(bash "$here/debian-arm64-fetch.sh" busybox)"
if [ -f "$out" ] && [ "$out" -nt "$HV_BUSYBOX" ] && [ "$out" -nt "$0" ]; then
  echo "$out"
  exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev}
cp "$HV_BUSYBOX" "$root/bin/busybox"
for app in sh echo cat cut grep mount poweroff; do ln -s busybox "$root/bin/$app"; done
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
echo "hvcore guest: $(grep -c ^processor /proc/cpuinfo) CPUs online, up $(cut -d' ' -f1 /proc/uptime) s"
grep -E 'arch_timer|pl011|IPI[0-9]:' /proc/interrupts
echo HVCORE-LINUX-INIT-OK
# CPU hot-unplug and plug again (PSCI CPU_OFF, AFFINITY_INFO, CPU_ON).
mount -t sysfs sysfs /sys
cpu1=/sys/devices/system/cpu/cpu1/online
if [ -e $cpu1 ] && echo 0 >$cpu1 && echo 1 >$cpu1; then
  echo "hvcore guest: cpu1 offline and online again, online: $(cat /sys/devices/system/cpu/online)"
fi
poweroff -f
INIT
chmod 755 "$root/init"
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner 0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
