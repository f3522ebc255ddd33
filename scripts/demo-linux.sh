#!/usr/bin/env bash
# demo-linux.sh: Debian's unmodified arm64 kernel booting under the
# hypervisor at EL2 on QEMU virt with 2 vCPUs and a hypervisor-generated
# device tree (scripts/linux-guest.sh), console shown as it comes; checks
# that /init printed its marker and the guest powered off cleanly.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bash scripts/linux-guest.sh --timeout 150 | tr -d '\r' | tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ] && grep -q '^HVCORE-LINUX-INIT-OK$' "$log" &&
  grep -q '^--- guest exit status 0x0000000000000000 ---$' "$log"; then
  echo "-> Linux reached /init on $(sed -n 's/^hvcore guest: \([0-9]*\) CPUs online.*/\1/p' "$log") vCPUs and powered off (QEMU exit status 0)"
  exit 0
fi
echo "-> Linux guest FAILED (QEMU exit status $rc)"
exit 1
