#!/usr/bin/env bash
# run-all.sh BINDIR NAME...: runs each benchmark, writes BINDIR/NAME.json, prints them,
# then checks every output (keys present, numbers finite: bench/check-json.py)
# and writes BINDIR/report.html (bench/report.py).
# HV_BENCH_QUICK=1: each bench once, short batches (a check, not a measurement).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1; shift
files=()
for name in "$@"; do
  "$dir/$name" > "$dir/$name.json"
  echo "== $name"; cat "$dir/$name.json"
  files+=("$dir/$name.json")
done
python3 "$here/check-json.py" "${files[@]}"
python3 "$here/report.py" --dir "$dir"
