/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Tracepoints named and shaped as GenieZone's trace/events/geniezone.h
 * (system "geniezone"), so the same trace-cmd / perf recipes work:
 *   mtk_hypcall_enter  id            every hypercall, before it is issued
 *   mtk_hypcall_leave  id, invalid   after it; invalid = 1 when the
 *                                    hypervisor answered NOT_SUPPORTED
 *   mtk_vcpu_exit      exit_reason   every RUN's exit, by name
 * Fields are unsigned long, as theirs. Exit names: GenieZone's eleven,
 * plus IDLE and IPI (an extension: MediaTek's list prints those in hex).
 * Included with CREATE_TRACE_POINTS by gzvm_hyp.c only.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM geniezone

#if !defined(GZVM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define GZVM_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include <hv/abi.h>

#define GZVM_TRACE_EXIT_NAMES                                                                      \
	{HV_ABI_EXIT_UNKNOWN, "UNKNOWN"}, {HV_ABI_EXIT_MMIO, "MMIO"},                              \
	    {HV_ABI_EXIT_HYPERCALL, "HYPERCALL"}, {HV_ABI_EXIT_IRQ, "IRQ"},                        \
	    {HV_ABI_EXIT_EXCEPTION, "EXCEPTION"}, {HV_ABI_EXIT_DEBUG, "DEBUG"},                    \
	    {HV_ABI_EXIT_FAIL_ENTRY, "FAIL_ENTRY"},                                                \
	    {HV_ABI_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR"},                                        \
	    {HV_ABI_EXIT_SYSTEM_EVENT, "SYSTEM_EVENT"}, {HV_ABI_EXIT_SHUTDOWN, "SHUTDOWN"},        \
	    {HV_ABI_EXIT_GZ, "GZ"}, {HV_ABI_EXIT_IDLE, "IDLE"},                                    \
	{                                                                                          \
		HV_ABI_EXIT_IPI, "IPI"                                                             \
	}

TRACE_EVENT(mtk_hypcall_enter, TP_PROTO(unsigned long id), TP_ARGS(id),
            TP_STRUCT__entry(__field(unsigned long, id)), TP_fast_assign(__entry->id = id;),
            TP_printk("id=0x%lx", __entry->id));

TRACE_EVENT(mtk_hypcall_leave, TP_PROTO(unsigned long id, unsigned long invalid),
            TP_ARGS(id, invalid),
            TP_STRUCT__entry(__field(unsigned long, id) __field(unsigned long, invalid)),
            TP_fast_assign(__entry->id = id; __entry->invalid = invalid;),
            TP_printk("id=0x%lx invalid=%lu", __entry->id, __entry->invalid));

TRACE_EVENT(mtk_vcpu_exit, TP_PROTO(unsigned long exit_reason), TP_ARGS(exit_reason),
            TP_STRUCT__entry(__field(unsigned long, exit_reason)),
            TP_fast_assign(__entry->exit_reason = exit_reason;),
            TP_printk("vcpu exit_reason=%s(0x%lx)",
                      __print_symbolic(__entry->exit_reason, GZVM_TRACE_EXIT_NAMES),
                      __entry->exit_reason));

#endif /* GZVM_TRACE_H */

/* Out of tree: define_trace.h includes this file again from the module's
 * own directory (Kbuild adds -I$(src) for gzvm_hyp.o). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gzvm_trace
#include <trace/define_trace.h>
