#!/usr/bin/env bash
# nested-linux.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM [GUEST_CC]
# Debian's arm64 kernel as a guest of the hypercall server, with its root
# file system on virtio-blk: the host (the same kernel, under hvcore's EL2
# port, el2-host.sh) runs tests/kmod/nested/host-run, which boots the guest
# twice with `gzvm-vmm --kernel Image --initrd initrd.cpio --disk disk.img
# --vcpus N --mem 128` (the VMM writes the device tree). The initramfs
# (tests/kmod/nested/initrd-init) loads Debian's virtio-mmio, virtio-blk and
# ext4 modules and switches to /dev/vda: an ext4 image built here with
# e2fsprogs' mke2fs -d from a busybox tree holding tests/kmod/nested/init.
# Boot 1 writes /hvcore-file (seq 1 20000) and its sha256, syncs, powers
# off; the host sends the image's changed blocks to the console, and this
# script rebuilds the image from them (byte-exact: the host's sha256 of the
# image must match) and reads the file with debugfs. Boot 2 checks the file
# against its checksum and starts a shell on the console; the host types a
# command through the VMM's stdin and the answer must come back. GUEST_CC
# is not used (kept for the callers). The host gets 512 MiB. HV_KEEP_LOG:
# a path to keep the console log at (scripts/soak-nested.sh). HV_NESTED_DD=1
# (a measure, README): a 24 MiB disk, and boot 2 times dd writing and
# reading 8 MiB on it, the host the same dd on its own tmpfs.
# HV_NESTED_VMM_ARGS: more gzvm-vmm options for both boots.
set -euo pipefail
root=${1:?usage: nested-linux.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM [GUEST_CC]}
moddir=${2:?} finit=${3:?} check_bin=${4:?} vmm=${5:?}
kabi=$(cat "$moddir/kabi")
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"
kmods=$(dirname "$HV_KERNEL_IMAGE")/../lib/modules/$kabi/kernel
nested=$root/tests/kmod/nested
for tool in mke2fs debugfs; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] ||
    { echo "nested-linux: $tool missing (e2fsprogs: scripts/bootstrap.sh)"; exit 1; }
done
PATH=$PATH:/usr/sbin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vcpus=${HV_NESTED_VCPUS:-2}

# The initramfs: busybox, finit-module and the modules (debug info stripped).
mkdir -p "$work/initrd/bin" "$work/initrd/lib" "$work/initrd/dev"
cp "$HV_BUSYBOX" "$work/initrd/bin/busybox"
for applet in sh mount mkdir sleep switch_root poweroff; do
  ln -s busybox "$work/initrd/bin/$applet"
done
cp "$finit" "$work/initrd/finit-module"
for m in lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 \
  drivers/virtio/virtio_mmio drivers/block/virtio_blk; do
  aarch64-linux-gnu-strip --strip-debug -o "$work/initrd/lib/$(basename $m).ko" "$kmods/$m.ko"
done
install -m 755 "$nested/initrd-init" "$work/initrd/init"
mkdir -p "$work/host"
(cd "$work/initrd" && find . | cpio -o -H newc --quiet) >"$work/host/initrd.cpio"

# The disk: ext4 from a busybox tree.
mkdir -p "$work/tree/bin" "$work/tree/dev" "$work/tree/proc"
cp "$HV_BUSYBOX" "$work/tree/bin/busybox"
for applet in sh mount nproc poweroff awk grep seq sha256sum sync cat; do
  ln -s busybox "$work/tree/bin/$applet"
done
install -m 755 "$nested/init" "$work/tree/init"
disk_size=8M
if [ "${HV_NESTED_DD:-0}" = 1 ]; then
  disk_size=24M
  for applet in dd sed; do ln -s busybox "$work/tree/bin/$applet"; done
  touch "$work/tree/hvcore-dd" "$work/host/hvcore-dd"
fi
mke2fs -q -F -t ext4 -O ^has_journal -E root_owner=0:0 -L hvcore-root -d "$work/tree" \
  "$work/host/disk.img" $disk_size
cp "$work/host/disk.img" "$work/host/disk.orig"
cp "$HV_KERNEL_IMAGE" "$work/host/Image"
sed "s/@VCPUS@/$vcpus/; s|@VMM_ARGS@|${HV_NESTED_VMM_ARGS:-}|" "$nested/host-run" >"$work/host-run"

# With several vCPUs the secondaries came up (cpus=N) and IPIs were taken.
marker="HVCORE-NESTED-LINUX-OK cpus=$vcpus"
[ "$vcpus" -eq 1 ] || marker+=" ipis=yes"
keep_log=${HV_KEEP_LOG:-}
set +e
HV_HOST_MEM=512 HV_QEMU_TIMEOUT=${HV_QEMU_TIMEOUT:-420} HV_EXPECT_MARKER="$marker" \
  HV_HOST_RUN="$work/host-run" HV_HOST_FILES="$(echo "$work"/host/*)" HV_KEEP_LOG="$work/console.log" \
  "$root/tests/kmod/el2-host.sh" "$root" "$moddir" "$finit" "$check_bin" "$vmm" "$work" linux \
  "" 2
fail=$?
set -e

log=$work/console.log
[ -f "$log" ] || exit 1
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
transcript() { sed -n '/^kmod-test: transcript begin$/,/^kmod-test: transcript end$/p' "$log"; }

# The image after boot 1, rebuilt from the blocks the host sent.
cp "$work/host/disk.orig" "$work/after.img"
blocks=$(sed -n 's/^kmod-test: disk blocks //p' "$log")
sed -n 's/^kmod-test: disk data //p' "$log" | base64 -d 2>/dev/null | gunzip >"$work/blocks.bin" 2>/dev/null || true
i=0
for b in $blocks; do
  dd if="$work/blocks.bin" of="$work/after.img" bs=4096 skip=$i seek="$b" count=1 conv=notrunc status=none
  i=$((i + 1))
done
want_sha=$(sed -n 's/^kmod-test: disk sha256 //p' "$log")
check "image rebuilt byte-exact from the host's blocks ($i blocks; sha256 as in the host)" \
  test -n "$want_sha" -a "$(sha256sum "$work/after.img" | cut -d ' ' -f 1)" = "$want_sha"
seq 1 20000 >"$work/expected"
debugfs -R "cat /hvcore-file" "$work/after.img" >"$work/got" 2>/dev/null || true
check "debugfs: /hvcore-file in the image is byte-exact ($(stat -c %s "$work/expected") bytes)" \
  cmp -s "$work/got" "$work/expected"
debugfs -R "cat /hvcore-file.sha256" "$work/after.img" >"$work/got.sha" 2>/dev/null || true
check "debugfs: /hvcore-file.sha256 holds the file's checksum" \
  test "$(cat "$work/got.sha")" = "$(sha256sum "$work/expected" | cut -d ' ' -f 1)  /hvcore-file"
check "boot 1 wrote the file (HVCORE-DISK-WRITTEN)" grep -qF HVCORE-DISK-WRITTEN <(transcript)
check "boot 2 read it back (HVCORE-DISK-READBACK-OK)" grep -qx HVCORE-DISK-READBACK-OK <(transcript)
check "both boots reached the marker" test "$(transcript | grep -cF "$marker")" -eq 2
check "the console: a typed command's answer (typed: 42)" grep -qx "typed: 42" <(transcript)
check "both guests powered off" test "$(transcript | grep -c 'reboot: Power down')" -eq 2
check "the disk served requests through IOEVENTFD and IRQFD" \
  grep -qE '^kmod-test: vmm: gzvm-vmm: disk: [1-9][0-9]* requests \(0 failed\), [1-9][0-9]* notifications, [1-9][0-9]* interrupts' "$log"
grep -E '^kmod-test: vmm: gzvm-vmm: disk' "$log" | head -2
grep -E '^kmod-test: (boot|host dd)|^HVCORE-DD' "$log" | head -8
[ -z "$keep_log" ] || cp "$log" "$keep_log"
if [ "$fail" -ne 0 ]; then
  echo "---- console (last lines, without the disk's blocks) ----"
  grep -v '^kmod-test: disk data' "$log" | tail -60 | cut -c1-200
  exit 1
fi
echo "nested-linux: all checks passed"
