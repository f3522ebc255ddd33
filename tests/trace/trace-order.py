#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""trace-order.py TRACE [--vm N|last] [--expect ACCESSES]

Checks an EL2 event trace in scripts/hvtrace's text format (the console
dump of hvcore.trace=1, or gzvm.ko's debugfs file el2_trace):
  - every line parses, each CPU's timestamps never go backwards;
  - with --vm: that VM has exits, each of its vCPUs alternates enter/exit
    ("last": the VM whose first event is the latest);
  - with --expect "w:8006100,r:8006100,...": the VM's data-abort exits at
    those IPAs, in timestamp order, are exactly that sequence (w/r from
    ESR_EL2.WnR, bit 6; Arm ARM D17.2.37: ISS of a data abort).
Prints one line per check; exit status 1 if any fails.
"""
import sys

def main(argv):
    path, vm, expect = argv[1], None, None
    args = argv[2:]
    while args:
        if args[0] == "--vm":
            vm = args[1] if args[1] == "last" else int(args[1], 0)
        elif args[0] == "--expect":
            expect = [(a.split(":")[0], int(a.split(":")[1], 16)) for a in args[1].split(",")]
        else:
            raise SystemExit("trace-order: unknown option " + args[0])
        args = args[2:]
    events, fail = [], 0
    last_ts = {}
    monotonic = True
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        p = line.split()
        if len(p) != 7:
            print("FAIL line does not parse:", line[:80])
            return 1
        e = {"cpu": int(p[0], 16), "ts": int(p[1], 16), "type": p[2], "vm": int(p[3], 16),
             "vcpu": int(p[4], 16), "a0": int(p[5], 16), "a1": int(p[6], 16)}
        if e["ts"] < last_ts.get(e["cpu"], 0):
            monotonic = False
        last_ts[e["cpu"]] = e["ts"]
        events.append(e)
    def check(what, ok):
        nonlocal fail
        print(("ok   " if ok else "FAIL ") + what)
        fail |= not ok
    check("%d events on %d CPUs, each CPU's timestamps monotonic" % (len(events), len(last_ts)),
          len(events) > 0 and monotonic)
    if vm is None:
        return fail
    if vm == "last":
        first = {}
        for e in events:
            first.setdefault(e["vm"], e["ts"])
        vm = max(first, key=first.get) if first else -1
    mine = sorted((e for e in events if e["vm"] == vm and e["type"] in ("enter", "exit")),
                  key=lambda e: e["ts"])
    exits = [e for e in mine if e["type"] == "exit"]
    check("VM %d: %d exits recorded" % (vm, len(exits)), len(exits) > 0)
    state, alternates = {}, True
    for e in mine:
        prev = state.get(e["vcpu"])
        if prev == e["type"]:
            alternates = False
        state[e["vcpu"]] = e["type"]
    check("VM %d: each vCPU alternates enter and exit" % vm, alternates)
    if expect:
        ipas = {ipa for _, ipa in expect}
        got = [("w" if e["a0"] >> 6 & 1 else "r", e["a1"]) for e in exits
               if (e["a0"] >> 26) & 0x3f == 0x24 and e["a1"] in ipas]
        ok = got == expect
        check("VM %d: data aborts at %s in program order (%d)" %
              (vm, ",".join("%x" % i for i in sorted(ipas)), len(got)), ok)
        if not ok:
            print("     got", ",".join("%s:%x" % g for g in got)[:300])
    return fail

if __name__ == "__main__":
    sys.exit(main(sys.argv))
