/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 SandBox Mode: layout shared by C and the transition code.
 */
#ifndef _ASM_X86_SBM_H
#define _ASM_X86_SBM_H

#include <asm/page_types.h>

/*
 * Every instance has a transition page, mapped for the kernel only at the
 * same address in the kernel's and in the sandbox's page tables. Its top
 * holds struct sbm_x86_tstate, below which the stack grows that the CPU
 * switches to on leaving the sandbox (TSS.sp0), and that the transition
 * code runs on while the sandbox IDT is loaded. The transition code finds
 * the state from its stack pointer alone, so it needs neither GS nor the
 * number of the CPU it runs on.
 */
#define SBM_TS_KERNEL_CR3	0
#define SBM_TS_FRAME		8
#define SBM_TS_CR2		16
#define SBM_TS_NMI		24
#define SBM_TS_DR6		32
#define SBM_TS_MCE_IP		40
#define SBM_TS_STEP		48
#define SBM_TS_SIZE		64
#define SBM_TS_OFFSET		(PAGE_SIZE - SBM_TS_SIZE)

/*
 * A double fault gets a stack of its own at the bottom of the transition
 * page, through an IST slot that the kernel leaves unused.
 */
#define SBM_IST_DF		7
#define SBM_DF_STACK_TOP	1024

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
#define SBM_FRAME_SIZE		176

/* Each IDT stub of the sandbox is this many bytes long. */
#define SBM_STUB_SIZE		16

/* Vectors for which the CPU pushes an error code. */
#define SBM_ERRCODE_VECTORS	((1 << 8) | (1 << 10) | (1 << 11) | (1 << 12) | \
				 (1 << 13) | (1 << 14) | (1 << 17) | (1 << 21) | \
				 (1 << 29) | (1 << 30))

#ifndef __ASSEMBLER__

#include <linux/atomic.h>
#include <linux/percpu-defs.h>
#include <linux/types.h>
#include <asm/desc_defs.h>

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
 * struct sbm_x86_tstate - state of the transition code of one instance
 * @kernel_cr3:	CR3 to restore when the sandbox is left, unless the CPU
 *		is affected by Meltdown (see SBM_KERNEL_CR3 in entry_64.S);
 *		the kernel stack pointer is never here, but in a per-CPU
 *		variable (sbm_x86_kernel_sp) that the sandbox does not map
 * @frame:	where the register state was saved when the sandbox was left
 * @cr2:	CR2 when the sandbox was left by a page fault, until read
 * @nmi_pending: an NMI arrived during a transition and must be replayed
 * @dr6:	DR6 bits of debug exceptions taken during transitions
 * @mce_ip:	where a machine check interrupted the transition code, or 0
 * @step:	an NMI or machine check arrived on the way into the sandbox,
 *		which the transition code made single-step its first
 *		instruction so as to leave again at once
 * @reserved:	keeps the size a multiple of 16 (the stack below it aligned)
 */
struct sbm_x86_tstate {
	unsigned long kernel_cr3;
	unsigned long frame;
	unsigned long cr2;
	unsigned long nmi_pending;
	unsigned long dr6;
	unsigned long mce_ip;
	unsigned long step;
	unsigned long reserved;
};

DECLARE_PER_CPU(unsigned long, sbm_x86_kernel_sp);
DECLARE_PER_CPU(struct desc_ptr, sbm_x86_kernel_gdt);

/*
 * The sandbox IDT and the kernel's, and the sandbox GDT if
 * sbm_x86_fixed_gdt, loaded by the transition code.
 */
extern const struct desc_ptr sbm_x86_idt_desc, sbm_x86_gdt_desc;
extern struct desc_ptr sbm_x86_kernel_idt;
extern bool sbm_x86_fixed_gdt;

int sbm_x86_enter(const struct sbm_x86_frame *regs, struct sbm_x86_tstate *ts,
		  unsigned long sandbox_cr3);
void sbm_x86_redeliver(unsigned long handler);
void sbm_x86_transition_fault(unsigned long *frame);

extern const char sbm_x86_stubs[];
extern const char sbm_x86_mce_site[], sbm_x86_mce_recovered[];
extern const char sbm_x86_sandbox_exit[];
extern const char __sbm_entry_text_start[], __sbm_entry_text_end[];

/**
 * struct sbm_x86_env - facts that decide whether strong isolation is safe
 * @xen_pv:	a Xen PV guest, whose CR3, IDT and TSS belong to Xen
 * @fred:	FRED is active: events bypass the IDT
 * @sev_es:	an SEV-ES or SEV-SNP guest: #VC can hit the transition code
 * @tdx:	a TDX guest: #VE can hit the transition code
 */
struct sbm_x86_env {
	bool xen_pv;
	bool fred;
	bool sev_es;
	bool tdx;
};

/* Where the transition code applies speculation mitigations. */
#define SBM_X86_SITE_DECLARE(name) \
	extern const u8 sbm_x86_site_##name[], sbm_x86_site_##name##_end[]
SBM_X86_SITE_DECLARE(fence_user);
SBM_X86_SITE_DECLARE(fence_kernel);
SBM_X86_SITE_DECLARE(ibrs_enter);
SBM_X86_SITE_DECLARE(ibrs_exit);
SBM_X86_SITE_DECLARE(untrain_ret);
SBM_X86_SITE_DECLARE(clear_bhb);
SBM_X86_SITE_DECLARE(fill_rsb);
SBM_X86_SITE_DECLARE(verw);
/* The two accesses to sbm_x86_kernel_sp, through the kernel's GS. */
SBM_X86_SITE_DECLARE(kernel_sp_store);
SBM_X86_SITE_DECLARE(kernel_sp_load);
/* The load of the kernel's GDT, through the kernel's GS. */
SBM_X86_SITE_DECLARE(kernel_gdt_load);

/**
 * struct sbm_x86_mitigation - a speculation mitigation of the transitions
 * @name:	short name, as the boot log shows it
 * @site:	start of its alternative in the transition code, or %NULL if
 *		the C code applies it
 * @end:	end of that alternative
 * @on:		whether the kernel applies it to user space, and so SBM to
 *		sandboxes
 */
struct sbm_x86_mitigation {
	const char *name;
	const u8 *site, *end;
	bool on;
};

#define SBM_X86_MITIGATIONS	11

#if IS_ENABLED(CONFIG_KUNIT)
/* For the KUnit tests of SandBox Mode. */
struct sbm;
struct pt_regs;
extern atomic_long_t sbm_x86_ibpbs;
extern atomic_long_t sbm_x86_transition_nmis;
extern atomic_long_t sbm_x86_forced_steps;
extern bool sbm_x86_test_nmi_entry;
extern bool sbm_x86_fpu_reset;
void sbm_x86_mitigations(struct sbm_x86_mitigation *m);
bool sbm_x86_ibpb_policy(bool always, bool cond, bool task);
void sbm_x86_machine_check(struct pt_regs *regs);
void sbm_x86_test_gate_dpl(int vector, int dpl);
const char *sbm_x86_unsupported(const struct sbm_x86_env *env);
struct sbm_x86_tstate *sbm_x86_test_tstate(struct sbm *sbm);
void *sbm_x86_test_segs(struct sbm *sbm);
int sbm_x86_test_user_pages(struct sbm *sbm,
			    int (*fn)(void *arg, unsigned long va,
				      unsigned long pte),
			    void *arg);
u32 sbm_x86_async_pf_flags(void);
void sbm_x86_async_pf_wait(u32 token);
#endif

#endif /* !__ASSEMBLER__ */

#endif /* _ASM_X86_SBM_H */
