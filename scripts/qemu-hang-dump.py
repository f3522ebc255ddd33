#!/usr/bin/env python3
# qemu-hang-dump.py MONITOR_SOCKET EL2_ELF NR_CPUS: what a hung run of the
# EL2 port is doing, through QEMU's human monitor (el2-host.sh
# HV_QEMU_MONITOR): each CPU's PC and exception level, its redistributor's
# pending and active SGIs/PPIs, and the port's per-CPU scheduler trace
# (ports/el2/sched_trace.c: where the CPU is, the loaded vCPU and its
# virtual timer, the EL2 timer deadline armed for its last WFI, the last
# hypercall-server call and the last RUN that reported IDLE).
import re
import socket
import subprocess
import sys
import time

sock_path, elf, nr_cpus = sys.argv[1], sys.argv[2], int(sys.argv[3])
GICR_BASE, GICR_STRIDE, SGI_FRAME = 0x080A0000, 0x20000, 0x10000
ISPENDR0, ISACTIVER0 = 0x200, 0x300
TRACE_WORDS = [
    "magic", "where", "loaded", "idle_mask", "wfi_count", "wfi_at", "hp_deadline",
    "vtimer_active", "cntv_ctl", "cntv_cval", "cntvoff", "vtimer_line", "server_fn",
    "server_x1", "server_ret1", "idle_tuple", "idle_migrate", "idle_delay", "idle_ctl",
    "idle_cval", "idle_at", "server_calls",
]
WHERE = ["none", "guest", "el2", "wfi", "server"]
progress = 0

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock_path)
s.settimeout(10)


def cmd(line=None):
    if line is not None:
        s.sendall(line.encode() + b"\n")
    buf = b""
    while not buf.rstrip().endswith(b"(qemu)"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", buf.decode(errors="replace"))
    return text.replace("\r", "")


def words(addr, n):
    out = cmd("xp /%dgx 0x%x" % (n, addr))
    vals = []
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+:\s+(.*)$", line.strip())
        if m:
            vals += [int(v, 16) for v in m.group(1).split()]
    return vals[:n]


def word32(addr):
    out = cmd("xp /1wx 0x%x" % addr)
    m = re.search(r":\s+0x([0-9a-f]+)", out)
    return int(m.group(1), 16) if m else None


cmd()  # the banner
cmd("stop")
regs = cmd("info registers -a")
for cpu, block in enumerate(re.split(r"\nCPU#\d+\n", "\n" + regs)[1:]):
    pc = re.search(r"PC=([0-9a-f]+)", block)
    ps = re.search(r"PSTATE=([0-9a-f]+) (\S+) (EL\d\w)", block)
    print("cpu %d: PC=%s PSTATE=%s %s" % (cpu, pc and pc.group(1), ps and ps.group(1), ps and ps.group(3)))
for cpu in range(nr_cpus):
    frame = GICR_BASE + cpu * GICR_STRIDE + SGI_FRAME
    pend, act = word32(frame + ISPENDR0), word32(frame + ISACTIVER0)
    print("cpu %d: GICR ISPENDR0=%s ISACTIVER0=%s (SGI 8 kick, PPI 25 maint, 26 EL2 timer, 27 vtimer)"
          % (cpu, pend is not None and hex(pend), act is not None and hex(act)))
syms = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True).stdout
m = re.search(r"^([0-9a-f]+) \w el2_sched_traces$", syms, re.M)
if not m:
    sys.exit("no el2_sched_traces in " + elf)
off = int(m.group(1), 16)
base = None
for cand in (0x40200000, 0x40000000, 0x40080000):
    if word32(cand + 0x38) == 0x644D5241:  # "ARM\x64": the Image header
        base = cand
        break
if base is None:
    sys.exit("EL2 image not found")
for cpu in range(nr_cpus):
    vals = words(base + off + cpu * 8 * len(TRACE_WORDS), len(TRACE_WORDS))
    t = dict(zip(TRACE_WORDS, vals))
    progress += t["server_calls"]
    where = WHERE[t["where"]] if t.get("where", 99) < len(WHERE) else t.get("where")
    print("cpu %d: sched %s loaded=%s idle_mask=%#x wfis=%d wfi_at=%#x hp_deadline=%#x ppi27_active=%d"
          % (cpu, where, t["loaded"] - 1 if t["loaded"] else None, t["idle_mask"], t["wfi_count"],
             t["wfi_at"], t["hp_deadline"], t["vtimer_active"]))
    vnow = t["cntv_cval"] if t["cntv_ctl"] & 1 else None
    print("cpu %d:   loaded vtimer ctl=%#x cval=%#x (phys %#x) off=%#x line=%d; vs wfi_at %+d ticks"
          % (cpu, t["cntv_ctl"], t["cntv_cval"], (t["cntv_cval"] + t["cntvoff"]) & (2**64 - 1),
             t["cntvoff"], t["vtimer_line"],
             ((t["cntv_cval"] + t["cntvoff"]) & (2**64 - 1)) - t["wfi_at"] if vnow is not None else 0))
    print("cpu %d:   last server call fn=%#x x1=%#x ret1=%#x; last IDLE RUN tuple=%#x migrate=%d delay=%#x ctl=%#x cval=%#x at=%#x"
          % (cpu, t["server_fn"], t["server_x1"], t["server_ret1"], t["idle_tuple"], t["idle_migrate"],
             t["idle_delay"], t["idle_ctl"], t["idle_cval"], t["idle_at"]))
print("progress: %d hypercall-server calls" % progress)
cmd("cont")
