#!/usr/bin/env bash
# The test command: installs what is missing, then runs every suite.
#   fuzz  (clang, libFuzzer + ASan/UBSan): every fuzz target for HV_FUZZ_SECONDS (60)
#   asan  (ASan + UBSan, no recover): every host test
#   release (-O3, -Werror): everything builds (~45 s), then every benchmark runs
#         once in quick mode; its JSON keys are checked and every number must be
#         finite (no timings judged; ~25 s, the Linux boots most of it)
#   coverage, kmod: build (every preset README names builds here; the
#         el2-qemu and el2-mediatek images are built by their qemu tests)
#   dev   (debug, -Werror): every label - unit, sim, fuzz (seed replay), qemu, kmod -
#         plus the format, purity, cross-compile and cppcheck checks
# The last thing printed is the dev suite's CTest summary.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${HV_FUZZ_SECONDS:-60}
jobs=${HV_JOBS:-2}

bash scripts/bootstrap.sh

step() { printf '\n==== %s ====\n' "$*"; }

step "fuzz preset: libFuzzer targets, ${fuzz_seconds} s each"
cmake --preset fuzz -DHV_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build --preset fuzz -j "$jobs"
ctest --preset fuzz -j "$jobs"

step "asan preset: ASan + UBSan over every host test"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" -LE 'qemu|kmod'

step "release preset: every benchmark once, quick mode (keys and finite values)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
cmake --build --preset release -j "$jobs" --target bench-quick

step "coverage and kmod presets: build"
cmake --preset coverage >/dev/null
cmake --build --preset coverage -j "$jobs"
cmake --preset kmod >/dev/null
cmake --build --preset kmod -j "$jobs"

step "dev preset: every label"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"
