#!/usr/bin/env bash
# qemu.el2mtk.console8250.raspi3b: the el2-mediatek image (preset
# el2-mediatek) printing through the shared 8250 driver on emulated
# hardware: QEMU raspi3b enters it at EL2 with x0 = tests/qemu/raspi8250/
# mtk-rpi3b.dts, whose stdout-path names the mini UART as a
# mediatek,mt6577-uart (stride 4, 32-bit). raspi3b has no GIC, so the image
# must refuse the board, and say so on that UART: its banner at EL2, the
# discovery's reason ("no arm,gic-v3 node"; with a GICv2 node added,
# "GICv2 (arm,gic-400): hvcore needs a GICv3"), one FAIL line and its stop
# status 78. The platform's stop parks the CPU (a board's watchdog resets
# it), so QEMU is ended once that last line is out, or after 30 s. Output
# capped.
# HV_QEMU_ICOUNT=1: QEMU's deterministic mode (-icount shift=0,align=off).
set -uo pipefail
src=$1
work=$(mktemp -d)
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$work"' EXIT
cd "$src"
cmake --preset el2-mediatek >/dev/null && cmake --build --preset el2-mediatek -j2 >"$work/build.log" 2>&1 ||
  { tail -20 "$work/build.log"; echo "FAIL: el2-mediatek build"; exit 1; }
img=$src/build/el2-mediatek/ports/el2-mediatek/hvcore-el2.bin
dts=$src/tests/qemu/raspi8250/mtk-rpi3b.dts

run() { # name cpp-flags...: boots the image on the tree, sets out
  local name=$1
  shift
  cpp -P -nostdinc -undef -x assembler-with-cpp "$@" "$dts" | dtc -q -I dts -O dtb -o "$work/$name.dtb" - ||
    { echo "FAIL: $name tree"; exit 1; }
  timeout 60 qemu-system-aarch64 -M raspi3b -display none -monitor none -serial null -serial stdio \
    ${HV_QEMU_ICOUNT:+-icount shift=0,align=off} \
    -dtb "$work/$name.dtb" -kernel "$img" </dev/null >"$work/$name.out" 2>&1 &
  qpid=$!
  for _ in $(seq 300); do # 30 s at most
    grep -q 'stopped, status' "$work/$name.out" && break
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$qpid" 2>/dev/null
  wait "$qpid" 2>/dev/null
  qpid=
  out=$(head -c 4000 "$work/$name.out" | tr -d '\r')
  echo "--- $name:"
  printf '%s\n' "$out" | head -20
}
expect() { grep -qxF "$1" <<<"$out" || { echo "FAIL: $2"; exit 1; }; }

run nogic
expect 'hvcore el2-mediatek: running at EL2' "no banner at EL2 over the 8250"
expect 'el2-mediatek: the device tree: no arm,gic-v3 node' "no reason for the refusal"
expect 'FAIL el2-mediatek: no board this image can run on' "no FAIL line"
expect 'el2-mediatek: stopped, status 0x000000000000004e' "no stop status 78"
run gic400 -DGIC400
expect 'hvcore el2-mediatek: running at EL2' "no banner at EL2 over the 8250 (GICv2 tree)"
expect 'el2-mediatek: the device tree: GICv2 (arm,gic-400): hvcore needs a GICv3' "GICv2 not refused"
expect 'el2-mediatek: stopped, status 0x000000000000004e' "no stop status 78 (GICv2 tree)"
echo PASS
