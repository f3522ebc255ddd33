#!/usr/bin/env bash
# qemu.el2.mtk_shaped: the EL2 image on QEMU virt (-smp 2, GICv3, EL2)
# described by a MediaTek-shaped device tree: QEMU's own DTB rewritten by
# tests/port/mediatek/mtk-virt-dtb.py (4-cell GIC specifiers with
# ppi-partitions, /aliases + stdout-path, no-map carveouts where the Genio
# 1200 EVK has OP-TEE and BL31, PSCI over SMC; the UART stays virt's PL011).
# The tree is checked to have that shape (fdtget), then the image must find
# the GIC, the timer PPIs from 4-cell specifiers, both CPUs and SMC PSCI,
# bring CPU 1 up and pass its self-test. QEMU under a timeout, output capped.
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

out=$(timeout 30 qemu-system-aarch64 -M "$qemu_m" -cpu max -smp 2 -m 512M -nic none -nographic \
      ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
      -semihosting -kernel "$img" -dtb "$work/mtk.dtb" 2>&1 | head -c 8192)
rc=${PIPESTATUS[0]}
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: QEMU exit status $rc"; exit 1; }
expect() { grep -q "^$1" <<<"$out" || { echo "FAIL: $2"; exit 1; }; }
expect 'gicd       0x0000000008000000' "GIC distributor"
expect 'ppi maint  0x0000000000000019' "maintenance PPI (INTID 25) from a 4-cell specifier"
expect 'ppi hyptmr 0x000000000000001a' "EL2 timer PPI (INTID 26) from a 4-cell specifier"
expect 'ppi vtimer 0x000000000000001b' "virtual timer PPI (INTID 27) from a 4-cell specifier"
expect 'psci       smc' "PSCI over SMC"
expect 'cpus up    0x0000000000000002' "CPU 1 up through PSCI"
expect 'ok   carveout 0x0000000043200000 size 0x0000000000c00000: not mapped' "OP-TEE's carveout out of EL2's map"
expect 'ok   carveout 0x0000000054600000 size 0x0000000000200000: not mapped' "BL31's carveout out of EL2's map"
expect 'el2 selftest: all checks passed' "self-test"
echo PASS
