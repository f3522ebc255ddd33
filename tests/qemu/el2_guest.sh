#!/usr/bin/env bash
# qemu.guest.<name>: run a contract guest (tests/guests/) at EL1 under the
# EL2 image on QEMU virt; its UART transcript must equal
# tests/guests/<name>.expected (the same file hvsim is held to) and the run
# must end with the guest's exit status 0. The guest image is put in RAM by
# QEMU's generic loader; -append tells the hypervisor where.
# With CPUS = 2 QEMU gives the board two physical CPUs: guest vCPU i then
# runs on physical CPU i mod 2, so SGIs and PSCI CPU_ON cross CPUs.
# Usage: el2_guest.sh SOURCE_DIR GUEST_BIN NAME [CPUS]
set -uo pipefail
src=$1 bin=$2 name=$3 cpus=${4:-1}
img=$("$src/scripts/el2-image.sh" "$src") || { echo "FAIL: el2-qemu build"; exit 1; }
[ -f "$bin" ] || { echo "FAIL: no guest binary $bin"; exit 1; }
# The hvsim options a guest needs (tests/guests/<name>.args), for the port.
vcpus=1 mem="" bootargs=""
if [ -f "$src/tests/guests/$name.args" ]; then
  read -r -a args <"$src/tests/guests/$name.args"
  for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[i]}" = --vcpus ] && vcpus=${args[i + 1]}
    # --mem NM: the same guest RAM size (MiB) at EL2 (RAM-end guests).
    [ "${args[i]}" = --mem ] && mem=" hvcore.mem=${args[i + 1]%M}"
    # -- BOOTARGS: the guest's /chosen/bootargs, after the hypervisor's "--".
    if [ "${args[i]}" = -- ]; then bootargs=" -- ${args[*]:i+1}"; break; fi
  done
fi
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off:
# one instruction per ns, the CPUs take turns on one host thread); the
# hypervisor is told that CPUs may starve there (QEMU before 8.1:
# hvcore.cpus_may_starve=1, a tick for a CPU running a lone vCPU).
out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp "$cpus" -m 512M \
      ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
      -nic none -nographic -semihosting -kernel "$img" \
      -device loader,file="$bin",addr=0x50000000,force-raw=on \
      -append "hvcore.guest=0x50000000 hvcore.vcpus=$vcpus$mem${HV_QEMU_ICOUNT:+ hvcore.cpus_may_starve=1}$bootargs" 2>&1 | head -c 16384 | tr -d '\r')
rc=${PIPESTATUS[0]}
# The hypervisor's own reports during the run ("el2: ...", as hvsim's on
# stderr) are not the guest's transcript.
transcript=$(printf '%s\n' "$out" | sed -n '/^--- guest ---$/,/^--- guest exit/p' | sed '1d;$d' | grep -v '^el2: ')
# NAME.el2.expected: a transcript only the EL2 port produces (hvsim cannot).
expected=$src/tests/guests/$name.expected
[ -f "$src/tests/guests/$name.el2.expected" ] && expected=$src/tests/guests/$name.el2.expected
if [ "$transcript" != "$(cat "$expected")" ]; then
  printf '%s\n' "$out" | tail -40
  echo "FAIL: transcript differs from $expected:"
  diff <(printf '%s\n' "$transcript") "$expected" | head -20
  exit 1
fi
[ "$rc" -eq 0 ] || { printf '%s\n' "$out" | tail -5; echo "FAIL: QEMU exit status $rc"; exit 1; }
# Lazy self-hosted debug (ports/el2/debug_hw.c): the debug guest is
# handed the CPU's debug registers (at least once per vCPU; on one CPU
# again after each turn of the other) and then only its OS lock accesses,
# vCPU 1's two reads before its first write and the first write on each
# vCPU trap (8 sysreg exits; 33 when every access trapped); every other
# guest writes none, so nothing is ever loaded or saved for it.
dbg=$(printf '%s\n' "$out" | grep -m1 '^el2: debug registers')
if [ "$name" = debug ]; then
  grep -qE 'handed to a guest 0x0*([2-9a-f]|[1-9a-f][0-9a-f]+) times' <<<"$dbg" &&
    grep -qE '^el2: exits total=.* sysreg=8 ' <<<"$out" ||
    { printf '%s\n' "$dbg" "$(grep '^el2: exits total' <<<"$out")"; echo "FAIL: debug registers not handed over lazily"; exit 1; }
else
  grep -qE 'handed to a guest 0x0+ times, loaded 0x0+, saved 0x0+$' <<<"$dbg" ||
    { printf '%s\n' "$dbg"; echo "FAIL: debug registers loaded or saved for a guest that never used them"; exit 1; }
fi
# A guest with several vCPUs on two physical CPUs: the secondary CPU must
# have entered the guest (vCPU 1 ran there) and taken kicks from the other.
if [ "$cpus" -gt 1 ] && [ "$vcpus" -gt 1 ]; then
  printf '%s\n' "$out" | grep '^el2: physical cpu'
  grep -qE '^el2: physical cpu 0x0+1: guest entries 0x0*[1-9a-f][0-9a-f]*, kicks taken 0x0*[1-9a-f]' <<<"$out" ||
    { echo "FAIL: vCPU 1 did not run on physical CPU 1, or it was never kicked"; exit 1; }
  # One vCPU per CPU: no slice, and no tick unless the CPUs may starve
  # (the tick cost ~100 exits per second per CPU on hardware for nothing).
  if [ -z "${HV_QEMU_ICOUNT:-}" ] && [ "$vcpus" -le "$cpus" ] &&
    grep -qE '^el2: physical cpu .*slice ends 0x0*[1-9a-f]' <<<"$out"; then
    echo "FAIL: a CPU running a lone vCPU took a tick (slice ends) though its CPUs cannot starve"; exit 1
  fi
fi
echo "PASS: $name under EL2 ($cpus physical CPUs) matches its transcript"
