// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 SandBox Mode: strong isolation.
 *
 * A sandboxed function runs at CPL3 on page tables of its own, which map:
 *
 *  - at their kernel addresses, user-executable: the sandbox code
 *    (.sbm.text of vmlinux and of the function's module);
 *  - in the lower half, user-accessible: a private stack and the buffer
 *    copies, read-only for inputs, each followed by an unmapped page;
 *  - supervisor-only, so the CPU can leave the sandbox: the CPU entry area
 *    (GDT, TSS, IST stacks), the sandbox IDT, the transition code, the
 *    per-CPU transition state and a per-instance exception stack.
 *
 * Nothing else of the kernel is mapped. The sandbox IDT sends every vector
 * to the transition code, which returns to sbm_x86_run(): a return from
 * the function ends the call, an exception terminates the sandbox,
 * interrupts are handed to the kernel's own IDT entries on the kernel
 * page tables, after which the sandbox is resumed.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <asm/apic.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fsgsbase.h>
#include <asm/gsseg.h>
#include <asm/io_bitmap.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/sbm.h>
#include <asm/special_insns.h>
#include <asm/sync_core.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

static_assert(offsetof(struct sbm_x86_cpu, kernel_cr3) == SBM_CPU_KERNEL_CR3);
static_assert(offsetof(struct sbm_x86_cpu, kernel_sp) == SBM_CPU_KERNEL_SP);
static_assert(offsetof(struct sbm_x86_cpu, frame) == SBM_CPU_FRAME);
static_assert(offsetof(struct sbm_x86_cpu, cr2) == SBM_CPU_CR2);
static_assert(offsetof(struct sbm_x86_cpu, nmi_pending) == SBM_CPU_NMI_PENDING);
static_assert(offsetof(struct sbm_x86_cpu, invlpg) == SBM_CPU_INVLPG);
static_assert(sizeof(struct sbm_x86_cpu) == 1 << SBM_CPU_SHIFT);
static_assert(offsetof(struct sbm_x86_frame, r15) == SBM_FRAME_R15);
static_assert(offsetof(struct sbm_x86_frame, bp) == SBM_FRAME_BP);
static_assert(offsetof(struct sbm_x86_frame, r11) == SBM_FRAME_R11);
static_assert(offsetof(struct sbm_x86_frame, ax) == SBM_FRAME_AX);
static_assert(offsetof(struct sbm_x86_frame, di) == SBM_FRAME_DI);
static_assert(offsetof(struct sbm_x86_frame, vector) == SBM_FRAME_VECTOR);
static_assert(offsetof(struct sbm_x86_frame, error_code) == SBM_FRAME_ERROR);
static_assert(offsetof(struct sbm_x86_frame, ip) == SBM_FRAME_IP);
static_assert(offsetof(struct sbm_x86_frame, ss) == SBM_FRAME_SS);

/* Sandbox virtual memory layout (lower half). */
#define SBM_X86_STACK_SIZE	(4 * PAGE_SIZE)
#define SBM_X86_STACK_BASE	0x10000000UL
#define SBM_X86_STACK_TOP	(SBM_X86_STACK_BASE + SBM_X86_STACK_SIZE)
#define SBM_X86_BUF_BASE	(SBM_X86_STACK_TOP + PAGE_SIZE)
#define SBM_X86_VA_END		BIT(46)

/* PCID of all sandboxes; the kernel uses 1..TLB_NR_DYN_ASIDS (+2048). */
#define SBM_X86_PCID		0x7ff

#define SBM_PTE_KRO	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define SBM_PTE_KRW	(SBM_PTE_KRO | _PAGE_RW | _PAGE_DIRTY)
#define SBM_PTE_KRX	(_PAGE_PRESENT | _PAGE_ACCESSED)
#define SBM_PTE_URX	(SBM_PTE_KRX | _PAGE_USER)
#define SBM_PTE_URO	(SBM_PTE_KRO | _PAGE_USER)
#define SBM_PTE_URW	(SBM_PTE_KRW | _PAGE_USER)

/* User-visible RFLAGS bits a sandbox may keep across interrupts. */
#define SBM_X86_USER_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
				 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_AC)

/*
 * The transition code indexes this array by CPU number, with no pointer to
 * follow, so it is static and sized for every CPU the kernel supports.
 */
#define SBM_X86_CPU_SLOTS \
	(PAGE_ALIGN(CONFIG_NR_CPUS * sizeof(struct sbm_x86_cpu)) / \
	 sizeof(struct sbm_x86_cpu))

/* Mapped into every sandbox: each occupies whole pages of its own. */
struct sbm_x86_cpu sbm_x86_cpus[SBM_X86_CPU_SLOTS] __page_aligned_bss;
static gate_desc sbm_x86_idt[IDT_ENTRIES] __page_aligned_bss;

static const struct desc_ptr sbm_x86_idt_desc = {
	.size		= sizeof(sbm_x86_idt) - 1,
	.address	= (unsigned long)sbm_x86_idt,
};

static struct desc_ptr sbm_x86_kernel_idt __ro_after_init;
static unsigned long sbm_x86_kernel_handler[IDT_ENTRIES] __ro_after_init;
static u64 sbm_x86_sysenter_cs __ro_after_init;
static bool sbm_x86_ready __ro_after_init;

/* Sandbox state that must survive interrupts. */
struct sbm_x86_segs {
	unsigned short ds, es, fs, gs;
	unsigned long fsbase, gsbase;
	u32 pkru;
};

/* Kernel state replaced while a sandbox runs. */
struct sbm_x86_saved {
	unsigned long sp0;
	u64 efer;
	unsigned long cr0;
	unsigned long dr7;
	struct sbm_x86_segs segs;
};

/**
 * struct sbm_x86 - strong isolation state of an SBM instance
 * @pgd:	top-level page table of the sandbox
 * @pt_pages:	all page-table pages, to free them
 * @cr3:	CR3 value without PCID bits
 * @stack:	the sandbox stack (kernel address)
 * @exc_stack:	exception stack for CPL3 to CPL0 transitions
 * @next_va:	next free sandbox address for buffers
 * @regs:	register state of the sandbox
 * @segs:	segment state of the sandbox
 * @cr2:	CR2 when the sandbox was last left
 */
struct sbm_x86 {
	unsigned long *pgd;
	struct list_head pt_pages;
	unsigned long cr3;
	void *stack;
	void *exc_stack;
	unsigned long next_va;
	struct sbm_x86_frame regs;
	struct sbm_x86_segs segs;
	unsigned long cr2;
};

static unsigned long *sbm_x86_pt_page(struct sbm_x86 *x)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	list_add(&page->lru, &x->pt_pages);
	return page_address(page);
}

/*
 * Return the page-table entry for @va at the level whose entries map
 * 1 << @shift bytes, allocating intermediate tables if @alloc.
 */
static unsigned long *sbm_x86_walk(struct sbm_x86 *x, unsigned long va,
				   unsigned int shift, bool alloc)
{
	unsigned long *table = x->pgd;
	unsigned int level = PGDIR_SHIFT;

	for (; level > shift; level -= PAGE_SHIFT - 3) {
		unsigned long *entry = &table[(va >> level) % PTRS_PER_PTE];

		if (!(*entry & _PAGE_PRESENT)) {
			unsigned long *next;

			if (!alloc)
				return NULL;
			next = sbm_x86_pt_page(x);
			if (!next)
				return NULL;
			*entry = __pa(next) | _PAGE_TABLE;
		}
		table = __va(*entry & PTE_PFN_MASK);
	}
	return &table[(va >> level) % PTRS_PER_PTE];
}

static unsigned long sbm_x86_pfn(const void *addr)
{
	if (is_vmalloc_or_module_addr(addr))
		return vmalloc_to_pfn(addr);
	return PHYS_PFN(__pa(addr));
}

/* Map [@addr, @addr + @size) of the kernel at sandbox address @va. */
static int sbm_x86_map(struct sbm_x86 *x, unsigned long va, const void *addr,
		       size_t size, unsigned long prot)
{
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		unsigned long *pte = sbm_x86_walk(x, va + off, PAGE_SHIFT, true);

		if (!pte)
			return -ENOMEM;
		*pte = (sbm_x86_pfn(addr + off) << PAGE_SHIFT) |
		       (prot & __supported_pte_mask);
	}
	return 0;
}

static int sbm_x86_map_same(struct sbm_x86 *x, const void *start,
			    const void *end, unsigned long prot)
{
	unsigned long va = (unsigned long)start & PAGE_MASK;

	return sbm_x86_map(x, va, (void *)va, PAGE_ALIGN((unsigned long)end) - va,
			   prot);
}

/* TLB entries for these pages are flushed on the next sandbox entry. */
static void sbm_x86_unmap(struct sbm_x86 *x, unsigned long start,
			  unsigned long end)
{
	for (; start < end; start += PAGE_SIZE) {
		unsigned long *pte = sbm_x86_walk(x, start, PAGE_SHIFT, false);

		if (pte)
			*pte = 0;
	}
}

bool arch_sbm_available(void)
{
	return READ_ONCE(sbm_x86_ready);
}

int arch_sbm_init(struct sbm *sbm)
{
	unsigned long cea = CPU_ENTRY_AREA_BASE, *entry;
	size_t cpus_size;
	struct sbm_x86 *x;
	int err = -ENOMEM;

	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	INIT_LIST_HEAD(&x->pt_pages);
	sbm->arch = x;

	x->pgd = sbm_x86_pt_page(x);
	x->exc_stack = (void *)get_zeroed_page(GFP_KERNEL);
	x->stack = vzalloc(SBM_X86_STACK_SIZE);
	if (!x->pgd || !x->exc_stack || !x->stack)
		goto fail;
	x->cr3 = __pa(x->pgd);

	/* The CPU entry area has a 512 GiB slot of its own. */
	entry = sbm_x86_walk(x, cea, P4D_SHIFT, true);
	if (!entry)
		goto fail;
	*entry = p4d_val(*p4d_offset(pgd_offset_k(cea), cea));

	cpus_size = nr_cpu_ids * sizeof(struct sbm_x86_cpu);
	err = sbm_x86_map_same(x, sbm_x86_idt, sbm_x86_idt + IDT_ENTRIES,
			       SBM_PTE_KRO);
	err = err ?: sbm_x86_map_same(x, __sbm_entry_text_start,
				      __sbm_entry_text_end, SBM_PTE_KRX);
	err = err ?: sbm_x86_map_same(x, sbm_x86_cpus,
				      (void *)sbm_x86_cpus + cpus_size,
				      SBM_PTE_KRW);
	err = err ?: sbm_x86_map_same(x, x->exc_stack,
				      x->exc_stack + PAGE_SIZE, SBM_PTE_KRW);
	err = err ?: sbm_x86_map_same(x, __sbm_text_start, __sbm_text_end,
				      SBM_PTE_URX);
	err = err ?: sbm_x86_map(x, SBM_X86_STACK_BASE, x->stack,
				 SBM_X86_STACK_SIZE, SBM_PTE_URW);
	if (err)
		goto fail;

	x->next_va = SBM_X86_BUF_BASE;
	return 0;

fail:
	arch_sbm_destroy(sbm);
	return err;
}

void arch_sbm_destroy(struct sbm *sbm)
{
	struct sbm_x86 *x = sbm->arch;
	struct page *page, *tmp;

	if (!x)
		return;
	list_for_each_entry_safe(page, tmp, &x->pt_pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	vfree(x->stack);
	free_page((unsigned long)x->exc_stack);
	kfree(x);
	sbm->arch = NULL;
}

int arch_sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf)
{
	struct sbm_x86 *x = sbm->arch;
	unsigned long va = x->next_va;
	int err;

	if (buf->area_size >= SBM_X86_VA_END - va)
		return -E2BIG;
	err = sbm_x86_map(x, va, buf->area, buf->area_size,
			  (buf->flags & SBM_BUF_OUT) ? SBM_PTE_URW : SBM_PTE_URO);
	if (err) {
		sbm_x86_unmap(x, va, va + buf->area_size);
		return err;
	}
	/* Leave an unmapped guard page behind every buffer. */
	x->next_va = va + buf->area_size + PAGE_SIZE;
	buf->sbm_addr = (void *)(va + (buf->data - buf->area));
	return 0;
}

void arch_sbm_unmap_bufs(struct sbm *sbm)
{
	struct sbm_x86 *x = sbm->arch;

	sbm_x86_unmap(x, SBM_X86_BUF_BASE, x->next_va);
	x->next_va = SBM_X86_BUF_BASE;
}

static void sbm_x86_save_segs(struct sbm_x86_segs *s)
{
	savesegment(ds, s->ds);
	savesegment(es, s->es);
	savesegment(fs, s->fs);
	savesegment(gs, s->gs);
	s->fsbase = x86_fsbase_read_cpu();
	s->gsbase = x86_gsbase_read_cpu_inactive();
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		s->pkru = rdpkru();
}

static void sbm_x86_load_segs(const struct sbm_x86_segs *s)
{
	loadsegment(ds, s->ds);
	loadsegment(es, s->es);
	loadsegment(fs, s->fs);
	x86_fsbase_write_cpu(s->fsbase);
	load_gs_index(s->gs);
	x86_gsbase_write_cpu_inactive(s->gsbase);
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		wrpkru(s->pkru);
}

/*
 * Replace the kernel state that CPL3 code can see or use: no SYSCALL or
 * SYSENTER, no FPU, no I/O ports, no debug breakpoints, no user segment
 * bases, and the sandbox IDT and exception stack.
 */
static __always_inline void sbm_x86_switch_in(struct sbm_x86 *x,
					      struct sbm_x86_saved *s)
{
	s->sp0 = this_cpu_read(cpu_tss_rw.x86_tss.sp0);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0,
		       (unsigned long)x->exc_stack + PAGE_SIZE);
#ifdef CONFIG_X86_IOPL_IOPERM
	/* A task's ioperm() bitmap must not apply to the sandbox. */
	tss_invalidate_io_bitmap();
#endif

	rdmsrl(MSR_EFER, s->efer);
	wrmsrl(MSR_EFER, s->efer & ~EFER_SCE);
	if (sbm_x86_sysenter_cs)
		wrmsrl(MSR_IA32_SYSENTER_CS, 0);

	s->cr0 = read_cr0();
	write_cr0(s->cr0 | X86_CR0_TS);
	s->dr7 = local_db_save();

	sbm_x86_save_segs(&s->segs);
	sbm_x86_load_segs(&x->segs);
}

static __always_inline void sbm_x86_switch_out(struct sbm_x86 *x,
					       struct sbm_x86_saved *s)
{
	sbm_x86_save_segs(&x->segs);
	sbm_x86_load_segs(&s->segs);

	local_db_restore(s->dr7);
	write_cr0(s->cr0);

	if (sbm_x86_sysenter_cs)
		wrmsrl(MSR_IA32_SYSENTER_CS, sbm_x86_sysenter_cs);
	wrmsrl(MSR_EFER, s->efer);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, s->sp0);
}

/*
 * Enter the sandbox once, until the next event; interrupts disabled. While
 * the sandbox IDT is loaded, only inline code and the transition code run:
 * no breakpoint may be hit, so no tracing or kprobes here.
 */
static notrace void sbm_x86_enter_once(struct sbm_x86 *x,
				       unsigned long text[2][2])
{
	struct sbm_x86_cpu *cpu = &sbm_x86_cpus[smp_processor_id()];
	unsigned long cr3 = x->cr3;
	struct sbm_x86_saved saved;

	cpu->kernel_cr3 = __native_read_cr3();
	if (cr4_read_shadow() & X86_CR4_PCIDE) {
		cpu->kernel_cr3 |= X86_CR3_PCID_NOFLUSH;
		cr3 |= SBM_X86_PCID;
	}
	memcpy(cpu->invlpg, text, sizeof(cpu->invlpg));

	sbm_x86_switch_in(x, &saved);
	load_idt(&sbm_x86_idt_desc);
	sbm_x86_enter(&x->regs, cr3, cpu,
		      (unsigned long)x->exc_stack + PAGE_SIZE);
	load_idt(&sbm_x86_kernel_idt);
	/*
	 * The saved frame is on the exception stack or on an IST stack that
	 * nothing else uses until NMIs are unblocked by the next IRET.
	 */
	x->regs = *(struct sbm_x86_frame *)cpu->frame;
	sbm_x86_switch_out(x, &saved);

	x->cr2 = cpu->cr2;
	if (x->regs.vector == X86_TRAP_DB)
		set_debugreg(DR6_RESERVED, 6);

	/* Replay an NMI that hit the sandbox or a transition. */
	if (x->regs.vector == X86_TRAP_NMI || xchg(&cpu->nmi_pending, 0)) {
		__apic_send_IPI_mask(cpumask_of(smp_processor_id()), NMI_VECTOR);
		iret_to_self();
	}
	if (x->regs.vector >= FIRST_EXTERNAL_VECTOR)
		sbm_x86_redeliver(sbm_x86_kernel_handler[x->regs.vector]);
}

NOKPROBE_SYMBOL(sbm_x86_enter_once);

static const char * const sbm_x86_trap_names[32] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_BP] = "int3",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bounds",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "FPU not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_MF] = "x87 floating point",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "SIMD floating point",
	[X86_TRAP_VE] = "virtualization",
	[X86_TRAP_CP] = "control protection",
};

/* Find the sandbox text that holds @func: vmlinux's or a module's. */
static int sbm_x86_func_text(void *func, unsigned long text[2][2])
{
	unsigned long addr = (unsigned long)func;
	struct module *mod;
	int ret = -EINVAL;

	text[0][0] = (unsigned long)__sbm_text_start;
	text[0][1] = (unsigned long)__sbm_text_end;
	text[1][0] = 0;
	text[1][1] = 0;
	if (addr >= text[0][0] && addr < text[0][1])
		return 0;

	preempt_disable();
	mod = __module_text_address(addr);
	if (mod && mod->sbm_text_size &&
	    addr >= (unsigned long)mod->sbm_text_start &&
	    addr < (unsigned long)mod->sbm_text_start + mod->sbm_text_size) {
		text[1][0] = (unsigned long)mod->sbm_text_start;
		text[1][1] = text[1][0] + mod->sbm_text_size;
		ret = 0;
	}
	preempt_enable();
	return ret;
}

static void sbm_x86_report(struct sbm *sbm, void *func, int err)
{
	struct sbm_fault *f = &sbm->fault;

	if (err == -ETIMEDOUT) {
		pr_warn_ratelimited("%ps terminated: CPU time budget of %llu ms exceeded at %pS\n",
				    func, div_u64(sbm->timeout_ns, NSEC_PER_MSEC),
				    (void *)f->ip);
	} else if (f->vector >= 0) {
		const char *name = f->vector < 32 ? sbm_x86_trap_names[f->vector] : NULL;

		pr_warn_ratelimited("%ps terminated: %s (vector %d, error %#lx) at %pS, address %#lx\n",
				    func, name ?: "exception", f->vector,
				    f->error_code, (void *)f->ip, f->address);
	} else {
		pr_warn_ratelimited("%ps terminated (%d) at %pS\n", func, err,
				    (void *)f->ip);
	}
}

int arch_sbm_exec(struct sbm *sbm, void *func, const unsigned long *args,
		  unsigned int nargs, int *result)
{
	struct sbm_x86 *x = sbm->arch;
	struct sbm_x86_frame *r = &x->regs;
	unsigned long a[SBM_MAX_ARGS] = { 0 };
	unsigned long text[2][2];
	u64 start, used = 0;
	int err;

	err = sbm_x86_func_text(func, text);
	if (err) {
		pr_warn_ratelimited("%ps is not sandbox code (use SBM_DEFINE_FUNC)\n",
				    func);
		return err;
	}
	if (text[1][0]) {
		err = sbm_x86_map_same(x, (void *)text[1][0], (void *)text[1][1],
				       SBM_PTE_URX);
		if (err)
			goto out;
	}

	memcpy(a, args, nargs * sizeof(*args));
	memset(r, 0, sizeof(*r));
	memset(&x->segs, 0, sizeof(x->segs));
	r->di = a[0];
	r->si = a[1];
	r->dx = a[2];
	r->cx = a[3];
	r->r8 = a[4];
	r->r9 = a[5];
	r->r11 = (unsigned long)func;
	r->ip = (unsigned long)sbm_x86_sandbox_entry;
	r->cs = __USER_CS;
	r->ss = __USER_DS;
	r->sp = SBM_X86_STACK_TOP;

	for (;;) {
		r->flags = (r->flags & SBM_X86_USER_FLAGS) |
			   X86_EFLAGS_IF | X86_EFLAGS_FIXED;

		preempt_disable();
		local_irq_disable();
		start = local_clock();
		sbm_x86_enter_once(x, text);
		used += local_clock() - start;
		local_irq_enable();
		preempt_enable();

		if (r->vector == X86_TRAP_UD &&
		    r->ip == (unsigned long)sbm_x86_sandbox_exit) {
			*result = (int)r->ax;
			err = 0;
			break;
		}
		if (r->vector < FIRST_EXTERNAL_VECTOR && r->vector != X86_TRAP_NMI) {
			WARN_ONCE(r->vector == X86_TRAP_DF,
				  "sbm: double fault in a sandbox\n");
			sbm->fault.vector = r->vector;
			sbm->fault.error_code = r->error_code;
			sbm->fault.address = r->vector == X86_TRAP_PF ?
					     x->cr2 : 0;
			err = -EFAULT;
			break;
		}
		/* fault.vector stays -1: errors are sticky, this is the first. */
		if (sbm->timeout_ns && used > sbm->timeout_ns) {
			err = -ETIMEDOUT;
			break;
		}
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	if (err) {
		sbm->fault.ip = r->ip;
		sbm_x86_report(sbm, func, err);
	}
out:
	if (text[1][0])
		sbm_x86_unmap(x, text[1][0], PAGE_ALIGN(text[1][1]));
	/* Leave nothing for the next call to find. */
	memset(x->stack, 0, SBM_X86_STACK_SIZE);
	return err;
}

/* Called by the transition code on an exception it cannot handle. */
void sbm_x86_transition_fault(unsigned long *frame)
{
	load_idt(&sbm_x86_kernel_idt);
	panic("sbm: exception %lu (error %#lx) in a sandbox transition at %pS\n",
	      frame[0], frame[1], (void *)frame[2]);
}

static int __init sbm_x86_setup(void)
{
	const gate_desc *kidt;
	int v;

	if (cpu_feature_enabled(X86_FEATURE_FRED) ||
	    cpu_feature_enabled(X86_FEATURE_XENPV)) {
		pr_info("strong isolation unavailable on this CPU setup\n");
		return 0;
	}

	store_idt(&sbm_x86_kernel_idt);
	kidt = (const gate_desc *)sbm_x86_kernel_idt.address;
	for (v = 0; v < IDT_ENTRIES; v++) {
		sbm_x86_kernel_handler[v] = gate_offset(&kidt[v]);
		pack_gate(&sbm_x86_idt[v], GATE_INTERRUPT,
			  (unsigned long)sbm_x86_stubs + v * SBM_STUB_SIZE,
			  0, kidt[v].bits.ist, __KERNEL_CS);
	}

	/* With SYSENTER enabled, disable it while a sandbox runs. */
	if (rdmsrl_safe(MSR_IA32_SYSENTER_CS, &sbm_x86_sysenter_cs))
		sbm_x86_sysenter_cs = 0;

	WRITE_ONCE(sbm_x86_ready, true);
	return 0;
}
early_initcall(sbm_x86_setup);
