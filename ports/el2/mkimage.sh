#!/usr/bin/env bash
# mkimage.sh ELF BIN: raw binary of the EL2 image with the arm64 Image
# header's image_size (offset 16, little-endian) set to the memory footprint
# (__image_end: text, data, bss and stack), so loaders (QEMU, U-Boot's booti)
# honour the header.
set -euo pipefail
elf=$1 bin=$2
aarch64-linux-gnu-objcopy -O binary "$elf" "$bin"
end=$(aarch64-linux-gnu-nm "$elf" | awk '$3 == "__image_end" {print $1}')
[ -n "$end" ] || { echo "mkimage: no __image_end in $elf" >&2; exit 1; }
size=$((16#$end))
python3 - "$bin" "$size" <<'PY'
import struct, sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, 'r+b') as f:
    f.seek(16)
    f.write(struct.pack('<Q', size))
    f.seek(0x38)
    assert f.read(4) == b'ARM\x64', 'no arm64 Image magic'
PY
