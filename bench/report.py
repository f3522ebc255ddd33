#!/usr/bin/env python3
"""bench/report.py: one self-contained HTML page (inline SVG, no other
files, Python's standard library only) from the benches' JSON.

  bench/report.py [--run] [--dir DIR] [-o OUT] [--svg-dir SVGDIR]

DIR (default build/release/bench) holds <name>_bench.json as `cmake --build
--preset release --target bench` writes them; --run builds and runs them
first (a few minutes). OUT defaults to DIR/report.html. --svg-dir also
writes each plot as its own SVG file there (<bench>-<n>.svg; the README
shows bench/figures/, made this way). Plots:
  - every figure against its floor (<key>_vs_floor: 1.0 = as cheap as the
    floor; rates: 1.0 = as fast), one chart per bench;
  - el2_exit_bench: instructions per round trip against the goals, and the
    exit breakdown per exit class as stacked bars;
  - linux_boot_bench: a Linux boot's exits by reason, and its ratios to the
    same boot without the hypervisor.
"""
import argparse
import html
import json
import os
import subprocess
import sys

SEGMENTS = ["switch_out", "lock", "sync", "dispatch", "flush", "switch_in"]
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]
GOALS = {"hvc_insns": 400, "mmio_read_insns": 700, "vgic_read_insns": 700}


def svg_open(title, width, height):
    return [f'<h3>{html.escape(title)}</h3><svg width="{width}" height="{height}" '
            'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">']


def bars(title, items, unit="", ref=None, ref_label=""):
    """Horizontal bars: items = [(label, value)]; ref draws a vertical line."""
    items = [(k, v) for k, v in items if isinstance(v, (int, float))]
    if not items:
        return ""
    top = max([v for _, v in items] + [ref or 0]) or 1.0
    row, left, width = 22, 260, 420
    h = row * len(items) + 40
    out = svg_open(title, left + width + 120, h)
    for i, (k, v) in enumerate(items):
        y = 10 + i * row
        w = max(1.0, width * v / top)
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{html.escape(k)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{COLOURS[0]}"/>')
        shown = f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}"
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}">{shown}{unit}</text>')
    if ref:
        x = left + width * ref / top
        out.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{h - 20}" stroke="#c00" '
                   'stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x:.1f}" y="{h - 6}" fill="#c00" text-anchor="middle">'
                   f'{html.escape(ref_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def stacked(title, rows):
    """rows = [(label, [segment values])] in SEGMENTS order."""
    if not rows:
        return ""
    top = max(sum(vals) for _, vals in rows) or 1.0
    row, left, width = 26, 160, 520
    h = row * len(rows) + 60
    out = svg_open(title, left + width + 100, h)
    for i, (label, vals) in enumerate(rows):
        y = 10 + i * row
        x = left
        out.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{html.escape(label)}</text>')
        for j, v in enumerate(vals):
            w = width * v / top
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" '
                       f'fill="{COLOURS[j % len(COLOURS)]}"><title>{SEGMENTS[j]}: {v:.0f}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(vals):,.0f}</text>')
    y = h - 24
    for j, s in enumerate(SEGMENTS):
        out.append(f'<rect x="{left + j * 90}" y="{y}" width="12" height="12" fill="{COLOURS[j]}"/>')
        out.append(f'<text x="{left + j * 90 + 16}" y="{y + 11}">{s}</text>')
    out.append("</svg>")
    return "\n".join(out)


def standalone_svgs(charts):
    """Each "<h3>title</h3><svg ...>...</svg>" of a page as its own SVG file,
    the title drawn above the plot."""
    out = []
    for part in charts.split("<h3>")[1:]:
        title, _, svg = part.partition("</h3>")
        head, _, rest = svg.partition(">")
        w = int(head.split('width="')[1].split('"')[0])
        h = int(head.split('height="')[1].split('"')[0])
        head = head.replace(f'height="{h}"', f'height="{h + 24}"')
        out.append(f'<?xml version="1.0" encoding="UTF-8"?>\n{head}>'
                   f'<rect width="{w}" height="{h + 24}" fill="white"/>'
                   f'<text x="4" y="16" font-weight="bold">{title}</text>'
                   f'<g transform="translate(0,24)">{rest.strip().rsplit("</svg>", 1)[0]}</g></svg>\n')
    return out


def vs_floor_chart(name, data):
    items = [(k[: -len("_vs_floor")], v) for k, v in data.items() if k.endswith("_vs_floor")]
    return bars(f"{name}: figure / floor (1.0 = the floor)", items, "x", 1.0, "floor")


def el2_charts(data):
    parts = [bars("el2_exit_bench: instructions per round trip (dashed: 700, the MMIO goal; "
                  "HVC's goal is 400)",
                  [(k, data.get(k)) for k in ("hvc_insns", "mmio_read_insns", "mmio_write_insns",
                                              "vgic_read_insns", "vtimer_irq_insns",
                                              "sgi_same_cpu_insns", "sgi_other_cpu_insns",
                                              "host_mmio_round_trip_insns")], "", 700, "700")]
    rows = []
    for cls in ("hvc", "pl011_read", "pl011_write", "gic_read", "irq", "mmio_fast"):
        if f"exits_{cls}" in data and data[f"exits_{cls}"] >= 100:
            rows.append((cls, [data.get(f"{cls}_{s}_insns", 0) or 0 for s in SEGMENTS]))
    parts.append(stacked("el2_exit_bench: where an exit's EL2 instructions go (profiled run; "
                         "the marks add ~20 each)", rows))
    for cls, what in (("hvc_fast", "HVC fast path (SMCCC queries)"),
                      ("mmio_fast", "MMIO fast path (vGIC, PL011: the mmio_fast bar)")):
        if f"{cls}_el2_insns" in data:
            parts.append(f"<p>{what}: {data[f'{cls}_el2_insns']:.0f} EL2 instructions per "
                         "exit in the profiled run, vector to ERET.</p>")
    return "\n".join(parts)


def boot_charts(data):
    parts = []
    for key, title in (("exits", "Linux boot (2 vCPUs, wall-clock run): exits by reason"),
                       ("insn_exits", "Linux boot under icount (1 vCPU): exits by reason"),
                       ("insn_exits_2vcpus", "Linux boot under icount (2 vCPUs): exits by reason")):
        if isinstance(data.get(key), dict):
            items = sorted(((k, v) for k, v in data[key].items() if k != "total" and v),
                           key=lambda kv: -kv[1])
            parts.append(bars(title, items))
    ratios = [(k, data.get(k)) for k in ("ratio", "cpu_ratio", "insn_ratio", "insn_ratio_2vcpus")]
    parts.append(bars("Linux boot: under the hypervisor / direct", ratios, "x", 1.0, "1.0"))
    return "\n".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default="build/release/bench")
    ap.add_argument("--run", action="store_true", help="build and run the benches first")
    ap.add_argument("-o", "--out")
    ap.add_argument("--svg-dir", help="also write each plot as an SVG file here")
    a = ap.parse_args()
    if a.run:
        subprocess.run(["cmake", "--preset", "release"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", "release", "-j2", "--target", "bench"],
                       check=True)
    files = sorted(f for f in os.listdir(a.dir) if f.endswith("_bench.json")) \
        if os.path.isdir(a.dir) else []
    if not files:
        print(f"report: no *_bench.json in {a.dir} (run with --run)", file=sys.stderr)
        return 1
    body = []
    svgs = []
    for f in files:
        name = f[: -len(".json")]
        with open(os.path.join(a.dir, f)) as fh:
            data = json.load(fh)
        body.append(f"<h2>{html.escape(name)}</h2>")
        if data.get("quick"):
            body.append("<p><b>quick mode: not a measurement</b></p>")
        if name == "el2_exit_bench":
            charts = el2_charts(data)
        elif name == "linux_boot_bench":
            charts = boot_charts(data)
        else:
            charts = vs_floor_chart(name, data)
        body.append(charts)
        svgs += [(name, i, c) for i, c in enumerate(standalone_svgs(charts))]
        body.append("<details><summary>JSON</summary><pre>"
                    f"{html.escape(json.dumps(data, indent=1))}</pre></details>")
    out = a.out or os.path.join(a.dir, "report.html")
    with open(out, "w") as fh:
        fh.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>hvcore benches"
                 "</title></head><body style='font-family:sans-serif;max-width:960px'>"
                 "<h1>hvcore benchmarks</h1>" + "\n".join(body) + "</body></html>\n")
    print(f"report: {out}")
    if a.svg_dir:
        os.makedirs(a.svg_dir, exist_ok=True)
        for name, i, svg in svgs:
            path = os.path.join(a.svg_dir, f"{name.removesuffix('_bench')}-{i}.svg")
            with open(path, "w") as fh:
                fh.write(svg)
            print(f"report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
