#!/usr/bin/env bash
# qemu.guest.<name>: run a contract guest (tests/guests/) at EL1 under the
# EL2 image on QEMU virt; its UART transcript must equal
# tests/guests/<name>.expected (the same file hvsim is held to) and the run
# must end with the guest's exit status 0. The guest image is put in RAM by
# QEMU's generic loader; -append tells the hypervisor where.
# Usage: el2_guest.sh SOURCE_DIR GUEST_BIN NAME
set -uo pipefail
src=$1 bin=$2 name=$3
img=$src/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin
if [ ! -f "$img" ] || [ -n "$(find "$src/core" "$src/ports/el2-qemu" -newer "$img" -name '*.[chS]' | head -1)" ]; then
  (cd "$src" && cmake --preset el2-qemu >/dev/null && cmake --build --preset el2-qemu -j2 >/dev/null) ||
    { echo "FAIL: el2-qemu build"; exit 1; }
fi
[ -f "$bin" ] || { echo "FAIL: no guest binary $bin"; exit 1; }
# The hvsim options a guest needs (tests/guests/<name>.args), for the port.
vcpus=1
if [ -f "$src/tests/guests/$name.args" ]; then
  read -r -a args <"$src/tests/guests/$name.args"
  for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[i]}" = --vcpus ] && vcpus=${args[i + 1]}
  done
fi
out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -m 512M \
      -nic none -nographic -semihosting -kernel "$img" \
      -device loader,file="$bin",addr=0x50000000,force-raw=on \
      -append "hvcore.guest=0x50000000 hvcore.vcpus=$vcpus" 2>&1 | head -c 16384 | tr -d '\r')
rc=${PIPESTATUS[0]}
transcript=$(printf '%s\n' "$out" | sed -n '/^--- guest ---$/,/^--- guest exit/p' | sed '1d;$d')
if [ "$transcript" != "$(cat "$src/tests/guests/$name.expected")" ]; then
  printf '%s\n' "$out" | tail -40
  echo "FAIL: transcript differs from tests/guests/$name.expected:"
  diff <(printf '%s\n' "$transcript") "$src/tests/guests/$name.expected" | head -20
  exit 1
fi
[ "$rc" -eq 0 ] || { printf '%s\n' "$out" | tail -5; echo "FAIL: QEMU exit status $rc"; exit 1; }
echo "PASS: $name under EL2 matches its transcript"
