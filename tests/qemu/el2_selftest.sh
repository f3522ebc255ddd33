#!/usr/bin/env bash
# qemu.el2.selftest: build the el2-qemu image (cross, freestanding), check it
# (Image header, size, no FP/SIMD register at EL2), boot it on QEMU virt at
# EL2 and require its self-test to pass: DTB discovery, and core/s2's
# tables walked by the MMU (AT S12E1R) through map, split, unmap, destroy.
# Output is capped; QEMU runs under a timeout.
set -uo pipefail
src=$1
build=$src/build/el2-qemu
cd "$src"
cmake --preset el2-qemu >/dev/null || { echo "FAIL: configure el2-qemu"; exit 1; }
cmake --build --preset el2-qemu -j2 >/tmp/el2-build.$$ 2>&1 || { tail -20 /tmp/el2-build.$$; rm -f /tmp/el2-build.$$; echo "FAIL: build"; exit 1; }
rm -f /tmp/el2-build.$$
img=$build/ports/el2-qemu/hvcore-el2.bin
elf=$build/ports/el2-qemu/hvcore-el2.elf

magic=$(od -A n -t x1 -j 56 -N 4 "$img" | tr -d ' \n')
[ "$magic" = 41524d64 ] || { echo "FAIL: no arm64 Image magic ($magic)"; exit 1; }
size=$(stat -c %s "$img")
max=$((256 * 1024))
[ "$size" -le "$max" ] || { echo "FAIL: image is $size bytes, limit $max"; exit 1; }
echo "image: $size bytes (limit $max)"
# No FP/SIMD register may appear in the EL2 code, except in the two
# functions that save and load a vCPU's FP/SIMD file (fpsimd.S).
# Debian's libfdt.a, in its own section .text.libfdt, is exempt: it runs only
# at boot, before any guest vCPU has FP/SIMD state (ports/el2/board.h).
# objdump lines are "addr:<TAB>mnemonic<TAB>operands"; look at mnemonic and
# operands only, without <symbol> annotations and branch/adr target addresses.
aarch64-linux-gnu-objdump -h "$elf" | grep -q ' \.text\.libfdt ' ||
  { echo "FAIL: no .text.libfdt section (libfdt not linked apart)"; exit 1; }
fp=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn -j .text -j .vectors "$elf" |
     awk -F'\t' '/^[0-9a-f]+ <.*>:$/ {skip = ($0 ~ /<el2_fpsimd_(save|load)>:$/)} !skip && NF >= 2 {print $2, $3}' |
     sed -E 's/<[^>]*>//g; s|//.*||; /^(b|bl|b\.[a-z]+|cbn?z|tbn?z|adrp?) /s/[0-9a-f]+ *$//' |
     grep -cE '\b[qdsbhv][0-9]{1,2}\b|\bfpcr\b|\bfpsr\b|^f[a-z]+ ' || true)
[ "$fp" -eq 0 ] || { echo "FAIL: $fp instructions use FP/SIMD registers"; exit 1; }
echo "image: no FP/SIMD register used"

# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -m 512M \
      ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
      -nic none -nographic -semihosting -kernel "$img" 2>&1 | head -c 8192)
rc=${PIPESTATUS[0]}
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; exit 1; }
grep -q '^hvcore el2-qemu: running at EL2' <<<"$out" || { echo "FAIL: not at EL2"; exit 1; }
grep -q '^vtcr_el2   0x0000000080023558' <<<"$out" || { echo "FAIL: VTCR"; exit 1; }
grep -q '^el2 selftest: all checks passed' <<<"$out" || { echo "FAIL: selftest"; exit 1; }
[ "$(grep -c '^ok ' <<<"$out")" -eq 11 ] ||
  { echo "FAIL: expected 11 checks (9 hardware, 1 pool, 1 redistributor)"; exit 1; }
grep -q '^ok   cpu 0x0000000000000000: redistributor 0x00000000080a0000' <<<"$out" ||
  { echo "FAIL: CPU 0's redistributor"; exit 1; }
grep -q '^ok   2000 40-bit stage-2 roots made and destroyed' <<<"$out" || { echo "FAIL: stage-2 roots not reused"; exit 1; }
# QEMU's -cpu max has FEAT_TLBIRANGE: the ranged unmap must use it.
grep -q '^tlbi range RIPAS2E1IS' <<<"$out" || { echo "FAIL: FEAT_TLBIRANGE not used"; exit 1; }
echo PASS
