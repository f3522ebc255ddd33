#!/usr/bin/env bash
# qemu.el2.trace: the EL2 event trace in guest mode (no host driver),
# dumped on the console at power-off with hvcore.trace=1.
#   mmio on 1 CPU: the transcript is still tests/guests/mmio.expected; the
#     dump parses (scripts/hvtrace summary and json), timestamps are
#     monotonic per CPU, each vCPU alternates enter/exit, and the guest's
#     seven GICD_IROUTER accesses are there as data-abort exits in program
#     order (tests/trace/trace-order.py).
#   sgi on 2 CPUs (2 vCPUs): both CPUs' rings hold exits, and the SGIs
#     between them show as kicks, idle periods and wake-ups.
# Without hvcore.trace nothing is dumped (the other qemu tests' output).
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
# Usage: el2_trace.sh SOURCE_DIR GUEST_DIR
set -uo pipefail
src=${1:?} guests=${2:?}
img=$("$src/scripts/el2-image.sh" "$src") || { echo "FAIL: el2-qemu build"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

run() { # run NAME CPUS VCPUS: console log in $work/NAME.log, dump in $work/NAME.trace
  timeout 30 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp "$2" -m 512M \
    ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
    -nic none -nographic -semihosting -kernel "$img" \
    -device loader,file="$guests/$1.bin",addr=0x50000000,force-raw=on \
    -append "hvcore.guest=0x50000000 hvcore.vcpus=$3 hvcore.trace=1${HV_QEMU_ICOUNT:+ hvcore.cpus_may_starve=1}" 2>&1 |
    head -c 1000000 | tr -d '\r' >"$work/$1.log"
  echo "${PIPESTATUS[0]}" >"$work/$1.rc"
  sed -n '/^--- el2 trace begin ---$/,/^--- el2 trace end ---$/p' "$work/$1.log" | sed '1d;$d' >"$work/$1.trace"
}

run mmio 1 1
check "mmio: QEMU exit status 0" test "$(cat "$work/mmio.rc")" -eq 0
sed -n '/^--- guest ---$/,/^--- guest exit/p' "$work/mmio.log" | sed '1d;$d' | grep -v '^el2: ' >"$work/transcript"
check "mmio: transcript unchanged by the trace" cmp -s "$work/transcript" "$src/tests/guests/mmio.expected"
exit_line=$(grep -n '^--- guest exit status' "$work/mmio.log" | head -1 | cut -d: -f1)
dump_line=$(grep -n '^--- el2 trace begin ---$' "$work/mmio.log" | head -1 | cut -d: -f1)
check "mmio: the dump comes after the guest's exit status" test "${exit_line:-0}" -gt 0 -a "${dump_line:-0}" -gt "${exit_line:-0}"
check "mmio: the dump gives the counter frequency" grep -qE '^# hvtrace freq=0x0*3b9aca0$' "$work/mmio.trace"
"$src/tests/trace/trace-order.py" "$work/mmio.trace" --vm 1 \
  --expect w:8006100,r:8006100,w:8006100,r:8006100,r:8006108,w:8006100,w:8006108 || fail=1
"$src/scripts/hvtrace" summary "$work/mmio.log" >"$work/sum" # the whole console log
check "mmio: hvtrace summary reads the dump" test $? -eq 0
check "mmio: the summary counts data aborts" grep -qE '^  dabt +[0-9]+ ' "$work/sum"
check "mmio: hvtrace json is valid JSON" \
  sh -c "'$src/scripts/hvtrace' json '$work/mmio.trace' | python3 -c 'import json,sys; json.load(sys.stdin)'"
head -8 "$work/sum"

run sgi 2 2
check "sgi: QEMU exit status 0" test "$(cat "$work/sgi.rc")" -eq 0
"$src/tests/trace/trace-order.py" "$work/sgi.trace" --vm 1 || fail=1
for cpu in 0 1; do
  check "sgi: CPU $cpu recorded exits" grep -qE "^$cpu [0-9a-f]+ exit " "$work/sgi.trace"
done
check "sgi: kicks recorded" grep -qE '^[01] [0-9a-f]+ kick ' "$work/sgi.trace"
check "sgi: idle periods and wake-ups recorded" \
  sh -c "grep -qE '^[01] [0-9a-f]+ idle ' '$work/sgi.trace' && grep -qE '^[01] [0-9a-f]+ wake ' '$work/sgi.trace'"
[ "$fail" -eq 0 ] || { tail -5 "$work/mmio.log"; exit 1; }
echo "PASS: EL2 trace dumped in guest mode"
