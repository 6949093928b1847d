// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 SandBox Mode: strong isolation.
 *
 * A sandboxed function runs at CPL3 on page tables of its own, which map:
 *
 *  - in the lower half, moved down from their kernel addresses by one
 *    random distance per boot (sbm_x86_image_delta): the sandbox code
 *    (.sbm.text of vmlinux and of the function's module), user-executable;
 *    the constants of sandbox library code (.sbm.rodata), user-readable;
 *    and a private copy of its data (.sbm.data), user-writable;
 *  - in the lower half, user-accessible: the heap of the instance, if it
 *    has one;
 *  - in the lower half, user-accessible: a private stack and the buffer
 *    copies, read-only for inputs, each followed by an unmapped page;
 *  - supervisor-only, so the CPU can leave the sandbox: the CPU entry area
 *    (GDT, TSS, IST stacks), the sandbox IDT, the transition code and the
 *    instance's transition page (its state, and the stack for leaving).
 *
 * Nothing else of the kernel is mapped, and nothing that a sandbox can
 * read holds a kernel address: sandbox code makes only PC-relative
 * references (modpost), and its return address is the sandbox's view of
 * sbm_x86_sandbox_exit. No user page lies in the upper half, where LASS
 * would fault every CPL3 access. The sandbox IDT sends every vector
 * to the transition code, which returns to arch_sbm_exec(): a return from
 * the function ends the call, an exception terminates the sandbox,
 * interrupts are handed to the kernel's own IDT entries on the kernel
 * page tables, after which the sandbox is resumed.
 */

#define pr_fmt(fmt) "sbm: " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/cc_platform.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/processor.h>
#include <linux/ratelimit.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string_choices.h>
#include <linux/sync_core.h>
#include <linux/tick.h>
#include <linux/vmalloc.h>

#include <asm/apic.h>
#include <asm/asm.h>
#include <asm/cpu_entry_area.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/extable_fixup_types.h>
#include <asm/fixmap.h>
#include <asm/fpu/api.h>
#include <asm/fsgsbase.h>
#include <asm/gsseg.h>
#include <asm/io_bitmap.h>
#include <asm/kvm_para.h>
#include <asm/irq_vectors.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/sbm.h>
#include <asm/sections.h>
#include <asm/set_memory.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

static_assert(offsetof(struct sbm_x86_tstate, kernel_cr3) == SBM_TS_KERNEL_CR3);
static_assert(offsetof(struct sbm_x86_tstate, frame) == SBM_TS_FRAME);
static_assert(offsetof(struct sbm_x86_tstate, cr2) == SBM_TS_CR2);
static_assert(offsetof(struct sbm_x86_tstate, nmi_pending) == SBM_TS_NMI);
static_assert(offsetof(struct sbm_x86_tstate, dr6) == SBM_TS_DR6);
static_assert(offsetof(struct sbm_x86_tstate, mce_ip) == SBM_TS_MCE_IP);
static_assert(offsetof(struct sbm_x86_tstate, step) == SBM_TS_STEP);
static_assert(sizeof(struct sbm_x86_tstate) == SBM_TS_SIZE);
static_assert(SBM_TS_SIZE % 16 == 0);
static_assert(offsetof(struct sbm_x86_frame, r15) == SBM_FRAME_R15);
static_assert(offsetof(struct sbm_x86_frame, bp) == SBM_FRAME_BP);
static_assert(offsetof(struct sbm_x86_frame, r11) == SBM_FRAME_R11);
static_assert(offsetof(struct sbm_x86_frame, ax) == SBM_FRAME_AX);
static_assert(offsetof(struct sbm_x86_frame, di) == SBM_FRAME_DI);
static_assert(offsetof(struct sbm_x86_frame, vector) == SBM_FRAME_VECTOR);
static_assert(offsetof(struct sbm_x86_frame, error_code) == SBM_FRAME_ERROR);
static_assert(offsetof(struct sbm_x86_frame, ip) == SBM_FRAME_IP);
static_assert(offsetof(struct sbm_x86_frame, ss) == SBM_FRAME_SS);
static_assert(sizeof(struct sbm_x86_frame) == SBM_FRAME_SIZE);

/*
 * Sandbox virtual memory layout (lower half). A TLB indexed by the low
 * bits of the page number keeps only one of the pages whose numbers agree
 * there, in each of its ways: QEMU's TCG models a direct-mapped TLB of at
 * least 256 entries, hardware TLBs have a few ways per set. The sandbox
 * sections of the kernel image lie at the start of 2 MiB-aligned regions,
 * at low offsets in a 1 MiB window; the stack, the heap and the buffers
 * start at distinct offsets in its upper half (128, 136 and 200 pages),
 * so that a sandbox of up to some 120 pages of its own evicts none of
 * them, nor its code and constants. (With all three at offset 0, the
 * sandboxed ZSTD ran 1.5 times slower under TCG than with weak isolation;
 * with this layout, 1.06 times.)
 */
#define SBM_X86_HEAP_BASE	0x08088000UL	/* up to SBM_MAX_BUF_SIZE */
#define SBM_X86_STACK_SIZE	(4 * PAGE_SIZE)
#define SBM_X86_STACK_BASE	0x10080000UL
#define SBM_X86_STACK_TOP	(SBM_X86_STACK_BASE + SBM_X86_STACK_SIZE)
#define SBM_X86_BUF_BASE	0x100c8000UL
static_assert(SBM_X86_BUF_BASE > SBM_X86_STACK_TOP);
#define SBM_X86_VA_END		BIT(46)

/*
 * Where a sandbox sees the kernel image and modules, which hold all
 * sandbox sections: [__START_KERNEL_map, MODULES_END) moved to a random
 * 2 MiB-aligned place in [SBM_X86_VA_END, SBM_X86_IMAGE_TOP), chosen once
 * per boot. PC-relative references between sandbox sections, of vmlinux
 * and of modules, hold there; the distance is not the KASLR offset, and a
 * sandbox that knows where it is learns nothing of where the kernel is.
 * Below 2^47, for 4-level page tables.
 */
#define SBM_X86_IMAGE_SIZE	(MODULES_END - __START_KERNEL_map)
#define SBM_X86_IMAGE_TOP	(BIT(47) - PMD_SIZE)
static_assert(SBM_X86_VA_END + SBM_X86_IMAGE_SIZE < SBM_X86_IMAGE_TOP);

/* PCID of all sandboxes; the kernel uses 1..TLB_NR_DYN_ASIDS (+2048). */
#define SBM_X86_PCID		0x7ff

#define SBM_PTE_KRO	(_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define SBM_PTE_KRW	(SBM_PTE_KRO | _PAGE_RW | _PAGE_DIRTY)
#define SBM_PTE_KRX	(_PAGE_PRESENT | _PAGE_ACCESSED)
#define SBM_PTE_URX	(SBM_PTE_KRX | _PAGE_USER)
#define SBM_PTE_URO	(SBM_PTE_KRO | _PAGE_USER)
#define SBM_PTE_URW	(SBM_PTE_KRW | _PAGE_USER)
/* Writable, the dirty bit tells which pages the sandbox wrote. */
#define SBM_PTE_UTRACK	(SBM_PTE_URW & ~_PAGE_DIRTY)

/* User-visible RFLAGS bits a sandbox may keep across interrupts. */
#define SBM_X86_USER_FLAGS	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
				 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_AC)

/*
 * Mapped into every sandbox, read-only at fixed addresses (fixmap), so
 * that SIDT and SGDT show a sandbox no randomized address where UMIP does
 * not make them fault; the kernel does the same for its own IDT. The GDT
 * alias is loaded only without UMIP.
 */
static gate_desc sbm_x86_idt[IDT_ENTRIES] __page_aligned_bss;
static struct desc_struct sbm_x86_gdt[PAGE_SIZE / sizeof(struct desc_struct)]
	__page_aligned_bss;

const struct desc_ptr sbm_x86_idt_desc = {
	.size		= sizeof(sbm_x86_idt) - 1,
	.address	= __fix_to_virt(FIX_SBM_IDT),
};

const struct desc_ptr sbm_x86_gdt_desc = {
	.size		= GDT_SIZE - 1,
	.address	= __fix_to_virt(FIX_SBM_GDT),
};

/*
 * The sandbox GDT is loaded (without UMIP) only while the sandbox IDT is:
 * the transition code loads it after the sandbox IDT and puts the
 * kernel's back, from sbm_x86_kernel_gdt, before the kernel IDT. An NMI,
 * #DB or #MC that the kernel's own entry code takes must find the
 * kernel's GDT: without RDPID, paranoid_entry reads the CPU number from
 * the limit of its CPU number segment (GET_PERCPU_BASE), which the
 * sandbox GDT leaves out, and would run the handler on another CPU's
 * per-CPU data.
 */
bool sbm_x86_fixed_gdt __ro_after_init;
DEFINE_PER_CPU(struct desc_ptr, sbm_x86_kernel_gdt);

struct desc_ptr sbm_x86_kernel_idt __ro_after_init;
static unsigned long sbm_x86_kernel_handler[IDT_ENTRIES] __ro_after_init;
static u64 sbm_x86_sysenter_cs __ro_after_init;
/*
 * Some instruction reaches the FPU registers in sandboxes despite
 * sbm_x86_cr4(): they hold the init state all the same.
 */
VISIBLE_IF_KUNIT bool sbm_x86_fpu_reset __ro_after_init;
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_fpu_reset);
static bool sbm_x86_ready __ro_after_init;

/* Kernel address minus sandbox address of the sandbox sections. */
static unsigned long sbm_x86_image_delta __ro_after_init;

/* Where a sandbox sees @addr of a sandbox section. */
static __always_inline unsigned long sbm_x86_sva(unsigned long addr)
{
	return addr - sbm_x86_image_delta;
}

/* The kernel address of sandbox address @sva of the image, or 0. */
static unsigned long sbm_x86_kva(unsigned long sva)
{
	unsigned long base = __START_KERNEL_map - sbm_x86_image_delta;

	return sva - base < SBM_X86_IMAGE_SIZE ? sva + sbm_x86_image_delta : 0;
}

/*
 * The kernel stack pointer inside sbm_x86_enter(), for the way back from
 * the sandbox: read after the switch to the kernel page tables, it is in
 * no page that a sandbox maps (so Meltdown cannot read it either).
 */
DEFINE_PER_CPU(unsigned long, sbm_x86_kernel_sp);

/* Sandbox state that must survive interrupts. */
struct sbm_x86_segs {
	unsigned short ds, es, fs, gs;
	unsigned long fsbase, gsbase;
	u32 pkru;
};

/* Kernel state replaced while a sandbox runs. */
struct sbm_x86_saved {
	unsigned long sp0;
	unsigned long ist_df;
	u64 efer;
	u64 u_cet;
	unsigned long cr0;
	unsigned long cr4;
	unsigned long dr7;
	u64 sysenter_eip;
	struct sbm_x86_segs segs;
};

/**
 * struct sbm_x86 - strong isolation state of an SBM instance
 * @pgd:	top-level page table of the sandbox
 * @pt_pages:	all page-table pages, to free them
 * @cr3:	CR3 value without PCID bits
 * @stack:	the sandbox stack (kernel address)
 * @tpage:	transition page: state and stack of the transition code
 * @ts:		the transition state, at the top of @tpage
 * @next_va:	next free sandbox address for buffers
 * @regs:	register state of the sandbox
 * @segs:	segment state of the sandbox
 * @cr2:	CR2 when the sandbox was last left
 * @budget:	ends a sandbox run where no tick would (nohz_full CPUs)
 * @mod_text:	the module sandbox code that is mapped, or zeroes
 * @mod_gen:	&sbm.mod_gen of the call that mapped it
 * @stack_pte:	the PTE of the first stack page, and so on: see sbm_x86_reset()
 * @data_pte:	the PTE of the first page of the private copy of .sbm.data
 * @heap_pte:	the PTE of the first heap page
 * @data:	in the pool, the private copy of .sbm.data that stays mapped
 * @poisoned:	a machine check stopped the sandbox, which consumed poison
 * @stepped:	the sandbox left by the single step that the transition
 *		code forced on entry (see SBM_TS_STEP), not by a #DB of its own
 * @async_pf:	the page fault that stopped the sandbox was the host's (a
 *		KVM async page fault), with its token in @cr2
 * @built:	everything that all sandboxes map is mapped
 */
struct sbm_x86 {
	unsigned long *pgd;
	struct list_head pt_pages;
	unsigned long cr3;
	void *stack;
	void *tpage;
	struct sbm_x86_tstate *ts;
	unsigned long next_va;
	struct sbm_x86_frame regs;
	struct sbm_x86_segs segs;
	unsigned long cr2;
	struct hrtimer budget;
	unsigned long mod_text[2];
	unsigned long mod_gen;
	unsigned long *stack_pte;
	unsigned long *data_pte;
	unsigned long *heap_pte;
	void *data;
	bool poisoned;
	bool stepped;
	bool async_pf;
	bool built;
};

static unsigned long *sbm_x86_pt_page(struct sbm_x86 *x)
{
	struct page *page;

	if (sbm_fail_alloc())
		return NULL;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
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

/*
 * The PTE for @va, where @prev is the PTE of the page before it, or %NULL:
 * in the same page table but at its start, it follows @prev; otherwise it
 * is walked to from the top. Loops over a range thus walk once per table.
 */
static unsigned long *sbm_x86_next_pte(struct sbm_x86 *x, unsigned long va,
				       unsigned long *prev, bool alloc)
{
	if (prev && (va & (PMD_SIZE - 1)))
		return prev + 1;
	return sbm_x86_walk(x, va, PAGE_SHIFT, alloc);
}

/*
 * The page frame of the kernel page at @addr. @kpte is the kernel's PTE
 * of the page before it, or %NULL: as in sbm_x86_next_pte(), the kernel's
 * page tables are walked only to enter a new page table, not once per
 * page of a vmalloc area (a 1 MiB buffer has 256).
 */
static unsigned long sbm_x86_pfn(const void *addr, pte_t **kpte)
{
	unsigned long va = (unsigned long)addr;
	unsigned int level;

	if (!is_vmalloc_or_module_addr(addr)) {
		*kpte = NULL;
		return PHYS_PFN(__pa(addr));
	}
	if (*kpte && (va & (PMD_SIZE - 1))) {
		(*kpte)++;
	} else {
		*kpte = lookup_address(va, &level);
		if (*kpte && level != PG_LEVEL_4K)
			*kpte = NULL;
	}
	if (!*kpte || !pte_present(**kpte)) {
		*kpte = NULL;
		return vmalloc_to_pfn(addr);
	}
	return pte_pfn(**kpte);
}

/* Map [@addr, @addr + @size) of the kernel at sandbox address @va. */
static int sbm_x86_map(struct sbm_x86 *x, unsigned long va, const void *addr,
		       size_t size, unsigned long prot)
{
	unsigned long *pte = NULL;
	pte_t *kpte = NULL;
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		pte = sbm_x86_next_pte(x, va + off, pte, true);
		if (!pte)
			return -ENOMEM;
		*pte = (sbm_x86_pfn(addr + off, &kpte) << PAGE_SHIFT) |
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
	unsigned long *pte = NULL;

	for (; start < end; start += PAGE_SIZE) {
		pte = sbm_x86_next_pte(x, start, pte, false);
		if (pte)
			*pte = 0;
	}
}

/*
 * Map the pages of [@start, @end) of the kernel image where a sandbox sees
 * them. No TLB entry of the kernel's is for those addresses: every entry
 * into a sandbox drops all of its own (see sbm_x86_reset()), and global
 * kernel entries are for the upper half.
 */
static int sbm_x86_map_image(struct sbm_x86 *x, const void *start,
			     const void *end, unsigned long prot)
{
	unsigned long va = (unsigned long)start & PAGE_MASK;

	return sbm_x86_map(x, sbm_x86_sva(va), (void *)va,
			   PAGE_ALIGN((unsigned long)end) - va, prot);
}

static void sbm_x86_unmap_image(struct sbm_x86 *x, unsigned long start,
				unsigned long end)
{
	sbm_x86_unmap(x, sbm_x86_sva(start & PAGE_MASK),
		      sbm_x86_sva(PAGE_ALIGN(end)));
}

/*
 * The interrupt is what matters: it leaves the sandbox, and
 * arch_sbm_exec() finds the budget spent.
 */
static enum hrtimer_restart sbm_x86_budget_expired(struct hrtimer *timer)
{
	return HRTIMER_NORESTART;
}

/*
 * The sandbox code of a module stays mapped in an instance from one call
 * to the next, and when the instance goes to the pool: mapping its pages
 * on every call would make the cost of a call grow with it. A module that
 * goes away bumps the core's count of gone modules (&sbm.mod_gen); an
 * instance whose mapping is older, or is for other code than the next
 * call's, drops it before that call. The mapping is never used in
 * between: only a call loads the page tables.
 */
static void sbm_x86_unmap_module_text(struct sbm_x86 *x)
{
	if (!x->mod_text[0])
		return;
	sbm_x86_unmap_image(x, x->mod_text[0], x->mod_text[1]);
	x->mod_text[0] = 0;
	x->mod_text[1] = 0;
}

/*
 * Map the module sandbox code [@text[0], @text[1]) (none if @text[0] is
 * 0), read at generation @gen, unless it is mapped already.
 */
static __sbm_hot int sbm_x86_map_module_text(struct sbm_x86 *x,
					     const unsigned long *text,
					     unsigned long gen)
{
	int err;

	if (x->mod_text[0] == text[0] && x->mod_text[1] == text[1] &&
	    x->mod_gen == gen)
		return 0;
	sbm_x86_unmap_module_text(x);
	if (!text[0])
		return 0;
	err = sbm_x86_map_image(x, (void *)text[0], (void *)text[1], SBM_PTE_URX);
	if (err) {
		sbm_x86_unmap_image(x, text[0], text[1]);
		return err;
	}
	x->mod_text[0] = text[0];
	x->mod_text[1] = text[1];
	x->mod_gen = gen;
	return 0;
}

unsigned long arch_sbm_image_addr(unsigned long addr)
{
	return sbm_x86_sva(addr);
}

bool arch_sbm_available(void)
{
	return READ_ONCE(sbm_x86_ready);
}

/*
 * Building an instance costs page tables, a stack and a transition page,
 * more than many calls. Destroyed instances are kept for the next
 * sbm_init(), up to SBM_X86_POOL of them, with nothing mapped but what
 * every sandbox maps and maybe the sandbox code of the module of their
 * last call; their stacks were wiped after their last call.
 */
#define SBM_X86_POOL	8

static struct sbm_x86 *sbm_x86_pool[SBM_X86_POOL];
static unsigned int sbm_x86_pooled;
static DEFINE_SPINLOCK(sbm_x86_pool_lock);

static struct sbm_x86 *sbm_x86_pool_get(void)
{
	struct sbm_x86 *x = NULL;

	spin_lock(&sbm_x86_pool_lock);
	if (sbm_x86_pooled)
		x = sbm_x86_pool[--sbm_x86_pooled];
	spin_unlock(&sbm_x86_pool_lock);
	return x;
}

static bool sbm_x86_pool_put(struct sbm_x86 *x)
{
	bool kept = false;

	spin_lock(&sbm_x86_pool_lock);
	if (sbm_x86_pooled < SBM_X86_POOL) {
		sbm_x86_pool[sbm_x86_pooled++] = x;
		kept = true;
	}
	spin_unlock(&sbm_x86_pool_lock);
	return kept;
}

/* The return address of sandboxed functions: see sbm_x86_stack_reset(). */
static __sbm_hot void sbm_x86_put_return(struct sbm_x86 *x)
{
	unsigned long *top = x->stack + SBM_X86_STACK_SIZE - sizeof(long);

	*top = sbm_x86_sva((unsigned long)sbm_x86_sandbox_exit);
}

int arch_sbm_init(struct sbm *sbm)
{
	unsigned long cea = CPU_ENTRY_AREA_BASE, *entry;
	struct sbm_x86 *x;
	int err = -ENOMEM;

	x = sbm_x86_pool_get();
	if (x) {
		memset(x->ts, 0, sizeof(*x->ts));
		/* Restored where it was written before the first call. */
		sbm->data = x->data;
		x->data = NULL;
		sbm->arch = x;
		return 0;
	}
	x = sbm_fail_alloc() ? NULL : kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return -ENOMEM;
	INIT_LIST_HEAD(&x->pt_pages);
	hrtimer_init(&x->budget, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	x->budget.function = sbm_x86_budget_expired;
	sbm->arch = x;

	x->pgd = sbm_x86_pt_page(x);
	if (!sbm_fail_alloc())
		x->tpage = (void *)get_zeroed_page(GFP_KERNEL);
	if (!sbm_fail_alloc())
		x->stack = vzalloc(SBM_X86_STACK_SIZE);
	if (!x->pgd || !x->tpage || !x->stack)
		goto fail;
	x->ts = x->tpage + SBM_TS_OFFSET;
	x->cr3 = __pa(x->pgd);

	/* The CPU entry area has a 512 GiB slot of its own. */
	entry = sbm_x86_walk(x, cea, P4D_SHIFT, true);
	if (!entry)
		goto fail;
	*entry = p4d_val(*p4d_offset(pgd_offset_k(cea), cea));

	err = sbm_x86_map(x, __fix_to_virt(FIX_SBM_IDT), sbm_x86_idt, PAGE_SIZE,
			  SBM_PTE_KRO);
	err = err ?: sbm_x86_map(x, __fix_to_virt(FIX_SBM_GDT), sbm_x86_gdt,
				 PAGE_SIZE, SBM_PTE_KRO);
	err = err ?: sbm_x86_map_same(x, __sbm_entry_text_start,
				      __sbm_entry_text_end, SBM_PTE_KRX);
	err = err ?: sbm_x86_map_same(x, x->tpage, x->tpage + PAGE_SIZE,
				      SBM_PTE_KRW);
	/* The operand of VERW, which clears CPU buffers before IRET. */
	err = err ?: sbm_x86_map(x, (unsigned long)&x86_verw_sel & PAGE_MASK,
				 (void *)((unsigned long)&x86_verw_sel & PAGE_MASK),
				 PAGE_SIZE, SBM_PTE_KRO);
	err = err ?: sbm_x86_map_image(x, __sbm_text_start, __sbm_text_end,
				       SBM_PTE_URX);
	err = err ?: sbm_x86_map_image(x, __sbm_rodata_start, __sbm_rodata_end,
				       SBM_PTE_URO);
	err = err ?: sbm_x86_map(x, SBM_X86_STACK_BASE, x->stack,
				 SBM_X86_STACK_SIZE, SBM_PTE_UTRACK);
	if (err)
		goto fail;
	x->stack_pte = sbm_x86_walk(x, SBM_X86_STACK_BASE, PAGE_SHIFT, false);
	sbm_x86_put_return(x);

	x->next_va = SBM_X86_BUF_BASE;
	x->built = true;
	return 0;

fail:
	arch_sbm_destroy(sbm);
	return err;
}

void arch_sbm_destroy(struct sbm *sbm)
{
	struct sbm_x86 *x = sbm->arch;
	struct page *page, *tmp;
	void *data;

	if (!x)
		return;
	if (x->built) {
		/*
		 * Unmap what was this instance's own: buffers and heap.
		 * Module sandbox code is everyone's, and stays mapped; so
		 * does the copy of .sbm.data, which goes to the pool with
		 * the page tables, and whose pages the sandbox wrote are
		 * restored before the next call (sbm_lib_prepare()). After
		 * an error, which may have left it mapped in part, it goes
		 * with the instance (the core frees it).
		 */
		arch_sbm_unmap_bufs(sbm);
		sbm_x86_unmap(x, SBM_X86_HEAP_BASE,
			      SBM_X86_HEAP_BASE + PAGE_ALIGN(sbm->heap_size));
		x->data = sbm->error ? NULL : sbm->data;
		if (!x->data)
			sbm_x86_unmap_image(x, (unsigned long)__sbm_data_start,
					    (unsigned long)__sbm_data_end);
	}
	sbm->arch = NULL;
	/* Not x->data: once in the pool, x may be someone else's. */
	data = x->built ? x->data : NULL;
	if (x->built && sbm_x86_pool_put(x)) {
		if (data)
			sbm->data = NULL;
		return;
	}
	x->data = NULL;
	list_for_each_entry_safe(page, tmp, &x->pt_pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	vfree(x->stack);
	free_page((unsigned long)x->tpage);
	kfree(x);
}

int arch_sbm_map_buf(struct sbm *sbm, struct sbm_buf *buf)
{
	struct sbm_x86 *x = sbm->arch;
	unsigned long va = x->next_va;
	int err;

	if (buf->area_size >= SBM_X86_VA_END - va)
		return -E2BIG;
	err = sbm_x86_map(x, va, buf->area, buf->area_size,
			  (buf->flags & SBM_BUF_OUT) ? SBM_PTE_UTRACK : SBM_PTE_URO);
	if (err) {
		sbm_x86_unmap(x, va, va + buf->area_size);
		return err;
	}
	/* Leave an unmapped guard page behind every buffer. */
	x->next_va = va + buf->area_size + PAGE_SIZE;
	buf->sbm_addr = (void *)(va + (buf->data - buf->area));
	return 0;
}

/* The private copy of .sbm.data, where the sandbox code expects it. */
int arch_sbm_map_data(struct sbm *sbm)
{
	unsigned long va = sbm_x86_sva((unsigned long)__sbm_data_start);
	struct sbm_x86 *x = sbm->arch;
	int err;

	err = sbm_x86_map(x, va, sbm->data, __sbm_data_end - __sbm_data_start,
			  SBM_PTE_UTRACK);
	x->data_pte = err ? NULL : sbm_x86_walk(x, va, PAGE_SHIFT, false);
	return err;
}

int arch_sbm_map_heap(struct sbm *sbm)
{
	static_assert(SBM_X86_HEAP_BASE + SBM_MAX_BUF_SIZE + PAGE_SIZE <=
		      SBM_X86_STACK_BASE);
	struct sbm_x86 *x = sbm->arch;
	int err;

	sbm->heap_addr = SBM_X86_HEAP_BASE;
	err = sbm_x86_map(x, SBM_X86_HEAP_BASE, sbm->heap, sbm->heap_size,
			  SBM_PTE_UTRACK);
	x->heap_pte = err ? NULL :
		      sbm_x86_walk(x, SBM_X86_HEAP_BASE, PAGE_SHIFT, false);
	return err;
}

/*
 * Restore the pages that the sandbox wrote: the CPU sets the dirty bit of
 * a sandbox PTE on the first write through it. Clearing the bit needs no
 * TLB flush here: every sandbox entry loads CR3 without
 * X86_CR3_PCID_NOFLUSH, which drops all TLB entries of the sandbox, so
 * the next write through the PTE sets the bit again.
 *
 * @pte is the PTE of @va if the caller knows it, or %NULL: walking to it
 * touches a page per level, and every call resets the stack, the private
 * copy of .sbm.data and the heap, whose PTEs the instance keeps. Return:
 * whether any page was restored.
 */
static __sbm_hot bool sbm_x86_reset(struct sbm_x86 *x, unsigned long va,
				    unsigned long *pte, void *area, size_t size,
				    const void *pristine)
{
	bool wrote = false;
	size_t off, len;

	if (!pte)
		pte = sbm_x86_walk(x, va, PAGE_SHIFT, false);
	for (off = 0; off < size; off += PAGE_SIZE) {
		if (off)
			pte = sbm_x86_next_pte(x, va + off, pte, false);
		if (pte && !(*pte & _PAGE_DIRTY))
			continue;
		len = min_t(size_t, PAGE_SIZE, size - off);
		if (pristine)
			memcpy(area + off, pristine + off, len);
		else
			memset(area + off, 0, len);
		if (pte)
			*pte &= ~_PAGE_DIRTY;
		wrote = true;
	}
	return wrote;
}

/*
 * The sandbox stack between calls: all zeroes but the top word, the
 * return address of the sandboxed function (see sbm_x86_sandbox_exit),
 * which the kernel writes through its own mapping. A function that uses
 * no stack leaves the page clean, and nothing needs wiping; one that
 * wrote the stack may have changed the return address too, so it is put
 * back after the wipe.
 */
static __sbm_hot void sbm_x86_stack_reset(struct sbm_x86 *x)
{
	if (sbm_x86_reset(x, SBM_X86_STACK_BASE, x->stack_pte, x->stack,
			  SBM_X86_STACK_SIZE, NULL))
		sbm_x86_put_return(x);
}

__sbm_hot void arch_sbm_reset(struct sbm *sbm, unsigned long sbm_addr,
			      void *area, size_t size, const void *pristine)
{
	struct sbm_x86 *x = sbm->arch;
	unsigned long *pte = NULL;

	if (sbm_addr == sbm_x86_sva((unsigned long)__sbm_data_start))
		pte = x->data_pte;
	else if (sbm_addr == SBM_X86_HEAP_BASE)
		pte = x->heap_pte;
	sbm_x86_reset(x, sbm_addr, pte, area, size, pristine);
}

void arch_sbm_unmap_bufs(struct sbm *sbm)
{
	struct sbm_x86 *x = sbm->arch;

	sbm_x86_unmap(x, SBM_X86_BUF_BASE, x->next_va);
	x->next_va = SBM_X86_BUF_BASE;
}

/*
 * The segment bases for the switch, which is noinstr (see sbm_x86_run()):
 * the kernel's accessors go through MSR tracepoints and irq tracing.
 * Interrupts are disabled; the inactive GS base is the one that SWAPGS
 * puts in place, as in __rdgsbase_inactive(), and strong isolation never
 * runs on Xen PV (sbm_x86_unsupported()).
 */
static __always_inline unsigned long sbm_x86_fsbase(void)
{
	if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		return rdfsbase();
	return __rdmsr(MSR_FS_BASE);
}

static __always_inline void sbm_x86_set_fsbase(unsigned long base)
{
	if (cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		wrfsbase(base);
	else
		__wrmsr(MSR_FS_BASE, lower_32_bits(base), upper_32_bits(base));
}

static __always_inline unsigned long sbm_x86_gsbase_inactive(void)
{
	unsigned long base;

	if (!cpu_feature_enabled(X86_FEATURE_FSGSBASE))
		return __rdmsr(MSR_KERNEL_GS_BASE);
	native_swapgs();
	base = rdgsbase();
	native_swapgs();
	return base;
}

static __always_inline void sbm_x86_set_gsbase_inactive(unsigned long base)
{
	if (!cpu_feature_enabled(X86_FEATURE_FSGSBASE)) {
		__wrmsr(MSR_KERNEL_GS_BASE, lower_32_bits(base),
			upper_32_bits(base));
		return;
	}
	native_swapgs();
	wrgsbase(base);
	native_swapgs();
}

/*
 * Inline forms of the other reads and writes of the switch: the kernel's
 * are static inline, which the compiler need not inline into it.
 */
static __always_inline void sbm_x86_store_gdt(struct desc_ptr *dtr)
{
	asm volatile("sgdt %0" : "=m" (*dtr));
}

static __always_inline unsigned long sbm_x86_read_cr0(void)
{
	unsigned long val;

	asm volatile("mov %%cr0, %0" : "=r" (val));
	return val;
}

static __always_inline u32 sbm_x86_rdpkru(void)
{
	u32 pkru, edx;

	asm volatile("rdpkru" : "=a" (pkru), "=d" (edx) : "c" (0));
	return pkru;
}

static __always_inline void sbm_x86_wrpkru(u32 pkru)
{
	asm volatile("wrpkru" : : "a" (pkru), "c" (0), "d" (0) : "memory");
}

/* FS from @sel, or NULL if the selector faults, as loadsegment(fs, ...). */
static __always_inline void sbm_x86_load_fs(unsigned short sel)
{
	asm volatile("1: movw %0, %%fs\n"
		     "2:\n"
		     _ASM_EXTABLE_TYPE(1b, 2b, EX_TYPE_CLEAR_FS)
		     : : "rm" (sel) : "memory");
}

static __always_inline void sbm_x86_save_segs(struct sbm_x86_segs *s)
{
	savesegment(ds, s->ds);
	savesegment(es, s->es);
	savesegment(fs, s->fs);
	savesegment(gs, s->gs);
	s->fsbase = sbm_x86_fsbase();
	s->gsbase = sbm_x86_gsbase_inactive();
	if (cpu_feature_enabled(X86_FEATURE_OSPKE))
		s->pkru = sbm_x86_rdpkru();
}

/*
 * Load @s over @cur, what the registers hold now: only what differs, as
 * the kernel's context switch does. A segment load costs a descriptor
 * fetch, and emulators may flush their TLB on every WRPKRU (QEMU's TCG
 * does).
 */
static __always_inline void sbm_x86_load_segs(const struct sbm_x86_segs *s,
					      const struct sbm_x86_segs *cur)
{
	if (s->ds != cur->ds)
		loadsegment(ds, s->ds);
	if (s->es != cur->es)
		loadsegment(es, s->es);
	if (s->fs != cur->fs || s->fsbase != cur->fsbase) {
		sbm_x86_load_fs(s->fs);
		sbm_x86_set_fsbase(s->fsbase);
	}
	if (s->gs != cur->gs || s->gsbase != cur->gsbase) {
		/* As load_gs_index(), whose irq tracing is not noinstr. */
		asm_load_gs_index(s->gs);
		sbm_x86_set_gsbase_inactive(s->gsbase);
	}
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) && s->pkru != cur->pkru)
		sbm_x86_wrpkru(s->pkru);
}

/*
 * What PKRU holds when a sandbox starts: the rights that every task
 * starts with, which do not depend on the calling task, and always full
 * access to key 0, the key of every sandbox page (init_pkru= on the
 * command line could deny it).
 */
static u32 sbm_x86_init_pkru(void)
{
	return pkru_get_init_value() & ~(PKRU_AD_BIT | PKRU_WD_BIT);
}

/*
 * CR4 of a sandbox: RDPMC and RDTSC fault, whatever the calling task may
 * do, and so does every XSAVE-family and VEX-encoded instruction. With
 * CR0.TS, which stops the x87, MMX and SSE ones, no instruction reaches
 * the FPU registers, which hold the init state (see arch_sbm_exec()), so
 * that not even a speculative read finds anything in them (LazyFP). Not
 * every emulator honours CR0.TS for XSAVE (QEMU's TCG does not); the
 * clear OSXSAVE stops it there too, as the boot checks: see
 * sbm_x86_fpu_reset.
 */
static __always_inline unsigned long sbm_x86_cr4(unsigned long cr4)
{
	return (cr4 & ~(X86_CR4_PCE | X86_CR4_OSXSAVE)) | X86_CR4_TSD;
}

/*
 * CR0 and CR4 writes in the switch: inline, where write_cr0() and
 * __write_cr4() call functions that a kprobe could hook (see
 * sbm_x86_switch_in()). Only CR0.TS and the CR4 bits of sbm_x86_cr4()
 * change, none of the bits that the kernel pins.
 */
static_assert(!((X86_CR4_PCE | X86_CR4_OSXSAVE | X86_CR4_TSD) &
		(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP | X86_CR4_FSGSBASE |
		 X86_CR4_CET)));

static __always_inline void sbm_x86_write_cr0(unsigned long val)
{
	asm volatile("mov %0, %%cr0" :: "r" (val) : "memory");
}

static __always_inline void sbm_x86_write_cr4(unsigned long val)
{
	asm volatile("mov %0, %%cr4" :: "r" (val) : "memory");
}

/*
 * MSR accesses of the switch: the raw accessors, without tracepoints,
 * since the switch is noinstr, and without the paravirt call, since
 * strong isolation never runs where MSRs belong to a hypervisor (Xen PV,
 * see sbm_x86_unsupported()).
 */
static __always_inline u64 sbm_x86_rdmsr(unsigned int msr)
{
	return __rdmsr(msr);
}

static __always_inline void sbm_x86_wrmsr(unsigned int msr, u64 val)
{
	__wrmsr(msr, lower_32_bits(val), upper_32_bits(val));
}

/*
 * Whether XSAVE faults with CR4.OSXSAVE clear. Where it does not (an
 * emulator that ignores both bits), every sandbox entry loads the init
 * state into the FPU registers instead: sbm_x86_fpu_reset.
 */
static bool __init sbm_x86_xsave_faults(void)
{
	static u8 area[1024] __initdata __aligned(64);
	unsigned long flags, cr4;
	bool faulted = true;

	local_irq_save(flags);
	cr4 = cr4_read_shadow();
	__write_cr4(sbm_x86_cr4(cr4));
	asm volatile("1: xsave64 %[area]\n"
		     "   movb $0, %[faulted]\n"
		     "2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [area] "+m" (area), [faulted] "+qm" (faulted)
		     : "a" (0), "d" (0));
	__write_cr4(cr4);
	local_irq_restore(flags);
	return faulted;
}

/*
 * Replace the kernel state that CPL3 code can see or use: no SYSCALL or
 * SYSENTER, no FPU, no I/O ports, no debug breakpoints, no RDPMC or
 * RDTSC, no user shadow stack, no user segment bases, and the transition
 * page as the stack to leave the sandbox on.
 *
 * CR0 and CR4 come last, and go back first: from there until the sandbox
 * runs, and from its exit until they are restored, only inline code
 * runs, no function that a kprobe, ftrace or an MSR tracepoint could
 * hook. A hook would run with the FPU off, and the #NM handler, which
 * expects CR0.TS clear, would clear it for the sandbox.
 */
static __always_inline void sbm_x86_switch_in(struct sbm_x86 *x,
					      struct sbm_x86_saved *s)
{
	unsigned long cr4;

	s->sp0 = this_cpu_read(cpu_tss_rw.x86_tss.sp0);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, (unsigned long)x->ts);
	s->ist_df = this_cpu_read(cpu_tss_rw.x86_tss.ist[SBM_IST_DF - 1]);
	this_cpu_write(cpu_tss_rw.x86_tss.ist[SBM_IST_DF - 1],
		       (unsigned long)x->tpage + SBM_DF_STACK_TOP);
#ifdef CONFIG_X86_IOPL_IOPERM
	/*
	 * A task's ioperm() bitmap must not apply to the sandbox: as
	 * native_tss_invalidate_io_bitmap(), which the compiler may not
	 * inline into noinstr code (and no Xen PV here).
	 */
	this_cpu_write(cpu_tss_rw.x86_tss.io_bitmap_base,
		       IO_BITMAP_OFFSET_INVALID);
#endif

	/*
	 * The kernel's GDT, for the transition code to restore; the segments
	 * are loaded from it: the ones a sandbox can load are the same in
	 * its own GDT.
	 */
	if (sbm_x86_fixed_gdt)
		sbm_x86_store_gdt(this_cpu_ptr(&sbm_x86_kernel_gdt));
	sbm_x86_save_segs(&s->segs);
	sbm_x86_load_segs(&x->segs, &s->segs);

	s->efer = sbm_x86_rdmsr(MSR_EFER);
	sbm_x86_wrmsr(MSR_EFER, s->efer & ~EFER_SCE);
	if (sbm_x86_sysenter_cs)
		sbm_x86_wrmsr(MSR_IA32_SYSENTER_CS, 0);
	/* The transition code keeps the kernel's CR3 there. */
	if (static_cpu_has_bug(X86_BUG_CPU_MELTDOWN))
		s->sysenter_eip = sbm_x86_rdmsr(MSR_IA32_SYSENTER_EIP);
	/* The calling task's shadow stack is not mapped in the sandbox. */
	s->u_cet = 0;
	if (cpu_feature_enabled(X86_FEATURE_USER_SHSTK)) {
		s->u_cet = sbm_x86_rdmsr(MSR_IA32_U_CET);
		if (s->u_cet)
			sbm_x86_wrmsr(MSR_IA32_U_CET, 0);
	}

	s->dr7 = local_db_save();
	/* The FPU registers hold the init state: see sbm_x86_cr4(). */
	s->cr0 = sbm_x86_read_cr0();
	s->cr4 = this_cpu_read(cpu_tlbstate.cr4);
	cr4 = sbm_x86_cr4(s->cr4);
	sbm_x86_write_cr0(s->cr0 | X86_CR0_TS);
	if (cr4 != s->cr4)
		sbm_x86_write_cr4(cr4);
	/* As on every exit to user space: no quotient left over for CPL3. */
	amd_clear_divider();
}

static __always_inline void sbm_x86_switch_out(struct sbm_x86 *x,
					       struct sbm_x86_saved *s)
{
	if (s->cr4 != sbm_x86_cr4(s->cr4))
		sbm_x86_write_cr4(s->cr4);
	sbm_x86_write_cr0(s->cr0);
	local_db_restore(s->dr7);

	if (s->u_cet)
		sbm_x86_wrmsr(MSR_IA32_U_CET, s->u_cet);
	if (static_cpu_has_bug(X86_BUG_CPU_MELTDOWN))
		sbm_x86_wrmsr(MSR_IA32_SYSENTER_EIP, s->sysenter_eip);
	if (sbm_x86_sysenter_cs)
		sbm_x86_wrmsr(MSR_IA32_SYSENTER_CS, sbm_x86_sysenter_cs);
	sbm_x86_wrmsr(MSR_EFER, s->efer);

	sbm_x86_save_segs(&x->segs);
	sbm_x86_load_segs(&s->segs, &x->segs);

	this_cpu_write(cpu_tss_rw.x86_tss.ist[SBM_IST_DF - 1], s->ist_df);
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, s->sp0);
}

/*
 * The switch, the entry and the exit: from redirecting TSS.sp0 to putting
 * it back, nothing may be traced, probed or instrumented, since the hook
 * would run on the sandbox's segments, CR0.TS and TSS.sp0. objtool checks
 * it (noinstr validation), with the transition code (.sbm.entry.text).
 */
static noinstr void sbm_x86_run(struct sbm_x86 *x, unsigned long kernel_cr3,
				unsigned long sandbox_cr3)
{
	struct sbm_x86_saved saved;

	sbm_x86_switch_in(x, &saved);
	/* Where the transition code looks for it, see SBM_KERNEL_CR3. */
	if (static_cpu_has_bug(X86_BUG_CPU_MELTDOWN))
		sbm_x86_wrmsr(MSR_IA32_SYSENTER_EIP, kernel_cr3);
	else
		x->ts->kernel_cr3 = kernel_cr3;
	sbm_x86_enter(&x->regs, x->ts, sandbox_cr3);
	sbm_x86_switch_out(x, &saved);
}

/**
 * sbm_x86_machine_check() - hand a machine check of a sandbox to the kernel
 * @regs:	where it is said to have happened: sbm_x86_mce_site
 *
 * As KVM does after a VM exit for a machine check, with interrupts still
 * disabled, but as if the error hit kernel code that has a recovery path
 * for consumed poison: the kernel's usual handling and recovery apply
 * (logging, panic if it is fatal), and a recoverable error in memory the
 * sandbox read moves @regs->ip to sbm_x86_mce_recovered.
 */
VISIBLE_IF_KUNIT void sbm_x86_machine_check(struct pt_regs *regs)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_x86_machine_check, regs);
#ifdef CONFIG_X86_MCE
	do_machine_check(regs);
#endif
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_machine_check);

/*
 * Hand a machine check at @ip to the kernel; @addr is the sandbox
 * address that sbm_x86_mce_site reads. Return: whether the kernel
 * recovered (the sandbox consumed poison).
 */
static bool sbm_x86_consumed_poison(unsigned long ip, unsigned long addr)
{
	struct pt_regs regs = {
		.ax	= addr,
		.ip	= ip,
		.cs	= __KERNEL_CS,
		.flags	= X86_EFLAGS_FIXED,
		.sp	= current_stack_pointer,
		.ss	= __KERNEL_DS,
	};

	sbm_x86_machine_check(&regs);
	return regs.ip == (unsigned long)sbm_x86_mce_recovered;
}

/*
 * A KVM guest's host may inject a "page not present" async page fault
 * into CPL3, so into a running sandbox: the fault is the host's, whose
 * token (in CR2) the kernel must wait on (as kvm_handle_async_pf() does
 * for user space), and the sandbox resumes after it. Taken for the
 * sandbox's own, it would leave apf_reason set, and the next kernel page
 * fault on the CPU would panic ("Host injected async #PF in kernel
 * mode"). Read right after the exit, on the CPU of the fault.
 */
VISIBLE_IF_KUNIT u32 sbm_x86_async_pf_flags(void)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_x86_async_pf_flags);
#ifdef CONFIG_KVM_GUEST
	if (static_branch_unlikely(&kvm_async_pf_enabled))
		return kvm_read_and_reset_apf_flags();
#endif
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_async_pf_flags);

/* Wait until the host brought the page of @token in; may sleep. */
VISIBLE_IF_KUNIT void sbm_x86_async_pf_wait(u32 token)
{
	KUNIT_STATIC_STUB_REDIRECT(sbm_x86_async_pf_wait, token);
	local_irq_disable();
	kvm_async_pf_task_wait_schedule(token);
	local_irq_enable();
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_async_pf_wait);

/* Did the sandbox leave by returning from its function? */
static bool sbm_x86_returned(const struct sbm_x86_frame *r)
{
	return r->vector == X86_TRAP_UD &&
	       r->ip == sbm_x86_sva((unsigned long)sbm_x86_sandbox_exit);
}

/* For the tests: NMIs that arrived during a transition, and were replayed. */
VISIBLE_IF_KUNIT atomic_long_t sbm_x86_transition_nmis;
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_transition_nmis);

/* For the tests: entries that an NMI or #MC made single-step. */
VISIBLE_IF_KUNIT atomic_long_t sbm_x86_forced_steps;
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_forced_steps);

#if IS_ENABLED(CONFIG_SANDBOX_MODE_KUNIT_TEST)
/* For the tests: every entry takes an NMI after the sandbox IDT is in. */
bool sbm_x86_test_nmi_entry;
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_test_nmi_entry);
#endif

/*
 * An NMI or machine check that arrived on the way into the sandbox made
 * it single-step its first instruction (see SBM_TS_STEP): give back the
 * sandbox's TF, and tell that #DB from one of the sandbox's own.
 */
static __sbm_hot void sbm_x86_forced_step(struct sbm_x86 *x)
{
	unsigned long dr6;

	x->stepped = false;
	if (!x->ts->step)
		return;
	x->ts->step = 0;
	x->regs.flags &= ~X86_EFLAGS_TF;
	if (IS_ENABLED(CONFIG_KUNIT))
		atomic_long_inc(&sbm_x86_forced_steps);
	if (x->regs.vector != X86_TRAP_DB)
		return;
	get_debugreg(dr6, 6);
	x->stepped = dr6 & DR_STEP;
}

/*
 * Enter the sandbox once, until the next event; interrupts disabled. The
 * sandbox IDT is loaded only inside sbm_x86_enter(), so the C code here
 * runs with the kernel's; kprobes stay out all the same, since a probe
 * between switching in and out would run with the sandbox's segments,
 * CR0.TS and TSS.sp0.
 */
static __sbm_hot notrace u64 sbm_x86_enter_once(struct sbm_x86 *x)
{
	unsigned long kernel_cr3 = __native_read_cr3(), sandbox_cr3 = x->cr3;
	struct sbm_x86_tstate *ts = x->ts;
	bool in_transition;
	u64 start, ran;

	if (cr4_read_shadow() & X86_CR4_PCIDE) {
		kernel_cr3 |= X86_CR3_PCID_NOFLUSH;
		sandbox_cr3 |= SBM_X86_PCID;
	}

	/* Outside the switch, which calls nothing that could be hooked. */
	start = local_clock();
	sbm_x86_run(x, kernel_cr3, sandbox_cr3);
	/* Nothing uses the transition stack until the next entry. */
	x->regs = *(struct sbm_x86_frame *)ts->frame;
	/*
	 * The sandbox's own time, without the interrupt it left for; none
	 * is needed after a clean return.
	 */
	ran = sbm_x86_returned(&x->regs) ? 0 : local_clock() - start;

	x->cr2 = ts->cr2;
	ts->cr2 = 0;
	sbm_x86_forced_step(x);
	x->async_pf = x->regs.vector == X86_TRAP_PF &&
		      (sbm_x86_async_pf_flags() & KVM_PV_REASON_PAGE_NOT_PRESENT);
	x->poisoned = x->regs.vector == X86_TRAP_MC &&
		      sbm_x86_consumed_poison((unsigned long)sbm_x86_mce_site,
					      x->regs.ip);
	/* One in the transition code is the kernel's, where it happened. */
	if (ts->mce_ip) {
		sbm_x86_consumed_poison(ts->mce_ip, 0);
		ts->mce_ip = 0;
	}
	/*
	 * An AMX instruction that XFD stopped (the caller has no AMX state)
	 * noted so in XFD_ERR; that #NM was the sandbox's, not the task's.
	 */
	if (x->regs.vector == X86_TRAP_NM && cpu_feature_enabled(X86_FEATURE_XFD)) {
		u64 xfd_err;

		rdmsrl(MSR_IA32_XFD_ERR, xfd_err);
		if (xfd_err)
			wrmsrl(MSR_IA32_XFD_ERR, 0);
	}
	if (x->regs.vector == X86_TRAP_DB || ts->dr6) {
		set_debugreg(DR6_RESERVED, 6);
		ts->dr6 = 0;
	}

	/* Replay an NMI that hit the sandbox or a transition. */
	in_transition = xchg(&ts->nmi_pending, 0);
	if (IS_ENABLED(CONFIG_KUNIT) && in_transition)
		atomic_long_inc(&sbm_x86_transition_nmis);
	if (x->regs.vector == X86_TRAP_NMI || in_transition) {
		/*
		 * Through the kernel's NMI gate, at once, as KVM once did after
		 * an NMI exit: its entry runs before the sandbox is entered
		 * again, and its IRET unblocks NMIs. A self-NMI could arrive
		 * only once the next entry has loaded the sandbox IDT, and be
		 * caught on the way in again, and again.
		 */
		asm volatile("int $2" ::: "memory");
	}
	if (x->regs.vector >= FIRST_EXTERNAL_VECTOR)
		sbm_x86_redeliver(sbm_x86_kernel_handler[x->regs.vector]);
	return ran;
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

#define SBM_X86_RANGES	4

/*
 * The sandbox code, constants and data of a call of @func: vmlinux's and,
 * for a module's @func, the module sandbox code that the core found it in
 * (sbm_is_sandbox_code()).
 */
static __sbm_hot void sbm_x86_func_text(struct sbm *sbm, void *func,
					unsigned long text[SBM_X86_RANGES][2])
{
	unsigned long addr = (unsigned long)func;

	text[0][0] = (unsigned long)__sbm_text_start;
	text[0][1] = (unsigned long)__sbm_text_end;
	text[1][0] = 0;
	text[1][1] = 0;
	text[2][0] = (unsigned long)__sbm_rodata_start;
	text[2][1] = (unsigned long)__sbm_rodata_end;
	text[3][0] = (unsigned long)__sbm_data_start;
	text[3][1] = (unsigned long)__sbm_data_end;
	if (addr >= text[0][0] && addr < text[0][1])
		return;
	text[1][0] = sbm->mod_text[0];
	text[1][1] = sbm->mod_text[1];
}

static bool sbm_x86_in_text(unsigned long addr,
			    unsigned long text[SBM_X86_RANGES][2])
{
	return (addr >= text[0][0] && addr < text[0][1]) ||
	       (addr >= text[1][0] && addr < text[1][1]);
}

/*
 * Guess the call chain of a terminated sandbox: the words on its stack,
 * from its stack pointer up, that point into sandbox code. Nothing else
 * of what the sandbox left there gets out.
 */
static void sbm_x86_trace(struct sbm_x86 *x, struct sbm_fault *f,
			  unsigned long text[SBM_X86_RANGES][2])
{
	unsigned long sp = x->regs.sp & ~(sizeof(long) - 1), addr;

	f->trace_len = 0;
	if (sp < SBM_X86_STACK_BASE || sp >= SBM_X86_STACK_TOP)
		return;
	for (; sp < SBM_X86_STACK_TOP && f->trace_len < SBM_FAULT_TRACE;
	     sp += sizeof(long)) {
		addr = *(unsigned long *)(x->stack + (sp - SBM_X86_STACK_BASE));
		addr = sbm_x86_kva(addr);
		/* Every chain ends in the return to the kernel: leave it out. */
		if (sbm_x86_in_text(addr, text) &&
		    addr != (unsigned long)sbm_x86_sandbox_exit)
			f->trace[f->trace_len++] = addr;
	}
}

static void sbm_x86_report(struct sbm *sbm, void *func, int err)
{
	struct sbm_fault *f = &sbm->fault;
	unsigned int i;

	/* Per function: one flood does not hide the others' reports. */
	if (!sbm_ratelimit(func, SBM_RATELIMIT_REPORT))
		return;
	if (err == -ETIMEDOUT) {
		pr_warn("%ps terminated: CPU time budget of %llu ms exceeded at %pS\n",
			func, div_u64(sbm->timeout_ns, NSEC_PER_MSEC),
			(void *)f->ip);
	} else if (f->vector >= 0) {
		const char *name = f->vector < 32 ? sbm_x86_trap_names[f->vector] : NULL;

		pr_warn("%ps terminated: %s (vector %d, error %#lx) at %pS, address %#lx\n",
			func, name ?: "exception", f->vector, f->error_code,
			(void *)f->ip, f->address);
	} else {
		pr_warn("%ps terminated (%d) at %pS\n", func, err, (void *)f->ip);
	}
	if (f->trace_len)
		pr_warn("sandbox stack (unreliable):\n");
	for (i = 0; i < f->trace_len; i++)
		pr_warn(" ? %pS\n", (void *)f->trace[i]);
}

/*
 * A sandbox is another context for the branch predictors, as another
 * process is: flush them between it and its caller where the policy for
 * user space asks for a flush between processes (spectre_v2_user=).
 */
VISIBLE_IF_KUNIT atomic_long_t sbm_x86_ibpbs;
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_ibpbs);

/**
 * sbm_x86_ibpb_policy() - whether to flush the branch predictors
 * @always:	spectre_v2_user= asks for a flush on every switch of processes
 * @cond:	it asks for one where a task asked (prctl or seccomp)
 * @task:	the calling task asked (TIF_SPEC_IB)
 *
 * Return: true if the predictors are flushed on entry to and exit from a
 * sandbox.
 */
VISIBLE_IF_KUNIT bool sbm_x86_ibpb_policy(bool always, bool cond, bool task)
{
	return always || (cond && task);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_ibpb_policy);

static __sbm_hot bool sbm_x86_ibpb_wanted(void)
{
	bool always = static_branch_unlikely(&switch_mm_always_ibpb);
	bool cond = static_branch_unlikely(&switch_mm_cond_ibpb);

	/* The usual case, without a call. */
	if (!always && !cond)
		return false;
	return sbm_x86_ibpb_policy(always, cond, test_thread_flag(TIF_SPEC_IB));
}

static __sbm_hot void sbm_x86_ibpb(void)
{
	if (sbm_x86_ibpb_wanted()) {
		indirect_branch_prediction_barrier();
		if (IS_ENABLED(CONFIG_KUNIT))
			atomic_long_inc(&sbm_x86_ibpbs);
	}
}

/*
 * VMSCAPE: after a VM exit on this CPU, the kernel flushes the branch
 * predictors before it next returns to user space, which the guest may
 * have trained (arch_exit_to_user_mode_prepare()); a sandbox is entered
 * as user space is. Called with interrupts disabled, right before entry.
 */
static __sbm_hot void sbm_x86_vmscape_ibpb(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER) &&
	    this_cpu_read(x86_ibpb_exit_to_user)) {
		indirect_branch_prediction_barrier();
		this_cpu_write(x86_ibpb_exit_to_user, false);
		if (IS_ENABLED(CONFIG_KUNIT))
			atomic_long_inc(&sbm_x86_ibpbs);
	}
}

/**
 * sbm_x86_mitigations() - the speculation mitigations of the transitions
 * @m:	filled with SBM_X86_MITIGATIONS entries
 *
 * Each one is on when the kernel applies the same mitigation between user
 * space and the kernel. Those applied by the transition code come with
 * the [@site, @end) range of their alternative in it.
 */
VISIBLE_IF_KUNIT void sbm_x86_mitigations(struct sbm_x86_mitigation *m)
{
	const struct sbm_x86_mitigation all[SBM_X86_MITIGATIONS] = {
		{ "fence-swapgs-user",
		  sbm_x86_site_fence_user, sbm_x86_site_fence_user_end,
		  cpu_feature_enabled(X86_FEATURE_FENCE_SWAPGS_USER) },
		{ "fence-swapgs-kernel",
		  sbm_x86_site_fence_kernel, sbm_x86_site_fence_kernel_end,
		  cpu_feature_enabled(X86_FEATURE_FENCE_SWAPGS_KERNEL) },
		{ "ibrs-entry",
		  sbm_x86_site_ibrs_enter, sbm_x86_site_ibrs_enter_end,
		  cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS) },
		{ "ibrs-exit",
		  sbm_x86_site_ibrs_exit, sbm_x86_site_ibrs_exit_end,
		  cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS) },
		{ "untrain-ret",
		  sbm_x86_site_untrain_ret, sbm_x86_site_untrain_ret_end,
		  cpu_feature_enabled(X86_FEATURE_UNRET) ||
		  cpu_feature_enabled(X86_FEATURE_SRSO_ALIAS) ||
		  cpu_feature_enabled(X86_FEATURE_ENTRY_IBPB) ||
		  cpu_feature_enabled(X86_FEATURE_CALL_DEPTH) },
		{ "clear-bhb",
		  sbm_x86_site_clear_bhb, sbm_x86_site_clear_bhb_end,
		  cpu_feature_enabled(X86_FEATURE_CLEAR_BHB_LOOP) },
		{ "fill-rsb",
		  sbm_x86_site_fill_rsb, sbm_x86_site_fill_rsb_end,
		  cpu_feature_enabled(X86_FEATURE_RSB_CTXSW) },
		{ "verw",
		  sbm_x86_site_verw, sbm_x86_site_verw_end,
		  cpu_feature_enabled(X86_FEATURE_CLEAR_CPU_BUF) },
		{ "clear-divider", NULL, NULL,
		  IS_ENABLED(CONFIG_CPU_SUP_AMD) && boot_cpu_has_bug(X86_BUG_DIV0) },
		{ "ibpb", NULL, NULL,
		  static_key_enabled(&switch_mm_always_ibpb) ||
		  static_key_enabled(&switch_mm_cond_ibpb) },
		{ "ibpb-exit-to-user", NULL, NULL,
		  cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER) },
	};

	memcpy(m, all, sizeof(all));
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_mitigations);
static void __init sbm_x86_print_mitigations(void)
{
	struct sbm_x86_mitigation m[SBM_X86_MITIGATIONS];
	char buf[160];
	int i, len = 0;

	sbm_x86_mitigations(m);
	for (i = 0; i < SBM_X86_MITIGATIONS; i++)
		if (m[i].on)
			len += scnprintf(buf + len, sizeof(buf) - len, " %s",
					 m[i].name);
	pr_info("transition mitigations:%s\n", len ? buf : " none");
}

__sbm_hot int arch_sbm_exec(struct sbm *sbm, void *func,
			    const unsigned long *args, unsigned int nargs,
			    int *result)
{
	struct sbm_x86 *x = sbm->arch;
	struct sbm_x86_frame *r = &x->regs;
	unsigned long a[SBM_MAX_ARGS] = { 0 };
	unsigned long text[SBM_X86_RANGES][2];
	u64 ran, used = 0;
	bool armed, returned;
	int err;

	/* The core checked that @func is sandbox code. */
	sbm_x86_func_text(sbm, func, text);
	err = sbm_x86_map_module_text(x, text[1], sbm->mod_gen);
	if (err)
		goto out;

	sbm_x86_ibpb();
	memcpy(a, args, nargs * sizeof(*args));
	memset(r, 0, sizeof(*r));
	memset(&x->segs, 0, sizeof(x->segs));
	x->segs.pkru = sbm_x86_init_pkru();
	r->di = a[0];
	r->si = a[1];
	r->dx = a[2];
	r->cx = a[3];
	r->r8 = a[4];
	r->r9 = a[5];
	r->ip = sbm_x86_sva((unsigned long)func);
	r->cs = __USER_CS;
	r->ss = __USER_DS;
	/* As after a call: the return address is on the stack already. */
	r->sp = SBM_X86_STACK_TOP - sizeof(long);

	for (;;) {
		r->flags = (r->flags & SBM_X86_USER_FLAGS) |
			   X86_EFLAGS_IF | X86_EFLAGS_FIXED;

		preempt_disable();
		local_irq_disable();
		/*
		 * The budget is checked whenever an interrupt leaves the
		 * sandbox; where the tick may be stopped, a timer makes sure
		 * that one comes.
		 */
		armed = sbm->timeout_ns &&
			tick_nohz_full_cpu(smp_processor_id());
		if (armed)
			hrtimer_start(&x->budget, ns_to_ktime(sbm->timeout_ns - used),
				      HRTIMER_MODE_REL_PINNED_HARD);
		/*
		 * Save the task's FPU registers as for kernel FPU use, and
		 * load the init state, as the kernel does before it returns
		 * to user space: on every entry, since an interrupt that the
		 * sandbox left for may have used them (kernel FPU users leave
		 * their state behind, crypto keys among it). The sandbox
		 * cannot reach them (sbm_x86_cr4()); a speculative read
		 * finds nothing of the task's or of the kernel's in them.
		 */
		kernel_fpu_begin_mask(0);
		fpu_reset_from_exception_fixup();
		kernel_fpu_end();
		sbm_x86_vmscape_ibpb();
		ran = sbm_x86_enter_once(x);
		returned = sbm_x86_returned(r);
		/*
		 * Time spent matters only where the sandbox resumes; the
		 * budget is the sandbox's, not that of the interrupts that
		 * were served on its way out.
		 */
		if (!returned)
			used += ran;
		if (armed)
			hrtimer_try_to_cancel(&x->budget);
		local_irq_enable();
		preempt_enable();

		if (returned) {
			*result = (int)r->ax;
			err = 0;
			break;
		}
		/* The single step that an NMI or #MC forced: resume. */
		if (x->stepped) {
			sbm->exits++;
			continue;
		}
		/* The host's page fault, not the sandbox's: wait, resume. */
		if (x->async_pf) {
			sbm_x86_async_pf_wait(x->cr2);
			sbm->exits++;
			continue;
		}
		/*
		 * A machine check that the kernel recovered from in the
		 * sandbox: it read poisoned memory. Any other left the
		 * sandbox as an interrupt would have.
		 */
		if (x->poisoned) {
			sbm->fault.vector = X86_TRAP_MC;
			sbm->fault.error_code = 0;
			sbm->fault.address = 0;
			err = -EIO;
			break;
		}
		if (r->vector < FIRST_EXTERNAL_VECTOR && r->vector != X86_TRAP_NMI &&
		    r->vector != X86_TRAP_MC) {
			WARN_ONCE(r->vector == X86_TRAP_DF,
				  "sbm: double fault in a sandbox\n");
			sbm->fault.vector = r->vector;
			sbm->fault.error_code = r->error_code;
			sbm->fault.address = r->vector == X86_TRAP_PF ?
					     x->cr2 : 0;
			err = -EFAULT;
			break;
		}
		sbm->exits++;
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
	sbm_x86_ibpb();
	if (err) {
		/* In the kernel's terms, for the report and the caller. */
		sbm->fault.ip = sbm_x86_kva(r->ip) ?: r->ip;
		sbm_x86_trace(x, &sbm->fault, text);
		sbm_x86_report(sbm, func, err);
	}
out:
	/*
	 * Leave nothing for the next call to find: not on the stack, and
	 * not in the transition page, where the sandbox's registers stay
	 * below the transition state, and which CPUs affected by Meltdown
	 * let a sandbox read.
	 */
	sbm_x86_stack_reset(x);
	memset((void *)x->ts - sizeof(struct sbm_x86_frame), 0,
	       sizeof(struct sbm_x86_frame));
	return err;
}

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * For the tests: a sandbox cannot raise a machine check, but it can raise
 * its vector with INT n once the gate allows CPL3.
 */
void sbm_x86_test_gate_dpl(int vector, int dpl)
{
	pack_gate(&sbm_x86_idt[vector], GATE_INTERRUPT,
		  (unsigned long)sbm_x86_stubs + vector * SBM_STUB_SIZE, dpl,
		  vector == X86_TRAP_DF ? SBM_IST_DF : 0, __KERNEL_CS);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_test_gate_dpl);

/* For the tests: the transition state of a strong instance. */
struct sbm_x86_tstate *sbm_x86_test_tstate(struct sbm *sbm)
{
	return ((struct sbm_x86 *)sbm->arch)->ts;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_test_tstate);

/* For the tests: the segment state of a strong instance, which the switch touches. */
void *sbm_x86_test_segs(struct sbm *sbm)
{
	return &((struct sbm_x86 *)sbm->arch)->segs;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_test_segs);

static int sbm_x86_walk_user(unsigned long *table, unsigned int shift,
			     unsigned long va,
			     int (*fn)(void *arg, unsigned long va,
				       unsigned long pte),
			     void *arg)
{
	unsigned long e, a;
	unsigned int i;
	int err;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		e = table[i];
		if (!(e & _PAGE_PRESENT) || !(e & _PAGE_USER))
			continue;
		a = va | ((unsigned long)i << shift);
		if (shift == PGDIR_SHIFT)
			a = sign_extend64(a, shift + 8);
		if (shift == PAGE_SHIFT || (e & _PAGE_PSE))
			err = fn(arg, a, e);
		else
			err = sbm_x86_walk_user(__va(e & PTE_PFN_MASK),
						shift - (PAGE_SHIFT - 3), a, fn,
						arg);
		if (err)
			return err;
	}
	return 0;
}

/*
 * For the tests: call @fn for every page that the sandbox of a strong
 * instance can reach (user-accessible at every level), with its address
 * and its PTE, until @fn returns non-zero.
 */
int sbm_x86_test_user_pages(struct sbm *sbm,
			    int (*fn)(void *arg, unsigned long va,
				      unsigned long pte),
			    void *arg)
{
	return sbm_x86_walk_user(((struct sbm_x86 *)sbm->arch)->pgd,
				 PGDIR_SHIFT, 0, fn, arg);
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_test_user_pages);
#endif

/* Called by the transition code on an exception it cannot handle. */
noinstr void sbm_x86_transition_fault(unsigned long *frame)
{
	native_load_idt(&sbm_x86_kernel_idt);
	instrumentation_begin();
	panic("sbm: exception %lu (error %#lx) in a sandbox transition at %pS\n",
	      frame[0], frame[1], (void *)frame[2]);
}

/**
 * sbm_x86_unsupported() - decide whether strong isolation is safe
 * @env:	facts about the CPU and the hypervisor
 *
 * Strong isolation needs the IDT, CR3 and the TSS to be the kernel's own,
 * and no exception other than NMI, #DB and #MC in its transition code.
 * It does not rely on SMEP, SMAP, UMIP or PCID.
 *
 * Return: %NULL if strong isolation can be used, otherwise why not.
 */
VISIBLE_IF_KUNIT const char *sbm_x86_unsupported(const struct sbm_x86_env *env)
{
	if (env->xen_pv)
		return "Xen PV guest";
	if (env->fred)
		return "FRED is active";
	if (env->sev_es)
		return "SEV-ES guest, #VC could hit a transition";
	if (env->tdx)
		return "TDX guest, #VE could hit a transition";
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(sbm_x86_unsupported);

static int __init sbm_x86_setup(void)
{
	const struct sbm_x86_env env = {
		.xen_pv	= cpu_feature_enabled(X86_FEATURE_XENPV),
		.fred	= cpu_feature_enabled(X86_FEATURE_FRED),
		.sev_es	= cc_platform_has(CC_ATTR_GUEST_STATE_ENCRYPT),
		.tdx	= cpu_feature_enabled(X86_FEATURE_TDX_GUEST),
	};
	const char *why = sbm_x86_unsupported(&env);
	const gate_desc *kidt;
	unsigned long slots;
	int v;

	if (why) {
		pr_info("strong isolation unavailable (%s), using weak isolation\n",
			why);
		return 0;
	}

	/*
	 * Every gate uses the current stack, or TSS.sp0 from CPL3, so that
	 * the transition code always runs in the transition page; only #DF
	 * gets an IST stack, also in that page.
	 */
	store_idt(&sbm_x86_kernel_idt);
	kidt = (const gate_desc *)sbm_x86_kernel_idt.address;
	for (v = 0; v < IDT_ENTRIES; v++) {
		sbm_x86_kernel_handler[v] = gate_offset(&kidt[v]);
		pack_gate(&sbm_x86_idt[v], GATE_INTERRUPT,
			  (unsigned long)sbm_x86_stubs + v * SBM_STUB_SIZE,
			  0, v == X86_TRAP_DF ? SBM_IST_DF : 0, __KERNEL_CS);
	}

	__set_fixmap(FIX_SBM_IDT, __pa_symbol(sbm_x86_idt), PAGE_KERNEL_RO);

	/*
	 * The segments that a sandbox and its transitions use, as every CPU
	 * has them; no TSS, LDT, TLS or CPU number descriptor.
	 */
	memcpy(sbm_x86_gdt, get_cpu_gdt_rw(0), GDT_SIZE);
	memset(&sbm_x86_gdt[GDT_ENTRY_TSS], 0, 2 * sizeof(struct desc_struct));
	memset(&sbm_x86_gdt[GDT_ENTRY_LDT], 0, 2 * sizeof(struct desc_struct));
	memset(&sbm_x86_gdt[GDT_ENTRY_TLS_MIN], 0,
	       GDT_ENTRY_TLS_ENTRIES * sizeof(struct desc_struct));
	memset(&sbm_x86_gdt[GDT_ENTRY_CPUNODE], 0, sizeof(struct desc_struct));
	__set_fixmap(FIX_SBM_GDT, __pa_symbol(sbm_x86_gdt), PAGE_KERNEL_RO);
	sbm_x86_fixed_gdt = !cpu_feature_enabled(X86_FEATURE_UMIP);

	sbm_x86_fpu_reset = !sbm_x86_xsave_faults();

	slots = (SBM_X86_IMAGE_TOP - SBM_X86_IMAGE_SIZE - SBM_X86_VA_END) / PMD_SIZE;
	sbm_x86_image_delta = __START_KERNEL_map - SBM_X86_VA_END -
			      get_random_u32_below(slots) * PMD_SIZE;

	/* With SYSENTER enabled, disable it while a sandbox runs. */
	if (rdmsrl_safe(MSR_IA32_SYSENTER_CS, &sbm_x86_sysenter_cs))
		sbm_x86_sysenter_cs = 0;

	sbm_x86_print_mitigations();
	WRITE_ONCE(sbm_x86_ready, true);
	pr_info("strong isolation: %d-level page tables, PCID %s, SMEP %s, SMAP %s, UMIP %s, FPU %s\n",
		pgtable_l5_enabled() ? 5 : 4,
		str_on_off(cpu_feature_enabled(X86_FEATURE_PCID)),
		str_on_off(cpu_feature_enabled(X86_FEATURE_SMEP)),
		str_on_off(cpu_feature_enabled(X86_FEATURE_SMAP)),
		str_on_off(cpu_feature_enabled(X86_FEATURE_UMIP)),
		sbm_x86_fpu_reset ? "init on entry, not blocked" :
		"blocked, init on entry");
	return 0;
}
early_initcall(sbm_x86_setup);
