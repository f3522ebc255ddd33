#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The expectations for ports/el2's device-tree discovery, computed without it.

    dtb_expect.py DTB... > expected.txt

Reads each flattened device tree with its own small reader (the FDT format:
header, structure block tokens, strings block; Devicetree Specification
v0.4, chapter 5), applies the binding rules the discovery must follow, and
prints one block per board in the format the host test prints from the C
discovery (tests/port/test_dt_discover.c). The checked-in expected.txt was
made by this script over Debian's MediaTek DTBs and QEMU's virt DTB; it is
the oracle, so it is not generated at test time.
"""
import os
import struct
import sys

FDT_MAGIC = 0xD00DFEED
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9


class Node:
    def __init__(self, name, parent):
        self.name, self.parent, self.props, self.children = name, parent, {}, []

    def path(self):
        if self.parent is None:
            return "/"
        p = self.parent.path()
        return (p if p != "/" else "") + "/" + self.name

    def u32s(self, prop):
        v = self.props.get(prop)
        if v is None:
            return None
        return list(struct.unpack(">%dI" % (len(v) // 4), v[: len(v) // 4 * 4]))

    def u32(self, prop, default=None):
        v = self.u32s(prop)
        return v[0] if v else default

    def strings(self, prop):
        v = self.props.get(prop)
        if v is None:
            return []
        return [s.decode("latin-1") for s in v.split(b"\0")[:-1]] if v.endswith(b"\0") else []

    def string(self, prop):
        s = self.strings(prop)
        return s[0] if s else None

    def enabled(self):
        st = self.string("status")
        return st is None or st in ("okay", "ok")


def read_fdt(blob):
    magic, total, off_struct, off_strings, _rsv, _ver, _lc, _boot, size_strings, size_struct = \
        struct.unpack(">10I", blob[:40])
    if magic != FDT_MAGIC:
        raise ValueError("not an FDT")
    strings = blob[off_strings : off_strings + size_strings]
    pos, end = off_struct, off_struct + size_struct
    root, cur = None, None
    while pos < end:
        (tok,) = struct.unpack(">I", blob[pos : pos + 4])
        pos += 4
        if tok == BEGIN_NODE:
            z = blob.index(b"\0", pos)
            name = blob[pos:z].decode("latin-1")
            pos = (z + 1 + 3) & ~3
            n = Node(name, cur)
            if cur is None:
                root = n
            else:
                cur.children.append(n)
            cur = n
        elif tok == END_NODE:
            cur = cur.parent
        elif tok == PROP:
            ln, nameoff = struct.unpack(">II", blob[pos : pos + 8])
            pos += 8
            pname = strings[nameoff : strings.index(b"\0", nameoff)].decode("latin-1")
            cur.props[pname] = blob[pos : pos + ln]
            pos = (pos + ln + 3) & ~3
        elif tok == NOP:
            continue
        elif tok == END:
            break
        else:
            raise ValueError("bad token")
    return root


def walk(n):
    yield n
    for c in n.children:
        yield from walk(c)


def find_path(root, path):
    n = root
    for part in [p for p in path.split("/") if p]:
        nxt = [c for c in n.children if c.name == part]
        if not nxt:
            nxt = [c for c in n.children if c.name.split("@")[0] == part]
        if not nxt:
            return None
        n = nxt[0]
    return n


def cells(node, prop, default):
    return node.u32(prop, default)


def to_int(words):
    v = 0
    for w in words:
        v = (v << 32) | w
    return v


def translate(node, addr):
    """Map a bus address of node's reg up to the root through ranges."""
    bus = node.parent
    while bus is not None and bus.parent is not None:
        if "ranges" not in bus.props:
            return None  # no path to the CPU's address space
        rng = bus.u32s("ranges")
        if rng:
            ca = cells(bus, "#address-cells", 2)
            pa = cells(bus.parent, "#address-cells", 2)
            sc = cells(bus, "#size-cells", 1)
            step = ca + pa + sc
            for i in range(0, len(rng) - step + 1, step):
                c = to_int(rng[i : i + ca])
                p = to_int(rng[i + ca : i + ca + pa])
                s = to_int(rng[i + ca + pa : i + step])
                if c <= addr < c + s:
                    addr = addr - c + p
                    break
            else:
                return None
        bus = bus.parent
    return addr


def regs(node):
    ac = cells(node.parent, "#address-cells", 2)
    sc = cells(node.parent, "#size-cells", 1)
    v = node.u32s("reg") or []
    out = []
    for i in range(0, len(v) - (ac + sc) + 1, ac + sc):
        a = translate(node, to_int(v[i : i + ac]))
        out.append((a, to_int(v[i + ac : i + ac + sc])))
    return out


def by_phandle(root, ph):
    for n in walk(root):
        if n.u32("phandle") == ph or n.u32("linux,phandle") == ph:
            return n
    return None


def interrupt_parent(root, node):
    n = node
    while n is not None:
        ph = n.u32("interrupt-parent")
        if ph is not None:
            return by_phandle(root, ph)
        n = n.parent
    return None


def intids(root, node):
    par = interrupt_parent(root, node)
    if par is None:
        return None
    nc = par.u32("#interrupt-cells")
    v = node.u32s("interrupts") or []
    if not nc or nc < 3:
        return None
    out = []
    for i in range(0, len(v) - nc + 1, nc):
        kind, num = v[i], v[i + 1]
        out.append(num + (16 if kind == 1 else 32))
    return out


def hexr(r):
    return "0x%x+0x%x" % r


GICV2 = ("arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic", "arm,cortex-a9-gic", "arm,gic-v2")
PSCI_VERSIONS = (("arm,psci-1.0", "1.0"), ("arm,psci-0.2", "0.2"), ("arm,psci", "0.1"))


def describe(name, root):
    out = ["board " + name]
    nodes = [n for n in walk(root) if n.enabled()]
    gic3 = [n for n in nodes if "arm,gic-v3" in n.strings("compatible")]
    gic2 = [n for n in nodes if set(n.strings("compatible")) & set(GICV2)]
    if not gic3:
        out.append("refused " + ("gicv2" if gic2 else "no-gic"))
        return out
    g = gic3[0]
    nredist = g.u32("#redistributor-regions", 1)
    r = regs(g)
    maint = intids(root, g) if "interrupts" in g.props else []
    out.append("gic cells=%d gicd=%s gicr=%s maint=%d" % (
        g.u32("#interrupt-cells", 0), hexr(r[0]), ",".join(hexr(x) for x in r[1 : 1 + nredist]),
        maint[0] if maint else 0))
    timers = [n for n in nodes if "arm,armv8-timer" in n.strings("compatible")]
    if timers:
        t = intids(root, timers[0]) or []
        t = (t + [0, 0, 0, 0])[:4]
        out.append("timer ptimer=%d vtimer=%d hyptimer=%d freq=%d" % (
            t[1], t[2], t[3], timers[0].u32("clock-frequency", 0)))
    else:
        out.append("timer none")
    chosen = find_path(root, "/chosen")
    con = None
    sp = chosen.string("stdout-path") if chosen else None
    if sp:
        sp = sp.split(":")[0]
        if not sp.startswith("/"):
            aliases = find_path(root, "/aliases")
            sp = aliases.string(sp) if aliases else None
        con = find_path(root, sp) if sp else None
    if con is None:
        out.append("console none")
    else:
        comp = con.strings("compatible")
        base = regs(con)[0][0]
        if "arm,pl011" in comp:
            out.append("console pl011 base=0x%x shift=2 width=4" % base)
        elif "mediatek,mt6577-uart" in comp:
            out.append("console 8250 base=0x%x shift=2 width=4" % base)
        elif set(comp) & {"ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart"}:
            out.append("console 8250 base=0x%x shift=%d width=%d" % (
                base, con.u32("reg-shift", 0), con.u32("reg-io-width", 1)))
        else:
            out.append("console unsupported " + (comp[0] if comp else "?"))
    psci = [n for n in nodes if any(c.startswith("arm,psci") for c in n.strings("compatible"))]
    if psci:
        comp = psci[0].strings("compatible")
        ver = next((v for c, v in PSCI_VERSIONS if c in comp), "?")
        out.append("psci %s version=%s" % (psci[0].string("method"), ver))
    else:
        out.append("psci none")
    cpus = find_path(root, "/cpus")
    mp = []
    if cpus:
        ac = cpus.u32("#address-cells", 1)
        for c in cpus.children:
            if c.string("device_type") == "cpu" and c.enabled():
                mp.append(to_int(c.u32s("reg")[:ac]))
    out.append("cpus %d %s" % (len(mp), ",".join("0x%x" % m for m in mp)))
    mem = []
    for c in root.children:
        if c.string("device_type") == "memory" and c.enabled():
            mem += [x for x in regs(c) if x[1]]
    out.append("memory " + (",".join(hexr(x) for x in mem) or "none"))
    rm = find_path(root, "/reserved-memory")
    nomap = []
    if rm:
        for c in rm.children:
            if "no-map" in c.props and "reg" in c.props and c.enabled():
                nomap += [x for x in regs(c) if x[1]]
    out.append("nomap " + (",".join(hexr(x) for x in nomap) or "none"))
    return out


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            root = read_fdt(f.read())
        name = os.path.basename(path)
        name = name[:-4] if name.endswith(".dtb") else name
        print("\n".join(describe(name, root)))


if __name__ == "__main__":
    main()
