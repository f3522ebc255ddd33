#!/usr/bin/env bash
# check-build.sh SRC_ROOT WORK: CTest fuzz.ossfuzz.build. Runs the OSS-Fuzz
# build (build.sh) here with the variables OSS-Fuzz sets for a libFuzzer
# ASan build, then replays every target's seed corpus zip through the built
# binary (-runs=0: each input once). Fails on a build error, a missing
# target or corpus, or any crash.
set -euo pipefail
root=${1:?usage: check-build.sh SRC_ROOT WORK}
work=${2:?}
rm -rf "$work"
mkdir -p "$work/out" "$work/build"
export OUT=$work/out WORK=$work/build SRC=$root
export CC=clang
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
bash "$root/tests/fuzz/oss-fuzz/build.sh" | tail -5
n=0
for target in "$root"/tests/fuzz/fuzz_*.c; do
  name=$(basename "$target" .c)
  [ -x "$OUT/$name" ] || { echo "check-build: $name was not built"; exit 1; }
  [ -f "$OUT/${name}_seed_corpus.zip" ] || { echo "check-build: no ${name}_seed_corpus.zip"; exit 1; }
  mkdir -p "$work/seeds/$name"
  unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$work/seeds/$name"
  dict=()
  [ -f "$OUT/$name.dict" ] && dict=(-dict="$OUT/$name.dict")
  if ! "$OUT/$name" -runs=0 "${dict[@]}" "$work/seeds/$name" >"$work/$name.log" 2>&1; then
    tail -20 "$work/$name.log"
    echo "check-build: $name failed on its seeds"
    exit 1
  fi
  n=$((n + 1))
done
echo "check-build: $n targets built by build.sh, every seed corpus replayed"
