#!/usr/bin/env bash
# cli-errors.sh HVSIM GUEST_DIR: hvsim's command line and its exit statuses.
set -u
hvsim=$1 dir=$2
fail=0
expect() { # expect STATUS DESCRIPTION ARGS...
  local want=$1 what=$2; shift 2
  timeout 30 "$hvsim" "$@" >/dev/null 2>&1
  local rc=$?
  if [ "$rc" -ne "$want" ]; then echo "FAIL: $what: exit $rc, expected $want"; fail=1; fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '\x7fELF\x02\x01\x01' >"$tmp/trunc.elf"
: >"$tmp/empty.bin"
expect 64 "no arguments"
expect 64 "unknown command" walk "$dir/hello.elf"
expect 64 "unknown option" run "$dir/hello.elf" --fast
expect 64 "bad --mem" run "$dir/hello.elf" --mem 3M
expect 64 "bad --mem suffix" run "$dir/hello.elf" --mem 64Q
expect 64 "bad --vcpus" run "$dir/hello.elf" --vcpus 0
expect 64 "too many --vcpus" run "$dir/hello.elf" --vcpus 9
expect 64 "bad --trace" run "$dir/hello.elf" --trace all
expect 64 "bad --max-insns" run "$dir/hello.elf" --max-insns -5
expect 66 "missing file" run "$tmp/none.elf"
expect 66 "a directory" run "$tmp"
expect 64 "--mem beyond what the machine can build" run "$dir/hello.elf" --mem 64G
expect 64 "--mem just beyond 16G" run "$dir/hello.elf" --mem 16386M
expect 0 "--mem 16G" run "$dir/hello.elf" --mem 16G
expect 65 "truncated ELF" run "$tmp/trunc.elf"
expect 65 "empty image" run "$tmp/empty.bin"
head -c 3145728 /dev/zero >"$tmp/big.bin"
expect 65 "image larger than RAM" run "$tmp/big.bin" --mem 2M
# The last 64 KiB of RAM hold the guest's device tree (boot protocol).
{ cat "$dir/hello.bin"; head -c $((2097152 - 65536)) /dev/zero; } | head -c $((2097152 - 65536)) >"$tmp/fits.bin"
expect 0 "image up to the device tree" run "$tmp/fits.bin" --mem 2M
head -c $((2097152 - 65536 + 8)) /dev/zero >"$tmp/into_dt.bin"
expect 65 "image reaching into the device tree" run "$tmp/into_dt.bin" --mem 2M
expect 0 "bootargs after --" run "$dir/hello.elf" -- console=ttyAMA0 "two words"
# ELF whose only segment lies outside guest RAM, and one with a segment
# running past the end of the file: both refused.
python3 - "$dir/hello.elf" "$tmp" <<'PY'
import struct, sys
img = bytearray(open(sys.argv[1], 'rb').read())
phoff, = struct.unpack_from('<Q', img, 0x20)
phnum, = struct.unpack_from('<H', img, 0x38)
for i in range(phnum):
    off = phoff + i * 56
    if struct.unpack_from('<I', img, off)[0] == 1:  # PT_LOAD
        bad = bytearray(img)
        struct.pack_into('<QQ', bad, off + 16, 0x1000, 0x1000)  # p_vaddr, p_paddr
        open(sys.argv[2] + '/outside.elf', 'wb').write(bad)
        bad = bytearray(img)
        struct.pack_into('<Q', bad, off + 32, 1 << 40)  # p_filesz
        open(sys.argv[2] + '/pastfile.elf', 'wb').write(bad)
        bad = bytearray(img)
        struct.pack_into('<Q', bad, 0x18, struct.unpack_from('<Q', img, 0x18)[0] + 2)
        open(sys.argv[2] + '/misaligned.elf', 'wb').write(bad)
        # A second PT_LOAD (the program header table's last entry, made
        # one) over the first segment's memory.
        last = phoff + (phnum - 1) * 56
        bad = bytearray(img)
        bad[last:last + 56] = img[off:off + 56]
        vaddr, paddr = struct.unpack_from('<QQ', img, off + 16)
        struct.pack_into('<QQ', bad, last + 16, vaddr + 0x10, paddr + 0x10)
        open(sys.argv[2] + '/overlap.elf', 'wb').write(bad)
        break
PY
expect 65 "overlapping segments" run "$tmp/overlap.elf"
grep -q "overlap" <<<"$(timeout 30 "$hvsim" run "$tmp/overlap.elf" 2>&1)" ||
  { echo "FAIL: overlapping segments not reported as such"; fail=1; }
expect 65 "misaligned entry" run "$tmp/misaligned.elf"
grep -q "not word aligned" <<<"$(timeout 30 "$hvsim" run "$tmp/misaligned.elf" 2>&1)" ||
  { echo "FAIL: a misaligned entry not reported as such"; fail=1; }
expect 65 "segment outside RAM" run "$tmp/outside.elf"
expect 65 "segment past the file" run "$tmp/pastfile.elf"
expect 124 "instruction limit" run "$dir/spin.elf" --max-insns 1000000
# Killed by a signal: the guest's output so far is not lost, not even the
# partial line after its first (written at the newline), and the status
# says the signal (128 + 15).
"$hvsim" run "$dir/spin.elf" >"$tmp/killed.out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/killed.out" ] && break; sleep 0.1; done
sleep 0.3 # the guest prints its partial line right after, then only spins
kill -TERM $pid; wait $pid; rc=$?
[ "$rc" -eq 143 ] || { echo "FAIL: SIGTERM: exit $rc, expected 143"; fail=1; }
[ "$(cat "$tmp/killed.out")" = $'spinning\npartial' ] ||
  { echo "FAIL: output of a killed run lost: '$(cat "$tmp/killed.out")'"; fail=1; }
# A vCPU alone in a fault loop at its vectors is stopped: guest fault; one
# that powers itself off (CPU_OFF, no SYSTEM_OFF): every vCPU off. The EL2
# port stops with the same statuses (tests/qemu/el2_stops.sh).
expect 125 "fault loop in the vectors" run "$dir/h_vecloop.elf" --vcpus 1
out=$(timeout 30 "$hvsim" run "$dir/h_vecloop.elf" --vcpus 1 2>&1)
grep -q "vcpu0 stopped: exception loop in its vectors" <<<"$out" ||
  { echo "FAIL: no report of the fault loop"; fail=1; }
# movz x0, #2; movk x0, #0x8400, lsl #16 (PSCI CPU_OFF); hvc #0; b .
printf '\x40\x00\x80\xd2\x00\x80\xb0\xf2\x02\x00\x00\xd4\x00\x00\x00\x14' >"$tmp/cpu_off.bin"
expect 126 "every vCPU off" run "$tmp/cpu_off.bin"
expect 0 "raw image" run "$dir/hello.bin"
expect 0 "options accepted" run "$dir/hello.elf" --mem 64M --vcpus 2 --trace exits
out=$(timeout 30 "$hvsim" run "$dir/hello.elf" --trace exits 2>&1 >/dev/null)
grep -q "hvc" <<<"$out" || { echo "FAIL: --trace exits printed no hvc exit"; fail=1; }
grep -q "exits by reason" <<<"$out" || { echo "FAIL: no statistics"; fail=1; }
# Demand paging happened: the paging guest's first touches were stage-2
# faults answered by the host with whole 2 MiB blocks (512 pages).
st=$(timeout 30 "$hvsim" run "$dir/paging.elf" 2>&1 >/dev/null)
faults=$(sed -n 's/^ *stage-2 fault (paging) *//p' <<<"$st")
pages=$(sed -n 's/^ *pages given on demand *//p' <<<"$st")
if grep -q "leaked" <<<"$st"; then echo "FAIL: $(grep leaked <<<"$st")"; fail=1; fi
if [ "${faults:-0}" -lt 4 ] || [ "${pages:-0}" -lt 2048 ]; then
  echo "FAIL: paging guest: ${faults:-0} stage-2 faults, ${pages:-0} pages given"; fail=1
fi
# Deterministic: two runs of a 2-vCPU guest take the same exits in the
# same order and count the same instructions.
a=$(timeout 30 "$hvsim" run "$dir/psci.elf" --vcpus 2 --trace exits 2>&1)
b=$(timeout 30 "$hvsim" run "$dir/psci.elf" --vcpus 2 --trace exits 2>&1)
[ -n "$a" ] && [ "$a" == "$b" ] || { echo "FAIL: two runs of psci differ"; fail=1; }
[ $fail -eq 0 ] && echo "ok: command line"
exit $fail
