// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit test of the SandBox Mode API as it compiles without
 * CONFIG_SANDBOX_MODE: every macro must degrade to a direct call of the
 * function on the caller's own buffers.
 */

#include <kunit/test.h>

/* Build this file as if SandBox Mode were configured out. */
#undef CONFIG_SANDBOX_MODE
#include <linux/sbm.h>

static SBM_DEFINE_FUNC(nosbm_func, const u8 *in, u8 *out, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		out[i] = in[i] + 1;
	return len;
}

static SBM_DEFINE_FUNC(nosbm_noargs)
{
	return -EIO;
}

static void sbm_nosbm_test_direct(struct kunit *test)
{
	u8 in[4] = { 1, 2, 3, 4 }, out[4] = { 0 };
	struct sbm sbm;
	u8 *in_ptr, *out_ptr;

	KUNIT_EXPECT_EQ(test, sizeof(sbm), 0);
	KUNIT_EXPECT_EQ(test, sbm_init(&sbm), 0);
	in_ptr = SBM_COPY_IN(&sbm, in, sizeof(in));
	out_ptr = SBM_COPY_INOUT(&sbm, out, sizeof(out));
	/* No copies: the function works on the caller's buffers. */
	KUNIT_EXPECT_PTR_EQ(test, in_ptr, &in[0]);
	KUNIT_EXPECT_PTR_EQ(test, out_ptr, &out[0]);
	KUNIT_EXPECT_PTR_EQ(test, (u8 *)SBM_COPY_OUT(&sbm, out, sizeof(out)), &out[0]);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, nosbm_func, in_ptr, out_ptr, 4), 4);
	KUNIT_EXPECT_EQ(test, out[0], 2);
	KUNIT_EXPECT_EQ(test, out[3], 5);
	KUNIT_EXPECT_EQ(test, sbm_call(&sbm, nosbm_noargs), -EIO);
	KUNIT_EXPECT_EQ(test, sbm_error(&sbm), 0);
	KUNIT_EXPECT_FALSE(test, sbm_strong_available());
	sbm_destroy(&sbm);
}

static struct kunit_case sbm_nosbm_cases[] = {
	KUNIT_CASE(sbm_nosbm_test_direct),
	{}
};

static struct kunit_suite sbm_nosbm_suite = {
	.name = "sbm_disabled",
	.test_cases = sbm_nosbm_cases,
};

kunit_test_suites(&sbm_nosbm_suite);

MODULE_DESCRIPTION("KUnit test of SandBox Mode configured out");
MODULE_LICENSE("GPL");
