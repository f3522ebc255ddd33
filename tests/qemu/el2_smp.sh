#!/usr/bin/env bash
# qemu.el2.smp: the EL2 image on two physical CPUs (-smp 2). The secondary
# must come up at EL2 through the host's PSCI CPU_ON (its own stack, MMU,
# vectors and GIC redistributor) and take a kick SGI sent by the boot CPU;
# the self-test must pass as on one CPU. Output is capped; QEMU runs under a
# timeout. The image is the one qemu.el2.selftest built and checked.
set -uo pipefail
src=$1
img=$src/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin
[ -f "$img" ] || { echo "FAIL: no $img (qemu.el2.selftest builds it)"; exit 1; }
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off:
# one instruction per ns, the CPUs take turns on one host thread).
out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 \
      ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
      -m 512M -nic none -nographic -semihosting -kernel "$img" 2>&1 | head -c 8192)
rc=${PIPESTATUS[0]}
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; exit 1; }
grep -q '^cpus       0x0000000000000002' <<<"$out" || { echo "FAIL: DTB lists not 2 CPUs"; exit 1; }
grep -q '^cpus up    0x0000000000000002' <<<"$out" || { echo "FAIL: secondary not up"; exit 1; }
grep -q '^ok   cpu 0x0000000000000001: online at EL2' <<<"$out" || { echo "FAIL: cpu 1 online"; exit 1; }
grep -q '^ok   cpu 0x0000000000000001: took the kick SGI from cpu 0' <<<"$out" ||
  { echo "FAIL: cross-CPU SGI"; exit 1; }
grep -q '^el2 selftest: all checks passed' <<<"$out" || { echo "FAIL: selftest"; exit 1; }
echo PASS
