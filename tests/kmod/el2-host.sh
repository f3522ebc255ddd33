#!/usr/bin/env bash
# el2-host.sh SRC_ROOT MODULE_DIR FINIT CHECK [VMM GUEST_DIR NAME [VMM_ARGS [COPIES]]]
# Debian's arm64 kernel as the HOST under hvcore's EL2 port (QEMU virt at
# EL2, hvcore.host=1: the Linux VM's HVCs in the GenieZone function-ID range
# go to the hypercall server, its RAM is identity mapped). /init loads
# gzvm.ko (FINIT: one finit_module), which must find the hypervisor (SMCCC
# 1.1, hvcore's UID, PROBE), then runs CHECK (gzvm-host-check: the UAPI
# against the real server, VMs created and destroyed), powers off.
# Asserts: the module binds, /dev/gzvm appears, every check passes, no
# DESTROY_VM failed, a host read (busybox devmem) of the hypervisor's image
# and pool or of the DTB faults (SIGBUS: not in the host's stage 2), and at
# the end the server holds no VM and owns no page of the host's (el2: abi
# server line). With HV_HOSTILE_KO (tests/kmod/hostile) in the environment,
# that module is loaded after the check and its raw hostile hypercalls must
# all be refused (hv_hostile: PASS). With HV_STORM_KO (tests/kmod/storm),
# that module is loaded last with HV_STORM_ARGS (seeds=, seconds=,
# cycles=): its create/destroy cycles must all succeed and its randomized
# storm end with hv_storm: PASS; the end-of-boot checks (no VM, every page
# the host's, the hypervisor's memory unreadable) follow it. QEMU under a
# timeout, output capped.
# With VMM GUEST_DIR NAME: instead of CHECK, gzvm-vmm runs the contract
# guest GUEST_DIR/NAME.bin (with tests/guests/NAME.args) through the driver
# and the server's RUN at EL2; its UART transcript must equal
# tests/guests/NAME.expected and the VMM must exit 0 (guest SYSTEM_OFF).
# VMM_ARGS: more gzvm-vmm options (e.g. --block 2048). COPIES (default 1):
# that many VMMs run the guest at once, each transcript must be the same.
# HV_EL2_SMP (default 2): physical CPUs; the host always has 2 vCPUs (with
# 1, both share the CPU in time slices of the EL2 timer). HV_HOST_MEM (MiB,
# default 256): the host's RAM. HV_QEMU_TIMEOUT (s, default 150).
# HV_EXPECT_VMM: a line gzvm-vmm must print on stderr (after "gzvm-vmm: ").
# HV_EXPECT_HOST_FAULTS=1: the host must have faulted on a protected VM's
# page at least once (el2: protected VMs line).
# HV_EXPECT_IRQ_LINES: the server must have served exactly that many
# IRQ_LINE calls. HV_EXPECTED: the transcript file to compare with instead of
# tests/guests/NAME.expected (a guest that needs the VMM's irqfd doorbell,
# which hvsim does not model). HV_EXPECT_MARKER: instead of NAME.expected, the transcript must hold a
# line ending in the marker and the guest's "reboot: Power down" (a Linux
# guest, tests/kmod/nested-linux.sh; HV_EXPECT_POWER_DOWN=0: the marker
# only, for a guest that is not Linux). HV_QEMU_MONITOR (a socket path): QEMU's
# monitor listens there (scripts/soak-nested.sh dumps a hung run through it).
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
# HV_HOST_SCRIPT: a script run in the host as "/host-script pre" after the
# module loaded and "/host-script post" after the check or VMM (its own
# assertions are its caller's, on the console log: HV_KEEP_LOG);
# HV_HOST_FILES: more files for the host's / (e.g. another guest image);
# HV_HOST_SCRIPT_VMS: how many VMs that script creates (default 0).
# HV_HOST_RUN (a script): in place of running NAME.bin, the host runs it
# as /bin/run-guest with /gzvm-vmm (and HV_HOST_FILES); it prints the
# "kmod-test: vmm rc=" and transcript lines run-guest does
# (tests/kmod/nested-linux.sh).
set -euo pipefail
root=${1:?usage: el2-host.sh SRC_ROOT MODULE_DIR FINIT CHECK}
moddir=${2:?}
finit=${3:?}
check_bin=${4:?}
vmm=${5:-} guest_dir=${6:-} name=${7:-} vmm_args=${8:-} copies=${9:-1}
host_run=${HV_HOST_RUN:-}
guest_bin=""
[ -n "$name" ] && [ -z "$host_run" ] && guest_bin=$guest_dir/$name.bin
for f in "$moddir/gzvm.ko" "$moddir/kabi" "$finit" "$check_bin" ${name:+"$vmm"} $guest_bin $host_run; do
  [ -f "$f" ] || { echo "el2-host: missing $f"; exit 1; }
done
kabi=$(cat "$moddir/kabi")
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"

img=$("$root/scripts/el2-image.sh" "$root") || { echo "el2-host: el2-qemu build failed"; exit 1; }

work=$(mktemp -d)
trap '[ -n "${HV_KEEP_LOG:-}" ] && cp "$work/console.log" "$HV_KEEP_LOG"; rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$rootfs"/{bin,dev,proc,sys}
cp "$HV_BUSYBOX" "$rootfs/bin/busybox"
for applet in sh mount cat grep sed dmesg poweroff devmem awk rmmod sleep kill ls head tail wc \
  base64 cmp cut dd gzip mkfifo sha256sum tr; do
  ln -s busybox "$rootfs/bin/$applet"
done
cp "$moddir/gzvm.ko" "$rootfs/gzvm.ko"
cp "$finit" "$rootfs/finit-module"
cp "$check_bin" "$rootfs/gzvm-host-check"
hostile=${HV_HOSTILE_KO:-}
if [ -n "$hostile" ] && [ -z "$name" ]; then
  [ -f "$hostile" ] || { echo "el2-host: missing $hostile"; exit 1; }
  cp "$hostile" "$rootfs/hv_hostile.ko"
fi
storm=${HV_STORM_KO:-}
if [ -n "$storm" ] && [ -z "$name" ]; then
  [ -f "$storm" ] || { echo "el2-host: missing $storm"; exit 1; }
  cp "$storm" "$rootfs/hv_storm.ko"
fi
run_check=/gzvm-host-check
if [ -n "${HV_HOST_SCRIPT:-}" ]; then
  cp "$HV_HOST_SCRIPT" "$rootfs/host-script"
  chmod +x "$rootfs/host-script"
fi
for f in ${HV_HOST_FILES:-}; do cp "$f" "$rootfs/"; done
if [ -n "$host_run" ]; then
  cp "$vmm" "$rootfs/gzvm-vmm"
  install -m 755 "$host_run" "$rootfs/bin/run-guest"
  run_check=/bin/run-guest
elif [ -n "$name" ]; then
  cp "$vmm" "$rootfs/gzvm-vmm"
  cp "$guest_dir/$name.bin" "$rootfs/guest.bin"
  # VMM_ARGS first: a guest's .args may end with "-- BOOTARGS...".
  args="$vmm_args $(cat "$root/tests/guests/$name.args" 2>/dev/null || true)"
  run_check="/bin/run-guest $args"
  cat >"$rootfs/bin/run-guest" <<RUN
#!/bin/sh
copies=$copies
RUN
  cat >>"$rootfs/bin/run-guest" <<'RUN'
k=1
while [ $k -le $copies ]; do /gzvm-vmm /guest.bin "$@" >/transcript.$k 2>/vmm-err.$k & k=$((k + 1)); done
rc=0 k=1
while [ $k -le $copies ]; do wait -n || rc=$?; k=$((k + 1)); done
cat /vmm-err.* >/vmm-err
k=1
while [ $k -le $copies ]; do cmp -s /transcript.1 /transcript.$k || echo "kmod-test: transcript $k differs"; k=$((k + 1)); done
cp /transcript.1 /transcript
echo "kmod-test: vmm rc=$rc"
echo "kmod-test: transcript begin"
cat /transcript
echo "kmod-test: transcript end"
sed 's/^/kmod-test: vmm: /' /vmm-err | head -20
RUN
  chmod +x "$rootfs/bin/run-guest"
fi
cat >"$rootfs/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
echo "kmod-test: init"
/finit-module /gzvm.ko 2>&1
echo "kmod-test: load rc=$?"
dmesg | grep 'gzvm' | sed 's/^/kmod-test: kernel: /'
[ -c /dev/gzvm ] && echo "kmod-test: /dev/gzvm is a character device"
[ -x /host-script ] && /host-script pre 2>&1
RUN_CHECK 2>&1
echo "kmod-test: check rc=$?"
[ -x /host-script ] && /host-script post 2>&1
if [ -f /hv_hostile.ko ]; then
  /finit-module /hv_hostile.ko "ram_start=0x50000000 ram_size=HOST_RAM_SIZE foreign=0x40000000"
  echo "kmod-test: hostile load rc=$?"
  dmesg | grep 'hv_hostile: ' | sed 's/^.*hv_hostile: /kmod-test: hostile: /'
fi
if [ -f /hv_storm.ko ]; then
  /finit-module /hv_storm.ko "ram_start=0x50000000 ram_size=HOST_RAM_SIZE foreign=0x40000000 STORM_ARGS"
  echo "kmod-test: storm load rc=$?"
  dmesg | grep 'hv_storm: ' | sed 's/^.*hv_storm: /kmod-test: storm: /' | head -40
fi
# Outside the host's RAM: the hypervisor's image and pool, the DTB.
for pa in 0x40000000 0x40600000 0x48000000; do
  devmem $pa 32 >/dev/null 2>&1
  echo "kmod-test: devmem $pa rc=$?"
done
dmesg | grep 'gzvm' | grep -v 'hvcore hypervisor ABI' | sed 's/^/kmod-test: kernel: /'
dmesg | grep 'soft lockup' | head -3 | sed 's/^/kmod-test: kernel: /'
echo "kmod-test: poweroff"
poweroff -f
INIT
host_mem=${HV_HOST_MEM:-256}
sed -i "s|^RUN_CHECK|$run_check|; s|HOST_RAM_SIZE|$(printf '0x%x' $((host_mem << 20)))|; s|STORM_ARGS|${HV_STORM_ARGS:-}|" "$rootfs/init"
chmod +x "$rootfs/init"
(cd "$rootfs" && find . | cpio -o -H newc --quiet) >"$work/initrd.cpio"

ram=0x50000000 initrd_pa=0x54000000
log=$work/console.log
start=$(date +%s)
set +e
timeout "${HV_QEMU_TIMEOUT:-150}" qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on \
  -smp "${HV_EL2_SMP:-2}" -m 1G -nic none -nographic -semihosting -no-reboot \
  ${HV_QEMU_MONITOR:+-monitor "unix:$HV_QEMU_MONITOR,server=on,wait=off"} \
  ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
  -kernel "$img" \
  -device loader,file="$HV_KERNEL_IMAGE",addr=$ram,force-raw=on \
  -device loader,file="$work/initrd.cpio",addr=$initrd_pa,force-raw=on \
  -append "hvcore.guest=$ram hvcore.mem=$host_mem hvcore.vcpus=2 hvcore.initrd=$initrd_pa hvcore.initrd_size=$(stat -c %s "$work/initrd.cpio") hvcore.host=1 -- console=ttyAMA0 quiet panic=-1 rdinit=/init" \
  </dev/null 2>&1 | head -c 1000000 | tr -d '\r' >"$log"
qemu_rc=${PIPESTATUS[0]}
set -e
elapsed=$(($(date +%s) - start))

fail=0
check() { # check DESCRIPTION COMMAND...: one line per assertion
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
has() { grep -qF -- "$1" "$log"; }
count() { grep -cF -- "$1" "$log" || true; }

check "QEMU exited 0 (rc $qemu_rc, ${elapsed} s)" test "$qemu_rc" -eq 0
check "module loaded (rc 0)" has "kmod-test: load rc=0"
check "module found hvcore: ABI 1.0.0 over SMCCC 1.1" has "gzvm: hvcore hypervisor ABI 1.0.0 (SMCCC 1.1)"
check "no decline" test "$(count 'no hvcore hypervisor')" -eq 0
check "/dev/gzvm registered" has "kmod-test: /dev/gzvm is a character device"
if [ -z "$name" ]; then
  check "every UAPI check passed against the server" grep -qE '^gzvm-host-check: PASS [0-9]+ checks$' "$log"
  check "check program exit status 0" has "kmod-test: check rc=0"
  # 4 IRQ_LINE ioctls per VM reach the server (one refused there; the PPI
  # and number 988 are refused by the driver), twice, and the IRQFD
  # signal's 1 (a raise, never lowered).
  check "the server saw 9 IRQ_LINE calls (8 ioctls, 1 from the IRQFD signal)" \
    grep -qE '^el2: abi server calls: .* irq_line 9$' "$log"
  if [ -n "$hostile" ]; then
    check "hostile module loaded" has "kmod-test: hostile load rc=0"
    check "every hostile hypercall refused, the legitimate ones served" \
      grep -qE '^kmod-test: hostile: PASS [0-9]+ checks$' "$log"
    grep -E '^kmod-test: hostile: FAIL' "$log" | head -10 || true
  fi
  if [ -n "$storm" ]; then
    check "storm module loaded" has "kmod-test: storm load rc=0"
    check "every CREATE_VM of the create/destroy cycles succeeded (one VM kept alive)" \
      grep -qE '^kmod-test: storm: create/destroy: ([0-9]+) of \1 cycles' "$log"
    check "storm: every oracle held on every CPU (hv_storm: PASS)" \
      grep -qE '^kmod-test: storm: PASS ' "$log"
    grep -E '^kmod-test: storm: (FAIL|seed|create|PASS)' "$log" | head -24 || true
  fi
  for pa in 0x40000000 0x40600000 0x48000000; do
    check "host read of $pa (hypervisor image/pool, DTB) is a bus error (SIGBUS)" \
      has "kmod-test: devmem $pa rc=135"
  done
else
  sed -n '/^kmod-test: transcript begin$/,/^kmod-test: transcript end$/p' "$log" | sed '1d;$d' >"$work/transcript"
  check "VMM exit status 0: the guest powered off" has "kmod-test: vmm rc=0"
  if [ -n "${HV_EXPECT_MARKER:-}" ]; then
    check "guest printed its marker: $HV_EXPECT_MARKER" grep -qF -- "$HV_EXPECT_MARKER" "$work/transcript"
    if [ "${HV_EXPECT_POWER_DOWN:-1}" = 1 ]; then
      check "guest powered off (reboot: Power down)" grep -qF "reboot: Power down" "$work/transcript"
    fi
    grep -F -- "$HV_EXPECT_MARKER" "$work/transcript" | head -2 || true
  else
    expected=${HV_EXPECTED:-$root/tests/guests/$name.expected}
    check "transcript equals ${expected#"$root/"}" cmp -s "$work/transcript" "$expected"
    if ! cmp -s "$work/transcript" "$expected"; then
      diff "$expected" "$work/transcript" | head -20 || true
    fi
  fi
fi
if [ -n "${HV_EXPECT_VMM:-}" ]; then
  check "VMM reported: $HV_EXPECT_VMM" has "kmod-test: vmm: gzvm-vmm: $HV_EXPECT_VMM"
fi
if [ -n "${HV_EXPECT_HOST_FAULTS:-}" ]; then
  check "host reads of a protected VM's pages faulted at EL2 (external abort injected)" \
    grep -qE '^el2: protected VMs: host faults on their pages [1-9]' "$log"
fi
check "the host's stage 2 is as mapped at boot (block splits for protected VMs merged back)" \
  has "el2: host stage 2: as mapped at boot"
check "EL2 pool: invariants hold at power-off" grep -qE '^el2: pool: live .* invariants ok$' "$log"
check "no DESTROY_VM failed" test "$(grep -cE 'gzvm: DESTROY_VM [0-9]+ failed' "$log" || true)" -eq 0
check "init reached poweroff" has "kmod-test: poweroff"
check "host powered off (PSCI SYSTEM_OFF): status 0" has "--- guest exit status 0x0000000000000000 ---"
if [ -z "$name" ]; then
  check "server served calls, refused some, holds no VM and no host page" \
    grep -qE '^el2: abi server: calls 0x0*[1-9a-f][0-9a-f]* refused 0x0*[1-9a-f][0-9a-f]* vms 0x0+ pages not the host.s 0x0+$' "$log"
else
  check "server served calls, holds no VM and no host page" \
    grep -qE '^el2: abi server: calls 0x0*[1-9a-f][0-9a-f]* refused 0x[0-9a-f]+ vms 0x0+ pages not the host.s 0x0+$' "$log"
  check "every VMM wrote the same transcript" test "$(count 'differs')" -eq 0
  vms=$((copies + ${HV_HOST_SCRIPT_VMS:-0}))
  check "$vms VM(s) created and destroyed, RUN served at EL2" \
    grep -qE "^el2: abi server calls: create_vm $vms destroy_vm [1-9][0-9]* run [1-9][0-9]* " "$log"
  if [ -n "${HV_EXPECT_IRQ_LINES:-}" ]; then
    check "the server saw exactly $HV_EXPECT_IRQ_LINES IRQ_LINE calls" \
      grep -qE "^el2: abi server calls: .* irq_line $HV_EXPECT_IRQ_LINES\$" "$log"
  fi
  # MediaTek's driver (and ours) serves every fault with MAP_GUEST_BLOCK.
  check "guest memory paged in blocks (MAP_GUEST_BLOCK only, no MAP_GUEST)" \
    grep -qE '^el2: abi server calls: .* map_guest 0 map_guest_block [1-9][0-9]* ' "$log"
  # The host's own log (a nested guest's kernel log is in the transcript).
  check "no soft lockup in the host kernel" test "$(sed '/^kmod-test: transcript begin$/,/^kmod-test: transcript end$/d' "$log" |
    grep -c 'soft lockup' || true)" -eq 0
fi

grep -E '^(gzvm-host-check: |el2: abi server|kmod-test: vmm|el2: physical cpu|el2: kicks sent)' "$log" | head -12
if [ "$fail" -ne 0 ]; then
  echo "---- last console lines ----"
  tail -60 "$log" | cut -c1-200
  exit 1
fi
echo "el2-host: all checks passed in ${elapsed} s (kernel $kabi)"
