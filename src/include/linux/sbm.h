/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SandBox Mode (SBM): run a kernel function so that it can only touch
 * memory that was explicitly handed to it.
 *
 * See Documentation/security/sandbox-mode.rst.
 */
#ifndef __LINUX_SBM_H
#define __LINUX_SBM_H

#include <linux/args.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>

/* Maximum number of arguments of a sandboxed function. */
#define SBM_MAX_ARGS		6

/* Largest buffer that can be passed to a sandbox. */
#define SBM_MAX_BUF_SIZE	(64UL << 20)

/* Return addresses kept from the stack of a terminated sandbox. */
#define SBM_FAULT_TRACE		8

/* Direction flags of a sandbox buffer. */
#define SBM_BUF_IN		0x1	/* copied into the sandbox */
#define SBM_BUF_OUT		0x2	/* copied back after a clean return */
#define SBM_BUF_INOUT		(SBM_BUF_IN | SBM_BUF_OUT)
#define SBM_BUF_KEEP		0x4	/* output read in place, sbm_out_data() */

#define __SBM_P0()		void
#define __SBM_P1(...)		__VA_ARGS__
#define __SBM_P2(...)		__VA_ARGS__
#define __SBM_P3(...)		__VA_ARGS__
#define __SBM_P4(...)		__VA_ARGS__
#define __SBM_P5(...)		__VA_ARGS__
#define __SBM_P6(...)		__VA_ARGS__
/* A parameter list, "void" if empty; more than six do not compile. */
#define __SBM_PARAMS(...) \
	CONCATENATE(__SBM_P, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)

/**
 * struct sbm_fault - what terminated a sandbox
 * @vector:	CPU exception vector, or -1 if the sandbox was not stopped
 *		by a CPU exception (e.g. it ran out of CPU time)
 * @error_code:	error code pushed by the CPU, or 0
 * @address:	faulting address for page faults, otherwise 0
 * @ip:		instruction pointer at the time of the violation
 * @trace:	return addresses into sandbox code found on the sandbox
 *		stack, innermost first: a guess, as the sandbox controls
 *		its stack, but never an address outside sandbox code
 * @trace_len:	number of entries in @trace
 *
 * Only filled in by architectures with strong isolation.
 */
struct sbm_fault {
	int vector;
	unsigned long error_code;
	unsigned long address;
	unsigned long ip;
	unsigned long trace[SBM_FAULT_TRACE];
	unsigned int trace_len;
};

/**
 * struct sbm - a SandBox Mode instance
 * @error:	first error seen by this instance (sticky), or 0
 * @busy:	a call of this instance is running
 * @strong:	true if this instance uses the architecture's strong isolation
 * @timeout_ns:	CPU time budget of one sbm_call(), in nanoseconds; 0 means
 *		no limit. Only enforced with strong isolation.
 * @bufs:	buffers prepared for the next sbm_call()
 * @spare:	buffers of earlier calls whose areas can be used again
 * @kept:	outputs of the last call that the caller reads in place
 * @fault:	details of the last violation
 * @exits:	how many times the last sbm_call() left its sandbox for an
 *		interrupt and resumed it (strong isolation)
 * @data:	private copy of the sandbox library data (strong isolation)
 * @heap:	heap arena for sandbox library code (kernel address), or %NULL
 * @heap_size:	size of @heap in bytes
 * @heap_addr:	address of @heap as the sandbox sees it
 * @mod_text:	the module sandbox code that held the function of an
 *		earlier call, [start, end), or zeroes
 * @mod_gen:	how many modules had gone when @mod_text was looked up
 * @arch:	architecture-specific state
 *
 * Treat all fields as private, except that a caller may lower or raise
 * @timeout_ns between sbm_init() and sbm_call().
 */
struct sbm {
#ifdef CONFIG_SANDBOX_MODE
	int error;
	atomic_t busy;
	bool strong;
	u64 timeout_ns;
	struct list_head bufs;
	struct list_head spare;
	struct list_head kept;
	struct sbm_fault fault;
	unsigned int exits;
	void *data;
	void *heap;
	size_t heap_size;
	unsigned long heap_addr;
	unsigned long mod_text[2];
	unsigned long mod_gen;
	void *arch;
#endif
};

#ifdef CONFIG_SANDBOX_MODE

/**
 * struct sbm_buf - a buffer passed to a sandbox
 * @list:	link in &sbm.bufs
 * @orig:	the caller's buffer
 * @area:	vmalloc'ed, page-aligned area holding the copy
 * @area_size:	size of @area, a multiple of PAGE_SIZE
 * @data:	kernel address of the copy; the copy ends at the end of
 *		@area, so the guard page behind @area catches overflows
 * @sbm_addr:	address of the copy as seen by the sandboxed function
 * @size:	size of the buffer in bytes
 * @flags:	%SBM_BUF_IN, %SBM_BUF_OUT or both
 * @zero_head:	how many bytes at the start of @area are known to be
 *		zeroes (a spare area: all after a wipe, the part before
 *		the data after an input)
 */
struct sbm_buf {
	struct list_head list;
	void *orig;
	void *area;
	size_t area_size;
	void *data;
	void *sbm_addr;
	size_t size;
	unsigned int flags;
	size_t zero_head;
};

/*
 * Sandboxed code lives in its own page-aligned section, so that no other
 * function shares a page with it and nothing else needs to be marked.
 * It runs at CPL3 where the architecture provides strong isolation, so it
 * is built like user-space code: no stack protector (it reads per-CPU
 * data), no tracing or sanitizer hooks, no padding for call depth
 * accounting, and plain returns and indirect branches instead of the
 * kernel's thunks. Entering and leaving a sandbox is what protects the
 * kernel from speculation, as for user space. modpost rejects any
 * reference from sandbox code to anything outside the sandbox sections.
 */
#ifdef CONFIG_CC_IS_GCC
#define __sbm_nothunk	__attribute__((__function_return__("keep"), \
					       __indirect_branch__("keep")))
#else
#define __sbm_nothunk
#endif

#if __has_attribute(__patchable_function_entry__)
#define __sbm_nopad	__attribute__((__patchable_function_entry__(0, 0)))
#else
#define __sbm_nopad
#endif

#define __sbm_text	__noinstr_section(".sbm.text")

/**
 * SBM_DEFINE_FUNC() - declare or define a function that runs in a sandbox
 * @name:	name of the function
 * @...:	parameter declarations, e.g. ``void *in, size_t len``; at most
 *		%SBM_MAX_ARGS, each an integer or a pointer
 *
 * The function returns int. It may only call other sandboxed functions.
 */
#define SBM_DEFINE_FUNC(name, ...) \
	__sbm_text __no_stack_protector __no_sanitize_undefined \
	__no_sanitize_address __sbm_nothunk __sbm_nopad \
	int name(__SBM_PARAMS(__VA_ARGS__))

int sbm_init(struct sbm *sbm);
bool sbm_strong_available(void);
void sbm_destroy(struct sbm *sbm);
void *sbm_add_buf(struct sbm *sbm, const void *buf, size_t size,
		  unsigned int flags);
struct iov_iter;
void *sbm_add_buf_iter(struct sbm *sbm, struct iov_iter *iter, size_t size);
const void *sbm_out_data(struct sbm *sbm, const void *sbm_addr);
int __sbm_call(struct sbm *sbm, void *func, const unsigned long *args,
	       unsigned int nargs);

#ifdef CONFIG_SANDBOX_MODE_LIB
int sbm_init_heap(struct sbm *sbm, size_t size);
#else
/* Only sandbox library code (see <linux/sbm_lib.h>) allocates. */
static inline int sbm_init_heap(struct sbm *sbm, size_t size)
{
	return -EOPNOTSUPP;
}
#endif

/**
 * sbm_error() - get the sticky error of a sandbox instance
 * @sbm:	SBM instance
 *
 * Return: 0 if all operations on @sbm succeeded so far, otherwise the
 * first error: a setup failure (e.g. -ENOMEM, -EINVAL) or the reason a
 * sandbox was terminated (e.g. -EFAULT, -ETIMEDOUT).
 */
static inline int sbm_error(const struct sbm *sbm)
{
	return sbm ? sbm->error : -EINVAL;
}

/**
 * SBM_COPY_IN() - pass an input buffer to the next sbm_call()
 * @sbm:	SBM instance
 * @buf:	buffer
 * @size:	size of @buf in bytes
 *
 * The buffer is copied into a read-only sandbox buffer.
 *
 * Return: the address of the copy as seen by the sandboxed function, or
 * %NULL on error (recorded in @sbm and returned by the next sbm_call()).
 */
#define SBM_COPY_IN(sbm, buf, size)	sbm_add_buf(sbm, buf, size, SBM_BUF_IN)

/**
 * SBM_COPY_OUT() - pass an output buffer to the next sbm_call()
 * @sbm:	SBM instance
 * @buf:	buffer
 * @size:	size of @buf in bytes
 *
 * The sandbox gets a zero-filled writable buffer that is copied to @buf
 * only if the sandboxed function returns without a violation.
 *
 * Return: as for SBM_COPY_IN().
 */
#define SBM_COPY_OUT(sbm, buf, size)	sbm_add_buf(sbm, buf, size, SBM_BUF_OUT)

/**
 * SBM_COPY_INOUT() - pass a buffer that is both input and output
 * @sbm:	SBM instance
 * @buf:	buffer
 * @size:	size of @buf in bytes
 *
 * Like SBM_COPY_OUT(), but the sandbox buffer starts as a copy of @buf.
 *
 * Return: as for SBM_COPY_IN().
 */
#define SBM_COPY_INOUT(sbm, buf, size)	sbm_add_buf(sbm, buf, size, SBM_BUF_INOUT)

/**
 * SBM_COPY_IN_ITER() - pass an input gathered from an iov_iter
 * @sbm:	SBM instance
 * @iter:	source, for instance the pages of a bio (ITER_BVEC); advanced
 *		by @size
 * @size:	bytes to copy
 *
 * Like SBM_COPY_IN(), for input scattered over pages: it is copied once,
 * straight into the sandbox buffer. Fails with -EFAULT if @iter holds
 * fewer than @size bytes. Only with CONFIG_SANDBOX_MODE.
 *
 * Return: as for SBM_COPY_IN().
 */
#define SBM_COPY_IN_ITER(sbm, iter, size) sbm_add_buf_iter(sbm, iter, size)

/**
 * SBM_OUT_KEEP() - pass an output that the caller reads in place
 * @sbm:	SBM instance
 * @size:	size of the output in bytes
 *
 * Like SBM_COPY_OUT(), but nothing is copied back: after a clean return,
 * sbm_out_data() gives the sandbox buffer itself, for the caller to copy
 * from what it needs to wherever it needs it (the pages of a page cache
 * read, say). Only with CONFIG_SANDBOX_MODE.
 *
 * Return: as for SBM_COPY_IN().
 */
#define SBM_OUT_KEEP(sbm, size) \
	sbm_add_buf(sbm, NULL, size, SBM_BUF_OUT | SBM_BUF_KEEP)

/* Store the arguments of sbm_call() in __sbm_args[], in order. */
#define __SBM_SET(i, a)		(__sbm_args[i] = (unsigned long)(a))
#define __SBM_A0()		((void)0)
#define __SBM_A1(a)		__SBM_SET(0, a)
#define __SBM_A2(a, b)		(__SBM_SET(0, a), __SBM_SET(1, b))
#define __SBM_A3(a, b, c)	(__SBM_A2(a, b), __SBM_SET(2, c))
#define __SBM_A4(a, b, c, d)	(__SBM_A3(a, b, c), __SBM_SET(3, d))
#define __SBM_A5(a, b, c, d, e)	(__SBM_A4(a, b, c, d), __SBM_SET(4, e))
#define __SBM_A6(a, b, c, d, e, f) \
	(__SBM_A5(a, b, c, d, e), __SBM_SET(5, f))
#define __SBM_ARGS(...) \
	CONCATENATE(__SBM_A, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)

/**
 * sbm_call() - run a function in a sandbox
 * @sbm:	SBM instance
 * @func:	function defined with SBM_DEFINE_FUNC()
 * @...:	arguments of @func; use SBM_COPY_IN(), SBM_COPY_OUT() and
 *		SBM_COPY_INOUT() for buffers
 *
 * The arguments are evaluated (so the buffers are prepared) before @func
 * is called. The buffers are released when sbm_call() returns, so @sbm can
 * be used for further calls. Must be called from process context.
 *
 * Return: the return value of @func, or the sticky error of @sbm if a
 * buffer could not be prepared or the sandbox was terminated. In that
 * case nothing is copied back; sbm_error() tells the two cases apart.
 * -EBUSY if another call of @sbm is running (on another CPU): that call
 * goes on unharmed, and the error is not recorded in @sbm.
 */
#define sbm_call(sbm, func, ...) ({					\
	__auto_type __sbm_fn = 1 ? (func) : NULL;			\
	unsigned long __sbm_args[SBM_MAX_ARGS];				\
	static_assert(COUNT_ARGS(__VA_ARGS__) <= SBM_MAX_ARGS,		\
		      "too many arguments for a sandboxed function");	\
	static_assert(__same_type(__sbm_fn(__VA_ARGS__), int),		\
		      "sandboxed functions return int");		\
	__SBM_ARGS(__VA_ARGS__);					\
	__sbm_call(sbm, (void *)__sbm_fn, __sbm_args,			\
		   COUNT_ARGS(__VA_ARGS__));				\
})

#ifdef CONFIG_FAIL_SBM_ALLOC
bool sbm_fail_alloc(void);
#else
static inline bool sbm_fail_alloc(void)
{
	return false;
}
#endif

/*
 * Interface to the architecture's strong isolation (CONFIG_HAVE_ARCH_SBM).
 * The core calls these hooks only for instances with @strong set.
 */

/* Rate limits of each sandboxed function's messages (kernel/sbm/stats.c). */
enum sbm_ratelimit_kind {
	SBM_RATELIMIT_REPORT,
	SBM_RATELIMIT_LOG,
	SBM_RATELIMITS
};

bool sbm_ratelimit(void *func, enum sbm_ratelimit_kind which);

/*
 * The functions that every sbm_call() runs, generic and arch, are kept
 * together in .text.hot, which the linker puts first in .text (see
 * TEXT_TEXT): they run right after a switch of page tables, when every
 * page of code they touch costs a TLB miss.
 */
#define __sbm_hot	__attribute__((__hot__))

/**
 * arch_sbm_available() - check whether strong isolation can be used
 *
 * Return: true if the CPU and the running kernel support it.
 */
bool arch_sbm_available(void);

/**
 * arch_sbm_init() - set up the architecture state of an instance
 * @sbm:	SBM instance; store the state in @sbm->arch
 *
 * Return: 0 or a negative errno.
 */
int arch_sbm_init(struct sbm *sbm);

/**
 * arch_sbm_destroy() - release the architecture state of an instance
 * @sbm:	SBM instance
 */
void arch_sbm_destroy(struct sbm *sbm);

/**
 * arch_sbm_map_buf() - make a buffer accessible to the sandbox
 * @sbm:	SBM instance
 * @buf:	buffer; set @buf->sbm_addr to the address the sandbox uses
 *
 * Return: 0 or a negative errno.
 */
int arch_sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf);

/**
 * arch_sbm_map_data() - map the private copy of the sandbox library data
 * @sbm:	SBM instance; @sbm->data is the copy
 *
 * The copy must appear at the address of the kernel's own .sbm.data.
 *
 * Return: 0 or a negative errno.
 */
int arch_sbm_map_data(struct sbm *sbm);

/**
 * arch_sbm_map_heap() - map the heap arena of an instance
 * @sbm:	SBM instance; set @sbm->heap_addr to where the sandbox sees
 *		@sbm->heap
 *
 * Return: 0 or a negative errno.
 */
int arch_sbm_map_heap(struct sbm *sbm);

/**
 * arch_sbm_image_addr() - where a sandbox sees an address of the kernel
 * @addr:	kernel address in a sandbox section (.sbm.text, .sbm.rodata,
 *		.sbm.data) of vmlinux or of a module
 *
 * Return: the address at which sandboxed code with strong isolation sees
 * @addr. The architecture may map the sandbox sections elsewhere than the
 * kernel does, so that a sandbox finds no kernel address in them.
 */
unsigned long arch_sbm_image_addr(unsigned long addr);

/**
 * arch_sbm_reset() - undo what the sandbox wrote to one of its areas
 * @sbm:	SBM instance
 * @sbm_addr:	where the sandbox sees the area
 * @area:	the area, at its kernel address
 * @size:	size of the area in bytes, a multiple of %PAGE_SIZE
 * @pristine:	what the area must hold again, or %NULL for zeroes
 *
 * Called between calls, never while the sandbox runs. The architecture
 * may restore only the pages that the sandbox wrote since the last reset.
 */
void arch_sbm_reset(struct sbm *sbm, unsigned long sbm_addr, void *area,
		    size_t size, const void *pristine);

/**
 * arch_sbm_unmap_bufs() - revoke access to all buffers of the last call
 * @sbm:	SBM instance
 */
void arch_sbm_unmap_bufs(struct sbm *sbm);

/**
 * arch_sbm_exec() - run a function with strong isolation
 * @sbm:	SBM instance
 * @func:	sandboxed function
 * @args:	arguments, already translated to sandbox addresses
 * @nargs:	number of arguments
 * @result:	return value of @func on success
 *
 * Return: 0 if @func returned normally, or a negative errno if the
 * sandbox was terminated (details in @sbm->fault).
 */
int arch_sbm_exec(struct sbm *sbm, void *func, const unsigned long *args,
		  unsigned int nargs, int *result);

#else /* !CONFIG_SANDBOX_MODE */

#define SBM_DEFINE_FUNC(name, ...)	int name(__SBM_PARAMS(__VA_ARGS__))

static inline int sbm_init(struct sbm *sbm)
{
	return 0;
}

static inline void sbm_destroy(struct sbm *sbm)
{
}

static inline int sbm_init_heap(struct sbm *sbm, size_t size)
{
	return 0;
}

static inline bool sbm_strong_available(void)
{
	return false;
}

static inline int sbm_error(const struct sbm *sbm)
{
	return 0;
}

#define __SBM_DIRECT(sbm, buf, size) \
	({ (void)(sbm); (void)(size); (void *)(buf); })
#define SBM_COPY_IN(sbm, buf, size)	__SBM_DIRECT(sbm, buf, size)
#define SBM_COPY_OUT(sbm, buf, size)	__SBM_DIRECT(sbm, buf, size)
#define SBM_COPY_INOUT(sbm, buf, size)	__SBM_DIRECT(sbm, buf, size)
#define sbm_call(sbm, func, ...)	({ (void)(sbm); (func)(__VA_ARGS__); })

#endif /* CONFIG_SANDBOX_MODE */

#endif /* __LINUX_SBM_H */
