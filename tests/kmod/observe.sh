#!/usr/bin/env bash
# kmod.host.observe: GenieZone's observability in the Linux host under the
# EL2 port. el2-host.sh boots the host and runs the mmio contract guest
# through gzvm-vmm (its transcript and the server's end state are checked
# there); observe-in-host.sh, around that run, exercises the driver's
# debugfs, tracepoints and module lifetime. Asserted here on the log:
#   - a running VM's debugfs statistics agree with its memory use: pinned
#     pages in whole 2 MiB blocks, the demand-paging counters' pages equal
#     to them, GET_STATISTICS' shared bytes the same pages, its hypervisor
#     bytes non-zero; the directory goes with the VM
#   - rmmod is refused while the VM is open and succeeds once it closed,
#     and then /dev/gzvm is gone (the server holds no VM, no host page:
#     el2-host.sh)
#   - the tracepoints fired: as many mtk_hypcall_leave as mtk_hypcall_enter,
#     mtk_vcpu_exit with MMIO exits by name; scripts/hvtrace reads them
#   - the EL2 trace read through debugfs holds the mmio guest's entries and
#     exits, per-CPU timestamps monotonic, and its seven GICD_IROUTER
#     accesses as data-abort exits in program order (trace-order.py)
# Usage: observe.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM GUEST_DIR
set -uo pipefail
root=${1:?} moddir=${2:?} finit=${3:?} check_bin=${4:?} vmm=${5:?} guests=${6:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HV_KEEP_LOG=$work/log HV_HOST_SCRIPT=$root/tests/kmod/observe-in-host.sh \
  HV_HOST_FILES=$guests/spin.bin HV_HOST_SCRIPT_VMS=1 \
  "$root/tests/kmod/el2-host.sh" "$root" "$moddir" "$finit" "$check_bin" "$vmm" "$guests" mmio
rc=$?
log=$work/log
[ -f "$log" ] || { echo "FAIL no console log"; exit 1; }
fail=0
check() { if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
val() { sed -n "s/^observe: $1 //p" "$log" | head -1; }
grep '^observe: ' "$log" | head -30

check "el2-host.sh checks passed (mmio transcript, server end state)" test "$rc" -eq 0
check "debugfs gzvm/el2_trace and el2_trace_enable exist" grep -q '^observe: debugfs gzvm has el2_trace$' "$log"
pinned=$(val pinned_pages) shared=$(val protected_shared_mem) hyp=$(val protected_hyp_mem)
read -r _ faults _ pages _ relinq <<<"$(val demand_paging)"
check "VM directory named <pid>-<vmid>" grep -qE '^observe: vm dir [0-9]+-[0-9]+ ' "$log"
check "pinned_pages ($pinned) is whole 2 MiB blocks" test "${pinned:-0}" -gt 0 -a $((${pinned:-1} % 512)) -eq 0
check "demand_paging: $faults faults mapped $pages pages = pinned, none relinquished" \
  test "${faults:-0}" -ge 1 -a "${pages:--1}" = "$pinned" -a "${relinq:--1}" = 0
check "protected_shared_mem ($shared) = pinned pages x 4096" test "${shared:--1}" = $((${pinned:-0} * 4096))
check "protected_hyp_mem ($hyp) is non-zero" test "${hyp:-0}" -gt 0
check "rmmod refused while the VM was open" grep -qE '^observe: rmmod with a VM open rc=[1-9]' "$log"
check "/dev/gzvm stayed registered" grep -q '^observe: /dev/gzvm still registered$' "$log"
check "the VM's directory went with it" grep -q '^observe: vm dir removed with the VM$' "$log"
check "tracepoints and EL2 trace switched on" \
  sh -c "grep -q '^observe: tracepoints on$' '$log' && grep -q '^observe: el2 trace on$' '$log'"
enter=$(val "tracepoint mtk_hypcall_enter") leave=$(val "tracepoint mtk_hypcall_leave")
check "mtk_hypcall_enter/leave fired in pairs ($enter, $leave)" test "${enter:-0}" -gt 0 -a "$enter" = "$leave"
check "mtk_vcpu_exit fired ($(val "tracepoint mtk_vcpu_exit")), MMIO by name ($(val "tracepoint mmio exits"))" \
  test "$(val "tracepoint mmio exits")" -gt 0
check "mtk_hypcall_leave's fields as GenieZone's (id=0x... invalid=N)" \
  grep -qE '^observe: sample mtk_hypcall_leave: id=0xfb001[0-9a-f]{3} invalid=[01]$' "$log"
sed -n 's/^observe: tp //p' "$log" >"$work/tp.txt"
"$root/scripts/hvtrace" summary "$work/tp.txt" >"$work/tp.sum"
check "hvtrace reads the tracepoints' lines (RUN hypercalls, MMIO exits counted)" \
  sh -c "grep -qE '^  run +[1-9]' '$work/tp.sum' && grep -qE '^  MMIO +[1-9]' '$work/tp.sum'"
sed -n '/^--- observe trace begin ---$/,/^--- observe trace end ---$/p' "$log" | sed '1d;$d' >"$work/el2.trace"
"$root/tests/trace/trace-order.py" "$work/el2.trace" --vm last \
  --expect w:8006100,r:8006100,w:8006100,r:8006100,r:8006108,w:8006100,w:8006108 || fail=1
check "rmmod accepted once the VMs closed" grep -q '^observe: rmmod after the VMs closed rc=0$' "$log"
check "/dev/gzvm gone after rmmod" grep -q '^observe: /dev/gzvm gone$' "$log"
[ "$fail" -eq 0 ] || exit 1
echo "observe: all checks passed"
