#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""mtk-virt-dtb.py [--gicr-regions=N] IN.dtb OUT.dtb [HOST_IMAGE_PA]: QEMU virt's own DTB (from -machine
dumpdtb) rewritten into the shape of a MediaTek board's (Debian's MT8195/
MT8188/Genio DTBs), for the same emulated hardware: the GICv3 takes 4-cell
interrupt specifiers (4th cell 0 = every CPU) with a ppi-partitions node, so
every interrupts property and the PCIe interrupt-map grow a cell; the console
is named through /aliases and /chosen stdout-path ("serial0:115200n8"); a
/reserved-memory node (root cells, empty ranges) holds two no-map carveouts
where the Genio 1200 EVK has OP-TEE (0x43200000, 12 MiB) and BL31
(0x54600000, 2 MiB); PSCI over SMC. With HOST_IMAGE_PA, /chosen
gets hvcore,host-image = that address in 2 cells (where el2-mediatek finds
the host's arm64 Image). With --gicr-regions=N, QEMU's one redistributor
range is described as N regions of one redistributor each (128 KiB: RD_base
and SGI_base frames; virt's GICv3 has no VLPI frames), #redistributor-regions
= N, so CPU n's redistributor is found only in region n: only the first N
CPUs have one, and a region other than the last ends without GICR_TYPER.Last
(hvcore's walk stops at a region's size; Linux's walks on to Last, so such
a tree is for the EL2 image alone). The UART stays QEMU's arm,pl011 (virt has
no 16550). Uses dtc to go through source form; no libfdt, no hvcore code.
"""
import re
import subprocess
import sys

CARVEOUTS = [("optee", 0x43200000, 0x00C00000), ("bl31", 0x54600000, 0x00200000)]


def block_end(text, start):
    """Index just past the '};' closing the node whose '{' is at/after start."""
    depth = 0
    i = text.index("{", start)
    while True:
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text.index(";", i) + 1
        i += 1


def node_span(text, name):
    m = re.search(r"^(\t*)" + re.escape(name) + r" \{", text, re.M)
    if not m:
        sys.exit("mtk-virt-dtb: no node " + name)
    return m.start(), block_end(text, m.start()), m.group(1)


def cells(body):
    return [int(x, 0) for x in body.split()]


def fmt(vals):
    return "<" + " ".join("0x%x" % v for v in vals) + ">"


def regroup(vals, step, insert_at):
    """Every group of step cells gets a 0 cell inserted at insert_at."""
    if len(vals) % step:
        sys.exit("mtk-virt-dtb: %d cells are not groups of %d" % (len(vals), step))
    out = []
    for i in range(0, len(vals), step):
        g = vals[i : i + step]
        out += g[:insert_at] + [0] + g[insert_at:]
    return out


def split_gicr(gic, n):
    """The GIC node with its redistributor range as n 128 KiB regions."""
    m = re.search(r"reg = <([^>]*)>;", gic)
    vals = cells(m.group(1))
    if len(vals) != 8 or "#redistributor-regions = <0x01>;" not in gic:
        sys.exit("mtk-virt-dtb: the GIC's reg is not virt's GICD + one GICR range")
    base = vals[4] << 32 | vals[5]
    size = vals[6] << 32 | vals[7]
    if n < 1 or n * 0x20000 > size:
        sys.exit("mtk-virt-dtb: %d regions do not fit the redistributor range" % n)
    regs = vals[:4]
    for i in range(n):
        b = base + i * 0x20000
        regs += [b >> 32, b & 0xFFFFFFFF, 0, 0x20000]
    gic = gic.replace(m.group(0), "reg = " + fmt(regs) + ";")
    return gic.replace("#redistributor-regions = <0x01>;", "#redistributor-regions = <0x%02x>;" % n)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--gicr-regions=")]
    opts = [a for a in sys.argv[1:] if a.startswith("--gicr-regions=")]
    gicr_regions = int(opts[-1].split("=", 1)[1]) if opts else 0
    src, dst = args[0], args[1]
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", src], check=True,
                         capture_output=True, text=True).stdout
    gic_start, gic_end, ind = node_span(dts, "intc@8000000")
    gic = dts[gic_start:gic_end]
    phandle = int(re.search(r"phandle = <(0x[0-9a-f]+)>", gic).group(1), 16)
    if "#interrupt-cells = <0x03>;" not in gic:
        sys.exit("mtk-virt-dtb: the GIC does not take 3 cells")
    # Every interrupts property (all of virt's devices hang off the GIC).
    dts = re.sub(r"(\binterrupts = )<([^>]*)>;",
                 lambda m: m.group(1) + fmt(regroup(cells(m.group(2)), 3, 3)) + ";", dts)
    # PCIe interrupt-map entries: child unit address (3) + pin (1) + GIC
    # phandle + GIC unit address (#address-cells 2) + specifier (3 -> 4).
    def imap(m):
        vals = cells(m.group(2))
        if any(vals[i + 4] != phandle for i in range(0, len(vals), 10)):
            sys.exit("mtk-virt-dtb: interrupt-map not in virt's layout")
        return m.group(1) + fmt(regroup(vals, 10, 10)) + ";"
    dts = re.sub(r"(\binterrupt-map = )<([^>]*)>;", imap, dts)
    gic_start, gic_end, ind = node_span(dts, "intc@8000000")
    gic = dts[gic_start:gic_end]
    cpu_phandles = re.findall(r"cpu@\d+ \{\s*phandle = <(0x[0-9a-f]+)>;", dts)
    if not cpu_phandles:
        sys.exit("mtk-virt-dtb: CPUs have no phandles")
    partitions = (f"\n{ind}\tppi-partitions {{\n{ind}\t\tinterrupt-partition-0 {{\n"
                  f"{ind}\t\t\taffinity = <{' '.join(cpu_phandles)}>;\n{ind}\t\t}};\n{ind}\t}};\n")
    gic = gic.replace("#interrupt-cells = <0x03>;", "#interrupt-cells = <0x04>;")
    gic = gic[: gic.rindex("};")] + partitions + ind + "};"
    if gicr_regions:
        gic = split_gicr(gic, gicr_regions)
    dts = dts[:gic_start] + gic + dts[gic_end:]
    uart = re.search(r'stdout-path = "(/pl011@[0-9a-f]+)";', dts)
    if not uart:
        sys.exit("mtk-virt-dtb: no PL011 stdout-path")
    dts = dts.replace(uart.group(0), 'stdout-path = "serial0:115200n8";')
    dts = re.sub(r'method = "hvc";', 'method = "smc";', dts)
    rsv = "".join(f"\t\t{n}@{b:x} {{\n\t\t\treg = <0x0 0x{b:x} 0x0 0x{s:x}>;\n\t\t\tno-map;\n\t\t}};\n"
                  for n, b, s in CARVEOUTS)
    extra = (f'\n\taliases {{\n\t\tserial0 = "{uart.group(1)}";\n\t}};\n'
             "\n\treserved-memory {\n\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n"
             f"\t\tranges;\n\n{rsv}\t}};\n")
    if len(args) > 2:
        pa = int(args[2], 0)
        dts = re.sub(r"(\n\tchosen \{\n)",
                     lambda m: m.group(1) + "\t\thvcore,host-image = <0x%x 0x%x>;\n" % (pa >> 32, pa & 0xFFFFFFFF),
                     dts)
    root_end = dts.rindex("};")
    dts = dts[:root_end] + extra + dts[root_end:]
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dst, "-"], input=dts, check=True,
                   text=True)


if __name__ == "__main__":
    main()
