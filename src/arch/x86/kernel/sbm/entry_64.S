/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 SandBox Mode transitions.
 *
 * A sandbox runs at CPL3 on its own page tables with its own IDT loaded.
 * Everything that executes at CPL0 while the sandbox IDT is loaded is in
 * .sbm.entry.text, which the sandbox page tables map (supervisor only),
 * and runs on the stack of the instance's transition page: the sandbox
 * IDT is loaded only after the stack was switched there, and the kernel
 * IDT is back before the stack is switched back. Every gate but the one
 * of #DF (which has a stack of its own in the same page) uses the current
 * stack, or TSS.sp0, which points into the same page. So the transition
 * state is always found from the stack pointer, on any CPU, with the
 * kernel's GS or the sandbox's.
 *
 * Leaving the sandbox always goes the same way: whatever the event (the
 * sandboxed function returning, an exception or an interrupt), the stub
 * saves the sandbox registers, restores the kernel CR3, IDT and stack,
 * and returns from sbm_x86_enter(). The C code then decides what to do.
 */

#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>
#include <asm/nospec-branch.h>
#include <asm/page_types.h>
#include <asm/processor-flags.h>
#include <asm/smap.h>
#include <asm/sbm.h>
#include <asm/segment.h>
#include <asm/trapnr.h>
#include <asm/unwind_hints.h>
#include <uapi/asm/debugreg.h>

#include "../../entry/calling.h"

/*
 * Mitigation sites: the KUnit tests check that each one was patched in
 * exactly when the kernel patched the same macro into its own user entry
 * and exit code.
 */
.macro SBM_SITE name:req
SYM_INNER_LABEL(sbm_x86_site_\name, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
.endm

/*
 * The kernel's CR3, to restore when a sandbox is left, is kept in the
 * transition state, which the sandbox page tables map. A sandbox on a
 * CPU affected by Meltdown could read it there, so such CPUs keep it in
 * the SYSENTER_EIP MSR, which is unused while a sandbox runs (SYSENTER is
 * disabled) and out of reach of CPL3. (The kernel's stack pointer is
 * read after the switch, from per-CPU data: sbm_x86_kernel_sp.)
 * %rax = the value; clobbers %rcx and %rdx.
 */
.macro SBM_KERNEL_CR3 ts:req
	ALTERNATIVE __stringify(movq SBM_TS_KERNEL_CR3(\ts), %rax), \
		__stringify(movl $MSR_IA32_SYSENTER_EIP, %ecx; rdmsr;
			    shlq $32, %rdx; orq %rdx, %rax), \
		X86_BUG_CPU_MELTDOWN
.endm

/* \reg = the transition state at the top of the page the stack is in. */
.macro SBM_TSTATE reg:req
	movq	%rsp, \reg
	andq	$PAGE_MASK, \reg
	addq	$SBM_TS_OFFSET, \reg
.endm

	.pushsection .sbm.entry.text, "ax"
	.p2align PAGE_SHIFT

SYM_CODE_START_LOCAL(sbm_x86_common)
	UNWIND_HINT_IRET_REGS offset=16
	/*
	 * As every kernel entry does: an event does not clear the AC flag
	 * that CPL3 may set, and with it SMAP would not stop the kernel
	 * until the caller's flags are back.
	 */
	ASM_CLAC
	testb	$3, 24(%rsp)
	jnz	sbm_x86_exit
SBM_SITE fence_kernel
	FENCE_SWAPGS_KERNEL_ENTRY
SBM_SITE fence_kernel_end

	/*
	 * From CPL0: a transition was interrupted. An NMI is noted for
	 * sbm_x86_enter_once(), which replays it once the kernel IDT is back;
	 * IRET ends NMI blocking, but nothing is left on this stack. Stack:
	 * [%rcx] [%rax] [vector] [error code] [hardware frame]. On the way
	 * out, that is right away; on the way in, see .Lstep.
	 */
	pushq	%rax
	pushq	%rcx
	SBM_TSTATE %rcx
	cmpq	$X86_TRAP_NMI, 16(%rsp)
	je	.Lnmi
	cmpq	$X86_TRAP_DB, 16(%rsp)
	je	.Ldebug
	cmpq	$X86_TRAP_MC, 16(%rsp)
	je	.Lmachine_check
	jmp	.Lkernel_fault

.Lnmi:
	movq	$1, SBM_TS_NMI(%rcx)
	jmp	.Lstep

	/*
	 * A kernel hardware breakpoint that the transition code hit, where
	 * local_db_save() left DR7 armed. Note DR6 and carry on; RF lets the
	 * instruction of an instruction breakpoint complete.
	 */
.Ldebug:
	movq	%dr6, %rax
	orq	%rax, SBM_TS_DR6(%rcx)
	movl	$DR6_RESERVED, %eax
	movq	%rax, %dr6
	orq	$X86_EFLAGS_RF, 48(%rsp)
	jmp	.Lresume

	/*
	 * A machine check: note where, for sbm_x86_enter_once() to hand it
	 * to the kernel's handler once the kernel IDT is back, as for an NMI.
	 */
.Lmachine_check:
	movq	32(%rsp), %rax
	movq	%rax, SBM_TS_MCE_IP(%rcx)

	/*
	 * On the way in, once the sandbox IDT is loaded, the sandbox would
	 * run until its next exit, which may be far off (a nohz_full CPU,
	 * no budget): set TF in the frame that the entry's IRET pops (the
	 * top of the transition stack), so that the sandbox leaves again
	 * after one instruction, by a #DB that sbm_x86_enter_once() takes
	 * for what it is. A sandbox with TF set leaves that way anyway.
	 */
.Lstep:
	leaq	.Lentry_window(%rip), %rax
	cmpq	%rax, 32(%rsp)
	jb	.Lresume
	leaq	.Lentry_iret(%rip), %rax
	cmpq	%rax, 32(%rsp)
	ja	.Lresume
	btsq	$X86_EFLAGS_TF_BIT, -24(%rcx)
	jc	.Lresume
	movq	$1, SBM_TS_STEP(%rcx)

.Lresume:
	popq	%rcx
	popq	%rax
	/* Leave no kernel value of the transition in its page. */
	movq	$0, -8(%rsp)
	movq	$0, -16(%rsp)
	addq	$16, %rsp
	UNWIND_HINT_IRET_REGS
	iretq

	/* Anything else is a bug in the transition code: report it. */
.Lkernel_fault:
	SBM_KERNEL_CR3 %rcx
	movq	%rax, %cr3
	leaq	16(%rsp), %rdi
	andq	$-16, %rsp
	call	sbm_x86_transition_fault
	int3
SYM_CODE_END(sbm_x86_common)
_ASM_NOKPROBE(sbm_x86_common)

/*
 * From the sandbox. Save its registers next to the hardware frame and
 * return to the caller of sbm_x86_enter() on the kernel page tables.
 */
SYM_CODE_START_LOCAL(sbm_x86_exit)
	UNWIND_HINT_IRET_REGS offset=16
	swapgs
SBM_SITE fence_user
	FENCE_SWAPGS_USER_ENTRY
SBM_SITE fence_user_end
	/* Nothing the sandbox left in a register reaches the kernel. */
	PUSH_AND_CLEAR_REGS unwind_hint=0
	SBM_TSTATE %rbx
	movq	%rsp, SBM_TS_FRAME(%rbx)
	/*
	 * CR2 holds the address of the last page fault on this CPU, of
	 * whoever took it: only the sandbox's own may land in its page.
	 */
	cmpq	$X86_TRAP_PF, SBM_FRAME_VECTOR(%rsp)
	jne	1f
	movq	%cr2, %rax
	movq	%rax, SBM_TS_CR2(%rbx)
1:	SBM_KERNEL_CR3 %rbx
	movq	%rax, %cr3
	/*
	 * The kernel's GDT is back before its IDT: the kernel's NMI, #DB
	 * and #MC entries find their per-CPU base through the CPU number
	 * segment of the GDT (GET_PERCPU_BASE, without RDPID), which the
	 * sandbox GDT does not have. See sbm_x86_fixed_gdt.
	 */
	cmpb	$0, sbm_x86_fixed_gdt(%rip)
	je	2f
SBM_SITE kernel_gdt_load
	lgdt	PER_CPU_VAR(sbm_x86_kernel_gdt)
SBM_SITE kernel_gdt_load_end
2:	lidt	sbm_x86_kernel_idt(%rip)
	/*
	 * Leaving CPL3 loaded SS with a NULL selector; the kernel expects
	 * __KERNEL_DS there (see X86_BUG_SYSRET_SS_ATTRS).
	 */
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ss
	/* GS is the kernel's since the SWAPGS above. */
SBM_SITE kernel_sp_load
	movq	PER_CPU_VAR(sbm_x86_kernel_sp), %rsp
SBM_SITE kernel_sp_load_end
	xorl	%edi, %edi
	jmp	sbm_x86_enter_return
SYM_CODE_END(sbm_x86_exit)
_ASM_NOKPROBE(sbm_x86_exit)

/*
 * int sbm_x86_enter(const struct sbm_x86_frame *regs,
 *		     struct sbm_x86_tstate *ts, unsigned long sandbox_cr3);
 *
 * Enter (or resume) a sandbox with register state @regs and page tables
 * @sandbox_cr3; @ts is at the top of the transition page. Called with
 * interrupts disabled, TSS.sp0 pointing to @ts and the kernel's CR3 where
 * SBM_KERNEL_CR3 finds it; returns when the sandbox is left, see
 * sbm_x86_exit.
 */
SYM_FUNC_START(sbm_x86_enter)
	pushfq
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdx, %r12
SBM_SITE kernel_sp_store
	movq	%rsp, PER_CPU_VAR(sbm_x86_kernel_sp)
SBM_SITE kernel_sp_store_end

	/* Build the return frame on the transition stack. */
	movq	%rsi, %rsp
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

	/*
	 * The sandbox is entered as user space is: IBRS off for CPL3 here
	 * (the last kernel memory access through GS), CPU buffers cleared
	 * right before IRET.
	 */
	movq	%rsi, %rbx
SBM_SITE ibrs_exit
	IBRS_EXIT
SBM_SITE ibrs_exit_end
	lidt	sbm_x86_idt_desc(%rip)
.Lentry_window:
#if IS_ENABLED(CONFIG_SANDBOX_MODE_KUNIT_TEST)
	/* For the tests: an NMI right here, where .Lstep must catch it. */
	cmpb	$0, sbm_x86_test_nmi_entry(%rip)
	je	1f
	int	$X86_TRAP_NMI
1:
#endif
	/* Only once the sandbox IDT is in: see sbm_x86_exit. */
	cmpb	$0, sbm_x86_fixed_gdt(%rip)
	je	.Lgdt_done
	lgdt	sbm_x86_gdt_desc(%rip)
.Lgdt_done:
	movq	%r12, %cr3

	POP_REGS
	swapgs
SBM_SITE verw
	CLEAR_CPU_BUFFERS
SBM_SITE verw_end
.Lentry_iret:
	iretq

	/*
	 * Back from the sandbox, on the kernel stack with the kernel's page
	 * tables and GS: see sbm_x86_exit. As on entry from user space,
	 * before the first RET: IBRS on, return predictions untrained, branch
	 * history cleared. And as after a VM exit, since the sandbox code is
	 * kernel text that the kernel could speculatively return to: the
	 * return stack buffer filled.
	 */
SYM_INNER_LABEL(sbm_x86_enter_return, SYM_L_LOCAL)
	ANNOTATE_NOENDBR
SBM_SITE ibrs_enter
	IBRS_ENTER
SBM_SITE ibrs_enter_end
SBM_SITE untrain_ret
	UNTRAIN_RET
SBM_SITE untrain_ret_end
SBM_SITE clear_bhb
	CLEAR_BRANCH_HISTORY
SBM_SITE clear_bhb_end
SBM_SITE fill_rsb
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_CTXSW
SBM_SITE fill_rsb_end
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
SYM_FUNC_END(sbm_x86_enter)
/* It switches stacks and leaves through IRET, which objtool cannot follow. */
STACK_FRAME_NON_STANDARD sbm_x86_enter
_ASM_NOKPROBE(sbm_x86_enter)

/*
 * One stub per vector, SBM_STUB_SIZE bytes each. Make the stack look the
 * same for every vector: [vector] [error code] [hardware frame]. They come
 * after the code above, so that the stub of #UD, which ends every call,
 * shares its page: one TLB miss fewer on each way out.
 */
	.p2align 4
SYM_CODE_START(sbm_x86_stubs)
	vector = 0
	.rept 256
	.p2align 4, 0xcc
	.if vector > 31
	UNWIND_HINT_IRET_REGS
	ENDBR
	pushq	$0
	.elseif !((SBM_ERRCODE_VECTORS >> vector) & 1)
	UNWIND_HINT_IRET_REGS
	ENDBR
	pushq	$0
	.else
	UNWIND_HINT_IRET_REGS offset=8
	ENDBR
	.endif
	pushq	$vector
	jmp	sbm_x86_common
	vector = vector + 1
	.endr
SYM_CODE_END(sbm_x86_stubs)
_ASM_NOKPROBE(sbm_x86_stubs)

	.p2align PAGE_SHIFT, 0xcc
	.popsection

/*
 * The only sandbox code the kernel provides: the return address of every
 * sandboxed function, on top of the sandbox stack, where the kernel puts
 * it (see sbm_x86_stack_reset()). The function is entered by IRET, not
 * called, so a function that uses no stack leaves the stack untouched.
 * Hitting UD2 here is what arch_sbm_exec() takes as a clean return; jumping
 * here early is harmless: the sandbox can only return a value and outputs
 * that it could have produced anyway.
 */
	.pushsection .sbm.text, "ax"
SYM_CODE_START(sbm_x86_sandbox_exit)
	ANNOTATE_NOENDBR
	UNWIND_HINT_END_OF_STACK
	ud2
SYM_CODE_END(sbm_x86_sandbox_exit)
	.popsection

/*
 * Where a machine check that hit a sandbox is reported to have happened,
 * for do_machine_check(): a read of user memory (at the sandbox address
 * in %rax) with a recovery path, as in copy_from_user(). For such a read
 * the kernel recovers and queues memory_failure() for the poisoned page
 * (kill_me_never()), which the page of a sandbox is. Never executed.
 */
SYM_CODE_START(sbm_x86_mce_site)
	ANNOTATE_NOENDBR
	UNWIND_HINT_UNDEFINED
1:	movq	(%rax), %rax
SYM_INNER_LABEL(sbm_x86_mce_recovered, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	ud2
	_ASM_EXTABLE_UA(1b, sbm_x86_mce_recovered)
SYM_CODE_END(sbm_x86_mce_site)

/*
 * void sbm_x86_redeliver(unsigned long handler);
 *
 * Run the kernel's IDT entry @handler for an interrupt that arrived while
 * the sandbox was running, on a frame as if it had interrupted this
 * function with interrupts disabled, as KVM does after a VM exit. Must be
 * called with interrupts disabled.
 */
SYM_FUNC_START(sbm_x86_redeliver)
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp
	pushq	$__KERNEL_DS
	pushq	%rbp
	pushfq
	pushq	$__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET restored RSP already; tell objtool, which does not know. */
	leave
	RET
SYM_FUNC_END(sbm_x86_redeliver)
