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
# a second time) and power off (SYSTEM_OFF forwarded). The host's /init
# sees /hypervisor and EL2's /reserved-memory node, and its reads of the
# BL31 and OP-TEE carveouts and of EL2's memory die of SIGBUS (EL2's stage
# 2 leaves them out, EL2 answers with an external abort; EL2 also checked
# them with AT S12E1R). Also checks the image (arm64 Image magic, size) and
# two refused boots: no hvcore,host-image, and one inside a carveout. QEMU under a timeout, output capped.
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode; HV_QEMU_TIMEOUT: the Linux boot's limit (150 s).
# With MODULE_DIR, FINIT and CHECK (label kmod: tests/kmod/tests.cmake),
# the host also loads the project's gzvm.ko (built for MODULE_DIR/kabi,
# whose kernel then boots): it must bind through the /hypervisor node EL2
# added and find the hypercall server at EL2 (SMCCC 1.1 over the SMC
# conduit, hvcore's UID, PROBE: EL2 answers them, not the firmware), stay
# loaded with /dev/gzvm, and CHECK (gzvm-host-check) must pass its UAPI
# checks against that server (VMs created and destroyed, memory regions,
# IRQ lines, refusals); at power-off EL2 reports no VM left and every
# managed page the host's. With HV_HOSTILE_KO (tests/kmod/hostile), that
# module's raw hostile calls (the hypervisor's memory named as the host's,
# a RUN of a vCPU or VM that does not exist, ...) must all be refused and
# the host go on as before (CPU 1 off and on again after them); it is
# loaded 8 times while another process keeps the other CPU reading memory
# (protected VMs' pages split and merge blocks of the host's stage 2).
# With VMM GUEST_DIR GUEST... as well: gzvm-vmm runs each contract guest
# (GUEST_DIR/NAME.bin, tests/guests/NAME.args) in the host through the
# driver and the server's RUN at EL2, which enters the guest's vCPUs on the
# host's own CPUs and gives each CPU back to the host after; each
# transcript must equal tests/guests/NAME.expected and the VMM exit 0.
# The VMM runs with --move-vcpus (each vCPU thread moves to the other host
# CPU before every RUN): vCPU 0 must have been entered on both CPUs (sgi's
# vCPU 1 lives through a single RUN), and some RUNs must have given the
# host back a physical interrupt taken while the guest ran (not asserted
# under HV_QEMU_ICOUNT=1: QEMU then runs the CPUs in turn and the guests'
# share of the time is a few entries).
set -uo pipefail
src=$1 moddir=${2:-} finit=${3:-} check=${4:-} vmm=${5:-} guest_dir=${6:-}
guests=("${@:7}") tmo=${HV_QEMU_TIMEOUT:-150}
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

kabi=
[ -n "$moddir" ] && { kabi=$(cat "$moddir/kabi") || { echo "FAIL: no $moddir/kabi"; exit 1; }; }
eval "$(HV_KABI=$kabi bash scripts/debian-arm64-fetch.sh kernel)" || { echo "FAIL: no Debian kernel"; exit 1; }
initrd=$(bash scripts/linux-initramfs.sh "$src/build/linux-guest/initramfs.cpio") ||
  { echo "FAIL: no initramfs"; exit 1; }
# The host's /init, over linux-initramfs.sh's (a second cpio archive: the
# kernel unpacks both, the later /init wins): what the host's tree says
# about the hypervisor, a read of a carveout and of EL2's memory (busybox
# devmem: each must die of SIGBUS, the abort EL2 injects for a stage-2
# hole), then CPU 1 off and on again and power-off.
mkdir -p "$work/overlay/bin"
ln -s busybox "$work/overlay/bin/devmem"
ln -s busybox "$work/overlay/bin/ls"
cat >"$work/overlay/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
echo "hvcore host: /hypervisor compatible $(cat /proc/device-tree/hypervisor/compatible)"
echo "hvcore host: reserved-memory $(ls /proc/device-tree/reserved-memory | grep @ | tr '\n' ' ')"
echo "hvcore host: $(grep -c ^processor /proc/cpuinfo) CPUs online"
for pa in 0x54600000 0x43200000 "$(cat /proc/device-tree/reserved-memory/hvcore@*/reg | od -A n -t x1 | tr -d ' \n' | cut -c9-16 | sed 's/^/0x/')"; do
  devmem "$pa" 32 >/dev/null 2>&1
  echo "hvcore host: read of $pa: exit status $?"
done
if [ -e /gzvm.ko ]; then
  echo "hvcore host: platform devices $(ls /sys/bus/platform/devices | grep hypervisor)"
  /finit-module /gzvm.ko >/dev/null 2>&1
  echo "hvcore host: gzvm.ko load exit status $?"
  dmesg | grep 'gzvm: no hvcore\|gzvm: hvcore' | sed 's/^\[[^]]*\] /hvcore host: kernel: /'
  echo "hvcore host: gzvm.ko loaded: $(grep -c ^gzvm /proc/modules)"
  [ -c /dev/gzvm ] && echo "hvcore host: /dev/gzvm is a character device"
  /gzvm-host-check 2>&1 | grep -E '^(FAIL|gzvm-host-check)' | head -20 | sed 's/^/hvcore host: /'
  if [ -e /hv_hostile.ko ]; then
    # 8 loads while another process reads files in a loop: the host's
    # other CPU touches RAM while protected VMs' pages split and merge
    # blocks of its stage 2 (EL2 retries those faults; an abort kills it).
    (while :; do cat /gzvm.ko /gzvm-host-check >/dev/null; done) &
    hog=$! rc=0 i=0
    while [ $i -lt 8 ]; do
      /finit-module /hv_hostile.ko "ram_start=0x40000000 ram_size=0x20000000 foreign=0x40200000" || rc=$?
      rmmod hv_hostile
      i=$((i + 1))
    done
    kill $hog
    echo "hvcore host: hostile load rc=$rc"
    dmesg | grep 'hv_hostile: \(FAIL\|PASS\)' | sed 's/^.*hv_hostile: /hvcore host: hostile: /' | head -24
  fi
  for g in $(cat /guests 2>/dev/null); do
    /gzvm-vmm /$g.bin --move-vcpus $(cat /$g.args) >/transcript 2>/vmm-err
    echo "hvcore host: guest $g: vmm rc=$?"
    echo "hvcore host: guest $g: transcript begin"
    head -c 8192 /transcript
    echo "hvcore host: guest $g: transcript end"
    head -8 /vmm-err | sed "s/^/hvcore host: guest $g: vmm: /"
  done
fi
cpu1=/sys/devices/system/cpu/cpu1/online
echo 0 >$cpu1 && echo 1 >$cpu1 &&
  echo "hvcore host: cpu1 offline and online again, online: $(cat /sys/devices/system/cpu/online)"
poweroff -f
INIT
chmod 755 "$work/overlay/init"
if [ -n "$moddir" ]; then
  cp "$moddir/gzvm.ko" "$work/overlay/gzvm.ko" && cp "$finit" "$work/overlay/finit-module" &&
    cp "$check" "$work/overlay/gzvm-host-check" ||
    { echo "FAIL: no gzvm.ko, finit-module or gzvm-host-check"; exit 1; }
  ln -s busybox "$work/overlay/bin/dmesg"
  ln -s busybox "$work/overlay/bin/sed"
  ln -s busybox "$work/overlay/bin/head"
  ln -s busybox "$work/overlay/bin/rmmod"
  ln -s busybox "$work/overlay/bin/kill"
  if [ -n "${HV_HOSTILE_KO:-}" ]; then
    cp "$HV_HOSTILE_KO" "$work/overlay/hv_hostile.ko" || { echo "FAIL: no $HV_HOSTILE_KO"; exit 1; }
  fi
  if [ ${#guests[@]} -gt 0 ]; then
    cp "$vmm" "$work/overlay/gzvm-vmm" || { echo "FAIL: no gzvm-vmm"; exit 1; }
    for g in "${guests[@]}"; do
      cp "$guest_dir/$g.bin" "$work/overlay/$g.bin" || { echo "FAIL: no $guest_dir/$g.bin"; exit 1; }
      cat "tests/guests/$g.args" >"$work/overlay/$g.args" 2>/dev/null || : >"$work/overlay/$g.args"
    done
    echo "${guests[*]}" >"$work/overlay/guests"
  fi
fi
(cd "$work/overlay" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet) >"$work/overlay.cpio"
cat "$initrd" "$work/overlay.cpio" >"$work/initrd.cpio"
host=0x50000000
qemu_m="virt,virtualization=on,gic-version=3"
timeout 60 qemu-system-aarch64 -M "$qemu_m,dumpdtb=$work/virt.dtb" -cpu max -smp 2 -m 512M \
  -nographic -nic none >/dev/null 2>&1
python3 tests/port/mediatek/mtk-virt-dtb.py "$work/virt.dtb" "$work/mtk.dtb" $host ||
  { echo "FAIL: the MediaTek-shaped tree"; exit 1; }

# Refused boots: no hvcore,host-image, and one inside BL31's carveout. EL2
# must say which in a FAIL line and stop (it parks: QEMU's timeout ends it).
python3 tests/port/mediatek/mtk-virt-dtb.py "$work/virt.dtb" "$work/nohost.dtb" ||
  { echo "FAIL: the MediaTek-shaped tree"; exit 1; }
python3 tests/port/mediatek/mtk-virt-dtb.py "$work/virt.dtb" "$work/badhost.dtb" 0x54600000 ||
  { echo "FAIL: the MediaTek-shaped tree"; exit 1; }
for bad in "nohost:no /chosen/hvcore,host-image" "badhost:hvcore,host-image is inside a no-map carveout"; do
  out=$(timeout 6 qemu-system-aarch64 -M "$qemu_m" -cpu max -smp 2 -m 512M -nic none -nographic \
        ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
        -kernel "$img" -dtb "$work/${bad%%:*}.dtb" 2>&1 | tr -d '\r' | head -c 8192)
  grep -q "^FAIL el2-mediatek: ${bad#*:}" <<<"$out" || { printf '%s\n' "$out"; echo "FAIL: ${bad%%:*} not refused"; exit 1; }
  grep -q 'boot checks passed' <<<"$out" && { echo "FAIL: ${bad%%:*} booted"; exit 1; }
  echo "refused as it should: ${bad#*:}"
done

log=$work/console.log
timeout "$tmo" qemu-system-aarch64 -M "$qemu_m" -cpu max,pauth-impdef=on -smp 2 -m 512M -nic none \
  ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
  -nographic -semihosting -kernel "$img" -dtb "$work/mtk.dtb" \
  -device loader,file="$HV_KERNEL_IMAGE",addr=$host,force-raw=on -initrd "$work/initrd.cpio" \
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
# EL2's own memory as Linux saw it: a memory range of its own (no-map).
base=$(sed -n 's/^reserved   0x0*\([0-9a-f]*\)$/\1/p' "$log")
len=$(sed -n '/^reserved /{n;s/^  size     0x0*\([0-9a-f]*\)$/\1/p}' "$log")
[ -n "$base" ] && [ -n "$len" ] || fail "EL2 did not print its carveout"
range=$(printf '[mem 0x%016x-0x%016x]' $((16#$base)) $((16#$base + 16#$len - 1)))
grep -qF "node   0: $range" "$log" || fail "Linux's memory does not stop at EL2's carveout $range"
has '^hvcore host: /hypervisor compatible mediatek,geniezone' "no /hypervisor node in the host's tree"
has '^hvcore host: reserved-memory .*hvcore@' "no EL2 carveout in the host's /reserved-memory"
has '^hvcore host: 2 CPUs online' "/init did not see 2 CPUs"
for pa in 0x54600000 0x43200000 "0x$base"; do
  has "^hvcore host: read of $pa: exit status 135" "a host read of $pa did not die of SIGBUS"
done
has '^hvcore host: cpu1 offline and online again, online: 0-1' "CPU 1 off and on again"
has '^ok   host stage 2: no-map carveout faults at 0x0000000054600000' "BL31's carveout in the stage 2"
has '^ok   host stage 2: no-map carveout faults at 0x0000000043200000' "OP-TEE's carveout in the stage 2"
has "^ok   host stage 2: EL2's image faults" "EL2 in the host's stage 2"
has '^el2-mediatek: host PSCI .* aborts for stage-2 holes 0x0000000000000003 retried 0x[0-9a-f]*$' \
  "EL2 did not abort the host's 3 reads"
has 'reboot: Power down' "no power-off"
arrivals=$(grep -c '^el2-mediatek: cpu 0x0000000000000001 entered EL2 for the host' "$log")
[ "$arrivals" -eq 2 ] || fail "CPU 1 entered EL2 $arrivals times, want 2 (boot, then online again)"
has '^el2-mediatek: host PSCI forwarded ' "EL2's count of forwarded calls"
if [ -n "$moddir" ]; then
  has '^hvcore host: platform devices hypervisor$' "no platform device from /hypervisor"
  grep -q 'no mediatek,geniezone device-tree node' "$log" && fail "gzvm.ko did not see the node"
  grep -q 'gzvm: no hvcore hypervisor' "$log" && fail "gzvm.ko declined: $(grep -m1 'no hvcore' "$log")"
  has '^hvcore host: kernel: gzvm: hvcore hypervisor ABI 1.0.0 (SMCCC 1.1)' \
    "gzvm.ko did not find the server at EL2 (SMCCC 1.1, hvcore's UID, PROBE)"
  has '^hvcore host: gzvm.ko loaded: 1$' "gzvm.ko did not stay loaded"
  has '^hvcore host: /dev/gzvm is a character device$' "no /dev/gzvm"
  grep -q '^hvcore host: FAIL' "$log" && fail "gzvm-host-check: $(grep -m3 '^hvcore host: FAIL' "$log")"
  has '^hvcore host: gzvm-host-check: PASS [0-9]* checks$' "gzvm-host-check did not pass"
  has '^el2: abi server: calls .* vms 0x0000000000000000 pages not the host.s 0x0*[0-9a-f]*$' \
    "no server report at power-off"
  grep -q '^el2: host stage 2: as mapped at boot$' "$log" || fail "the host's stage 2 changed"
  if [ -n "${HV_HOSTILE_KO:-}" ]; then
    has '^hvcore host: hostile load rc=0$' "hv_hostile.ko did not load"
    grep -q '^hvcore host: hostile: FAIL' "$log" && fail "$(grep -m3 '^hvcore host: hostile: FAIL' "$log")"
    n=$(grep -c '^hvcore host: hostile: PASS [0-9]* checks$' "$log")
    [ "$n" -eq 8 ] || fail "hv_hostile passed $n of 8 loads"
  fi
  for g in "${guests[@]}"; do
    sed -n "/^hvcore host: guest $g: transcript begin\$/,/^hvcore host: guest $g: transcript end\$/p" "$log" |
      sed '1d;$d' >"$work/$g.transcript"
    grep "^hvcore host: guest $g: vmm: " "$log" | head -8
    has "^hvcore host: guest $g: vmm: gzvm-vmm: vCPU 0 entered on 2 host CPUs, moved [1-9][0-9]* times$" \
      "guest $g: vCPU 0 was not entered on both host CPUs"
    has "^hvcore host: guest $g: vmm rc=0$" "guest $g: the VMM did not exit 0 (the guest's SYSTEM_OFF)"
    cmp -s "$work/$g.transcript" "tests/guests/$g.expected" ||
      { diff "tests/guests/$g.expected" "$work/$g.transcript" | head -20; fail "guest $g: transcript differs from tests/guests/$g.expected"; }
    echo "guest $g: transcript equals tests/guests/$g.expected ($(wc -l <"$work/$g.transcript") lines)"
  done
  if [ ${#guests[@]} -gt 0 ]; then
    runs=$(sed -n 's/^el2-mediatek: host calls: server .* runs 0x0*\([0-9a-f]*\) .*/\1/p' "$log")
    [ -n "$runs" ] && [ $((16#$runs)) -gt 0 ] || fail "no RUN reached EL2"
    # Each host CPU entered guests itself.
    has '^el2-mediatek: RUNs by host CPU: 0x0*[1-9a-f][0-9a-f]* 0x0*[1-9a-f][0-9a-f]*$' \
      "not every host CPU made RUNs"
    # Physical interrupts taken while a guest ran reached the host.
    [ -n "${HV_QEMU_ICOUNT:-}" ] ||
      has '^el2-mediatek: host calls: .* RUNs back with an IRQ pending 0x0*[1-9a-f]' \
        "no RUN gave the host back a pending interrupt"
  fi
fi
grep -E '^el2-mediatek: (cpu|host PSCI|host calls|RUNs)|^el2: abi server|^hvcore host|Brought up|Power down' "$log" | cut -c1-200
echo "PASS: Linux booted as the host at EL1 over el2-mediatek, CPU 1 through EL2 twice"
