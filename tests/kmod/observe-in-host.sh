#!/bin/sh
# observe-in-host.sh pre|post: run inside the Linux host by el2-host.sh
# (HV_HOST_SCRIPT) for kmod.host.observe (tests/kmod/observe.sh checks
# every "observe: " line it prints).
#   pre   a VMM runs the spin guest (it never stops); once its VM has paged
#         memory in, print the VM's debugfs statistics, try rmmod (must be
#         refused: the VMM's fds hold the module), stop the VMM, check its
#         directory went with the VM; then switch GenieZone's tracepoints
#         and the EL2 trace on for the VMM el2-host.sh runs next (mmio)
#   post  switch both off; count the tracepoints' events; print the EL2
#         trace's entries and exits of every VM but the host's between
#         markers; rmmod (must now succeed) and /dev/gzvm must go
D=/sys/kernel/debug/gzvm
T=/sys/kernel/tracing
say() { echo "observe: $*"; }
[ -d $T/events ] || T=/sys/kernel/debug/tracing
case "$1" in
pre)
  mkdir -p /sys
  mount -t sysfs sysfs /sys
  mount -t debugfs debugfs /sys/kernel/debug
  mount -t tracefs tracefs /sys/kernel/tracing && T=/sys/kernel/tracing
  [ -f $D/el2_trace ] && [ -f $D/el2_trace_enable ] && say "debugfs gzvm has el2_trace"
  /gzvm-vmm /spin.bin >/spin.out 2>&1 &
  pid=$!
  i=0 dir=
  while [ $i -lt 30 ]; do # bounded: 30 s at most
    dir=$(ls -d $D/*-* 2>/dev/null | head -1)
    [ -n "$dir" ] && [ "$(cat "$dir/pinned_pages")" != 0 ] && break
    sleep 1
    i=$((i + 1))
  done
  say "vm dir ${dir#$D/} (pid $pid)"
  for f in protected_hyp_mem protected_shared_mem pinned_pages demand_paging; do
    say "$f $(cat "$dir/$f")"
  done
  rmmod gzvm 2>/dev/null
  say "rmmod with a VM open rc=$?"
  [ -c /dev/gzvm ] && say "/dev/gzvm still registered"
  kill $pid
  wait $pid
  say "spin vmm ended"
  [ -d "$dir" ] || say "vm dir removed with the VM"
  echo 1 >$T/events/geniezone/enable && say "tracepoints on"
  echo 1 >$D/el2_trace_enable && say "el2 trace on"
  ;;
post)
  echo 0 >$D/el2_trace_enable
  echo 0 >$T/events/geniezone/enable
  for ev in mtk_hypcall_enter mtk_hypcall_leave mtk_vcpu_exit; do
    say "tracepoint $ev $(grep -c " $ev: " $T/trace)"
  done
  say "tracepoint mmio exits $(grep -c 'mtk_vcpu_exit: vcpu exit_reason=MMIO(0x92920001)' $T/trace)"
  grep -m1 ' mtk_hypcall_leave: ' $T/trace | sed 's/^.*mtk_/observe: sample mtk_/'
  grep ' mtk_' $T/trace | sed -n '201,240s/^/observe: tp /p' # inside the RUN loop
  cat $D/el2_trace >/el2.trace
  host=$(awk '$3 == "call" { print $4; exit }' /el2.trace)
  say "host vm $host, el2 trace lines $(wc -l </el2.trace)"
  echo "--- observe trace begin ---"
  awk -v h="$host" '/^#/ || ($4 != h && ($3 == "exit" || $3 == "enter"))' /el2.trace
  echo "--- observe trace end ---"
  rmmod gzvm
  say "rmmod after the VMs closed rc=$?"
  [ -c /dev/gzvm ] || say "/dev/gzvm gone"
  ;;
esac
