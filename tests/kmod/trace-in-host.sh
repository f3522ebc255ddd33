#!/bin/sh
# trace-in-host.sh pre|post: for el2-host.sh's HV_HOST_SCRIPT (README,
# "Event trace"): the EL2 trace on before the host's check or VMM runs;
# after it, the events of every VM but the host's (and the physical CPUs'
# idle, wake and kicks), the last 6000, printed between the markers
# scripts/hvtrace looks for in a console log (el2-host.sh's HV_KEEP_LOG).
D=/sys/kernel/debug/gzvm
case "$1" in
pre)
  mkdir -p /sys
  mount -t sysfs sysfs /sys
  mount -t debugfs debugfs /sys/kernel/debug
  echo 1 >$D/el2_trace_enable && echo "trace-in-host: el2 trace on"
  ;;
post)
  echo 0 >$D/el2_trace_enable
  cat $D/el2_trace >/el2.trace
  host=$(awk '$3 == "call" { print $4; exit }' /el2.trace)
  echo "--- el2 trace begin ---"
  grep '^#' /el2.trace
  awk -v h="$host" '!/^#/ && $4 != h' /el2.trace | tail -n 6000
  echo "--- el2 trace end ---"
  ;;
esac
