#!/usr/bin/env bash
# nested-linux.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM GUEST_CC
# Debian's arm64 kernel as a guest of the hypercall server: the host (the
# same kernel, under hvcore's EL2 port, el2-host.sh) runs gzvm-vmm on one
# raw image holding tests/kmod/nested/boot.S (x0 = the DTB, then the Image),
# Debian's kernel Image at +2 MiB, the DTB of tests/kmod/nested/guest.dts.in
# (dtc) at +64 MiB and a busybox initramfs at +66 MiB, with 128 MiB of guest
# RAM (the host gets 512 MiB). The guest's /init (tests/kmod/nested/init)
# logs HVCORE-NESTED-LINUX-OK through its earlycon console, which is the
# VMM's PL011, and powers off; el2-host.sh requires that line and the
# guest's power-off in the VMM's transcript. HV_NESTED_VMM_ARGS: more
# gzvm-vmm options (--protected: the guest as a protected VM; with
# HV_NESTED_VCPUS=1, as gzvm-vmm destroys the VM from the vCPU thread that
# saw the power-off; --probe-page 0x40200000: the kernel Image's first page
# must fault for the VMM before DESTROY_VM and read zeros after).
set -euo pipefail
root=${1:?usage: nested-linux.sh SRC_ROOT MODULE_DIR FINIT CHECK VMM GUEST_CC}
moddir=${2:?} finit=${3:?} check_bin=${4:?} vmm=${5:?} guest_cc=${6:?}
kabi=$(cat "$moddir/kabi")
eval "$(HV_KABI=$kabi "$root/scripts/debian-arm64-fetch.sh" kernel busybox)"
: "${HV_KERNEL_IMAGE:?}" "${HV_BUSYBOX:?}"
nested=$root/tests/kmod/nested

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/dev" "$work/root/proc"
cp "$HV_BUSYBOX" "$work/root/bin/busybox"
for applet in sh mount nproc poweroff awk grep; do
  ln -s busybox "$work/root/bin/$applet"
done
install -m 755 "$nested/init" "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet) >"$work/initrd.cpio"
initrd_end=$(printf '0x%x' $((0x44200000 + $(stat -c %s "$work/initrd.cpio"))))
vcpus=${HV_NESTED_VCPUS:-2}
cpus=""
for ((i = 0; i < vcpus; i++)); do
  cpus+="cpu@$i { device_type = \"cpu\"; compatible = \"arm,arm-v8\"; reg = <$i>; enable-method = \"psci\"; };"
done
gicr_size=$(printf '0x%x' $((vcpus * 0x20000)))
sed "s/@INITRD_END@/$initrd_end/; s/@GICR_SIZE@/$gicr_size/; s/^@CPUS@\$/$cpus/" "$nested/guest.dts.in" >"$work/guest.dts"
dtc -q -I dts -O dtb -o "$work/guest.dtb" "$work/guest.dts"
"$guest_cc" -nostdlib -static -Wl,-Ttext=0x40000000 -Wl,--build-id=none -o "$work/boot.elf" \
  "$nested/boot.S"
aarch64-linux-gnu-objcopy -O binary "$work/boot.elf" "$work/boot.bin"
image_size=$(stat -c %s "$HV_KERNEL_IMAGE")
[ "$image_size" -lt $((0x3e00000)) ] || { echo "nested-linux: kernel Image too large"; exit 1; }

img=$work/linux.bin
cp "$work/boot.bin" "$img"
dd if="$HV_KERNEL_IMAGE" of="$img" bs=1M seek=2 conv=notrunc status=none
dd if="$work/guest.dtb" of="$img" bs=1M seek=64 conv=notrunc status=none
dd if="$work/initrd.cpio" of="$img" bs=1M seek=66 conv=notrunc status=none

# With several vCPUs the secondaries came up (cpus=N) and IPIs were taken.
marker="HVCORE-NESTED-LINUX-OK cpus=$vcpus"
[ "$vcpus" -eq 1 ] || marker+=" ipis=yes"
HV_HOST_MEM=512 HV_QEMU_TIMEOUT=${HV_QEMU_TIMEOUT:-300} HV_EXPECT_MARKER="$marker" \
  "$root/tests/kmod/el2-host.sh" "$root" "$moddir" "$finit" "$check_bin" "$vmm" "$work" linux \
  "--mem 128 --vcpus $vcpus ${HV_NESTED_VMM_ARGS:-}"
