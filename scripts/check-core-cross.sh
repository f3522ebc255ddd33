#!/usr/bin/env bash
# check-core-cross.sh DIR: every core/ source compiles for AArch64 with the
# cross compiler, freestanding, with the EL2 flags and warnings as errors.
set -u
dir=${1:?usage: check-core-cross.sh DIR}
cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
command -v "$cc" >/dev/null || { echo "cross: $cc not installed (run scripts/bootstrap.sh)"; exit 1; }
flags=(-std=gnu11 -ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align -O2
       -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes "-I$dir/include")
fail=0 n=0
while IFS= read -r f; do
  n=$((n + 1))
  if ! out=$("$cc" "${flags[@]}" -c "$f" -o /dev/null 2>&1); then
    echo "cross: FAILED $f"; echo "$out" | head -20; fail=1
  fi
done < <(find "$dir" -name '*.c' | sort)
[ $fail -eq 0 ] && echo "cross: $n core files compile for aarch64 freestanding"
exit $fail
