#!/usr/bin/env bash
# run-fuzzer.sh TARGET SECONDS WORK_CORPUS SEED_CORPUS
# Runs a libFuzzer target for SECONDS; new inputs go to WORK_CORPUS, the
# committed seeds are read only. Output is capped; a crash fails the test and
# leaves the reproducer in the work directory.
set -u
target=$1 seconds=$2 work=$3 seeds=$4
mkdir -p "$work" "$work/artifacts"
log="$work/fuzz.log"
"$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts/" "$work" "$seeds" >"$log" 2>&1
rc=$?
tail -n 25 "$log"
exit $rc
