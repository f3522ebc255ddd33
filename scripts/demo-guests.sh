#!/usr/bin/env bash
# demo-guests.sh: build hvsim and the contract guests (dev preset), then run
# every guest that has a transcript under hvsim, showing its UART output and
# whether it matches tests/guests/<name>.expected. scripts/demo.sh runs this.
set -uo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev >/dev/null || exit 1
cmake --build --preset dev -j "${HV_JOBS:-2}" --target hvsim contract_guests >/dev/null || exit 1
hvsim=build/dev/sim/hvsim
fails=0
for expected in tests/guests/*.expected; do
  name=$(basename "$expected" .expected)
  # NAME.vmm.expected: a transcript only gzvm-vmm produces (kmod tests)
  case $name in *.*) continue ;; esac
  args=()
  [ -f "tests/guests/$name.args" ] && read -r -a args <"tests/guests/$name.args"
  image=build/dev/guests/$name.elf
  [ "$name" = dtboot ] && image=build/dev/guests/$name.bin # the boot protocol alone
  echo "=== hvsim run $image ${args[*]}"
  out=$(timeout 60 "$hvsim" run "$image" "${args[@]}" 2>/tmp/hvsim-demo.$$)
  rc=$?
  printf '%s\n' "$out" | sed 's/^/  | /'
  grep -E '^  |^hvsim:' /tmp/hvsim-demo.$$ | grep -v '^hvsim: exits by reason' | sed 's/^/  # /'
  if [ "$out" == "$(cat "$expected")" ] && [ $rc -eq 0 ]; then
    echo "  -> transcript matches $expected, exit status 0"
  else
    echo "  -> MISMATCH or exit status $rc"
    fails=$((fails + 1))
  fi
  echo
done
rm -f /tmp/hvsim-demo.$$
[ $fails -eq 0 ] && echo "all contract guests pass under hvsim" || echo "$fails guest(s) failed"
exit $fails
