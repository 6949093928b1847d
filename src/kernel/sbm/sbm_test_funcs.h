/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Misbehaving sandboxed functions shared by the SandBox Mode tests.
 */
#ifndef __KERNEL_SBM_TEST_FUNCS_H
#define __KERNEL_SBM_TEST_FUNCS_H

#include <linux/align.h>
#include <linux/compiler.h>
#include <linux/objtool.h>
#include <linux/sbm.h>

#ifdef CONFIG_X86_64
#include <asm/processor-flags.h>
#include <asm/segment.h>
#endif

#ifdef CONFIG_X86_64
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_write, unsigned long addr)
{
	WRITE_ONCE(*(u8 *)addr, 0x42);
	return 1;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_read, unsigned long addr)
{
	return READ_ONCE(*(u8 *)addr);
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_exec, unsigned long addr)
{
	return ((int (*)(void))addr)();
}

/* Write a RET to the sandbox stack and jump to it. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_exec_stack)
{
	u8 code[16];

	WRITE_ONCE(code[0], 0xc3);
	barrier_data(code);
	return ((int (*)(void))code)();
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_recurse, unsigned long depth)
{
	u8 frame[512];

	WRITE_ONCE(frame[0], depth);
	barrier_data(frame);
	if (depth)
		return sbm_t_recurse(depth - 1) + READ_ONCE(frame[0]);
	return 0;
}

/*
 * Replace the return address, which the kernel put on top of the sandbox
 * stack, with @to, and end the call as a return would: at that return
 * address, with 7 in %rax. -1 if the top of the stack did not hold it.
 */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_return_to, unsigned long to)
{
	unsigned long ret = (unsigned long)__builtin_return_address(0);
	unsigned long sp, *top;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	top = (unsigned long *)ALIGN(sp + 1, PAGE_SIZE) - 1;
	if (READ_ONCE(*top) != ret)
		return -1;
	WRITE_ONCE(*top, to);
	asm volatile("call *%0" :: "r" (ret), "a" (7UL) : "memory");
	return -2;
}

/* Words of the sandbox stack below the stack pointer that the tests use. */
#define SBM_T_STACK_WORDS	(3 * PAGE_SIZE / sizeof(unsigned long))

/* Write @c to the stack below the stack pointer, across pages. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_stack_fill, unsigned long c)
{
	unsigned long *sp, i;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	for (i = 1; i <= SBM_T_STACK_WORDS; i++)
		WRITE_ONCE(sp[-i], c);
	return 0;
}

/* Return how far below the stack pointer the first nonzero word is. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_stack_scan)
{
	unsigned long *sp, i;

	asm volatile("mov %%rsp, %0" : "=r" (sp));
	for (i = 1; i <= SBM_T_STACK_WORDS; i++)
		if (READ_ONCE(sp[-i]))
			return i;
	return 0;
}

/* Write to @addr @depth calls deep. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_deep_write, unsigned long depth,
				      unsigned long addr)
{
	u8 frame[64];

	WRITE_ONCE(frame[0], depth);
	barrier_data(frame);
	if (depth)
		return sbm_t_deep_write(depth - 1, addr) + READ_ONCE(frame[0]);
	WRITE_ONCE(*(u8 *)addr, 0x42);
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_spin, unsigned long iterations)
{
	unsigned long i;

	for (i = 0; iterations == 0 || i < iterations; i++)
		barrier();
	return 7;
}

/* Leaves @marker in the registers that it may clobber, and returns it. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_marker, unsigned long marker)
{
	asm volatile("movq %0, %%rcx\n\t"
		     "movq %0, %%rdx\n\t"
		     "movq %0, %%rsi\n\t"
		     "movq %0, %%r8\n\t"
		     "movq %0, %%r9\n\t"
		     "movq %0, %%r10\n\t"
		     "movq %0, %%r11"
		     :: "D" (marker)
		     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "memory");
	return (int)lower_32_bits(marker);
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_divide, unsigned long a, unsigned long b)
{
	unsigned long q;

	asm volatile("divq %2" : "=a" (q) : "a" (a), "r" (b), "d" (0UL));
	return q;
}

/* Each runs one instruction that a sandbox must not get away with. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_cli)
{
	asm volatile("cli" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_sti)
{
	asm volatile("sti" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_hlt)
{
	asm volatile("hlt" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_wrmsr)
{
	asm volatile("xor %%eax, %%eax; xor %%edx, %%edx; mov $0xc0000080, %%ecx; wrmsr"
		     ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_rdmsr)
{
	asm volatile("mov $0xc0000080, %%ecx; rdmsr" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_mov_cr3)
{
	asm volatile("xor %%eax, %%eax; mov %%rax, %%cr3" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_lgdt)
{
	asm volatile("sub $16, %%rsp; lgdt (%%rsp); add $16, %%rsp"
		     ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_lidt)
{
	asm volatile("sub $16, %%rsp; lidt (%%rsp); add $16, %%rsp"
		     ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

/* Raise vector 18 (#MC) with INT, which the tests allow, then write. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_int18, u8 *out)
{
	asm volatile("int $18" ::: "memory");
	WRITE_ONCE(out[0], 0x42);
	return 1;
}

/* What a sandbox learns of the descriptor tables, where UMIP is off. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_sidt, u8 *out)
{
	asm volatile("sidt %0" : "=m" (*(u8 (*)[10])out));
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_sgdt, u8 *out)
{
	asm volatile("sgdt %0" : "=m" (*(u8 (*)[10])out));
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_str, u8 *out)
{
	asm volatile("str %0" : "=m" (*(u16 *)out));
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_in)
{
	asm volatile("mov $0x3f8, %%dx; inb %%dx, %%al" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_out)
{
	asm volatile("mov $0x3f8, %%dx; mov $0x41, %%al; outb %%al, %%dx"
		     ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_int3)
{
	asm volatile("int3" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

/* ICEBP (INT1): a #DB that no gate's DPL stops. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_icebp)
{
	asm volatile(".byte 0xf1" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_ud2)
{
	asm volatile("ud2" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_syscall)
{
	asm volatile("mov $39, %%eax; syscall" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_sysenter)
{
	asm volatile("sysenter" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_int80)
{
	asm volatile("int $0x80" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_int_timer)
{
	asm volatile("int $0xec" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_swapgs)
{
	asm volatile("swapgs" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_fpu)
{
	asm volatile("fninit" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_sse)
{
	asm volatile("xorps %%xmm0, %%xmm0" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

/*
 * The caller's extended register state is live while a sandbox runs; no
 * instruction may reach it.
 */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_fxsave)
{
	u8 area[512 + 16];

	asm volatile("fxsave64 %0" : "=m" (*(u8 (*)[512])PTR_ALIGN((u8 *)area, 16)));
	return 0;
}

/* XSAVE of the x87, SSE and AVX state (at most 832 bytes) to @out. */
#define SBM_T_XSAVE_SIZE	1024

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_xsave_to, u8 *out)
{
	asm volatile("xsave64 %0" : "=m" (*(u8 (*)[SBM_T_XSAVE_SIZE])out)
		     : "a" (7), "d" (0));
	return 0;
}

/*
 * XSAVE and XRSTOR of the x87, SSE and AVX state on the sandbox stack
 * (what XRSTOR would load does not matter: it must fault before it reads).
 */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_xsave)
{
	u8 area[SBM_T_XSAVE_SIZE] __aligned(64);

	asm volatile("xsave64 %0" : "=m" (area) : "a" (7), "d" (0));
	return area[0];
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_xrstor)
{
	u8 area[SBM_T_XSAVE_SIZE] __aligned(64);

	asm volatile("xrstor64 %0" :: "m" (area), "a" (7), "d" (0));
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_fxrstor)
{
	u8 area[512] __aligned(16);

	asm volatile("fxrstor64 %0" :: "m" (area));
	return 0;
}

/* Reads of the x87 and SSE control state and of the MMX registers. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_fnstenv)
{
	u8 env[28];

	asm volatile("fnstenv %0" : "=m" (env));
	return env[0];
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_stmxcsr)
{
	u32 mxcsr;

	asm volatile("stmxcsr %0" : "=m" (mxcsr));
	return mxcsr;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_mmx)
{
	u64 val;

	asm volatile("movq %%mm0, %0" : "=m" (val));
	return val;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_avx)
{
	asm volatile("vmovdqa %%ymm1, %%ymm0" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_avx512)
{
	asm volatile("kmovw %%k1, %%eax" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_amx)
{
	asm volatile("tilerelease" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_invlpg)
{
	asm volatile("invlpg (%%rsp)" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_rdpmc)
{
	asm volatile("xor %%ecx, %%ecx; rdpmc" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_rdtsc)
{
	asm volatile("rdtsc" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

static __maybe_unused SBM_DEFINE_FUNC(sbm_t_rdtscp)
{
	asm volatile("rdtscp" ::: "rax", "rcx", "rdx", "memory");
	return 0;
}

/* Change all the CPU state that CPL3 code may change, then fault. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_clobber, unsigned long fault)
{
	unsigned long flags = X86_EFLAGS_DF | X86_EFLAGS_AC | X86_EFLAGS_IF |
			      X86_EFLAGS_FIXED;

	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%fs; mov %0, %%gs"
		     :: "r" (__USER_DS) : "memory");
	if (fault == 2)
		asm volatile("wrfsbase %0; wrgsbase %0" :: "r" (0x12345000UL));
	asm volatile("push %0; popf" :: "r" (flags) : "memory", "cc");
	if (fault)
		asm volatile("ud2");
	return 0;
}

/* Report the PKRU that the sandbox starts with, then change it to @val. */
static __maybe_unused SBM_DEFINE_FUNC(sbm_t_pkru, u32 *seen, unsigned long val)
{
	u32 pkru, edx;

	asm volatile("rdpkru" : "=a" (pkru), "=d" (edx) : "c" (0));
	*seen = pkru;
	asm volatile("wrpkru" : : "a" ((u32)val), "c" (0), "d" (0) : "memory");
	return 0;
}

/* objtool rightly refuses these in callable kernel functions. */
STACK_FRAME_NON_STANDARD(sbm_t_syscall);
STACK_FRAME_NON_STANDARD(sbm_t_sysenter);
STACK_FRAME_NON_STANDARD(sbm_t_ud2);
STACK_FRAME_NON_STANDARD(sbm_t_clobber);
#endif /* CONFIG_X86_64 */

#endif /* __KERNEL_SBM_TEST_FUNCS_H */
