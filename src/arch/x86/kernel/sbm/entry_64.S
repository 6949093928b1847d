/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 SandBox Mode transitions.
 *
 * A sandbox runs at CPL3 on its own page tables with its own IDT loaded.
 * Everything that executes at CPL0 while the sandbox page tables may be
 * live is in .sbm.entry.text, which those page tables map (supervisor
 * only), together with the IDT, the per-CPU transition state and the CPU
 * entry area.
 *
 * Leaving the sandbox always goes the same way: whatever the event (the
 * sandboxed function returning, an exception or an interrupt), the stub
 * saves the sandbox registers, restores the kernel CR3 and stack, and
 * returns from sbm_x86_enter(). The C code then decides what to do.
 */

#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/sbm.h>
#include <asm/segment.h>
#include <asm/trapnr.h>

/* %eax = this CPU's offset in sbm_x86_cpus; needs no GS and no memory. */
.macro SBM_CPU_OFFSET
	movl	$__CPUNODE_SEG, %eax
	lsl	%eax, %eax
	andl	$VDSO_CPUNODE_MASK, %eax
	shll	$SBM_CPU_SHIFT, %eax
.endm

	.pushsection .sbm.entry.text, "ax"

/*
 * One stub per vector, SBM_STUB_SIZE bytes each. Make the stack look the
 * same for every vector: [vector] [error code] [hardware frame].
 */
	.p2align PAGE_SHIFT
SYM_CODE_START(sbm_x86_stubs)
	vector = 0
	.rept 256
	.p2align 4, 0xcc
	.if vector > 31
	pushq	$0
	.elseif !((SBM_ERRCODE_VECTORS >> vector) & 1)
	pushq	$0
	.endif
	pushq	$vector
	jmp	sbm_x86_common
	vector = vector + 1
	.endr
SYM_CODE_END(sbm_x86_stubs)
_ASM_NOKPROBE(sbm_x86_stubs)

SYM_CODE_START_LOCAL(sbm_x86_common)
	testb	$3, 24(%rsp)
	jnz	sbm_x86_exit

	/*
	 * From CPL0: the CPU was in a transition, with interrupts disabled.
	 * Only an NMI is expected here; note it for sbm_x86_run(), which
	 * replays it once the kernel IDT is back. IRET ends NMI blocking,
	 * but the NMI gate uses the NMI IST stack, and nothing is left on it.
	 */
	cmpq	$X86_TRAP_NMI, (%rsp)
	jne	.Lkernel_fault
	pushq	%rax
	SBM_CPU_OFFSET
	movq	$1, sbm_x86_cpus + SBM_CPU_NMI_PENDING(%rax)
	popq	%rax
	addq	$16, %rsp
	iretq

	/* Anything else is a bug in the transition code: report it. */
.Lkernel_fault:
	SBM_CPU_OFFSET
	movq	sbm_x86_cpus + SBM_CPU_KERNEL_CR3(%rax), %rax
	movq	%rax, %cr3
	movq	%rsp, %rdi
	andq	$-16, %rsp
	call	sbm_x86_transition_fault
	ud2
SYM_CODE_END(sbm_x86_common)
_ASM_NOKPROBE(sbm_x86_common)

/*
 * From the sandbox. Save its registers next to the hardware frame and
 * return to the caller of sbm_x86_enter() on the kernel page tables.
 */
SYM_CODE_START_LOCAL(sbm_x86_exit)
	swapgs
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	SBM_CPU_OFFSET
	movq	%rsp, sbm_x86_cpus + SBM_CPU_FRAME(%rax)
	movq	%cr2, %rcx
	movq	%rcx, sbm_x86_cpus + SBM_CPU_CR2(%rax)
	movq	sbm_x86_cpus + SBM_CPU_KERNEL_CR3(%rax), %rcx
	movq	%rcx, %cr3
	movq	sbm_x86_cpus + SBM_CPU_KERNEL_SP(%rax), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	/* The caller's flags: the sandbox may have set DF or AC. */
	popfq
	xorl	%eax, %eax
	RET
SYM_CODE_END(sbm_x86_exit)
_ASM_NOKPROBE(sbm_x86_exit)

/*
 * int sbm_x86_enter(struct sbm_x86_frame *regs, unsigned long cr3,
 *		     struct sbm_x86_cpu *cpu, unsigned long stack);
 *
 * Enter (or resume) a sandbox with register state @regs on page tables
 * @cr3. @stack is the top of the sandbox's exception stack, which is also
 * TSS.sp0. Called with interrupts disabled and the sandbox IDT loaded;
 * returns when the sandbox is left, see sbm_x86_exit.
 */
SYM_FUNC_START(sbm_x86_enter)
	pushfq
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, SBM_CPU_KERNEL_SP(%rdx)

	/* Build the return frame on the exception stack, mapped in both. */
	movq	%rcx, %rsp
	pushq	SBM_FRAME_SS(%rdi)
	pushq	SBM_FRAME_SP(%rdi)
	pushq	SBM_FRAME_FLAGS(%rdi)
	pushq	SBM_FRAME_CS(%rdi)
	pushq	SBM_FRAME_IP(%rdi)
	pushq	SBM_FRAME_DI(%rdi)
	pushq	SBM_FRAME_SI(%rdi)
	pushq	SBM_FRAME_DX(%rdi)
	pushq	SBM_FRAME_CX(%rdi)
	pushq	SBM_FRAME_AX(%rdi)
	pushq	SBM_FRAME_R8(%rdi)
	pushq	SBM_FRAME_R9(%rdi)
	pushq	SBM_FRAME_R10(%rdi)
	pushq	SBM_FRAME_R11(%rdi)
	pushq	SBM_FRAME_BX(%rdi)
	pushq	SBM_FRAME_BP(%rdi)
	pushq	SBM_FRAME_R12(%rdi)
	pushq	SBM_FRAME_R13(%rdi)
	pushq	SBM_FRAME_R14(%rdi)
	pushq	SBM_FRAME_R15(%rdi)

	movq	SBM_CPU_INVLPG(%rdx), %r8
	movq	SBM_CPU_INVLPG + 8(%rdx), %r9
	movq	SBM_CPU_INVLPG + 16(%rdx), %r10
	movq	SBM_CPU_INVLPG + 24(%rdx), %r11

	movq	%rsi, %cr3

	/*
	 * The kernel may map the sandbox code pages as global; drop those
	 * TLB entries so the CPU walks the sandbox page tables for them.
	 */
1:	cmpq	%r9, %r8
	jae	2f
	invlpg	(%r8)
	addq	$PAGE_SIZE, %r8
	jmp	1b
2:	cmpq	%r11, %r10
	jae	3f
	invlpg	(%r10)
	addq	$PAGE_SIZE, %r10
	jmp	2b
3:
	swapgs
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	iretq
SYM_FUNC_END(sbm_x86_enter)
_ASM_NOKPROBE(sbm_x86_enter)

	.p2align PAGE_SHIFT, 0xcc
	.popsection

/*
 * The only sandbox code the kernel provides: call the function, then hit
 * UD2 at a known address, which sbm_x86_run() takes as a clean return.
 * Jumping there early is harmless: the sandbox can only return a value
 * and outputs it could have produced anyway.
 */
	.pushsection .sbm.text, "ax"
SYM_CODE_START(sbm_x86_sandbox_entry)
	call	*%r11
SYM_INNER_LABEL(sbm_x86_sandbox_exit, SYM_L_GLOBAL)
	ud2
SYM_CODE_END(sbm_x86_sandbox_entry)
	.popsection

/*
 * void sbm_x86_redeliver(unsigned long handler);
 *
 * Run the kernel's IDT entry @handler for an interrupt that arrived while
 * the sandbox was running, as if it had interrupted this function with
 * interrupts disabled. Must be called with interrupts disabled.
 */
SYM_FUNC_START(sbm_x86_redeliver)
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp
	pushq	$__KERNEL_DS
	pushq	%rbp
	pushfq
	pushq	$__KERNEL_CS
	pushq	$1f
	jmp	*%rdi
1:	popq	%rbp
	RET
SYM_FUNC_END(sbm_x86_redeliver)
