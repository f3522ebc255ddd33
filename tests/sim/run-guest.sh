#!/usr/bin/env bash
# run-guest.sh HVSIM GUEST.elf EXPECTED [ARGS_FILE]: run a contract guest
# under hvsim, compare its UART output with the expected transcript and
# require exit status 0. Prints at most a few lines on failure.
set -u
hvsim=$1 guest=$2 expected=$3 argsfile=${4:-}
args=()
if [ -n "$argsfile" ] && [ -f "$argsfile" ]; then
  read -r -a args <"$argsfile"
fi
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
timeout 60 "$hvsim" run "$guest" --max-insns 2000000000 "${args[@]}" >"$out" 2>"$err"
rc=$?
if ! cmp -s "$out" "$expected"; then
  echo "transcript differs from $expected:"
  diff "$expected" "$out" | head -20
  tail -5 "$err"
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  echo "hvsim exit status $rc (expected 0)"
  tail -5 "$err"
  exit 1
fi
echo "ok: $(wc -l <"$out") lines match"
