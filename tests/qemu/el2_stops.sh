#!/usr/bin/env bash
# qemu.el2.stops: the EL2 image's own stop statuses (ports/el2/
# stop_status.h), each with its one-line report, never a guest's 0:
# malformed, repeated and unknown boot arguments (64), no image or an ELF
# where the raw image belongs (65), a vCPU stopped in a fault loop and no
# other left (125), every vCPU off without SYSTEM_OFF (126); and a device
# tree whose console is not one QEMU virt's platform data accepts (78: the
# stdout-path UART made an ns16550a, which the shared runtime could drive).
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
# Usage: el2_stops.sh SOURCE_DIR GUEST_DIR
set -uo pipefail
src=$1 guests=$2
img=$("$src/scripts/el2-image.sh" "$src") || { echo "FAIL: el2-qemu build"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
# run WANT_STATUS WANT_LINE APPEND [LOADER_FILE]
run() {
  local want=$1 line=$2 append=$3 file=${4:-} loader=()
  [ -n "$file" ] && loader=(-device "loader,file=$file,addr=0x50000000,force-raw=on")
  local out rc
  out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -m 512M \
        ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
        -nic none -nographic -semihosting -kernel "$img" "${loader[@]}" -append "$append" 2>&1 |
        head -c 16384 | tr -d '\r')
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$line" <<<"$out"; then
    echo "FAIL: '$append': status $rc (want $want), report '$line' $(grep -cF -- "$line" <<<"$out") times"
    printf '%s\n' "$out" | grep '^el2' | tail -3
    fail=1
  fi
}
g=hvcore.guest=0x50000000
run 64 "bad guest option: hvcore.mem" "$g hvcore.mem=64M" "$guests/hello.bin"
run 64 "bad guest option: hvcore.vcpus" "$g hvcore.vcpus=2x" "$guests/hello.bin"
run 64 "bad guest option: hvcore.guest" "hvcore.guest=" "$guests/hello.bin"
run 64 "bad guest option: hvcore.mem" "$g hvcore.mem=32 hvcore.mem=16" "$guests/hello.bin"
run 64 "bad guest option: unknown hvcore" "$g hvcore.vcpu=2" "$guests/hello.bin"
run 65 "is nothing" "$g"
run 65 "is an ELF file" "$g" "$guests/hello.elf"
run 125 "stopped: exception loop in its vectors" "$g" "$guests/h_vecloop.bin"
# movz x0, #2; movk x0, #0x8400, lsl #16 (PSCI CPU_OFF); hvc #0; b .
printf '\x40\x00\x80\xd2\x00\x80\xb0\xf2\x02\x00\x00\xd4\x00\x00\x00\x14' >"$tmp/cpu_off.bin"
run 126 "every vCPU is off" "$g" "$tmp/cpu_off.bin"
run 0 "--- guest exit status 0x0000000000000000 ---" "$g" "$guests/hello.bin"
# 78: the platform's console choice (ports/el2-qemu/platform.c) is read.
m=virt,virtualization=on,gic-version=3
timeout 20 qemu-system-aarch64 -M "$m,dumpdtb=$tmp/virt.dtb" -cpu max -m 512M -nographic -nic none \
  >/dev/null 2>&1
uart=$(fdtget -t s "$tmp/virt.dtb" /chosen stdout-path 2>/dev/null)
if [ -n "$uart" ] && fdtput -t s "$tmp/virt.dtb" "$uart" compatible ns16550a; then
  timeout 20 qemu-system-aarch64 -M "$m" -cpu max -m 512M -nic none -nographic -semihosting \
    ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} -kernel "$img" -dtb "$tmp/virt.dtb" >"$tmp/out" 2>&1
  rc=$?
  [ "$rc" -eq 78 ] || { echo "FAIL: 16550 console on QEMU virt: status $rc (want 78)"; head -c 2048 "$tmp/out"; fail=1; }
else
  echo "FAIL: QEMU's DTB (dumpdtb) has no stdout-path to rewrite"; fail=1
fi
[ $fail -eq 0 ] && echo "PASS: EL2 stop statuses"
exit $fail
