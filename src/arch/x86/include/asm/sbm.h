/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 SandBox Mode: layout shared by C and the transition code.
 */
#ifndef _ASM_X86_SBM_H
#define _ASM_X86_SBM_H

/* Offsets in struct sbm_x86_cpu; the structure is 1 << SBM_CPU_SHIFT bytes. */
#define SBM_CPU_KERNEL_CR3	0
#define SBM_CPU_KERNEL_SP	8
#define SBM_CPU_FRAME		16
#define SBM_CPU_CR2		24
#define SBM_CPU_NMI_PENDING	32
#define SBM_CPU_INVLPG		40	/* two [start, end) ranges */
#define SBM_CPU_SHIFT		7

/* Offsets in struct sbm_x86_frame. */
#define SBM_FRAME_R15		0
#define SBM_FRAME_R14		8
#define SBM_FRAME_R13		16
#define SBM_FRAME_R12		24
#define SBM_FRAME_BP		32
#define SBM_FRAME_BX		40
#define SBM_FRAME_R11		48
#define SBM_FRAME_R10		56
#define SBM_FRAME_R9		64
#define SBM_FRAME_R8		72
#define SBM_FRAME_AX		80
#define SBM_FRAME_CX		88
#define SBM_FRAME_DX		96
#define SBM_FRAME_SI		104
#define SBM_FRAME_DI		112
#define SBM_FRAME_VECTOR	120
#define SBM_FRAME_ERROR		128
#define SBM_FRAME_IP		136
#define SBM_FRAME_CS		144
#define SBM_FRAME_FLAGS		152
#define SBM_FRAME_SP		160
#define SBM_FRAME_SS		168

/* Each IDT stub of the sandbox is this many bytes long. */
#define SBM_STUB_SIZE		16

/* Vectors for which the CPU pushes an error code. */
#define SBM_ERRCODE_VECTORS	((1 << 8) | (1 << 10) | (1 << 11) | (1 << 12) | \
				 (1 << 13) | (1 << 14) | (1 << 17) | (1 << 21) | \
				 (1 << 29) | (1 << 30))

#ifndef __ASSEMBLER__

#include <linux/types.h>

/**
 * struct sbm_x86_frame - register state of a sandbox
 * @r15: general purpose register
 * @r14: general purpose register
 * @r13: general purpose register
 * @r12: general purpose register
 * @bp: general purpose register
 * @bx: general purpose register
 * @r11: general purpose register
 * @r10: general purpose register
 * @r9: general purpose register
 * @r8: general purpose register
 * @ax: general purpose register
 * @cx: general purpose register
 * @dx: general purpose register
 * @si: general purpose register
 * @di: general purpose register
 * @vector: vector of the event that left the sandbox
 * @error_code: error code of that event, or 0
 * @ip: instruction pointer
 * @cs: code segment
 * @flags: RFLAGS
 * @sp: stack pointer
 * @ss: stack segment
 *
 * The part from @ip on is the hardware interrupt frame.
 */
struct sbm_x86_frame {
	unsigned long r15, r14, r13, r12, bp, bx;
	unsigned long r11, r10, r9, r8, ax, cx, dx, si, di;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags, sp, ss;
};

/**
 * struct sbm_x86_cpu - per-CPU state of the transition code
 * @kernel_cr3:	CR3 to restore when the sandbox is left
 * @kernel_sp:	kernel stack pointer inside sbm_x86_enter()
 * @frame:	where the register state was saved when the sandbox was left
 * @cr2:	CR2 when the sandbox was left
 * @nmi_pending: an NMI arrived during a transition and must be replayed
 * @invlpg:	two [start, end) ranges of sandbox code pages, whose global
 *		kernel TLB entries must be flushed after loading the sandbox
 *		page tables
 *
 * The transition code finds the entry of the current CPU with LSL on the
 * per-CPU GDT segment, so it needs neither GS nor a stack.
 */
struct sbm_x86_cpu {
	unsigned long kernel_cr3;
	unsigned long kernel_sp;
	unsigned long frame;
	unsigned long cr2;
	unsigned long nmi_pending;
	unsigned long invlpg[2][2];
} __aligned(1 << SBM_CPU_SHIFT);

extern struct sbm_x86_cpu sbm_x86_cpus[];

int sbm_x86_enter(struct sbm_x86_frame *regs, unsigned long cr3,
		  struct sbm_x86_cpu *cpu, unsigned long stack);
void sbm_x86_redeliver(unsigned long handler);
void sbm_x86_transition_fault(unsigned long *frame);

extern const char sbm_x86_stubs[];
extern const char sbm_x86_sandbox_entry[];
extern const char sbm_x86_sandbox_exit[];
extern const char __sbm_entry_text_start[], __sbm_entry_text_end[];
extern const char __sbm_text_start[], __sbm_text_end[];

#endif /* !__ASSEMBLER__ */

#endif /* _ASM_X86_SBM_H */
