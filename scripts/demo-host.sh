#!/usr/bin/env bash
# demo-host.sh: Debian's arm64 Linux as the HOST under the hypervisor at EL2
# (QEMU virt, hvcore.host=1). The host loads gzvm.ko, built against Debian's
# headers, which finds the hypercall server at EL2; gzvm-vmm then runs the
# sgi contract guest (2 vCPUs) through /dev/gzvm and the server's RUN, and
# finally Debian's kernel itself as a guest of the server inside the host.
# Each run is tests/kmod/el2-host.sh (or nested-linux.sh): one line per
# check it makes, then the guest's transcript.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
out=build/dev/kmod
cmake --build --preset dev --target contract_guests gzvm-vmm kmod_finit_module kmod_host_check \
  >/dev/null || { echo "demo-host: build failed"; exit 1; }
bash ports/linux-kmod/build-module.sh "$root" "$out/module" || exit 1
status=0

echo "=== host Linux at EL2: gzvm-vmm runs the sgi guest (2 vCPUs) through /dev/gzvm"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
HV_KEEP_LOG=$log bash tests/kmod/el2-host.sh "$root" "$out/module" "$out/finit-module" \
  "$out/gzvm-host-check" "$out/gzvm-vmm" build/dev/guests sgi | sed 's/^/  # /'
rc=${PIPESTATUS[0]}
sed -n '/^kmod-test: transcript begin$/,/^kmod-test: transcript end$/p' "$log" | sed '1d;$d' |
  sed 's/^/  | /'
if [ "$rc" -eq 0 ]; then
  echo "  -> the guest ran through the host's driver and the server at EL2; transcript matches"
else
  echo "  -> FAILED (el2-host.sh status $rc)"
  status=1
fi

echo "=== host Linux at EL2: Debian's kernel as a guest of the server (gzvm-vmm, 128 MiB)"
bash tests/kmod/nested-linux.sh "$root" "$out/module" "$out/finit-module" "$out/gzvm-host-check" \
  "$out/gzvm-vmm" aarch64-linux-gnu-gcc | sed 's/^/  # /'
if [ "${PIPESTATUS[0]}" -eq 0 ]; then
  echo "  -> the nested Linux reached its /init and powered off"
else
  echo "  -> FAILED"
  status=1
fi
exit $status
