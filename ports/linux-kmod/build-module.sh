#!/usr/bin/env bash
# build-module.sh SRC_ROOT OUT_DIR [MODULE_SRC NAME]: builds gzvm.ko (or
# NAME.ko from the Kbuild directory MODULE_SRC, relative to SRC_ROOT, e.g.
# the test module tests/kmod/hostile hv_hostile) against Debian's arm64
# kernel headers (scripts/debian-arm64-fetch.sh headers: bookworm's 6.1, or
# the kernel HV_DEBIAN_KERNEL names: bookworm-backports, trixie).
# Kbuild writes next to the sources, so they are copied to OUT_DIR/src
# first. On success: OUT_DIR/NAME.ko and OUT_DIR/kabi (the kernel ABI the
# module was built for, e.g. 6.1.0-57-arm64; the boot test fetches that
# kernel). Output: the make log on failure, one summary line on success.
set -euo pipefail
root=$(cd "${1:?usage: build-module.sh SRC_ROOT OUT_DIR}" && pwd)
out=${2:?usage: build-module.sh SRC_ROOT OUT_DIR}
module_src=${3:-ports/linux-kmod/kernel} name=${4:-gzvm}
mkdir -p "$out/src"
out=$(cd "$out" && pwd)

eval "$("$root/scripts/debian-arm64-fetch.sh" headers)"
: "${HV_KERNEL_HEADERS:?}" "${HV_KABI:?}"

# Copy only what changed (keeps Kbuild's incremental build), drop stale files.
for f in "$root/$module_src"/*; do
  cmp -s "$f" "$out/src/$(basename "$f")" || cp "$f" "$out/src/"
done

# The compiler is bookworm's aarch64-linux-gnu-gcc (12) for every kernel
# (trixie's kernel was built with gcc 14, which this machine cannot run).
# Modules get no BTF (pahole is not needed; a module without BTF loads the
# same). When the kernel's compiler guaranteed a minimum function alignment
# (gcc 14's -fmin-function-alignment) that gcc 12 cannot, the module is
# built without ftrace call sites: ftrace with CALL_OPS writes a literal
# before every traced function and needs that alignment (a misaligned one is
# a BUG in ftrace_init_nop at load). Its functions are then not traceable by
# the function tracer; tracepoints are unaffected.
cc=aarch64-linux-gnu-gcc
kflags=(CC="$cc" CONFIG_DEBUG_INFO_BTF_MODULES=)
if grep -q '^CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y' "$HV_KERNEL_HEADERS/.config" &&
  ! "$cc" -fmin-function-alignment=8 -E -x c /dev/null >/dev/null 2>&1; then
  kflags+=(CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= CC_FLAGS_FTRACE=)
fi

start=$(date +%s.%N)
if ! make -s -C "$HV_KERNEL_HEADERS" M="$out/src" HV_CORE_INCLUDE="$root/core/include" \
  ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- "${kflags[@]}" -j2 modules >"$out/build.log" 2>&1; then
  tail -60 "$out/build.log"
  echo "build-module: FAILED against $HV_KABI headers ($HV_KERNEL_HEADERS)"
  exit 1
fi
cp "$out/src/$name.ko" "$out/$name.ko"
echo "$HV_KABI" >"$out/kabi"
vermagic=$(strings "$out/$name.ko" | sed -n 's/^vermagic=//p' | head -1)
case $vermagic in
  "$HV_KABI "*) ;;
  *) echo "build-module: vermagic '$vermagic' does not name $HV_KABI"; exit 1 ;;
esac
printf 'build-module: %s.ko for %s (%s bytes, %s s)\n' "$name" "$HV_KABI" \
  "$(stat -c %s "$out/$name.ko")" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')"
