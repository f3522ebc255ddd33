#!/bin/bash -eu
# SPDX-License-Identifier: Apache-2.0
# Builds every fuzz target (tests/fuzz/fuzz_*.c) the way OSS-Fuzz and
# ClusterFuzzLite do: with their $CC, $CFLAGS and $LIB_FUZZING_ENGINE, into
# $OUT, each with <target>_seed_corpus.zip from tests/fuzz/corpus/<target>
# and <target>.dict where tests/fuzz/dict/<target>.dict exists. No CMake,
# no Criterion, no Unicorn: the core, the sim's register file and the test
# page pool are all a target needs, plus the sources and libraries its own
# "hv-fuzz-build:" line names (a target whose library is missing is left
# out, and said so). Run by CTest fuzz.ossfuzz.build with those variables
# set on this machine.
#
#   SRC=/path/containing/hvcore OUT=/out CC=clang CFLAGS=... \
#     LIB_FUZZING_ENGINE=-fsanitize=fuzzer tests/fuzz/oss-fuzz/build.sh
root=$(cd "$(dirname "$0")/../../.." && pwd)
: "${OUT:?}" "${CC:?}" "${LIB_FUZZING_ENGINE:?}"
CFLAGS=${CFLAGS:-}
# Oracles and byte loops get no coverage feedback (tests/fuzz/coverage-ignore.txt),
# when the compiler takes the list without complaint.
ignore="-fsanitize-coverage-ignorelist=$root/tests/fuzz/coverage-ignore.txt"
# shellcheck disable=SC2086
if echo 'int x;' | $CC $CFLAGS -Werror "$ignore" -x c -c - -o /dev/null 2>/dev/null; then
  CFLAGS="$CFLAGS $ignore"
fi
work=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$work/obj"

incs=(-I"$root/core/include" -I"$root/sim/include" -I"$root/tests/support")
common=()
while IFS= read -r src; do
  obj="$work/obj/$(echo "${src#"$root"/}" | tr / _).o"
  # shellcheck disable=SC2086
  $CC $CFLAGS -std=gnu11 "${incs[@]}" -c "$src" -o "$obj"
  common+=("$obj")
done < <(find "$root/core" -name '*.c' | sort; echo "$root/sim/arch/arch_sim.c"; echo "$root/tests/support/test_pool.c")

built=0
for target in "$root"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$target" .c)
  line=$(grep -m1 '^/\* hv-fuzz-build:' "$target" || true)
  extra=() libs=() skip=""
  for s in $(sed -n 's/.*sources=\([^ ]*\).*/\1/p' <<<"$line" | tr , ' '); do
    extra+=("$root/$s")
  done
  for l in $(sed -n 's/.*libs=\([^ ]*\).*/\1/p' <<<"$line" | tr , ' '); do
    if echo 'int main(void){return 0;}' | $CC -x c - -o "$work/probe" "-l$l" 2>/dev/null; then
      libs+=("-l$l")
    else
      skip=$l
    fi
  done
  if [ -n "$skip" ]; then
    echo "build.sh: $name left out: no lib$skip"
    continue
  fi
  # shellcheck disable=SC2086
  $CC $CFLAGS -std=gnu11 "${incs[@]}" "$target" "${extra[@]}" "${common[@]}" \
    $LIB_FUZZING_ENGINE "${libs[@]}" -o "$OUT/$name"
  corpus=$root/tests/fuzz/corpus/$name
  if [ -d "$corpus" ]; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    (cd "$corpus" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
  [ -f "$root/tests/fuzz/dict/$name.dict" ] && cp "$root/tests/fuzz/dict/$name.dict" "$OUT/$name.dict"
  built=$((built + 1))
done
echo "build.sh: $built fuzz targets in $OUT"
