#!/usr/bin/env bash
# vmm-errors.sh VMM: the VMM (built for this machine) on the ways it must
# stop before running anything: bad usage (64), no device (69, with the
# message that explains why), a file that is not a gzvm device (69), and an
# unreadable image (66) once the device opened.
set -uo pipefail
vmm=${1:?usage: vmm-errors.sh VMM}
fail=0
expect() { # expect DESC STATUS PATTERN -- ARGS...
  local desc=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$vmm" "$@" 2>&1 | head -c 4000)
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq "$want" ] && grep -qF -- "$pattern" <<<"$out"; then
    echo "ok   $desc"
  else
    echo "FAIL $desc: status $rc (want $want), output:"
    echo "$out" | head -5
    fail=1
  fi
}
expect "no image: usage" 64 "usage: gzvm-vmm" --
expect "two images: usage" 64 "usage: gzvm-vmm" -- a b
expect "bad --vcpus: usage" 64 "usage: gzvm-vmm" -- --vcpus 99 img
expect "--block not a power of two: usage" 64 "usage: gzvm-vmm" -- --block 24 img
expect "--block too small: usage" 64 "usage: gzvm-vmm" -- --block 4 img
expect "--block too large: usage" 64 "usage: gzvm-vmm" -- --block 4096 img
expect "--probe-page without --protected: usage" 64 "usage: gzvm-vmm" -- --probe-page 0x40000000 img
expect "missing device" 69 \
  "/nonexistent/gzvm: No such file or directory: the gzvm module is not loaded" \
  -- --dev /nonexistent/gzvm img
expect "not a gzvm device" 69 "CHECK_EXTENSION(VM_GPA_SIZE)" -- --dev /dev/null "$0"
expect "empty image" 65 "/dev/null: 0 bytes" -- --dev /dev/null /dev/null
expect "unreadable image" 66 "/nonexistent/guest: No such file or directory" \
  -- --dev /dev/null /nonexistent/guest
exit $fail
