#!/usr/bin/env bash
# The main job: installs what is missing, builds everything, and boots the
# contract guests under the hypervisor (on hvsim, then at EL2 under QEMU),
# then Debian's arm64 Linux as a guest at EL2 under QEMU with 2 vCPUs, then
# that Linux as the host running guests through gzvm.ko and the EL2 server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "${HV_JOBS:-2}"
# The contract guests on the software vCPU (hvsim), then the same binaries
# at EL1 under the hypervisor at real EL2 on QEMU.
status=0
echo; echo "######## guests under hvsim (software vCPU on this host)"
bash scripts/demo-guests.sh || status=1
echo; echo "######## the same guests under the hypervisor at EL2 (QEMU virt)"
bash scripts/demo-el2.sh || status=1
echo; echo "######## Debian bookworm arm64 Linux under the hypervisor at EL2 (QEMU virt, 2 vCPUs)"
bash scripts/demo-linux.sh || status=1
echo; echo "######## the same Linux as the host at EL2: gzvm.ko + gzvm-vmm run guests through the hypercall server"
bash scripts/demo-host.sh || status=1
exit $status
