// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of SandBox Mode from user space, through
 * /sys/kernel/debug/sbm (CONFIG_SANDBOX_MODE_TEST_TRIGGER), the file
 * systems, module loading and keys whose parsers run in sandboxes.
 *
 *   sbm_e2e		run the tests (kselftest harness, TAP output)
 *   sbm_e2e --bench	print the cost of sbm_call() and of a null syscall
 *   sbm_e2e --demo	show a buggy parser being contained
 *
 * The tests that attack a sandbox expect strong isolation; when the
 * kernel was booted with sbm=weak, they check that attacks are refused
 * instead, or are skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define DIR		"/sys/kernel/debug/sbm/"
#define TIMEOUT_PARAM	"/sys/module/sbm/parameters/timeout_ms"
#define IMAGES		"/images/"
#define BIGTEXT		"/sys/kernel/debug/sbm_bigtext/"
#define TEXT0		"/sys/kernel/debug/sbm_text0/"
#define TRACING		"/sys/kernel/tracing/"

/* Write @len bytes of @data to @file; return 0 or the errno. */
static int write_file(const char *file, const void *data, size_t len)
{
	int fd = open(file, O_WRONLY);
	ssize_t ret;
	int err;

	if (fd < 0)
		return errno;
	ret = write(fd, data, len);
	err = ret < 0 ? errno : (size_t)ret == len ? 0 : EIO;
	close(fd);
	return err;
}

static int read_file(const char *file, char *buf, size_t size)
{
	int fd = open(file, O_RDONLY);
	ssize_t len;

	buf[0] = 0;
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	buf[len] = 0;
	return len;
}

/* The first line of @buf, for messages. */
static const char *first_line(char *buf)
{
	char *nl = strchr(buf, '\n');

	if (nl)
		*nl = 0;
	return buf;
}

static int run_case(const char *name)
{
	return write_file(DIR "run", name, strlen(name));
}

static void set_timeout_ms(const char *ms)
{
	if (write_file(TIMEOUT_PARAM, ms, strlen(ms)))
		fprintf(stderr, "cannot set %s\n", TIMEOUT_PARAM);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Does this boot use strong isolation? (It must, unless sbm=weak.) */
static int strong(void)
{
	char cmdline[1024];

	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	return !strstr(cmdline, "sbm=weak");
}

#define NEEDS_STRONG	"needs strong isolation (booted with sbm=weak)"

/* The attacks of the trigger, with the errno and report they must give. */
static const struct attack {
	const char *name;
	int err;
	const char *last;	/* expected in "last", or NULL */
} attacks[] = {
	{ "return", 0, "ret=0 error=0" },
	{ "write_kernel_data", EFAULT, "vector=14 error_code=0x6" },
	{ "read_kernel_data", EFAULT, "vector=14 error_code=0x4" },
	{ "exec_kernel_data", EFAULT, "vector=14 error_code=0x14" },
	{ "exec_kernel_text", EFAULT, "vector=14 error_code=0x14" },
	{ "stack_overflow", EFAULT, "vector=14 error_code=0x6" },
	{ "cli", EFAULT, "vector=13 error_code=0" },
	{ "hlt", EFAULT, "vector=13" },
	{ "wrmsr", EFAULT, "vector=13" },
	{ "mov_cr3", EFAULT, "vector=13" },
	{ "in", EFAULT, "vector=13" },
	{ "out", EFAULT, "vector=13" },
	{ "int3", EFAULT, "vector=13" },
	{ "int80", EFAULT, "vector=13" },
	{ "syscall", EFAULT, "vector=6" },
	{ "sysenter", EFAULT, NULL },
	{ "ud2", EFAULT, "vector=6" },
	{ "fpu", EFAULT, "vector=7" },
	{ "not_sandbox_code", EINVAL, NULL },
	{ "no_such_case", ENOENT, NULL },
};

/* What a case must give in this boot: with sbm=weak, attacks are refused. */
static int want_err(const struct attack *a)
{
	return a->err == EFAULT && !strong() ? EOPNOTSUPP : a->err;
}

TEST(isolation_mode)
{
	char mode[32];

	ASSERT_LT(0, read_file(DIR "mode", mode, sizeof(mode)))
		TH_LOG("%s missing", DIR);
	EXPECT_STREQ(strong() ? "strong\n" : "weak\n", mode);
}

/* Every attack of the trigger, one variant each. */
FIXTURE(attack) {};
FIXTURE_VARIANT(attack) {
	const char *name;
};

FIXTURE_VARIANT_ADD(attack, return) { .name = "return" };
FIXTURE_VARIANT_ADD(attack, write_kernel_data) { .name = "write_kernel_data" };
FIXTURE_VARIANT_ADD(attack, read_kernel_data) { .name = "read_kernel_data" };
FIXTURE_VARIANT_ADD(attack, exec_kernel_data) { .name = "exec_kernel_data" };
FIXTURE_VARIANT_ADD(attack, exec_kernel_text) { .name = "exec_kernel_text" };
FIXTURE_VARIANT_ADD(attack, stack_overflow) { .name = "stack_overflow" };
FIXTURE_VARIANT_ADD(attack, cli) { .name = "cli" };
FIXTURE_VARIANT_ADD(attack, hlt) { .name = "hlt" };
FIXTURE_VARIANT_ADD(attack, wrmsr) { .name = "wrmsr" };
FIXTURE_VARIANT_ADD(attack, mov_cr3) { .name = "mov_cr3" };
FIXTURE_VARIANT_ADD(attack, in) { .name = "in" };
FIXTURE_VARIANT_ADD(attack, out) { .name = "out" };
FIXTURE_VARIANT_ADD(attack, int3) { .name = "int3" };
FIXTURE_VARIANT_ADD(attack, int80) { .name = "int80" };
FIXTURE_VARIANT_ADD(attack, syscall) { .name = "syscall" };
FIXTURE_VARIANT_ADD(attack, sysenter) { .name = "sysenter" };
FIXTURE_VARIANT_ADD(attack, ud2) { .name = "ud2" };
FIXTURE_VARIANT_ADD(attack, fpu) { .name = "fpu" };
FIXTURE_VARIANT_ADD(attack, not_sandbox_code) { .name = "not_sandbox_code" };
FIXTURE_VARIANT_ADD(attack, no_such_case) { .name = "no_such_case" };

FIXTURE_SETUP(attack) {}
FIXTURE_TEARDOWN(attack) {}

TEST_F(attack, run)
{
	const struct attack *a = NULL;
	char last[512];
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		if (!strcmp(attacks[i].name, variant->name))
			a = &attacks[i];
	ASSERT_NE(NULL, a);

	err = run_case(a->name);
	read_file(DIR "last", last, sizeof(last));
	EXPECT_EQ(want_err(a), err) TH_LOG("%s: %s", a->name, first_line(last));
	if (a->last && strong())
		EXPECT_NE(NULL, strstr(last, a->last))
			TH_LOG("want \"%s\" in \"%s\"", a->last, last);
}

/* An endless loop is stopped by the CPU budget. */
TEST(cpu_budget)
{
	double start = now_ns();
	int err;

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	set_timeout_ms("100");
	err = run_case("spin");
	set_timeout_ms("1000");
	EXPECT_EQ(ETIMEDOUT, err);
	TH_LOG("stopped after %.0f ms", (now_ns() - start) / 1e6);
}

/*
 * One counter of @func in the statistics @buf, summed over its lines
 * (static functions of several files may share a name); 0 if none.
 */
static long long stat_of(const char *buf, const char *func, int field)
{
	unsigned long long v[7], sum = 0;
	char name[128];
	const char *line;

	for (line = buf; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (sscanf(line, "%127s %llu %llu %llu %llu %llu %llu %llu", name,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 8 &&
		    !strcmp(name, func))
			sum += v[field];
	}
	return sum;
}

/* How many calls of @func the exception @vector terminated, per @buf. */
static long long stat_vector(const char *buf, const char *func, int vector)
{
	char key[160], pat[16];
	const char *line, *end, *p;
	long long sum = 0;

	snprintf(key, sizeof(key), "\n%s ", func);
	snprintf(pat, sizeof(pat), " %d:", vector);
	for (line = strstr(buf, key); line; line = strstr(line + 1, key)) {
		end = strchr(line + 1, '\n');
		p = strstr(line, pat);
		if (p && (!end || p < end))
			sum += atoll(p + strlen(pat));
	}
	return sum;
}

enum { CALLS, FAULTS, TIMEOUTS, KILLED, ERRORS, TOTAL_NS, MEAN_NS };

/*
 * Calls of @func that page faults terminated so far, from the statistics
 * (the kernel log's reports are rate-limited, the statistics are not).
 */
static long long page_faults_of(const char *func)
{
	static char buf[16384];

	if (read_file(DIR "stats", buf, sizeof(buf)) <= 0)
		return -1;
	return stat_vector(buf, func, 14);
}

/* Calls of @func so far, from the statistics. */
static long long calls_of(const char *func)
{
	static char buf[16384];

	if (read_file(DIR "stats", buf, sizeof(buf)) <= 0)
		return -1;
	return stat_of(buf, func, CALLS);
}

/*
 * The users run the sandboxed copy of their library with strong
 * isolation, and the kernel's own code without (sbm=weak): never the
 * sandbox's copy, which is built to run at CPL3, in the kernel.
 */
static void expect_sandboxed(struct __test_metadata *_metadata,
			     const char *func, long long before)
{
	long long after = calls_of(func);

	/* The EXPECT macros are if statements of their own: no else here. */
	if (strong())
		EXPECT_LT(before, after) TH_LOG("%s: %lld calls", func, after);
	if (!strong())
		EXPECT_EQ(before, after) TH_LOG("%s ran without strong isolation", func);
}

/* Per-function statistics, for root only, count what happened. */
TEST(stats)
{
	static char before[16384], after[16384];
	struct stat st;
	int i;

	ASSERT_EQ(0, stat(DIR "stats", &st));
	EXPECT_EQ(0400, st.st_mode & 0777);
	ASSERT_LT(0, read_file(DIR "stats", before, sizeof(before)));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, run_case("return"));
	if (strong()) {
		EXPECT_EQ(EFAULT, run_case("write_kernel_data"));
		set_timeout_ms("50");
		EXPECT_EQ(ETIMEDOUT, run_case("spin"));
		set_timeout_ms("1000");
	}
	ASSERT_LT(0, read_file(DIR "stats", after, sizeof(after)));
	EXPECT_EQ(3, stat_of(after, "sbm_trig_return", CALLS) -
		     stat_of(before, "sbm_trig_return", CALLS));
	EXPECT_LT(0, stat_of(after, "sbm_trig_return", TOTAL_NS));
	EXPECT_EQ(stat_of(after, "sbm_trig_return", TOTAL_NS) /
		  stat_of(after, "sbm_trig_return", CALLS),
		  stat_of(after, "sbm_trig_return", MEAN_NS));
	EXPECT_EQ(0, stat_of(after, "sbm_trig_return", FAULTS));
	if (!strong())
		return;
	EXPECT_EQ(1, stat_of(after, "sbm_t_write", FAULTS) -
		     stat_of(before, "sbm_t_write", FAULTS));
	EXPECT_EQ(1, stat_vector(after, "sbm_t_write", 14) -
		     stat_vector(before, "sbm_t_write", 14));
	EXPECT_EQ(1, stat_of(after, "sbm_t_spin", TIMEOUTS) -
		     stat_of(before, "sbm_t_spin", TIMEOUTS));
}

/*
 * Calls are counted per CPU and summed when the file is read: calls made
 * at once on every CPU all count.
 */
TEST(stats_every_cpu)
{
	static char before[16384], after[16384];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int i, status, bad = 0;

	ASSERT_LT(0, cpus);
	ASSERT_LT(0, read_file(DIR "stats", before, sizeof(before)));
	for (i = 0; i < cpus; i++) {
		if (!fork()) {
			cpu_set_t set;
			int j, errs = 0;

			CPU_ZERO(&set);
			CPU_SET(i, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				_exit(2);
			for (j = 0; j < 25; j++)
				errs += run_case("return") != 0;
			_exit(errs ? 1 : 0);
		}
	}
	for (i = 0; i < cpus; i++) {
		wait(&status);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, bad);
	ASSERT_LT(0, read_file(DIR "stats", after, sizeof(after)));
	EXPECT_EQ(25 * cpus, stat_of(after, "sbm_trig_return", CALLS) -
			     stat_of(before, "sbm_trig_return", CALLS));
}

/* A task's I/O permissions do not carry over into the sandbox. */
TEST(caller_ioperm)
{
	if (!strong())
		SKIP(return, NEEDS_STRONG);
	ASSERT_EQ(0, ioperm(0x3f8, 8, 1));
	(void)inb(0x3fd);	/* the task itself may use the port */
	EXPECT_EQ(EFAULT, run_case("in"));
	EXPECT_EQ(EFAULT, run_case("out"));
	ioperm(0x3f8, 8, 0);
}

static const unsigned char tlv_good[] = { 1, 3, 'a', 'b', 'c', 2, 2, 'h', 'i' };

/* One record longer than its 16-byte slot: the parser writes past its output. */
static void tlv_evil(unsigned char evil[2 + 255])
{
	evil[0] = 1;
	evil[1] = 255;
	memset(evil + 2, 'X', 255);
}

#define TLV_GOOD_RESULT	"records: 2\n1: abc\n2: hi\n"

TEST(parser_benign)
{
	char buf[512];

	EXPECT_EQ(0, write_file(DIR "parse", tlv_good, sizeof(tlv_good)));
	read_file(DIR "parse", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, TLV_GOOD_RESULT)) TH_LOG("%s", buf);
}

/* Overflow and over-read are contained; nothing of them is copied back. */
TEST(parser_malicious)
{
	unsigned char evil[2 + 255];
	char buf[512];

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	ASSERT_EQ(0, write_file(DIR "parse", tlv_good, sizeof(tlv_good)));

	tlv_evil(evil);
	EXPECT_EQ(EFAULT, write_file(DIR "parse", evil, sizeof(evil)));
	read_file(DIR "last", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "vector=14 error_code=0x6")) TH_LOG("%s", buf);

	/* Truncated record: the parser reads past its input. */
	EXPECT_EQ(EFAULT, write_file(DIR "parse", "\001\100abc", 5));
	read_file(DIR "last", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "vector=14 error_code=0x4")) TH_LOG("%s", buf);

	read_file(DIR "parse", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, TLV_GOOD_RESULT)) TH_LOG("%s", buf);
}

/*
 * The buffer areas that destroyed instances leave behind are a cache
 * that the kernel's shrinkers empty under memory pressure, here through
 * drop_caches; calls before and after it get the right results.
 */
TEST(area_cache_shrink)
{
	char buf[512];
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, write_file(DIR "parse", tlv_good, sizeof(tlv_good)));
		read_file(DIR "parse", buf, sizeof(buf));
		EXPECT_NE(NULL, strstr(buf, TLV_GOOD_RESULT)) TH_LOG("%s", buf);
		ASSERT_EQ(0, write_file("/proc/sys/vm/drop_caches", "2", 1));
	}
}

#define FAIL_DIR	"/sys/kernel/debug/fail_sbm_alloc/"
#define FAIL_TIMES	1000

/*
 * With CONFIG_FAIL_SBM_ALLOC, a quarter of SBM's allocations fail until
 * FAIL_TIMES of them did: every call still works, with the right result,
 * or fails with ENOMEM, and nothing else happens (the final tests look
 * for leaks and splats). Pooled instances and cached areas leave a call
 * few allocations, so the debug kernel needs minutes; the teardown stops
 * the failures also when an assertion ends the test.
 */
FIXTURE(fail) {};

FIXTURE_SETUP(fail)
{
	if (access(FAIL_DIR, F_OK))
		SKIP(return, "no CONFIG_FAIL_SBM_ALLOC");
}

FIXTURE_TEARDOWN(fail)
{
	write_file(FAIL_DIR "probability", "0", 1);
}

TEST_F_TIMEOUT(fail, fault_injection, 600)
{
	char buf[512], times[32];
	int i, err, ok = 0, nomem = 0, other = 0;

	ASSERT_EQ(0, write_file(FAIL_DIR "verbose", "0", 1));
	ASSERT_EQ(0, write_file(FAIL_DIR "interval", "1", 1));
	snprintf(times, sizeof(times), "%d", FAIL_TIMES);
	ASSERT_EQ(0, write_file(FAIL_DIR "times", times, strlen(times)));
	ASSERT_EQ(0, write_file(FAIL_DIR "probability", "25", 2));
	for (i = 0; i < 50 * FAIL_TIMES; i++) {
		err = i % 2 ? run_case("return") :
			      write_file(DIR "parse", tlv_good, sizeof(tlv_good));
		if (err == ENOMEM) {
			nomem++;
		} else if (err) {
			other++;
			TH_LOG("call %d: %s", i, strerror(err));
		} else {
			ok++;
			if (i % 2 == 0) {
				read_file(DIR "parse", buf, sizeof(buf));
				EXPECT_NE(NULL, strstr(buf, TLV_GOOD_RESULT))
					TH_LOG("call %d: %s", i, buf);
			}
		}
		if (i % 64 == 63) {
			read_file(FAIL_DIR "times", times, sizeof(times));
			if (atoi(times) == 0)
				break;
		}
	}
	EXPECT_EQ(0, write_file(FAIL_DIR "probability", "0", 1));
	read_file(FAIL_DIR "times", times, sizeof(times));
	EXPECT_EQ(0, atoi(times)) TH_LOG("%s failures not injected", first_line(times));
	EXPECT_EQ(0, other);
	EXPECT_LT(0, ok);
	EXPECT_LT(0, nomem);
	TH_LOG("%d calls: %d worked, %d failed with ENOMEM (%d allocations failed)",
	       i + 1, ok, nomem, FAIL_TIMES);
	/* Nothing is left broken. */
	EXPECT_EQ(0, write_file(DIR "parse", tlv_good, sizeof(tlv_good)));
}

/* SIGKILL ends a long sandbox long before its CPU budget. */
TEST(sigkill)
{
	double start;
	int status = 0;
	pid_t pid;

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	set_timeout_ms("60000");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		run_case("spin");
		_exit(0);
	}
	usleep(300 * 1000);
	start = now_ns();
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	set_timeout_ms("1000");
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_GT(5e9, now_ns() - start);
	TH_LOG("ended in %.0f ms", (now_ns() - start) / 1e6);
}

/* Several processes attack at once, on both CPUs. */
TEST(concurrent)
{
	static const unsigned int mix[] = { 0, 1, 6, 5, 14 };
	int i, status, bad = 0;

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	for (i = 0; i < 4; i++) {
		if (!fork()) {
			int j, errs = 0;

			for (j = 0; j < 50; j++) {
				const struct attack *a = &attacks[mix[(i + j) % 5]];

				errs += run_case(a->name) != a->err;
			}
			_exit(errs ? 1 : 0);
		}
	}
	for (i = 0; i < 4; i++) {
		wait(&status);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, bad) TH_LOG("%d of 4 processes saw a wrong result", bad);
}

#define EXAMPLE	"/sys/kernel/debug/sbm_example/"

/* An out-of-tree module with its own sandboxed code. */
TEST(example_module)
{
	char buf[256];

	if (access(EXAMPLE "readme", F_OK))
		SKIP(return, "sbm_example not loaded");
	read_file(EXAMPLE "readme", buf, sizeof(buf));
	EXPECT_STREQ("result 0 out 42\n", buf);
	if (!strong())
		return;
	EXPECT_EQ(0, write_file(EXAMPLE "parse", "42", 2));
	read_file(EXAMPLE "parse", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "42")) TH_LOG("%s", buf);
	EXPECT_EQ(EFAULT, write_file(EXAMPLE "parse", "overflow", 8));
}

#define BIGTEXT_KO	"/lib/modules/sbm_bigtext.ko"

/*
 * A module with 100 pages of sandbox code, whose mapping instances keep
 * from one call to the next and in the pool: calls still work after the
 * module was unloaded and loaded again, its code in other pages, maybe
 * at the same address. (The debug boot frees pages with init_on_free=1:
 * a stale mapping would run zeroes and fault.)
 */
TEST(module_text_reload)
{
	int fd, round;

	if (access(BIGTEXT "call", F_OK))
		SKIP(return, "sbm_bigtext not loaded");
	for (round = 0; round < 3; round++) {
		EXPECT_EQ(0, write_file(BIGTEXT "call", "50", 2));
		ASSERT_EQ(0, syscall(SYS_delete_module, "sbm_bigtext", O_NONBLOCK))
			TH_LOG("cannot unload sbm_bigtext: %s", strerror(errno));
		fd = open(BIGTEXT_KO, O_RDONLY);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, syscall(SYS_finit_module, fd, "", 0))
			TH_LOG("cannot load sbm_bigtext: %s", strerror(errno));
		close(fd);
	}
	EXPECT_EQ(0, write_file(BIGTEXT "call", "50", 2));
}

/* Write @str to tracefs file @file, truncating it first if @trunc. */
static int trace_write(const char *file, const char *str, int trunc)
{
	char path[256];
	int fd, err = 0;

	snprintf(path, sizeof(path), TRACING "%s", file);
	fd = open(path, O_WRONLY | (trunc ? O_TRUNC : O_APPEND));
	if (fd < 0)
		return errno;
	if (*str && write(fd, str, strlen(str)) != (ssize_t)strlen(str))
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/*
 * Does the trace contain @needle? Call with tracing off: the reader and
 * a tracer of all functions would fight over the buffer. It is read in
 * chunks, as it can be large.
 */
static int trace_has(const char *needle)
{
	static char buf[65536];
	size_t keep = strlen(needle), have = 0;
	int fd = open(TRACING "trace", O_RDONLY), found = 0;
	ssize_t len;

	if (fd < 0)
		return 0;
	while (!found && (len = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += len;
		buf[have] = 0;
		found = !!strstr(buf, needle);
		if (have > keep) {
			memmove(buf, buf + have - keep, keep);
			have = keep;
		}
	}
	close(fd);
	return found;
}

/* Run every case; return how many gave a wrong result. */
static int run_all_cases(void)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		bad += run_case(attacks[i].name) != want_err(&attacks[i]);
	return bad + !!write_file(DIR "parse", tlv_good, sizeof(tlv_good));
}

/*
 * Tracing and probing never break a sandbox: the function tracer on all
 * functions, the function graph tracer on __sbm_call(), kprobes and a
 * kretprobe on the API and on the transition's C code.
 */
FIXTURE(tracing) {};
FIXTURE_SETUP(tracing)
{
	if (access(TRACING "current_tracer", F_OK))
		SKIP(return, "%s missing", TRACING);
	/* What a test killed by its timeout may have left behind. */
	trace_write("current_tracer", "nop", 1);
	trace_write("max_graph_depth", "0", 1);
	trace_write("tracing_on", "1", 1);
	trace_write("trace", "", 1);
}

FIXTURE_TEARDOWN(tracing)
{
	trace_write("events/sbm/enable", "0", 1);
	trace_write("current_tracer", "nop", 1);
	trace_write("set_graph_function", "", 1);
	trace_write("max_graph_depth", "0", 1);
	trace_write("kprobe_events", "", 1);
	trace_write("tracing_on", "1", 1);
}

/* Every kernel function traced: minutes on a debug kernel under TCG. */
TEST_F_TIMEOUT(tracing, function_tracer, 900)
{
	ASSERT_EQ(0, trace_write("current_tracer", "function", 1));
	EXPECT_EQ(0, run_all_cases());
	trace_write("tracing_on", "0", 1);
	EXPECT_TRUE(trace_has("__sbm_call"));
}

/*
 * Three levels deep: on a debug kernel, the whole graph of one call
 * (allocations, KASAN, lockdep) can be more than the ring buffer holds.
 */
TEST_F_TIMEOUT(tracing, function_graph_tracer, 900)
{
	ASSERT_EQ(0, trace_write("set_graph_function", "__sbm_call", 1));
	ASSERT_EQ(0, trace_write("max_graph_depth", "3", 1));
	ASSERT_EQ(0, trace_write("current_tracer", "function_graph", 1));
	EXPECT_EQ(0, run_all_cases());
	trace_write("tracing_on", "0", 1);
	EXPECT_TRUE(trace_has("__sbm_call() {"));
	if (strong())
		EXPECT_TRUE(trace_has("arch_sbm_exec() {"));
}

TEST_F(tracing, kprobes)
{
	ASSERT_EQ(0, trace_write("kprobe_events", "p:sbm_e2e/call __sbm_call\n", 1));
	ASSERT_EQ(0, trace_write("kprobe_events",
				 "r:sbm_e2e/ret __sbm_call ret=$retval\n", 0));
	ASSERT_EQ(0, trace_write("kprobe_events", "p:sbm_e2e/exec arch_sbm_exec\n", 0));
	ASSERT_EQ(0, trace_write("events/sbm_e2e/enable", "1", 1));
	EXPECT_EQ(0, run_all_cases());
	trace_write("tracing_on", "0", 1);
	EXPECT_TRUE(trace_has(" call: ("));
	EXPECT_TRUE(trace_has(" ret: ("));
	if (strong())
		EXPECT_TRUE(trace_has(" exec: ("));
	trace_write("events/sbm_e2e/enable", "0", 1);
}

/* The sbm tracepoints: every call is entered and left, faults are told. */
TEST_F(tracing, events)
{
	ASSERT_EQ(0, trace_write("events/sbm/enable", "1", 1));
	EXPECT_EQ(0, run_all_cases());
	trace_write("tracing_on", "0", 1);
	trace_write("events/sbm/enable", "0", 1);
	EXPECT_TRUE(trace_has(strong() ?
			      "sbm_enter: func=sbm_trig_return isolation=strong" :
			      "sbm_enter: func=sbm_trig_return isolation=weak"));
	EXPECT_TRUE(trace_has("sbm_exit: func=sbm_trig_return ret=0 error=0 duration="));
	EXPECT_TRUE(trace_has(" ns exits="));
	if (strong()) {
		const char *fault =
			"sbm_fault: func=sbm_t_write vector=14 error_code=0x6 ip=sbm_t_write+";

		EXPECT_TRUE(trace_has(fault));
		EXPECT_TRUE(trace_has("sbm_exit: func=sbm_t_write ret=-14 error=-14 duration="));
	}
}

/* Probes in sandbox code and in the transition itself are refused. */
TEST_F(tracing, kprobes_refused)
{
	static const char * const funcs[] = {
		"sbm_tlv_parse", "sbm_trig_return", "sbm_x86_enter",
		"sbm_x86_enter_once",
	};
	char probe[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(funcs); i++) {
		snprintf(probe, sizeof(probe), "p:sbm_e2e/bad %s", funcs[i]);
		EXPECT_NE(0, trace_write("kprobe_events", probe, 1))
			TH_LOG("%s", probe);
	}
}

/* Read all of @path; return 0 or the errno of the failed read. */
static int read_all(const char *path, unsigned char *buf, size_t size,
		    size_t *len)
{
	int fd = open(path, O_RDONLY), err = 0;
	ssize_t n;

	*len = 0;
	if (fd < 0)
		return errno;
	while ((n = read(fd, buf + *len, size - *len)) > 0)
		*len += n;
	if (n < 0)
		err = errno;
	close(fd);
	return err;
}

/* Does the manifest list @name with the md5 sum of its content? */
static int md5_ok(const char *dir, const char *name)
{
	char cmd[256], want[64] = "", got[64] = "", line[256];
	FILE *f;

	f = fopen(IMAGES "manifest", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, name))
			sscanf(line, "%63s", want);
	if (f)
		fclose(f);
	snprintf(cmd, sizeof(cmd), "md5sum %s/%s", dir, name);
	f = popen(cmd, "r");
	if (f && fgets(line, sizeof(line), f))
		sscanf(line, "%63s", got);
	if (f)
		pclose(f);
	return want[0] && !strcmp(want, got);
}

static int mount_image(const char *image, const char *dir)
{
	char cmd[256];

	mkdir(dir, 0755);
	snprintf(cmd, sizeof(cmd),
		 "mount -t squashfs -o loop,ro " IMAGES "%s %s 2>/dev/null", image, dir);
	return system(cmd);
}

static void umount_image(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "umount %s", dir);
	if (system(cmd))
		fprintf(stderr, "cannot unmount %s\n", dir);
}

/*
 * SquashFS images whose blocks are decompressed in a sandbox: good ones
 * read back exactly; a corrupt block reads as EIO while the other files
 * read on; the planted bug (strong isolation only: weak isolation would
 * not contain it) is contained, reported, and also reads as EIO.
 */
FIXTURE(squashfs) {
	char dir[64];
	int mounted;
};

FIXTURE_VARIANT(squashfs) {
	const char *comp;
};

FIXTURE_VARIANT_ADD(squashfs, lz4) { .comp = "lz4" };
FIXTURE_VARIANT_ADD(squashfs, xz) { .comp = "xz" };
FIXTURE_VARIANT_ADD(squashfs, zstd) { .comp = "zstd" };

FIXTURE_SETUP(squashfs)
{
	if (access(IMAGES "manifest", F_OK))
		SKIP(return, "no images");
	snprintf(self->dir, sizeof(self->dir), "/mnt/%s", variant->comp);
}

FIXTURE_TEARDOWN(squashfs)
{
	if (self->mounted)
		umount_image(self->dir);
}

/* Mount @comp@suffix.img; the test fails if it does not mount. */
static void squashfs_mount(struct __test_metadata *_metadata, char *dir,
			   int *mounted, const char *comp, const char *suffix)
{
	char image[64];

	snprintf(image, sizeof(image), "%s%s.img", comp, suffix);
	ASSERT_EQ(0, mount_image(image, dir)) TH_LOG("%s", image);
	*mounted = 1;
}

TEST_F(squashfs, good)
{
	char func[64];
	long long calls;

	snprintf(func, sizeof(func), "__sbm_lib_decompress_%s", variant->comp);
	calls = calls_of(func);
	squashfs_mount(_metadata, self->dir, &self->mounted, variant->comp,
		       "");
	EXPECT_TRUE(md5_ok(self->dir, "a_bad.bin"));
	EXPECT_TRUE(md5_ok(self->dir, "b_good.bin"));
	EXPECT_TRUE(md5_ok(self->dir, "c_small.txt"));
	expect_sandboxed(_metadata, func, calls);
}

/* Read the file whose first block is bad; return the errno of the read. */
static int read_bad_file(const char *dir)
{
	static unsigned char buf[1 << 20];
	char path[128];
	size_t len;

	snprintf(path, sizeof(path), "%s/a_bad.bin", dir);
	return read_all(path, buf, sizeof(buf), &len);
}

TEST_F(squashfs, corrupt)
{
	squashfs_mount(_metadata, self->dir, &self->mounted, variant->comp,
		       "-corrupt");
	EXPECT_EQ(EIO, read_bad_file(self->dir));
	EXPECT_TRUE(md5_ok(self->dir, "b_good.bin"));
	EXPECT_TRUE(md5_ok(self->dir, "c_small.txt"));
}

TEST_F(squashfs, planted_bug)
{
	char func[64];
	long long faults;

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	snprintf(func, sizeof(func), "__sbm_lib_decompress_%s", variant->comp);
	faults = page_faults_of(func);
	squashfs_mount(_metadata, self->dir, &self->mounted, variant->comp,
		       "-planted");
	EXPECT_EQ(EIO, read_bad_file(self->dir));
	/* The planted bug wrote out of bounds; SquashFS may retry the block. */
	EXPECT_LE(1, page_faults_of(func) - faults);
	EXPECT_TRUE(md5_ok(self->dir, "b_good.bin"));
}

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4
#endif

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY), err = 0;

	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, "", MODULE_INIT_COMPRESSED_FILE))
		err = errno;
	close(fd);
	return err;
}

/*
 * In-kernel decompression of modules runs in a sandbox: a corrupt stream
 * fails cleanly, a good one loads. The example module was loaded at boot;
 * it is loaded again from its xz-compressed copy.
 */
TEST(module_decompress)
{
	long long calls = calls_of("__sbm_lib_decompress_xz");

	if (access(IMAGES "sbm_example.ko.xz", F_OK))
		SKIP(return, "no compressed module");
	ASSERT_EQ(0, syscall(SYS_delete_module, "sbm_example", O_NONBLOCK))
		TH_LOG("cannot unload sbm_example: %s", strerror(errno));
	EXPECT_EQ(EINVAL, load_module(IMAGES "sbm_example.ko-corrupt.xz"));
	EXPECT_NE(0, access("/sys/module/sbm_example", F_OK));
	EXPECT_EQ(0, load_module(IMAGES "sbm_example.ko.xz"));
	EXPECT_EQ(0, access("/sys/module/sbm_example", F_OK));
	expect_sandboxed(_metadata, "__sbm_lib_decompress_xz", calls);
}

#define KEY_SPEC_PROCESS_KEYRING	-2
#define KEYCTL_DESCRIBE			6

static long add_cert(const unsigned char *cert, size_t len)
{
	long id = syscall(SYS_add_key, "asymmetric", NULL, cert, len,
			  KEY_SPEC_PROCESS_KEYRING);

	return id < 0 ? -errno : id;
}

/* The certificate made by the kernel build, with the name "SBM tests". */
static size_t read_cert(unsigned char *cert, size_t size)
{
	size_t len = 0;

	if (read_all(IMAGES "sbm_test_cert.der", cert, size, &len))
		return 0;
	return len;
}

/* Plant the decoder bug where the certificate names its subject. */
static void plant_cert_bug(unsigned char *cert, size_t len)
{
	size_t i;

	for (i = 0; i + 9 <= len; i++)
		if (!memcmp(cert + i, "SBM tests", 9)) {
			memcpy(cert + i, "SBM!\0\0\0\1A", 9);
			return;
		}
}

/*
 * add_key(2) of an asymmetric key: the certificate's BER decoder runs in a
 * sandbox, and its actions are replayed in the kernel. A valid certificate
 * makes a key, malformed ones fail with the errors they always did, and
 * the planted overflow (strong isolation only) is contained.
 */
FIXTURE(x509) {
	unsigned char cert[8192];
	size_t len;
};

FIXTURE_SETUP(x509)
{
	self->len = read_cert(self->cert, sizeof(self->cert));
	if (!self->len)
		SKIP(return, "no certificate");
}

FIXTURE_TEARDOWN(x509) {}

TEST_F(x509, valid)
{
	long long calls = calls_of("__sbm_lib_asn1_decode_x509");
	char desc[256] = "";
	long id;

	id = add_cert(self->cert, self->len);
	ASSERT_LT(0, id) TH_LOG("add_key: %s", strerror(-id));
	syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof(desc));
	EXPECT_NE(NULL, strstr(desc, "SBM tests")) TH_LOG("%s", desc);
	expect_sandboxed(_metadata, "__sbm_lib_asn1_decode_x509", calls);
}

/* Truncated certificates are malformed messages. */
TEST_F(x509, truncated)
{
	size_t i;

	for (i = 0; i < 20; i++)
		EXPECT_EQ(-EBADMSG, add_cert(self->cert, 1 + (i * self->len) / 21))
			TH_LOG("truncated to %zu bytes", 1 + (i * self->len) / 21);
}

/*
 * Bit flips: a flip in a key or signature still parses; the rest fails
 * with the decoder's or the parser's error. The KUnit suite sbm_asn1
 * compares each outcome with the kernel's own decoder.
 */
TEST_F(x509, bit_flips)
{
	static unsigned char bad[8192];
	size_t i;
	long id;

	for (i = 0; i < 40; i++) {
		memcpy(bad, self->cert, self->len);
		bad[(i * 97) % self->len] ^= 0x80 >> (i % 8);
		id = add_cert(bad, self->len);
		EXPECT_TRUE(id > 0 || id == -EBADMSG || id == -EINVAL ||
			    id == -ENOPKG || id == -EKEYREJECTED || id == -ENOKEY)
			TH_LOG("flip %zu: %ld", i, id);
	}
}

TEST_F(x509, planted_bug)
{
	long long faults;

	if (!strong())
		SKIP(return, NEEDS_STRONG);
	faults = page_faults_of("__sbm_lib_asn1_decode_x509");
	plant_cert_bug(self->cert, self->len);
	EXPECT_EQ(-EBADMSG, add_cert(self->cert, self->len));
	EXPECT_EQ(1, page_faults_of("__sbm_lib_asn1_decode_x509") - faults);
}

/* Taint flags of an oops, a warning, a bad page, a machine check, a lockup. */
#define TAINT_BAD	((1 << 7) | (1 << 9) | (1 << 5) | (1 << 4) | (1 << 14))

/*
 * After all of the above (the harness runs the tests without a fixture
 * first, then the fixtures in the order of this file).
 */
FIXTURE(final) {};
FIXTURE_SETUP(final) {}
FIXTURE_TEARDOWN(final) {}

/* With CONFIG_DEBUG_KMEMLEAK: nothing allocated by SBM is leaked. */
TEST_F(final, kmemleak)
{
	static char buf[1 << 16];
	const char *p;
	int leaks = 0;

	if (access("/sys/kernel/debug/kmemleak", F_OK))
		SKIP(return, "no kmemleak");
	ASSERT_EQ(0, write_file("/sys/kernel/debug/kmemleak", "scan", 4));
	read_file("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	for (p = buf; (p = strstr(p, "sbm")); p++)
		leaks++;
	EXPECT_EQ(0, leaks) TH_LOG("%s", buf);
}

/* No oops, warning or lockup. */
TEST_F(final, healthy)
{
	char buf[64];
	long taint;

	read_file("/proc/sys/kernel/tainted", buf, sizeof(buf));
	taint = atol(buf);
	EXPECT_EQ(0, taint & TAINT_BAD) TH_LOG("tainted=%ld", taint);
}

/* With lockdep: no report turned it off. */
TEST_F(final, lockdep)
{
	static char buf[8192];
	const char *p;

	if (read_file("/proc/lockdep_stats", buf, sizeof(buf)) < 0)
		SKIP(return, "no lockdep");
	p = strstr(buf, "debug_locks:");
	ASSERT_NE(NULL, p);
	EXPECT_EQ(1, atoi(p + strlen("debug_locks:")));
}

#define BENCH_REPS	7
#define BENCH_ROWS	16

struct bench_row {
	char what[16], mode[16];
	double ns[BENCH_REPS];
	int failed;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort @v in place; return its median. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static double null_syscall_ns(void)
{
	const int loops = 20000;
	double start = now_ns();
	int i;

	for (i = 0; i < loops; i++)
		syscall(SYS_getppid);
	return (now_ns() - start) / loops;
}

static struct bench_row *bench_row(struct bench_row *rows, int *n,
				   const char *what, const char *mode)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(rows[i].what, what) && !strcmp(rows[i].mode, mode))
			return &rows[i];
	if (*n == BENCH_ROWS)
		return NULL;
	snprintf(rows[*n].what, sizeof(rows[*n].what), "%s", what);
	snprintf(rows[*n].mode, sizeof(rows[*n].mode), "%s", mode);
	return &rows[(*n)++];
}

/*
 * BENCH_REPS readings of the kernel's bench file, each followed by a
 * null system call measurement; every figure is the median of its
 * readings, printed with their minimum and maximum.
 */
static int bench(void)
{
	static struct bench_row rows[BENCH_ROWS];
	static char lib[4096];
	double sys[BENCH_REPS], direct = 1, base = 0, strong1m = 0, med, s;
	double empty = 0, text100 = 0, text0 = 0, empty_direct = 1, fpu = 0;
	char buf[2048], mod[256], what[16], mode[16];
	int n = 0, rep, i;
	size_t len;
	long long ns;
	char *line;

	for (rep = 0; rep < BENCH_REPS; rep++) {
		/*
		 * The rows of tests/sbm_bigtext, where it is loaded, are
		 * measured first and printed last: right after the 1 MiB
		 * rows, every call pays for the TLB that they made QEMU grow,
		 * which the empty row of vmlinux, the first of its file, does
		 * not.
		 */
		if (read_file(BIGTEXT "bench", mod, sizeof(mod)) < 0)
			mod[0] = 0;
		len = strlen(mod);
		if (read_file(TEXT0 "bench", mod + len, sizeof(mod) - len) < 0)
			mod[len] = 0;
		if (read_file(DIR "bench", buf, sizeof(buf)) < 0) {
			fprintf(stderr, "cannot read %sbench\n", DIR);
			return 1;
		}
		len = strlen(buf);
		snprintf(buf + len, sizeof(buf) - len, "%s", mod);
		for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
			struct bench_row *r;

			if (sscanf(line, "%15s %15s %lld", what, mode, &ns) != 3)
				continue;
			r = bench_row(rows, &n, what, mode);
			if (!r)
				continue;
			if (ns < 0)
				r->failed = (int)-ns;
			r->ns[rep] = (double)ns;
		}
		sys[rep] = null_syscall_ns();
	}
	s = median(sys, BENCH_REPS);

	printf("SBM benchmark (one boot; TCG emulation, so only ratios mean anything;\n"
	       "medians of %d interleaved readings, with their min and max)\n",
	       BENCH_REPS);
	printf("%-8s %-7s %10s %10s %10s %10s %10s\n", "payload", "call",
	       "ns/call", "min", "max", "x direct", "x syscall");
	for (i = 0; i < n; i++) {
		struct bench_row *r = &rows[i];

		if (r->failed) {
			printf("%-8s %-7s failed: %s\n", r->what, r->mode,
			       strerror(r->failed));
			continue;
		}
		med = median(r->ns, BENCH_REPS);
		/* Rows without a direct call of their own: the empty one's. */
		if (!strcmp(r->mode, "direct"))
			direct = med > 0 ? med : 1;
		if (!strcmp(r->what, "empty") && !strcmp(r->mode, "direct"))
			empty_direct = direct;
		if (!strncmp(r->what, "text", 4))
			direct = empty_direct;
		if (!strcmp(r->what, "copy1m") && !strcmp(r->mode, "base"))
			base = med;
		if (!strcmp(r->what, "copy1m") && !strcmp(r->mode, "strong"))
			strong1m = med;
		if (!strcmp(r->what, "empty") && !strcmp(r->mode, "strong"))
			empty = med;
		if (!strcmp(r->what, "text100") && !strcmp(r->mode, "strong"))
			text100 = med;
		if (!strcmp(r->what, "text0") && !strcmp(r->mode, "strong"))
			text0 = med;
		if (!strcmp(r->what, "fpuinit"))
			fpu = med;
		printf("%-8s %-7s %10.0f %10.0f %10.0f %10.1f %10.2f\n",
		       r->what, r->mode, med, r->ns[0], r->ns[BENCH_REPS - 1],
		       med / direct, med / s);
	}
	printf("%-8s %-7s %10.0f %10.0f %10.0f %10s %10.2f\n", "-", "syscall",
	       s, sys[0], sys[BENCH_REPS - 1], "", 1.0);
	if (base > 0 && strong1m > 0)
		printf("copy1m strong / base (two 1 MiB memcpy + an empty strong call): %.2f\n",
		       strong1m / base);
	if (empty > 0 && text100 > 0)
		printf("text100 strong / empty strong (100 more pages of sandbox code): %.2f\n",
		       text100 / empty);
	if (empty > 0 && fpu > 0)
		printf("fpuinit / empty strong (the FPU init state loaded on entry): %.2f\n",
		       fpu / empty);
	if (text0 > 0 && text100 > 0)
		printf("text100 strong / text0 strong (the same module without them): %.2f\n",
		       text100 / text0);

	/* The sandboxed libraries, against their native copies. */
	if (read_file(DIR "bench_lib", lib, sizeof(lib)) > 0)
		printf("\n%s", lib);
	return 0;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* The demo's second half: real kernel parsers, fed a booby-trapped input. */
static void show_demo_users(void)
{
	static unsigned char buf[1 << 20], cert[8192];
	size_t len = 0;
	long id;
	int err;

	say("\n4. Real kernel code in the sandbox, fed inputs that exploit a planted\n"
	    "   heap overflow (CONFIG_SANDBOX_MODE_LIB_PLANTED_BUG):\n");
	if (mount_image("xz.img", "/mnt/demo")) {
		say("   (no SquashFS images)\n");
		return;
	}
	err = read_all("/mnt/demo/b_good.bin", buf, sizeof(buf), &len);
	say("   SquashFS (xz), good image:     read() -> %s, %zu bytes\n",
	    err ? strerror(err) : "OK", len);
	umount_image("/mnt/demo");
	if (!mount_image("xz-planted.img", "/mnt/demo")) {
		err = read_all("/mnt/demo/a_bad.bin", buf, sizeof(buf), &len);
		say("   SquashFS (xz), planted image:  read() -> %s\n",
		    err ? strerror(err) : "OK");
		err = read_all("/mnt/demo/b_good.bin", buf, sizeof(buf), &len);
		say("   ... the other files read on:   read() -> %s, %zu bytes\n",
		    err ? strerror(err) : "OK", len);
		umount_image("/mnt/demo");
	}
	len = read_cert(cert, sizeof(cert));
	if (!len)
		return;
	id = add_cert(cert, len);
	say("   X.509, valid certificate:      add_key() -> %s\n",
	    id > 0 ? "a key" : strerror(-id));
	plant_cert_bug(cert, len);
	id = add_cert(cert, len);
	say("   X.509, booby-trapped:          add_key() -> %s\n",
	    id > 0 ? "a key" : strerror(-id));
}

static int show_demo(void)
{
	unsigned char evil[2 + 255];
	char buf[512];
	int err;

	read_file(DIR "mode", buf, sizeof(buf));
	say("\n=== SandBox Mode: isolation is %s", buf);
	say("A kernel TLV parser that trusts the lengths in its input runs in a sandbox.\n\n");

	say("1. Benign input {1,3,\"abc\"} {2,2,\"hi\"}:\n");
	err = write_file(DIR "parse", tlv_good, sizeof(tlv_good));
	read_file(DIR "parse", buf, sizeof(buf));
	say("   write() -> %s\n%s\n", err ? strerror(err) : "OK", buf);

	say("2. Malicious input: one record claims 255 bytes for a 16-byte slot:\n");
	tlv_evil(evil);
	err = write_file(DIR "parse", evil, sizeof(evil));
	read_file(DIR "last", buf, sizeof(buf));
	say("   write() -> %s\n   %s", err ? strerror(err) : "OK", buf);
	say("   The overflow hit the sandbox's guard page; nothing was copied back:\n");
	read_file(DIR "parse", buf, sizeof(buf));
	say("%s\n", buf);

	say("3. Sandboxed code attacking the kernel directly:\n");
	for (int i = 0; i < 4; i++) {
		static const char * const names[] = {
			"write_kernel_data", "exec_kernel_text", "cli", "syscall"
		};
		err = run_case(names[i]);
		read_file(DIR "last", buf, sizeof(buf));
		say("   %-18s -> %-24s %s", names[i], strerror(err), buf);
	}
	set_timeout_ms("200");
	err = run_case("spin");
	set_timeout_ms("1000");
	say("   %-18s -> %s (CPU time budget 200 ms)\n", "endless loop", strerror(err));

	show_demo_users();

	say("\n5. The kernel is still running; its log has one report per violation:\n");
	fflush(stdout);
	if (system("dmesg | grep 'sbm:' | grep -v 'strong isolation' | tail -n 8 | sed 's/^/   /'"))
		say("   (no kernel log)\n");
	read_file("/proc/sys/kernel/tainted", buf, sizeof(buf));
	say("   tainted: %s", buf);
	say("=== end\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return bench();
	if (argc > 1 && !strcmp(argv[1], "--demo"))
		return show_demo();
	return test_harness_run(argc, argv);
}
