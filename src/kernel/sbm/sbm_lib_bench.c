// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the sandboxed libraries, read from /sys/kernel/debug/sbm/
 * bench_lib (CONFIG_SANDBOX_MODE_TEST_TRIGGER with the library tests):
 *
 *   decompress <algo> <bytes> native <MB/s> sandboxed <MB/s> ratio <r> ...
 *   x509 decode native <us> sandboxed <us> ratio <r> ...
 *
 * A sandboxed decompression is timed the way SquashFS pays for it: on an
 * instance kept from one block to the next, the copies in and out, and
 * the call.
 * Native and sandboxed runs are interleaved, SBM_LB_ROUNDS rounds of each;
 * every figure is the median of the rounds, with their minimum and
 * maximum. The X.509 figures compare the kernel's decoder on the recording
 * grammar with the same decoding in a sandbox.
 *
 *   breakdown <algo> 131072 native <us> code <us> copies <us> weak <us> strong <us>
 *
 * tells where the time of one sandboxed block goes (medians of the same
 * interleaved rounds): the native copy; the sandboxed copy run without
 * isolation on the caller's buffers, i.e. the code alone; the copies in
 * and out around an empty sandboxed function with strong isolation; and
 * the whole sbm_call() with weak and with strong isolation.
 */

#include <linux/types.h>
#include <linux/asn1_decoder.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/sbm.h>
#include <linux/sbm_lib.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "lib/asn1.h"
#include "sbm_internal.h"
#include "sbm_test_vectors.h"

#define SBM_LB_ROUNDS	7

struct sbm_lb_algo {
	const char *name;
	int (*native)(const void *in, size_t len, void *out, size_t size);
	int (*sbm_func)(const void *in, unsigned long in_len, void *out,
			unsigned long out_len);
	size_t heap;
};

static const struct sbm_lb_algo sbm_lb_algos[] = {
	{ "lz4", sbm_test_native_lz4, SBM_LIB(decompress_lz4), SBM_LZ4_HEAP_SIZE },
	{ "zstd", sbm_test_native_zstd, SBM_LIB(decompress_zstd), SBM_ZSTD_HEAP_SIZE },
	{ "xz", sbm_test_native_xz, SBM_LIB(decompress_xz), SBM_XZ_HEAP_SIZE },
};

/* As SquashFS does it: one instance, kept from one block to the next. */
static int sbm_lb_sandboxed(struct sbm *sbm, const struct sbm_lb_algo *a,
			    const void *in, size_t len, void *out, size_t size)
{
	return sbm_call(sbm, a->sbm_func, SBM_COPY_IN(sbm, in, len), len,
			SBM_COPY_OUT(sbm, out, size), size);
}

/* The copies of a block without the decompression. */
static SBM_DEFINE_FUNC(sbm_lb_empty, const void *in, unsigned long len,
		       void *out, unsigned long size)
{
	return size;
}

/* seq(1) data, as the XZ vectors were made from. */
static void sbm_lb_seq(u8 *buf, size_t len)
{
	size_t pos = 0;
	unsigned int n;

	for (n = 1; pos < len; n++)
		pos += scnprintf(buf + pos, len - pos + 1, "%u\n", n);
}

/* Compress @size bytes of seq(1) data with @a, or take the XZ vector. */
static void *sbm_lb_input(const struct sbm_lb_algo *a, size_t size, size_t *len)
{
	void *data, *comp;
	int ret = -ENOMEM;

	if (!strcmp(a->name, "xz")) {
		const u8 *v[][2] = {
			{ sbm_test_xz_4096, sbm_test_xz_4096_end },
			{ sbm_test_xz_131072, sbm_test_xz_131072_end },
			{ sbm_test_xz_1048576, sbm_test_xz_1048576_end },
		};
		int i = size == SZ_4K ? 0 : size == SZ_128K ? 1 : 2;

		*len = v[i][1] - v[i][0];
		return kvmemdup(v[i][0], *len, GFP_KERNEL);
	}
	data = vmalloc(size + 1);
	comp = vmalloc(2 * size + 1024);
	if (data && comp) {
		sbm_lb_seq(data, size);
		ret = (!strcmp(a->name, "lz4") ? sbm_test_compress_lz4 :
		       sbm_test_compress_zstd)(data, size, comp, 2 * size + 1024);
	}
	vfree(data);
	if (ret <= 0) {
		vfree(comp);
		return NULL;
	}
	*len = ret;
	return comp;
}

static int sbm_lb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median, minimum and maximum of @n values, sorted in place. */
static void sbm_lb_stats(u64 *v, int n, u64 *med, u64 *min, u64 *max)
{
	sort(v, n, sizeof(*v), sbm_lb_cmp, NULL);
	*med = v[n / 2];
	*min = v[0];
	*max = v[n - 1];
}

/* Nanoseconds for @loops runs of native (@sbm false) or sandboxed runs. */
static u64 sbm_lb_time(const struct sbm_lb_algo *a, struct sbm *sbm,
		       const void *in, size_t len, void *out, size_t size,
		       int loops, int *err)
{
	u64 start = ktime_get_ns();
	int i, ret;

	for (i = 0; i < loops; i++) {
		ret = sbm ? sbm_lb_sandboxed(sbm, a, in, len, out, size) :
			    a->native(in, len, out, size);
		if (ret != size)
			*err = ret < 0 ? ret : -EIO;
	}
	return ktime_get_ns() - start;
}

static void sbm_lb_decompress(struct seq_file *m, const struct sbm_lb_algo *a,
			      size_t size)
{
	u64 native[SBM_LB_ROUNDS], sandboxed[SBM_LB_ROUNDS], ratio[SBM_LB_ROUNDS];
	u64 nm, nlo, nhi, sm, slo, shi, rm, rlo, rhi;
	int loops = max_t(int, 1, SZ_1M / size), i, err = 0;
	size_t len;
	void *in = sbm_lb_input(a, size, &len);
	void *out = vmalloc(size);
	struct sbm sbm;

	sbm_init(&sbm);
	if (a->heap)
		sbm_init_heap(&sbm, a->heap);
	if (!in || !out) {
		seq_printf(m, "decompress %s %zu failed: no memory\n", a->name, size);
		goto out;
	}
	for (i = 0; i < SBM_LB_ROUNDS; i++) {
		u64 n = sbm_lb_time(a, NULL, in, len, out, size, loops, &err);
		u64 s = sbm_lb_time(a, &sbm, in, len, out, size, loops, &err);

		/* MB/s, and the ratio in thousandths. */
		native[i] = div64_u64((u64)size * loops * 1000, n ?: 1);
		sandboxed[i] = div64_u64((u64)size * loops * 1000, s ?: 1);
		ratio[i] = div64_u64(n * 1000, s ?: 1);
	}
	if (err) {
		seq_printf(m, "decompress %s %zu failed: %d\n", a->name, size, err);
		goto out;
	}
	sbm_lb_stats(native, SBM_LB_ROUNDS, &nm, &nlo, &nhi);
	sbm_lb_stats(sandboxed, SBM_LB_ROUNDS, &sm, &slo, &shi);
	sbm_lb_stats(ratio, SBM_LB_ROUNDS, &rm, &rlo, &rhi);
	seq_printf(m, "decompress %s %zu native %llu sandboxed %llu ratio %llu.%03llu (native %llu-%llu, sandboxed %llu-%llu, ratio %llu.%03llu-%llu.%03llu)\n",
		   a->name, size, nm, sm, rm / 1000, rm % 1000, nlo, nhi, slo, shi,
		   rlo / 1000, rlo % 1000, rhi / 1000, rhi % 1000);
out:
	sbm_destroy(&sbm);
	vfree(out);
	kvfree(in);
}

/* The kernel's decoder on the recording grammar, or the same in a sandbox. */
static u64 sbm_lb_x509(bool sandboxed, struct sbm_asn1_log *log, size_t size,
		       int loops)
{
	size_t len = sbm_test_cert_end - sbm_test_cert;
	u64 start = ktime_get_ns();
	int i;

	for (i = 0; i < loops; i++) {
		if (sandboxed) {
			struct sbm sbm;

			sbm_init(&sbm);
			sbm_call(&sbm, SBM_LIB(asn1_decode_x509),
				 SBM_COPY_IN(&sbm, sbm_test_cert, len), len,
				 SBM_COPY_OUT(&sbm, log, size), size);
			sbm_destroy(&sbm);
		} else {
			struct sbm_asn1_recorder rec = {
				.data = sbm_test_cert, .log = log,
				.max = (size - sizeof(*log)) / sizeof(log->events[0]),
			};
			asn1_action_t actions[SBM_ASN1_MAX_ACTIONS];
			struct asn1_decoder d;

			log->count = 0;
			log->result = SBM_LIB(x509_decoder_init)(&d, actions,
								 ARRAY_SIZE(actions)) ?:
				      asn1_ber_decoder(&d, &rec, sbm_test_cert, len);
		}
	}
	return div_u64(ktime_get_ns() - start, loops);
}

static void sbm_lb_cert(struct seq_file *m)
{
	size_t len = sbm_test_cert_end - sbm_test_cert;
	size_t size = struct_size_t(struct sbm_asn1_log, events, len / 2 + 1);
	u64 native[SBM_LB_ROUNDS], sandboxed[SBM_LB_ROUNDS], ratio[SBM_LB_ROUNDS];
	u64 nm, nlo, nhi, sm, slo, shi, rm, rlo, rhi;
	struct sbm_asn1_log *log = vmalloc(size);
	int i;

	if (!log)
		return;
	for (i = 0; i < SBM_LB_ROUNDS; i++) {
		native[i] = sbm_lb_x509(false, log, size, 100);
		sandboxed[i] = sbm_lb_x509(true, log, size, 100);
		ratio[i] = div64_u64(sandboxed[i] * 1000, native[i] ?: 1);
	}
	vfree(log);
	sbm_lb_stats(native, SBM_LB_ROUNDS, &nm, &nlo, &nhi);
	sbm_lb_stats(sandboxed, SBM_LB_ROUNDS, &sm, &slo, &shi);
	sbm_lb_stats(ratio, SBM_LB_ROUNDS, &rm, &rlo, &rhi);
	seq_printf(m, "x509 decode native %llu ns sandboxed %llu ns ratio %llu.%03llu (native %llu-%llu, sandboxed %llu-%llu)\n",
		   nm, sm, rm / 1000, rm % 1000, nlo, nhi, slo, shi);
}

enum {
	SBM_LB_NATIVE, SBM_LB_CODE, SBM_LB_COPIES, SBM_LB_WEAK, SBM_LB_STRONG,
	SBM_LB_WAYS
};

/* Microseconds for one block, the way @way does it. */
static u64 sbm_lb_way(const struct sbm_lb_algo *a, int way, struct sbm *weak,
		      struct sbm *strong, const void *in, size_t len, void *out,
		      size_t size, int loops)
{
	u64 start = ktime_get_ns();
	int i;

	for (i = 0; i < loops; i++) {
		switch (way) {
		case SBM_LB_NATIVE:
			a->native(in, len, out, size);
			break;
		case SBM_LB_CODE:
			/* Weak isolation passes the caller's pointers as they are. */
			sbm_call(weak, a->sbm_func, in, len, out, size);
			break;
		case SBM_LB_COPIES:
			sbm_call(strong, sbm_lb_empty, SBM_COPY_IN(strong, in, len),
				 len, SBM_COPY_OUT(strong, out, size), size);
			break;
		default:
			sbm_lb_sandboxed(way == SBM_LB_WEAK ? weak : strong, a,
					 in, len, out, size);
		}
	}
	return div_u64(ktime_get_ns() - start, loops * NSEC_PER_USEC);
}

static void sbm_lb_breakdown(struct seq_file *m, const struct sbm_lb_algo *a,
			     size_t size)
{
	u64 t[SBM_LB_WAYS][SBM_LB_ROUNDS], med[SBM_LB_WAYS], lo, hi;
	int loops = max_t(int, 1, SZ_1M / size), i, w;
	void *in, *out = vmalloc(size);
	struct sbm weak, strong;
	size_t len;

	in = sbm_lb_input(a, size, &len);
	__sbm_init(&weak, false);
	sbm_init(&strong);
	if (a->heap) {
		sbm_init_heap(&weak, a->heap);
		sbm_init_heap(&strong, a->heap);
	}
	if (in && out) {
		for (i = 0; i < SBM_LB_ROUNDS; i++)
			for (w = 0; w < SBM_LB_WAYS; w++)
				t[w][i] = sbm_lb_way(a, w, &weak, &strong, in, len,
						     out, size, loops);
		for (w = 0; w < SBM_LB_WAYS; w++)
			sbm_lb_stats(t[w], SBM_LB_ROUNDS, &med[w], &lo, &hi);
	}
	if (!in || !out || sbm_error(&weak) || sbm_error(&strong))
		seq_printf(m, "breakdown %s %zu failed: %d\n", a->name, size,
			   sbm_error(&weak) ?: sbm_error(&strong) ?: -ENOMEM);
	else
		seq_printf(m, "breakdown %s %zu native %llu code %llu copies %llu weak %llu strong %llu (us, medians)\n",
			   a->name, size, med[SBM_LB_NATIVE], med[SBM_LB_CODE],
			   med[SBM_LB_COPIES], med[SBM_LB_WEAK],
			   med[SBM_LB_STRONG]);
	sbm_destroy(&strong);
	sbm_destroy(&weak);
	vfree(out);
	kvfree(in);
}

static int sbm_lb_show(struct seq_file *m, void *v)
{
	static const size_t sizes[] = { SZ_4K, SZ_128K, SZ_1M };
	int a, s;

	for (a = 0; a < ARRAY_SIZE(sbm_lb_algos); a++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			sbm_lb_decompress(m, &sbm_lb_algos[a], sizes[s]);
	for (a = 0; a < ARRAY_SIZE(sbm_lb_algos); a++)
		sbm_lb_breakdown(m, &sbm_lb_algos[a], SZ_128K);
	sbm_lb_cert(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sbm_lb);

static int __init sbm_lb_init(void)
{
	struct dentry *dir = debugfs_lookup("sbm", NULL);

	debugfs_create_file("bench_lib", 0400, dir, NULL, &sbm_lb_fops);
	dput(dir);
	return 0;
}
late_initcall_sync(sbm_lb_init);
