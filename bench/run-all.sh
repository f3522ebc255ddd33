#!/usr/bin/env bash
# run-all.sh BINDIR NAME...: runs each benchmark, writes BINDIR/NAME.json, prints them.
set -euo pipefail
dir=$1; shift
for name in "$@"; do
  "$dir/$name" > "$dir/$name.json"
  echo "== $name"; cat "$dir/$name.json"
done
