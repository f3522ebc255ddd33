#!/usr/bin/env bash
# soak-nested.sh N [HANG_SECONDS]: N boots of the nested Linux guest
# (tests/kmod/nested-linux.sh: Debian's kernel on HV_NESTED_VCPUS, default
# 2, guest vCPUs through gzvm-vmm in the Linux host under the EL2 port).
# From HANG_SECONDS on (default 150) a running boot's state is dumped every
# 20 s through QEMU's monitor (scripts/qemu-hang-dump.py: each CPU's PC/EL,
# pending and active SGIs/PPIs, the port's per-CPU scheduler trace); when
# the host made no hypercall-server call between two dumps the boot is
# hung: both dumps are kept and QEMU is stopped. Needs the dev and el2-qemu builds (kmod artefacts in
# build/dev/kmod). Not in CI. Prints one line per boot and the totals;
# exits 1 if any boot hung or failed. Logs stay in $HV_SOAK_DIR (default a
# new directory under /tmp).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:?usage: soak-nested.sh N [HANG_SECONDS]}
hang_s=${2:-150}
kmod=$root/build/dev/kmod
elf=$root/build/el2-qemu/ports/el2-qemu/hvcore-el2.elf
out=${HV_SOAK_DIR:-$(mktemp -d /tmp/soak-nested.XXXXXX)}
mkdir -p "$out"
pass=0 hang=0 failed=0
for ((i = 1; i <= n; i++)); do
  sock=$out/monitor.$i.sock
  start=$(date +%s)
  HV_QEMU_MONITOR=$sock HV_QEMU_TIMEOUT=$((hang_s + 900)) HV_KEEP_LOG=$out/console.$i.log \
    "$root/tests/kmod/nested-linux.sh" "$root" "$kmod/module" "$kmod/finit-module" \
    "$kmod/gzvm-host-check" "$kmod/gzvm-vmm" "${HV_GUEST_CC:-aarch64-linux-gnu-gcc}" \
    >"$out/run.$i.out" 2>&1 &
  pid=$!
  hung=0 last="" next=$hang_s
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    [ $(($(date +%s) - start)) -ge "$next" ] && [ -S "$sock" ] || continue
    # Past HANG_SECONDS: dump every 20 s; a hang is when the host made no
    # hypercall-server call between two dumps (a slow boot on a loaded
    # machine still makes thousands).
    next=$((next + 20))
    python3 "$root/scripts/qemu-hang-dump.py" "$sock" "$elf" "${HV_EL2_SMP:-2}" >"$out/dump.$i.now" 2>&1 || true
    now=$(grep '^progress:' "$out/dump.$i.now" || true)
    if [ -n "$now" ] && [ "$now" = "$last" ]; then
      hung=1
      cat "$out/dump.$i.now" >>"$out/dump.$i"
      python3 - "$sock" <<'PY' || true
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b"quit\n"); s.recv(100)
PY
      break
    fi
    last=$now
    cp "$out/dump.$i.now" "$out/dump.$i"
  done
  rc=0
  wait "$pid" || rc=$?
  secs=$(($(date +%s) - start))
  if [ "$hung" -eq 1 ]; then
    hang=$((hang + 1))
    echo "boot $i: HANG (no progress at $secs s; dumps: $out/dump.$i)"
    sed 's/^/  /' "$out/dump.$i" | head -60
  elif [ "$rc" -eq 0 ]; then
    pass=$((pass + 1))
    echo "boot $i: ok (${secs} s)"
  else
    failed=$((failed + 1))
    echo "boot $i: FAILED rc=$rc (${secs} s, $out/run.$i.out)"
    grep '^FAIL' "$out/run.$i.out" | head -5
  fi
  rm -f "$sock"
done
echo "soak-nested: $n boots: $pass ok, $hang hung, $failed failed (logs in $out)"
[ "$pass" -eq "$n" ]
