#!/usr/bin/env bash
# Does this QEMU starve a CPU under -icount while another busy-waits? Builds
# tests/qemu/icount_starve/starve.S (bare metal, no hvcore) twice, CPU 0's
# spin without and with YIELD, and runs each on -M virt -smp 2 in normal
# and in deterministic mode (-icount shift=0,align=off). On QEMU before 8.1
# (upstream commit 83ecdb18eb65, "accel/tcg/tcg-accel-ops-rr: ensure
# fairness with icount") the spin without YIELD under -icount prints
# "never ran again" and exits 1; the three other runs print "ran".
# Not a CTest test: it characterises the emulator, not hvcore.
# Usage: scripts/qemu-icount-starve.sh
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for v in spin yield; do
  def=""
  [ "$v" = yield ] && def=-DSPIN_YIELD
  aarch64-linux-gnu-gcc $def -nostdlib -static -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
    -o "$dir/$v.elf" "$src/tests/qemu/icount_starve/starve.S" || exit 1
done
qemu-system-aarch64 --version | head -1
for v in spin yield; do
  for mode in normal icount; do
    ic=""
    [ "$mode" = icount ] && ic="-icount shift=0,align=off"
    out=$(timeout 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu max -smp 2 -m 128M $ic \
          -nographic -nic none -semihosting -kernel "$dir/$v.elf" 2>&1 | head -c 512 | tr -d '\r')
    rc=${PIPESTATUS[0]}
    printf '%-5s %-6s exit %s: %s\n' "$v" "$mode" "$rc" "$out"
  done
done
