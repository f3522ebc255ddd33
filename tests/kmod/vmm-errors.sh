#!/usr/bin/env bash
# vmm-errors.sh VMM: the VMM (built for this machine) on the ways it must
# stop before running anything: bad usage (64), no device (69, with the
# message that explains why), a file that is not a gzvm device (69), an
# unreadable image or disk (66) and a kernel that is not an arm64 Image
# (65) once the device opened.
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
expect "IMAGE and --kernel: usage" 64 "usage: gzvm-vmm" -- --kernel k img
expect "--initrd without --kernel: usage" 64 "usage: gzvm-vmm" -- --initrd i img
expect "--cmdline and --: usage" 64 "usage: gzvm-vmm" -- --cmdline x img -- y
expect "two --cmdline: usage" 64 "usage: gzvm-vmm" -- --cmdline x --cmdline y img
expect "--mem with a bad suffix: usage" 64 "usage: gzvm-vmm" -- --mem 32K img
expect "--mem 0: usage" 64 "usage: gzvm-vmm" -- --mem 0M img
expect "--mem too large: usage" 64 "usage: gzvm-vmm" -- --mem 1025G img
expect "bootargs too long: usage" 64 "usage: gzvm-vmm" -- img -- "$(head -c 1100 /dev/zero | tr '\0' x)"
expect "image after --: no image, usage" 64 "usage: gzvm-vmm" -- -- img
expect "--ro without --disk: usage" 64 "usage: gzvm-vmm" -- --ro img
expect "two disks: usage" 64 "usage: gzvm-vmm" -- --disk a --disk b img
expect "missing device" 69 \
  "/nonexistent/gzvm: No such file or directory: the gzvm module is not loaded" \
  -- --dev /nonexistent/gzvm img
expect "not a gzvm device" 69 "CHECK_EXTENSION(VM_GPA_SIZE)" -- --dev /dev/null "$0"
expect "empty image" 65 "/dev/null: 0 bytes" -- --dev /dev/null /dev/null
expect "--mem 32M, --cmdline with an image: accepted up to the device" 69 "CHECK_EXTENSION(VM_GPA_SIZE)" \
  -- --dev /dev/null --mem 32M --cmdline "a b" "$0"
expect "-- BOOTARGS after the image: accepted up to the device" 69 "CHECK_EXTENSION(VM_GPA_SIZE)" \
  -- --dev /dev/null --mem 1G "$0" -- a b
expect "unreadable image" 66 "/nonexistent/guest: No such file or directory" \
  -- --dev /dev/null /nonexistent/guest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 1000 /dev/zero >"$tmp/odd.img"
head -c 4096 /dev/zero >"$tmp/disk.img"
expect "missing disk" 66 "/nonexistent/disk: No such file or directory" \
  -- --dev /dev/null --disk /nonexistent/disk "$0"
expect "disk not whole sectors" 66 "odd.img: not a regular file of whole 512-byte sectors" \
  -- --dev /dev/null --disk "$tmp/odd.img" "$0"
expect "kernel not an arm64 Image" 65 "not an arm64 Linux Image" \
  -- --dev /dev/null --disk "$tmp/disk.img" --kernel "$0"
expect "missing initramfs" 66 "/nonexistent/initrd: No such file or directory" \
  -- --dev /dev/null --kernel "$0" --initrd /nonexistent/initrd
exit $fail
