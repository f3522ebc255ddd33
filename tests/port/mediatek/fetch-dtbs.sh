#!/usr/bin/env bash
# fetch-dtbs.sh SRC_ROOT WORK: the inputs of unit.port_dt_discover in WORK:
# dt-dir.txt (the directory of Debian's MediaTek DTBs, fetched and cached
# by scripts/debian-arm64-fetch.sh) and qemu-virt.dtb (QEMU's own virt DTB
# for the EL2 port's machine: virtualization=on, GICv3, 2 CPUs, 256 MiB).
set -euo pipefail
root=${1:?usage: fetch-dtbs.sh SRC_ROOT WORK}
work=${2:?}
mkdir -p "$work"
eval "$("$root/scripts/debian-arm64-fetch.sh" dtbs-mediatek)"
echo "$HV_MEDIATEK_DTBS" >"$work/dt-dir.txt"
timeout 60 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb="$work/qemu-virt.dtb" \
  -cpu max -smp 2 -m 256M -nographic -nic none >/dev/null 2>&1 || true
[ -s "$work/qemu-virt.dtb" ] || { echo "fetch-dtbs: qemu did not dump its DTB"; exit 1; }
echo "fetch-dtbs: $(ls "$HV_MEDIATEK_DTBS"/*.dtb | wc -l) MediaTek DTBs, QEMU virt DTB $(stat -c %s "$work/qemu-virt.dtb") bytes"
