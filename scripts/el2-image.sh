#!/usr/bin/env bash
# el2-image.sh SRC: prints the path of the EL2 port's image
# (build/el2-qemu/.../hvcore-el2.bin), building it first when it is missing
# or older than a C/assembly source it is made of (core/, ports/el2/,
# ports/el2-qemu/). Exit 1, with cmake's output on stderr, if the build
# fails. Used by the qemu and kmod test scripts and linux-guest.sh.
set -uo pipefail
src=${1:?usage: el2-image.sh SRC}
img=$src/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin
if [ ! -f "$img" ] ||
  [ -n "$(find "$src/core" "$src/ports/el2" "$src/ports/el2-qemu" -newer "$img" -name '*.[chS]' | head -1)" ]; then
  (cd "$src" && cmake --preset el2-qemu >/dev/null && cmake --build --preset el2-qemu -j2 >/dev/null) >&2 ||
    exit 1
fi
echo "$img"
