#!/usr/bin/env bash
# demo-el2.sh: the same contract guests at EL1 under the hypervisor at real
# EL2 (ports/el2-qemu on QEMU's virt board): builds the EL2 image, boots it
# once per guest (20 s timeout each) and shows the hypervisor's console and
# the guest's UART output, checked against tests/guests/<name>.expected. A
# guest with several vCPUs gets two physical CPUs (-smp 2): vCPU i runs on
# CPU i mod 2, and the per-CPU guest entries and kicks are shown.
set -uo pipefail
cd "$(dirname "$0")/.."
cmake --preset el2-qemu >/dev/null && cmake --build --preset el2-qemu -j "${HV_JOBS:-2}" >/dev/null ||
  { echo "el2-qemu build failed"; exit 1; }
cmake --build --preset dev --target contract_guests >/dev/null || exit 1
img=build/el2-qemu/ports/el2-qemu/hvcore-el2.bin
fails=0 first=1
for expected in tests/guests/*.expected; do
  name=$(basename "$expected" .expected)
  # NAME.vmm.expected: a transcript only gzvm-vmm produces (kmod tests);
  # NAME.el2.expected: the EL2 port's, where it differs from hvsim's (debug:
  # Unicorn raises no debug exceptions)
  case $name in *.*) continue ;; esac
  [ -f "tests/guests/$name.el2.expected" ] && expected=tests/guests/$name.el2.expected
  vcpus=1 mem="" bootargs=""
  if [ -f "tests/guests/$name.args" ]; then
    read -r -a args <"tests/guests/$name.args"
    for ((i = 0; i < ${#args[@]}; i++)); do
      [ "${args[i]}" = --vcpus ] && vcpus=${args[i + 1]}
      [ "${args[i]}" = --mem ] && mem=" hvcore.mem=${args[i + 1]%M}"
      if [ "${args[i]}" = -- ]; then bootargs=" -- ${args[*]:i+1}"; break; fi
    done
  fi
  cpus=1
  [ "$vcpus" -gt 1 ] && cpus=2
  echo "=== QEMU virt, EL2: hvcore-el2.bin + guest $name ($vcpus vCPU, $cpus physical CPU)"
  out=$(timeout 20 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp "$cpus" -m 512M \
        -nic none -nographic -semihosting -kernel "$img" \
        -device loader,file="build/dev/guests/$name.bin",addr=0x50000000,force-raw=on \
        -append "hvcore.guest=0x50000000 hvcore.vcpus=$vcpus$mem$bootargs" 2>&1 | head -c 16384 | tr -d '\r')
  rc=${PIPESTATUS[0]}
  if [ $first -eq 1 ]; then # the hypervisor's own boot log once
    printf '%s\n' "$out" | sed -n '1,/^el2 selftest/p' | sed 's/^/  # /'
    first=0
  fi
  # the hypervisor's own reports ("el2: ...") are not the guest's transcript
  guest_part=$(printf '%s\n' "$out" | sed -n '/^--- guest ---$/,/^--- guest exit/p' | sed '1d;$d')
  transcript=$(printf '%s\n' "$guest_part" | grep -v '^el2: ' || true)
  printf '%s\n' "$transcript" | sed 's/^/  | /'
  printf '%s\n' "$guest_part" | grep '^el2: ' | sed 's/^/  # /'
  printf '%s\n' "$out" | grep '^el2: physical cpu' | sed 's/^/  # /'
  if [ "$transcript" == "$(cat "$expected")" ] && [ "$rc" -eq 0 ]; then
    echo "  -> transcript matches $expected, exit status 0"
  else
    echo "  -> MISMATCH or exit status $rc"
    fails=$((fails + 1))
  fi
  echo
done
[ $fails -eq 0 ] && echo "all contract guests pass at EL2 under QEMU" || echo "$fails guest(s) failed at EL2"
exit $fails
