#!/usr/bin/env bash
# soak-host-storm.sh SEEDS SECONDS: the hostile-host storm (tests/kmod/storm,
# hv_storm.ko) for longer than CI runs it. SEEDS: a comma list or a range
# (e.g. 1,5,9 or 1-40); SECONDS: storm time per seed. Builds the dev
# preset's module, storm module and helpers, then boots Debian's kernel as
# the host under the EL2 port (tests/kmod/el2-host.sh) once per group of up
# to 8 seeds; each boot runs the create/destroy cycles, then the storm for
# every seed of its group, and must pass every el2-host check (no VM left,
# every page the host's, the hypervisor's memory unreadable, the pool's
# invariants). Prints one line per boot; exits non-zero if any failed.
set -euo pipefail
seeds_arg=${1:?usage: soak-host-storm.sh SEEDS SECONDS}
secs=${2:?usage: soak-host-storm.sh SEEDS SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || { echo "soak: SECONDS must be a positive integer"; exit 2; }
seeds=()
IFS=, read -ra parts <<<"$seeds_arg"
for p in "${parts[@]}"; do
  if [[ $p =~ ^([0-9]+)-([0-9]+)$ ]]; then
    for ((s = BASH_REMATCH[1]; s <= BASH_REMATCH[2]; s++)); do seeds+=("$s"); done
  elif [[ $p =~ ^[0-9]+$ ]]; then
    seeds+=("$p")
  else
    echo "soak: bad seed '$p'"; exit 2
  fi
done
[ "${#seeds[@]}" -gt 0 ] || { echo "soak: no seeds"; exit 2; }

cd "$root"
cmake --preset dev >/dev/null
cmake --build --preset dev -j2 >/dev/null
out=$root/build/dev/kmod
ports/linux-kmod/build-module.sh "$root" "$out/module" >/dev/null
ports/linux-kmod/build-module.sh "$root" "$out/storm" tests/kmod/storm hv_storm >/dev/null

fail=0
for ((i = 0; i < ${#seeds[@]}; i += 8)); do
  group=$(IFS=,; echo "${seeds[*]:i:8}")
  n=$(tr ',' '\n' <<<"$group" | wc -l)
  log=$(mktemp)
  start=$(date +%s)
  if HV_STORM_KO=$out/storm/hv_storm.ko HV_STORM_ARGS="seeds=$group seconds=$secs cycles=2000" \
    HV_QEMU_TIMEOUT=$((150 + n * secs * 2)) \
    tests/kmod/el2-host.sh "$root" "$out/module" "$out/finit-module" "$out/gzvm-host-check" >"$log" 2>&1; then
    verdict=PASS
  else
    verdict=FAIL
    fail=1
  fi
  echo "soak: seeds $group, $secs s each: $verdict in $(($(date +%s) - start)) s"
  grep -E '^kmod-test: storm: (seed|PASS|FAIL)|^FAIL ' "$log" | head -20 || true
  rm -f "$log"
done
exit $fail
