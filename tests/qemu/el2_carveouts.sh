#!/usr/bin/env bash
# qemu.el2.carveouts: /reserved-memory no-map carveouts (firmware's memory)
# never in EL2's own map nor in a guest's or the host's memory. QEMU virt's
# own tree (its DTB at RAM + 128 MiB, where QEMU puts it), given two no-map
# children with fdtput: one 2 MiB aligned, one of
# three pages at an unaligned address (as BL31's often are). The self-test
# must find both unmapped at EL2 (AT S1E2R faults on their first and last
# byte) while the RAM pages either side are mapped (4 KiB granularity, not
# whole blocks dropped); a guest whose RAM would cover one is refused (64).
# QEMU under a timeout, output capped.
set -uo pipefail
src=$1
img=$("$src/scripts/el2-image.sh" "$src") || { echo "FAIL: el2-qemu build"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
m=virt,virtualization=on,gic-version=3
timeout 20 qemu-system-aarch64 -M "$m,dumpdtb=$work/virt.dtb" -cpu max -m 512M -nographic -nic none \
  >/dev/null 2>&1
dtb=$work/virt.dtb
[ -s "$dtb" ] || { echo "FAIL: QEMU did not dump its DTB"; exit 1; }
# The root's cells are 2 and 2 on virt; /reserved-memory in the shape Linux reads.
fdtput -c "$dtb" /reserved-memory /reserved-memory/tee@4c000000 /reserved-memory/bl31@4a001000 &&
  fdtput -t x "$dtb" /reserved-memory '#address-cells' 2 &&
  fdtput -t x "$dtb" /reserved-memory '#size-cells' 2 &&
  fdtput -t x "$dtb" /reserved-memory ranges &&
  fdtput -t x "$dtb" /reserved-memory/tee@4c000000 reg 0 0x4c000000 0 0x200000 &&
  fdtput -t x "$dtb" /reserved-memory/tee@4c000000 no-map &&
  fdtput -t x "$dtb" /reserved-memory/bl31@4a001000 reg 0 0x4a001000 0 0x3000 &&
  fdtput -t x "$dtb" /reserved-memory/bl31@4a001000 no-map ||
  { echo "FAIL: fdtput"; exit 1; }
run() { # append: QEMU's output in $out, its status in $rc
  out=$(timeout 20 qemu-system-aarch64 -M "$m" -cpu max -m 512M -nic none -nographic -semihosting \
        -kernel "$img" -dtb "$dtb" ${1:+-append "$1"} 2>&1 | head -c 8192 | tr -d '\r')
  rc=${PIPESTATUS[0]}
}
run ""
printf '%s\n' "$out" | grep -E '^(ok|FAIL) +carveout|selftest'
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; printf '%s\n' "$out" | tail -5; exit 1; }
for c in "0x000000004c000000 size 0x0000000000200000" "0x000000004a001000 size 0x0000000000003000"; do
  grep -q "^ok   carveout $c: not mapped at EL2, the RAM either side mapped" <<<"$out" ||
    { echo "FAIL: carveout $c"; exit 1; }
done
grep -q '^el2 selftest: all checks passed' <<<"$out" || { echo "FAIL: selftest"; exit 1; }
# A guest's RAM (at IPA != PA, or the host's at IPA == PA) over a carveout.
run "hvcore.guest=0x4a000000 hvcore.mem=16"
[ "$rc" -eq 64 ] && grep -q '^el2: bad guest option: hvcore.guest' <<<"$out" ||
  { echo "FAIL: guest RAM over a carveout: status $rc (want 64)"; printf '%s\n' "$out" | grep '^el2' | tail -3; exit 1; }
echo PASS
