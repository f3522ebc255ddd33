#!/usr/bin/env bash
# qemu.el2mtk.linux_host: the el2-mediatek image (preset el2-mediatek, mode A)
# entered at EL2 on QEMU virt (-smp 2, GICv3) with x0 = a MediaTek-shaped
# device tree (tests/port/mediatek/mtk-virt-dtb.py: 4-cell GIC specifiers,
# ppi-partitions, aliases + stdout-path, no-map carveouts, SMC PSCI, and
# /chosen/hvcore,host-image naming Debian's arm64 kernel loaded at
# 0x50000000). EL2 must pass its boot checks (discovery, host Image, the
# tree fixed with its own no-map carveout and /hypervisor) and start Linux
# at EL1 as the host; Linux must see its memory split at EL2's carveout,
# start at EL1 on both CPUs with CPU 1 brought up by a CPU_ON that EL2
# rewrote (CPU 1 enters EL2 first, then the host), take CPU 1 offline and
# online again (CPU_OFF, AFFINITY_INFO, CPU_ON forwarded: CPU 1 enters EL2
# a second time) and power off (SYSTEM_OFF forwarded). Also checks the
# image: arm64 Image magic, size. QEMU under a timeout, output capped.
set -uo pipefail
src=$1 tmo=${2:-150}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
cmake --preset el2-mediatek >/dev/null && cmake --build --preset el2-mediatek -j2 >"$work/build.log" 2>&1 ||
  { tail -20 "$work/build.log"; echo "FAIL: el2-mediatek build"; exit 1; }
img=$src/build/el2-mediatek/ports/el2-mediatek/hvcore-el2.bin
magic=$(od -A n -t x1 -j 56 -N 4 "$img" | tr -d ' \n')
[ "$magic" = 41524d64 ] || { echo "FAIL: no arm64 Image magic ($magic)"; exit 1; }
size=$(stat -c %s "$img")
[ "$size" -le $((256 * 1024)) ] || { echo "FAIL: image is $size bytes"; exit 1; }
echo "image: $size bytes, arm64 Image header"

eval "$(bash scripts/debian-arm64-fetch.sh kernel)" || { echo "FAIL: no Debian kernel"; exit 1; }
initrd=$(bash scripts/linux-initramfs.sh "$src/build/linux-guest/initramfs.cpio") ||
  { echo "FAIL: no initramfs"; exit 1; }
host=0x50000000
qemu_m="virt,virtualization=on,gic-version=3"
timeout 60 qemu-system-aarch64 -M "$qemu_m,dumpdtb=$work/virt.dtb" -cpu max -smp 2 -m 512M \
  -nographic -nic none >/dev/null 2>&1
python3 tests/port/mediatek/mtk-virt-dtb.py "$work/virt.dtb" "$work/mtk.dtb" $host ||
  { echo "FAIL: the MediaTek-shaped tree"; exit 1; }

log=$work/console.log
timeout "$tmo" qemu-system-aarch64 -M "$qemu_m" -cpu max,pauth-impdef=on -smp 2 -m 512M -nic none \
  -nographic -semihosting -kernel "$img" -dtb "$work/mtk.dtb" \
  -device loader,file="$HV_KERNEL_IMAGE",addr=$host,force-raw=on -initrd "$initrd" \
  -append "console=ttyAMA0" 2>&1 | head -c 2000000 | tr -d '\r' >"$log"
rc=${PIPESTATUS[0]}
fail() {
  echo "--- first and last console lines:"
  head -n 24 "$log" | cut -c1-160
  echo ...
  tail -n 20 "$log" | cut -c1-160
  echo "FAIL: $*"
  exit 1
}
[ "$rc" -ne 124 ] || fail "no power-off within ${tmo} s"
[ "$rc" -eq 0 ] || fail "QEMU exit status $rc"
has() { grep -q "$1" "$log" || fail "$2"; }
has '^hvcore el2-mediatek: running at EL2$' "not entered at EL2"
has '^gic cells  0x0000000000000004$' "the tree's 4-cell GIC specifiers"
has '^ok   host device tree: /reserved-memory no-map over EL2' "device tree fixup"
has '^el2-mediatek: boot checks passed' "boot checks"
grep -q '^FAIL' "$log" && fail "a FAIL line"
has 'CPU: All CPU(s) started at EL1' "Linux not at EL1 on every CPU"
has 'psci: probing for conduit method from DT' "Linux's PSCI"
has 'smp: Brought up 1 node, 2 CPUs' "CPU 1 not brought up by the forwarded CPU_ON"
has '^hvcore guest: 2 CPUs online' "/init did not see 2 CPUs"
has '^HVCORE-LINUX-INIT-OK$' "no marker from /init"
has '^hvcore guest: cpu1 offline and online again, online: 0-1' "CPU 1 off and on again"
has 'reboot: Power down' "no power-off"
arrivals=$(grep -c '^el2-mediatek: cpu 0x0000000000000001 entered EL2 for the host' "$log")
[ "$arrivals" -eq 2 ] || fail "CPU 1 entered EL2 $arrivals times, want 2 (boot, then online again)"
# EL2's own memory as Linux saw it: a memory range of its own (no-map).
base=$(sed -n 's/^reserved   0x0*\([0-9a-f]*\)$/\1/p' "$log")
len=$(sed -n '/^reserved /{n;s/^  size     0x0*\([0-9a-f]*\)$/\1/p}' "$log")
[ -n "$base" ] && [ -n "$len" ] || fail "EL2 did not print its carveout"
range=$(printf '[mem 0x%016x-0x%016x]' $((16#$base)) $((16#$base + 16#$len - 1)))
grep -qF "node   0: $range" "$log" || fail "Linux's memory does not stop at EL2's carveout $range"
has '^el2-mediatek: host PSCI forwarded ' "EL2's count of forwarded calls"
grep -E '^el2-mediatek: (cpu|host PSCI)|Brought up|CPU1: Booted|Power down' "$log"
echo "PASS: Linux booted as the host at EL1 over el2-mediatek, CPU 1 through EL2 twice"
