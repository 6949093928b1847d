/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sbm

#if !defined(_TRACE_SBM_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SBM_H

#include <linux/tracepoint.h>

/*
 * sbm_enter - a sandboxed function is about to run
 * @func:	the sandboxed function
 * @strong:	whether it runs with strong isolation
 */
TRACE_EVENT(sbm_enter,
	    TP_PROTO(void *func, bool strong),
	    TP_ARGS(func, strong),
	    TP_STRUCT__entry(__field(void *, func)
			     __field(bool, strong)),
	    TP_fast_assign(__entry->func = func;
			   __entry->strong = strong;),
	    TP_printk("func=%ps isolation=%s", __entry->func,
		      __entry->strong ? "strong" : "weak")
);

/*
 * sbm_exit - a sandboxed function has returned or was terminated
 * @func:	the sandboxed function
 * @ret:	what sbm_call() returns
 * @error:	the error of the instance, or 0
 * @duration:	time from sbm_enter, in nanoseconds
 * @exits:	times the sandbox was left for an interrupt and resumed
 */
TRACE_EVENT(sbm_exit,
	    TP_PROTO(void *func, int ret, int error, u64 duration,
		     unsigned int exits),
	    TP_ARGS(func, ret, error, duration, exits),
	    TP_STRUCT__entry(__field(void *, func)
			     __field(int, ret)
			     __field(int, error)
			     __field(u64, duration)
			     __field(unsigned int, exits)),
	    TP_fast_assign(__entry->func = func;
			   __entry->ret = ret;
			   __entry->error = error;
			   __entry->duration = duration;
			   __entry->exits = exits;),
	    TP_printk("func=%ps ret=%d error=%d duration=%llu ns exits=%u",
		      __entry->func, __entry->ret, __entry->error,
		      __entry->duration, __entry->exits)
);

/*
 * sbm_fault - a sandbox was terminated by a CPU exception
 * @func:	the sandboxed function
 * @vector:	the exception vector
 * @error_code:	its error code
 * @ip:		where it happened
 * @address:	the faulting address of a page fault, otherwise 0
 */
TRACE_EVENT(sbm_fault,
	    TP_PROTO(void *func, int vector, unsigned long error_code,
		     unsigned long ip, unsigned long address),
	    TP_ARGS(func, vector, error_code, ip, address),
	    TP_STRUCT__entry(__field(void *, func)
			     __field(int, vector)
			     __field(unsigned long, error_code)
			     __field(unsigned long, ip)
			     __field(unsigned long, address)),
	    TP_fast_assign(__entry->func = func;
			   __entry->vector = vector;
			   __entry->error_code = error_code;
			   __entry->ip = ip;
			   __entry->address = address;),
	    TP_printk("func=%ps vector=%d error_code=%#lx ip=%pS address=%#lx",
		      __entry->func, __entry->vector, __entry->error_code,
		      (void *)__entry->ip, __entry->address)
);

#endif /* _TRACE_SBM_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
