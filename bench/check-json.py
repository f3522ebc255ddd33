#!/usr/bin/env python3
# check-json.py FILE...: each FILE is one bench's output (NAME_bench.json).
# Checks that it is one JSON object, that every key this bench promises is
# there, and that every number in it (nested objects included) is finite.
# No timing thresholds: quick-mode figures are not measurements.
import json
import math
import os
import sys

REQUIRED = {
    "exit_bench": ["mmio_isv1_ns", "mmio_isv0_ns", "psci_version_ns", "unknown_ec_ns",
                   "floor_dispatch_ns", "mmio_isv1_ns_vs_floor"],
    "vgic_bench": ["inject_ns", "floor_inject_ns", "inject_ns_vs_floor"] +
                  [f"{p}flush_sync{c}_ns_{n}{s}" for p, s in (("", ""), ("floor_", ""),
                                                               ("", "_vs_floor"))
                   for c in ("", "_churn") for n in (1, 4, 64, 1024)],
    "mem_bench": [f"{p}{k}{s}" for k in ("fault_block_ns", "fault_4k_x512_ns",
                                          "fault_block_scattered_ns",
                                          "fault_4k_x512_scattered_ns", "destroy_1g_ns")
                  for p, s in (("", ""), ("floor_", ""), ("", "_vs_floor"))] +
                 ["fault_ratio", "fault_ratio_scattered", "destroy_1g_rounds"],
    "s2_bench": [f"{k}{w}" for k in ("map4k_call_ns", "map4k_range_ns", "lookup_random_ns",
                                      "lookup_seq_ns", "unmap4k_call_ns", "unmap_range_ns",
                                      "map2m_call_ns", "map2m_range_ns", "table_pages_1g_4k",
                                      "tlbi_calls_unmap_1g", "map4k_call_shuffled_ns",
                                      "unmap4k_call_shuffled_ns", "lookup_random_warm_ns",
                                      "floor_lookup_random_ns", "lookup_random_full_ns")
                 for w in ("", "_48")] + ["floor_fill_ns", "clock_read_ns"],
    "hvsim_bench": ["hvsim_mips", "hvsim_mmio_exits_per_s", "floor_unicorn_mips",
                    "floor_unicorn_exits_per_s", "hvsim_mips_vs_floor",
                    "hvsim_mmio_exits_per_s_vs_floor"],
    "el2_exit_bench": ["hvc_insns", "mmio_read_insns", "mmio_write_insns", "vgic_read_insns",
                       "sgi_same_cpu_insns", "sgi_other_cpu_insns", "vtimer_irq_insns",
                       "s2_fault_block_insns", "host_mmio_round_trip_insns",
                       "hvc_fast_fast_insns", "mmio_fast_el2_insns", "mmio_fast_dispatch_insns",
                       "pl011_read_el2_insns",
                       "pl011_read_switch_out_insns", "pl011_read_dispatch_insns",
                       "pl011_read_switch_in_insns", "gic_read_el2_insns", "irq_el2_insns"],
    "linux_boot_bench": ["direct_s", "hyp_s", "ratio", "direct_cpu_s", "hyp_cpu_s",
                         "cpu_ratio", "rounds", "exits", "interrupts", "direct_insn_s",
                         "hyp_insn_s", "insn_ratio", "insn_exits", "direct_insn_s_2vcpus",
                         "hyp_insn_s_2vcpus", "insn_ratio_2vcpus", "insn_exits_2vcpus"],
}


def bad_numbers(value, path):
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in bad_numbers(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in bad_numbers(v, f"{path}[{i}]")]
    return []


def check(path):
    name = os.path.basename(path).removesuffix(".json")
    try:
        with open(path) as f:
            obj = json.load(f, parse_constant=lambda c: float(c))
    except (OSError, ValueError) as e:
        return [f"{path}: not a JSON object ({e})"]
    if not isinstance(obj, dict):
        return [f"{path}: not a JSON object"]
    errors = [f"{path}: key {k} missing" for k in REQUIRED.get(name, []) if k not in obj]
    if name not in REQUIRED:
        errors.append(f"{path}: no key list for bench {name} in {sys.argv[0]}")
    errors += [f"{path}: {p} is not finite" for p in bad_numbers(obj, name)]
    numbers = [k for k, v in obj.items() if isinstance(v, (int, float, dict))]
    if not numbers:
        errors.append(f"{path}: no figures")
    return errors


def main():
    if len(sys.argv) < 2:
        print("usage: check-json.py NAME_bench.json...", file=sys.stderr)
        return 2
    errors = [e for path in sys.argv[1:] for e in check(path)]
    for e in errors[:50]:
        print(e, file=sys.stderr)
    if not errors:
        print(f"check-json: {len(sys.argv) - 1} bench outputs, every key present and finite")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
