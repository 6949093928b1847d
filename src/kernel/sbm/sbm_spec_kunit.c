// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the speculation mitigations of x86-64 SandBox Mode
 * transitions.
 *
 * A sandbox is untrusted CPL3 code, as user space is, so its transitions
 * must apply what the kernel applies between user space and itself. The
 * transition code uses the kernel's own entry macros; these tests read
 * the code as the alternatives left it and check that each mitigation is
 * there exactly when the kernel chose it for user space, in every boot
 * (none under mitigations=off).
 */

#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/sbm.h>
#include <linux/sched.h>
#include <linux/thread_info.h>

#include <asm/insn.h>
#include <asm/nospec-branch.h>
#include <asm/sbm.h>
#include <asm/text-patching.h>

#include "sbm_internal.h"

static SBM_DEFINE_FUNC(sbm_s_nothing)
{
	return 0;
}

/*
 * Whether the alternative at [@site, @end) does anything: NOPs, and jumps
 * forward within the site (how alternatives skip what is patched out),
 * do not.
 */
static bool sbm_site_active(struct kunit *test, const u8 *site, const u8 *end)
{
	const u8 *ip = site;
	struct insn insn;

	while (ip < end) {
		KUNIT_ASSERT_EQ(test, insn_decode_kernel(&insn, ip), 0);
		if (insn.opcode.bytes[0] == BYTES_NOP1 ||
		    (insn.opcode.bytes[0] == 0x0f && insn.opcode.bytes[1] == 0x1f)) {
			ip += insn.length;
			continue;
		}
		if (insn.opcode.bytes[0] == JMP8_INSN_OPCODE ||
		    insn.opcode.bytes[0] == JMP32_INSN_OPCODE) {
			const u8 *target = ip + insn.length + insn.immediate.value;

			if (target > ip && target <= end) {
				ip = target;
				continue;
			}
		}
		return true;
	}
	return false;
}

static const unsigned int sbm_spec_index[SBM_X86_MITIGATIONS] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
};

static void sbm_spec_desc(const unsigned int *i, char *desc)
{
	struct sbm_x86_mitigation m[SBM_X86_MITIGATIONS];

	sbm_x86_mitigations(m);
	strscpy(desc, m[*i].name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sbm_spec, sbm_spec_index, sbm_spec_desc);

/*
 * Each mitigation of the transition code is patched in if, and only if,
 * the kernel applies it to user space.
 */
static void sbm_test_mitigation_site(struct kunit *test)
{
	const unsigned int *i = test->param_value;
	struct sbm_x86_mitigation m[SBM_X86_MITIGATIONS];

	sbm_x86_mitigations(m);
	if (!m[*i].site)
		kunit_skip(test, "%s is applied by C code", m[*i].name);
	KUNIT_ASSERT_TRUE(test, m[*i].site < m[*i].end);
	KUNIT_EXPECT_EQ_MSG(test, sbm_site_active(test, m[*i].site, m[*i].end),
			    m[*i].on, "%s at %pS", m[*i].name, m[*i].site);
}

/* The boot line lists what is on; the kernel's own choices say what. */
static void sbm_test_mitigations_consistent(struct kunit *test)
{
	struct sbm_x86_mitigation m[SBM_X86_MITIGATIONS];
	unsigned int i;

	sbm_x86_mitigations(m);
	for (i = 0; i < SBM_X86_MITIGATIONS; i++) {
		if (!strcmp(m[i].name, "verw"))
			KUNIT_EXPECT_EQ(test, m[i].on,
					cpu_feature_enabled(X86_FEATURE_CLEAR_CPU_BUF));
		if (!strcmp(m[i].name, "ibrs-entry") || !strcmp(m[i].name, "ibrs-exit"))
			KUNIT_EXPECT_EQ(test, m[i].on,
					cpu_feature_enabled(X86_FEATURE_KERNEL_IBRS));
	}
	/* A kernel with mitigations=off has none of them. */
	if (cpu_mitigations_off())
		for (i = 0; i < SBM_X86_MITIGATIONS; i++)
			KUNIT_EXPECT_FALSE_MSG(test, m[i].on, "%s", m[i].name);
}

/*
 * The predictors are flushed between the caller and the sandbox on the
 * way in and on the way out, when the user-space policy asks for it:
 * always, or for tasks that asked (TIF_SPEC_IB), or never.
 */
static void sbm_test_ibpb_policy(struct kunit *test)
{
	bool always = static_key_enabled(&switch_mm_always_ibpb);
	bool cond = static_key_enabled(&switch_mm_cond_ibpb);
	bool had = test_thread_flag(TIF_SPEC_IB);
	int flag;

	if (!sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	kunit_info(test, "IBPB policy: %s\n",
		   always ? "always" : cond ? "conditional" : "none");
	for (flag = 0; flag < 2; flag++) {
		long before = atomic_long_read(&sbm_x86_ibpbs);
		struct sbm sbm;

		if (flag)
			set_thread_flag(TIF_SPEC_IB);
		else
			clear_thread_flag(TIF_SPEC_IB);
		KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
		KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_s_nothing), 0);
		sbm_destroy(&sbm);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&sbm_x86_ibpbs) - before,
				(always || (cond && flag)) ? 2 : 0);
	}
	if (had)
		set_thread_flag(TIF_SPEC_IB);
	else
		clear_thread_flag(TIF_SPEC_IB);
}

/*
 * VMSCAPE: a VM exit on this CPU (noted in x86_ibpb_exit_to_user) is
 * followed by a flush before the next sandbox runs, where the kernel
 * flushes before it returns to user space; elsewhere the note stays for
 * the kernel's own exit to user space. QEMU's CPUs do not need it, so
 * only the second half runs there.
 */
static void sbm_test_vmscape(struct kunit *test)
{
	bool on = cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER);
	long before;
	bool after;
	struct sbm sbm;

	if (!sbm_strong_available())
		kunit_skip(test, "strong isolation not available");
	KUNIT_ASSERT_EQ(test, sbm_init(&sbm), 0);
	migrate_disable();
	before = atomic_long_read(&sbm_x86_ibpbs);
	this_cpu_write(x86_ibpb_exit_to_user, true);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, sbm_s_nothing), 0);
	after = this_cpu_read(x86_ibpb_exit_to_user);
	this_cpu_write(x86_ibpb_exit_to_user, false);
	migrate_enable();
	sbm_destroy(&sbm);
	KUNIT_EXPECT_EQ(test, after, !on);
	if (on)
		KUNIT_EXPECT_GT(test, atomic_long_read(&sbm_x86_ibpbs) - before, 0);
}

/* The policy itself, for what QEMU cannot emulate (TCG has no IBPB). */
static void sbm_test_ibpb_decision(struct kunit *test)
{
	static const struct {
		bool always, cond, task, flush;
	} rows[] = {
		{ false, false, false, false },	/* spectre_v2_user=off */
		{ false, false, true, false },
		{ false, true, false, false },	/* prctl, seccomp */
		{ false, true, true, true },
		{ true, false, false, true },	/* on */
		{ true, false, true, true },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		KUNIT_EXPECT_EQ_MSG(test, sbm_x86_ibpb_policy(rows[i].always,
							      rows[i].cond,
							      rows[i].task),
				    rows[i].flush, "row %d", i);
}

static struct kunit_case sbm_spec_cases[] = {
	KUNIT_CASE_PARAM(sbm_test_mitigation_site, sbm_spec_gen_params),
	KUNIT_CASE(sbm_test_mitigations_consistent),
	KUNIT_CASE(sbm_test_ibpb_policy),
	KUNIT_CASE(sbm_test_vmscape),
	KUNIT_CASE(sbm_test_ibpb_decision),
	{}
};

static struct kunit_suite sbm_spec_suite = {
	.name = "sbm_x86_speculation",
	.test_cases = sbm_spec_cases,
};

kunit_test_suite(sbm_spec_suite);

MODULE_DESCRIPTION("KUnit tests for the speculation mitigations of SandBox Mode");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
