#!/usr/bin/env bash
# hvtrace-check.sh HVTRACE EMIT WORK: scripts/hvtrace on a synthetic trace
# (trace-emit: the real ring and formatter). The JSON is parsed back and
# checked against the trace-event format (every event has name, ph, ts,
# pid, tid; X events a non-negative dur) and against what was emitted
# (40 guest slices, 40 exits of which 10 hvc, 10 wfx, 20 dabt; 10 idle
# periods; a call returning -8); the summary must name the counts.
set -euo pipefail
hvtrace=${1:?} emit=${2:?} work=${3:?}
mkdir -p "$work"
"$emit" >"$work/trace.txt"
"$hvtrace" json "$work/trace.txt" "$work/trace.json"
python3 - "$work/trace.json" <<'PY'
import json, sys
from collections import Counter
doc = json.load(open(sys.argv[1]))
ev = doc["traceEvents"]
for e in ev:
    for k in ("name", "ph", "pid"):
        assert k in e, (k, e)
    if e["ph"] != "M":
        assert "ts" in e and "tid" in e, e
    if e["ph"] == "X":
        assert e["dur"] >= 0, e
names = Counter(e["name"] for e in ev)
assert names["guest"] == 40, names
assert names["exit hvc"] == 10 and names["exit wfx"] == 10 and names["exit dabt"] == 20, names
assert names["idle"] == 10, names
assert names["call 0x5 -> -8"] == 1, names
print("hvtrace-check: json ok,", len(ev), "events")
PY
sum=$("$hvtrace" summary "$work/trace.txt")
head -12 <<<"$sum"
grep -q '^  hvc *10 ' <<<"$sum" && grep -q '^  dabt *20 ' <<<"$sum" && grep -q '^  wfx *10 ' <<<"$sum" ||
  { echo "FAIL: summary counts"; exit 1; }
# sites: 20 hvc and wfx exits at one PC; the aborts at two IPAs, 10 each
grep -A3 '^top exit sites' <<<"$sum" | grep -q '^  dabt *0x9000018 *10$' ||
  { echo "FAIL: summary sites"; exit 1; }
# the longest idle is the last one: 20 x 100 us
grep -A1 '^longest idle' <<<"$sum" | tail -1 | grep -q ' 2000.0 us' ||
  { echo "FAIL: longest idle is not 2000 us"; exit 1; }
# gzvm.ko's GenieZone tracepoints (tracefs lines, 6.1's and 6.12's
# flag columns) mixed into the same file: hypercall slices and exit marks.
cat "$work/trace.txt" - >"$work/mixed.txt" <<'TP'
# tracer: nop
        gzvm-vmm-97      [001] .....    51.123456: mtk_hypcall_enter: id=0xfb001005
        gzvm-vmm-97      [001] .....    51.123470: mtk_hypcall_leave: id=0xfb001005 invalid=0
        gzvm-vmm-97      [001] .....    51.123471: mtk_vcpu_exit: vcpu exit_reason=MMIO(0x92920001)
        gzvm-vmm-97      [001] ....    51.123480: mtk_hypcall_enter: id=0xfb001005
        gzvm-vmm-97      [001] ....    51.123490: mtk_hypcall_leave: id=0xfb001005 invalid=0
        gzvm-vmm-97      [001] ....    51.123491: mtk_vcpu_exit: vcpu exit_reason=IDLE(0x9292000b)
 kworker/u4:1-12     [000] d..1.    51.200000: mtk_hypcall_enter: id=0xfb001101
 kworker/u4:1-12     [000] d..1.    51.200010: mtk_hypcall_leave: id=0xfb001101 invalid=1
TP
"$hvtrace" json "$work/mixed.txt" "$work/mixed.json"
python3 - "$work/mixed.json" <<'PY'
import json, sys
from collections import Counter
ev = json.load(open(sys.argv[1]))["traceEvents"]
names = Counter(e["name"] for e in ev)
assert names["hypercall run"] == 2 and names["hypercall trace_read"] == 1, names
assert names["vcpu exit MMIO"] == 1 and names["vcpu exit IDLE"] == 1, names
assert names["guest"] == 40, "the EL2 events are still there"
run = [e for e in ev if e["name"] == "hypercall run"]
assert sorted(round(e["dur"]) for e in run) == [10, 14] and all(e["tid"] == 97 for e in run), run
print("hvtrace-check: tracepoints ok")
PY
# Output captured first: "hvtrace ... | grep -q" under pipefail fails
# whenever grep exits before hvtrace has written everything (broken pipe).
mixed_sum=$("$hvtrace" summary "$work/mixed.txt")
grep -q '^  run  *2$' <<<"$mixed_sum" || { echo "FAIL: tracepoint summary"; exit 1; }
# The picture: well-formed SVG, one row per vCPU and per CPU, the legend's
# counts as emitted.
"$hvtrace" svg "$work/trace.txt" "$work/trace.svg"
python3 - "$work/trace.svg" <<'PY'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
rows = [t for t in texts if t.endswith(" in guest") or t.endswith(" idle")]
assert any(t.startswith("VM ") for t in rows) and any(t.startswith("CPU ") for t in rows), rows
for want in ("hvc (10)", "wfx (10)", "dabt (20)"):
    assert want in texts, (want, texts)
print("hvtrace-check: svg ok,", len(rows), "rows")
PY
"$hvtrace" svg "$work/trace.txt" 2>/dev/null && { echo "FAIL: svg needs an output file"; exit 1; }
"$hvtrace" bogus 2>/dev/null && { echo "FAIL: a bad mode must fail"; exit 1; }
echo "PASS"
