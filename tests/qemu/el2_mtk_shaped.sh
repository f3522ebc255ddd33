#!/usr/bin/env bash
# qemu.el2.mtk_shaped: the EL2 image on QEMU virt (-smp 2, GICv3, EL2)
# described by a MediaTek-shaped device tree: QEMU's own DTB rewritten by
# tests/port/mediatek/mtk-virt-dtb.py (4-cell GIC specifiers with
# ppi-partitions, /aliases + stdout-path, no-map carveouts where the Genio
# 1200 EVK has OP-TEE and BL31, PSCI over SMC; the UART stays virt's PL011).
# The tree is checked to have that shape (fdtget), then the image must find
# the GIC, the timer PPIs from 4-cell specifiers, both CPUs and SMC PSCI,
# bring CPU 1 up and pass its self-test, each CPU finding its redistributor
# by GICR_TYPER.Affinity. Then the same tree with QEMU's one redistributor
# range described as two regions of one redistributor each
# (--gicr-regions=2): CPU 1's is found in the second region, after the
# first region's walk ended at its size (no GICR_TYPER.Last there); and as
# one region holding CPU 0's alone (--gicr-regions=1): CPU 1 finds none,
# says so and parks, and the self-test fails (status 70). QEMU under a
# timeout, output capped.
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
set -uo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
img=$("$src/scripts/el2-image.sh" "$src") || { echo "FAIL: EL2 image build"; exit 1; }
qemu_m="virt,virtualization=on,gic-version=3"
timeout 60 qemu-system-aarch64 -M "$qemu_m,dumpdtb=$work/virt.dtb" -cpu max -smp 2 -m 512M \
  -nographic -nic none >/dev/null 2>&1
[ -s "$work/virt.dtb" ] || { echo "FAIL: QEMU did not dump its DTB"; exit 1; }
python3 "$src/tests/port/mediatek/mtk-virt-dtb.py" "$work/virt.dtb" "$work/mtk.dtb" ||
  { echo "FAIL: rewrite"; exit 1; }

shape() { # what: expected actual
  [ "$2" = "$3" ] || { echo "FAIL: tree: $1 is '$3', want '$2'"; exit 1; }
}
fg() { fdtget "$work/mtk.dtb" "$@" 2>/dev/null; }
shape "GIC #interrupt-cells" 4 "$(fg /intc@8000000 '#interrupt-cells')"
shape "ppi-partitions" "interrupt-partition-0" "$(fdtget -l "$work/mtk.dtb" /intc@8000000/ppi-partitions)"
shape "timer interrupts" "1 13 4 0 1 14 4 0 1 11 4 0 1 10 4 0" "$(fg /timer interrupts)"
shape "stdout-path" "serial0:115200n8" "$(fg /chosen stdout-path)"
shape "serial0 alias" "/pl011@9000000" "$(fg /aliases serial0)"
shape "PSCI conduit" smc "$(fg /psci method)"
for c in optee@43200000 bl31@54600000; do
  fg "/reserved-memory/$c" no-map >/dev/null || { echo "FAIL: tree: no no-map $c"; exit 1; }
done

boot() { # dtb: sets out, rc
  out=$(timeout 30 qemu-system-aarch64 -M "$qemu_m" -cpu max -smp 2 -m 512M -nic none -nographic \
        ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
        -semihosting -kernel "$img" -dtb "$1" 2>&1 | head -c 8192)
  rc=${PIPESTATUS[0]}
}
boot "$work/mtk.dtb"
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; exit 1; }
expect() { grep -q "^$1" <<<"$out" || { echo "FAIL: $2"; exit 1; }; }
rd0='ok   cpu 0x0000000000000000: redistributor 0x00000000080a0000'
rd1='ok   cpu 0x0000000000000001: redistributor 0x00000000080c0000'
expect 'gicd       0x0000000008000000' "GIC distributor"
expect 'ppi maint  0x0000000000000019' "maintenance PPI (INTID 25) from a 4-cell specifier"
expect 'ppi hyptmr 0x000000000000001a' "EL2 timer PPI (INTID 26) from a 4-cell specifier"
expect 'ppi vtimer 0x000000000000001b' "virtual timer PPI (INTID 27) from a 4-cell specifier"
expect 'psci       smc' "PSCI over SMC"
expect 'cpus up    0x0000000000000002' "CPU 1 up through PSCI"
expect 'ok   carveout 0x0000000043200000 size 0x0000000000c00000: not mapped' "OP-TEE's carveout out of EL2's map"
expect 'ok   carveout 0x0000000054600000 size 0x0000000000200000: not mapped' "BL31's carveout out of EL2's map"
expect 'el2 selftest: all checks passed' "self-test"
expect "$rd0" "CPU 0's redistributor"
expect "$rd1" "CPU 1's redistributor"

for n in 2 1; do
  python3 "$src/tests/port/mediatek/mtk-virt-dtb.py" --gicr-regions=$n "$work/virt.dtb" "$work/mtk$n.dtb" ||
    { echo "FAIL: rewrite with $n redistributor regions"; exit 1; }
  shape "#redistributor-regions" $n "$(fdtget "$work/mtk$n.dtb" /intc@8000000 '#redistributor-regions')"
done
boot "$work/mtk2.dtb"
echo "--- two redistributor regions:"
grep -E '^(gicr|ok   cpu|FAIL|el2:|el2 selftest)' <<<"$out"
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; exit 1; }
[ "$(grep -c '^gicr ' <<<"$out")" -eq 2 ] || { echo "FAIL: not two redistributor regions read"; exit 1; }
expect 'gicr       0x00000000080c0000' "the second region"
expect "$rd0" "CPU 0's redistributor in the first region"
expect "$rd1" "CPU 1's redistributor in the second region"
expect 'el2 selftest: all checks passed' "self-test over two regions"
boot "$work/mtk1.dtb"
echo "--- one region, CPU 0's redistributor only:"
grep -E '^(gicr|ok   cpu|FAIL|el2:|el2 selftest)' <<<"$out"
[ "$rc" -eq 70 ] || { echo "FAIL: QEMU exit status $rc, want 70 (self-test failed)"; exit 1; }
expect "$rd0" "CPU 0's redistributor"
expect 'el2: cpu 0x0000000000000001: no redistributor in the tree.s regions has its affinity; parked' \
  "CPU 1 without a redistributor says so"
expect 'FAIL cpu 0x0000000000000001: did not come online' "CPU 1 kept offline"
echo PASS
