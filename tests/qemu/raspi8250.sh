#!/usr/bin/env bash
# raspi8250.sh IMAGE: the shared EL2 8250 console on QEMU raspi3b (entered
# at EL2, mini UART at stride 4). Passes when the image reports EL2, prints
# both lines through the UART and exits 0 by semihosting. QEMU under a
# 30 s timeout, output capped.
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
set -uo pipefail
img=${1:?usage: raspi8250.sh IMAGE}
out=$(timeout 30 qemu-system-aarch64 -M raspi3b -display none -monitor none -semihosting -serial null -serial stdio \
  ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
  -kernel "$img" 2>&1 | head -c 4000)
rc=${PIPESTATUS[0]}
printf '%s\n' "$out" | head -20
grep -q 'hvcore-8250: EL2 console at stride 4' <<<"$out" || { echo "FAIL: no EL2 line"; exit 1; }
grep -q 'hvcore-8250: done' <<<"$out" || { echo "FAIL: no done line"; exit 1; }
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc"; exit 1; }
echo "PASS"
