// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests of SandBox Mode from user space, through
 * /sys/kernel/debug/sbm (CONFIG_SANDBOX_MODE_TEST_TRIGGER).
 *
 *   sbm_e2e		run the tests, TAP output
 *   sbm_e2e --bench	print the cost of sbm_call() and of a null syscall
 *   sbm_e2e --demo	show a buggy parser being contained
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

#define DIR		"/sys/kernel/debug/sbm/"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define TIMEOUT_PARAM	"/sys/module/sbm/parameters/timeout_ms"

static int passed, failed;

static void result(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

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

static const struct {
	const char *name;
	int err;
	const char *last;	/* expected in "last", or NULL */
} cases[] = {
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

static void test_cases(void)
{
	char last[512];
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err = run_case(cases[i].name);
		read_file(DIR "last", last, sizeof(last));
		result(err == cases[i].err &&
		       (!cases[i].last || strstr(last, cases[i].last)),
		       "%s: errno %d (want %d) %s", cases[i].name, err,
		       cases[i].err, first_line(last));
	}
}

static void test_timeout(void)
{
	double start = now_ns();
	int err;

	set_timeout_ms("100");
	err = run_case("spin");
	set_timeout_ms("1000");
	result(err == ETIMEDOUT, "endless loop stopped by the CPU budget: errno %d after %.0f ms",
	       err, (now_ns() - start) / 1e6);
}

/* A task's I/O permissions do not carry over into the sandbox. */
static void test_ioperm(void)
{
	int err;

	if (ioperm(0x3f8, 8, 1)) {
		result(0, "ioperm: %s", strerror(errno));
		return;
	}
	(void)inb(0x3fd);	/* the task itself may use the port */
	err = run_case("in");
	result(err == EFAULT, "in with the caller's ioperm(): errno %d", err);
	err = run_case("out");
	result(err == EFAULT, "out with the caller's ioperm(): errno %d", err);
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

static void test_parser(void)
{
	unsigned char evil[2 + 255];
	char buf[512];
	int err;

	err = write_file(DIR "parse", tlv_good, sizeof(tlv_good));
	read_file(DIR "parse", buf, sizeof(buf));
	result(!err && strstr(buf, "records: 2\n1: abc\n2: hi\n"),
	       "parser decodes benign input: errno %d", err);

	tlv_evil(evil);
	err = write_file(DIR "parse", evil, sizeof(evil));
	read_file(DIR "last", buf, sizeof(buf));
	result(err == EFAULT && strstr(buf, "vector=14 error_code=0x6"),
	       "parser overflow contained: errno %d %s", err, first_line(buf));

	/* Truncated record: the parser reads past its input. */
	err = write_file(DIR "parse", "\001\100abc", 5);
	read_file(DIR "last", buf, sizeof(buf));
	result(err == EFAULT && strstr(buf, "vector=14 error_code=0x4"),
	       "parser over-read contained: errno %d %s", err, first_line(buf));

	/* Nothing of the failed calls was copied back. */
	read_file(DIR "parse", buf, sizeof(buf));
	result(!!strstr(buf, "records: 2\n1: abc\n2: hi\n"),
	       "failed parses left the previous result intact");
}

/* SIGKILL ends a long sandbox long before its CPU budget. */
static void test_kill(void)
{
	double start;
	int status = 0;
	pid_t pid;

	set_timeout_ms("60000");
	pid = fork();
	if (!pid) {
		run_case("spin");
		_exit(0);
	}
	usleep(300 * 1000);
	start = now_ns();
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	set_timeout_ms("1000");
	result(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	       now_ns() - start < 5e9,
	       "SIGKILL ends a running sandbox in %.0f ms", (now_ns() - start) / 1e6);
}

/* Several processes attack at once, on both CPUs. */
static void test_concurrent(void)
{
	static const char * const mix[] = {
		"return", "write_kernel_data", "cli", "stack_overflow", "syscall",
	};
	static const int want[] = { 0, EFAULT, EFAULT, EFAULT, EFAULT };
	int i, status, bad = 0;

	for (i = 0; i < 4; i++) {
		if (!fork()) {
			int j, errs = 0;

			for (j = 0; j < 50; j++)
				errs += run_case(mix[(i + j) % 5]) != want[(i + j) % 5];
			_exit(errs ? 1 : 0);
		}
	}
	for (i = 0; i < 4; i++) {
		wait(&status);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	result(!bad, "4 processes x 50 mixed sandboxes: %d failed", bad);
}

/* Taint flags of an oops, a warning, a bad page, a machine check, a lockup. */
#define TAINT_BAD	((1 << 7) | (1 << 9) | (1 << 5) | (1 << 4) | (1 << 14))

/* With CONFIG_DEBUG_KMEMLEAK: nothing allocated by SBM is leaked. */
static void test_kmemleak(void)
{
	static char buf[1 << 16];
	const char *p;
	int err, leaks = 0;

	if (access("/sys/kernel/debug/kmemleak", F_OK))
		return;
	err = write_file("/sys/kernel/debug/kmemleak", "scan", 4);
	read_file("/sys/kernel/debug/kmemleak", buf, sizeof(buf));
	for (p = buf; (p = strstr(p, "sbm")); p++)
		leaks++;
	result(!err && !leaks, "kmemleak: %d leak traces mention sbm", leaks);
}

static void test_healthy(void)
{
	char buf[64];
	long taint;

	read_file("/proc/sys/kernel/tainted", buf, sizeof(buf));
	taint = atol(buf);
	result(!(taint & TAINT_BAD), "no oops, warning or lockup: tainted=%ld",
	       taint);
}

/* Optional: an out-of-tree module with its own sandboxed code. */
static void test_module(void)
{
	char buf[256];
	int err, ok;

	if (access("/sys/kernel/debug/sbm_example/parse", F_OK))
		return;
	err = write_file("/sys/kernel/debug/sbm_example/parse", "42", 2);
	read_file("/sys/kernel/debug/sbm_example/parse", buf, sizeof(buf));
	result(!err && !!strstr(buf, "42"), "sandbox code in a module: errno %d %s",
	       err, first_line(buf));
	err = write_file("/sys/kernel/debug/sbm_example/parse", "overflow", 8);
	result(err == EFAULT, "module's sandbox contained: errno %d", err);
	read_file("/sys/kernel/debug/sbm_example/readme", buf, sizeof(buf));
	ok = !strcmp(buf, "result 0 out 42\n");
	result(ok, "README example: %s", first_line(buf));
}

#define TRACING	"/sys/kernel/tracing/"

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

/* Run the cases that this boot's isolation allows; return how many failed. */
static int run_some_cases(int strong)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int want = cases[i].err;

		if (!strong && want == EFAULT)
			want = EOPNOTSUPP;
		bad += run_case(cases[i].name) != want;
	}
	return bad + !!write_file(DIR "parse", tlv_good, sizeof(tlv_good));
}

/*
 * Tracing and probing never break a sandbox: the function tracer on all
 * functions, the function graph tracer on __sbm_call(), kprobes and a
 * kretprobe on the API and on the transition's C code. Probes in sandbox
 * code and in the transition itself are refused.
 */
static void test_tracing(int strong)
{
	static const char * const refused[] = {
		"p:sbm_e2e/bad sbm_tlv_parse",
		"p:sbm_e2e/bad sbm_trig_return",
		"p:sbm_e2e/bad sbm_x86_enter",
		"p:sbm_e2e/bad sbm_x86_enter_once",
	};
	unsigned int i;
	int bad, err;

	if (access(TRACING "current_tracer", F_OK)) {
		result(0, "tracing: %s missing", TRACING);
		return;
	}
	trace_write("trace", "", 1);
	err = trace_write("current_tracer", "function", 1);
	bad = run_some_cases(strong);
	trace_write("tracing_on", "0", 1);
	result(!err && !bad && trace_has("__sbm_call"),
	       "function tracer on all functions: errno %d, %d cases failed", err, bad);
	trace_write("current_tracer", "nop", 1);
	trace_write("tracing_on", "1", 1);

	trace_write("trace", "", 1);
	err = trace_write("set_graph_function", "__sbm_call", 1) ?:
	      trace_write("current_tracer", "function_graph", 1);
	bad = run_some_cases(strong);
	trace_write("tracing_on", "0", 1);
	result(!err && !bad && trace_has("__sbm_call() {") &&
	       (!strong || trace_has("arch_sbm_exec() {")),
	       "function graph tracer on __sbm_call: errno %d, %d cases failed", err, bad);
	trace_write("current_tracer", "nop", 1);
	trace_write("set_graph_function", "", 1);
	trace_write("tracing_on", "1", 1);

	trace_write("trace", "", 1);
	err = trace_write("kprobe_events", "p:sbm_e2e/call __sbm_call\n", 1) ?:
	      trace_write("kprobe_events", "r:sbm_e2e/ret __sbm_call ret=$retval\n", 0) ?:
	      trace_write("kprobe_events", "p:sbm_e2e/exec arch_sbm_exec\n", 0) ?:
	      trace_write("events/sbm_e2e/enable", "1", 1);
	bad = run_some_cases(strong);
	trace_write("tracing_on", "0", 1);
	result(!err && !bad && trace_has(" call: (") && trace_has(" ret: (") &&
	       (!strong || trace_has(" exec: (")),
	       "kprobes and a kretprobe on __sbm_call and arch_sbm_exec: errno %d, %d cases failed",
	       err, bad);
	trace_write("events/sbm_e2e/enable", "0", 1);
	trace_write("kprobe_events", "", 1);
	trace_write("tracing_on", "1", 1);

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		err = trace_write("kprobe_events", refused[i], 1);
		result(err != 0, "kprobe refused: %s: errno %d", refused[i], err);
	}
	trace_write("kprobe_events", "", 1);
}

#define IMAGES	"/images/"

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
static void test_squashfs(int strong)
{
	static const char * const comps[] = { "lz4", "xz", "zstd" };
	static unsigned char buf[1 << 20];
	char image[64], dir[64], path[128];
	unsigned int i;
	size_t len;
	int err;

	for (i = 0; i < ARRAY_SIZE(comps); i++) {
		snprintf(image, sizeof(image), "%s.img", comps[i]);
		snprintf(dir, sizeof(dir), "/mnt/%s", comps[i]);
		err = mount_image(image, dir);
		result(!err && md5_ok(dir, "a_bad.bin") && md5_ok(dir, "b_good.bin") &&
		       md5_ok(dir, "c_small.txt"),
		       "squashfs %s: every file reads back exactly", comps[i]);
		if (!err)
			umount_image(dir);

		snprintf(image, sizeof(image), "%s-corrupt.img", comps[i]);
		err = mount_image(image, dir);
		snprintf(path, sizeof(path), "%s/a_bad.bin", dir);
		err = err ?: read_all(path, buf, sizeof(buf), &len);
		result(err == EIO && md5_ok(dir, "b_good.bin") &&
		       md5_ok(dir, "c_small.txt"),
		       "squashfs %s: a corrupt block reads as EIO (errno %d), the rest reads on",
		       comps[i], err);
		umount_image(dir);

		if (!strong)
			continue;
		snprintf(image, sizeof(image), "%s-planted.img", comps[i]);
		err = mount_image(image, dir);
		err = err ?: read_all(path, buf, sizeof(buf), &len);
		snprintf(path, sizeof(path),
			 "dmesg | grep -q '__sbm_lib_decompress_%s terminated: page fault'",
			 comps[i]);
		result(err == EIO && !system(path) && md5_ok(dir, "b_good.bin"),
		       "squashfs %s: the planted overflow is contained: errno %d",
		       comps[i], err);
		umount_image(dir);
	}
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
static void test_module_decompress(void)
{
	int err;

	if (access(IMAGES "sbm_example.ko.xz", F_OK))
		return;
	if (syscall(SYS_delete_module, "sbm_example", O_NONBLOCK)) {
		result(0, "cannot unload sbm_example: %s", strerror(errno));
		return;
	}
	err = load_module(IMAGES "sbm_example.ko-corrupt.xz");
	result(err == EINVAL && access("/sys/module/sbm_example", F_OK),
	       "a module with a corrupt xz stream does not load: errno %d", err);
	err = load_module(IMAGES "sbm_example.ko.xz");
	result(!err && !access("/sys/module/sbm_example", F_OK),
	       "an xz-compressed module loads: errno %d", err);
}

#define KEY_SPEC_PROCESS_KEYRING	-2
#define KEYCTL_DESCRIBE			6

static long add_cert(const unsigned char *cert, size_t len)
{
	long id = syscall(SYS_add_key, "asymmetric", NULL, cert, len,
			  KEY_SPEC_PROCESS_KEYRING);

	return id < 0 ? -errno : id;
}

/*
 * add_key(2) of an asymmetric key: the certificate's BER decoder runs in a
 * sandbox, and its actions are replayed in the kernel. A valid certificate
 * makes a key, malformed ones fail with the errors they always did, and
 * the planted overflow (strong isolation only) is contained.
 */
static void test_x509(int strong)
{
	static unsigned char cert[8192], bad[8192];
	char desc[256] = "";
	size_t len, i;
	long id;
	int ebadmsg = 0, others = 0, made = 0;

	if (read_all(IMAGES "sbm_test_cert.der", cert, sizeof(cert), &len) || !len)
		return;
	id = add_cert(cert, len);
	if (id > 0)
		syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof(desc));
	result(id > 0 && strstr(desc, "SBM tests"),
	       "add_key() of a valid certificate: %ld %s", id, desc);

	/* Truncated certificates are malformed messages. */
	for (i = 0; i < 20; i++) {
		id = add_cert(cert, 1 + (i * len) / 21);
		ebadmsg += id == -EBADMSG;
	}
	result(ebadmsg == 20, "add_key() of 20 truncated certificates: %d EBADMSG",
	       ebadmsg);

	/*
	 * Bit flips: a flip in a key or signature still parses; the rest
	 * fails with the decoder's or the parser's error. The KUnit suite
	 * sbm_asn1 compares each outcome with the kernel's own decoder.
	 */
	for (i = 0; i < 40; i++) {
		memcpy(bad, cert, len);
		bad[(i * 97) % len] ^= 0x80 >> (i % 8);
		id = add_cert(bad, len);
		if (id > 0)
			made++;
		else if (id == -EBADMSG || id == -EINVAL || id == -ENOPKG ||
			 id == -EKEYREJECTED || id == -ENOKEY)
			others++;
	}
	result(made + others == 40,
	       "add_key() of 40 certificates with a bit flipped: %d keys, %d known errors",
	       made, others);

	if (!strong)
		return;
	memcpy(bad, cert, len);
	for (i = 0; i + 9 <= len; i++)
		if (!memcmp(bad + i, "SBM tests", 9)) {
			memcpy(bad + i, "SBM!\0\0\0\1A", 9);
			break;
		}
	id = add_cert(bad, len);
	result(id == -EBADMSG &&
	       !system("dmesg | grep -q '__sbm_lib_asn1_decode_x509 terminated: page fault'"),
	       "add_key(): the planted overflow in the decoder is contained: %ld", id);
}

/* Booted with sbm=weak: attacks must be refused, the API must still work. */
static void test_weak(void)
{
	char buf[256];
	int err;

	err = run_case("return");
	result(!err, "weak: a sandboxed function runs: errno %d", err);
	err = run_case("write_kernel_data");
	result(err == EOPNOTSUPP, "weak: attacks are refused: errno %d", err);
	err = write_file(DIR "parse", tlv_good, sizeof(tlv_good));
	read_file(DIR "parse", buf, sizeof(buf));
	result(!err && strstr(buf, "records: 2\n1: abc\n2: hi\n"),
	       "weak: parser decodes benign input: errno %d", err);
	if (!access("/sys/kernel/debug/sbm_example/readme", F_OK)) {
		read_file("/sys/kernel/debug/sbm_example/readme", buf, sizeof(buf));
		err = strcmp(buf, "result 0 out 42\n");
		result(!err, "weak: README example: %s", first_line(buf));
	}
}

static int run_tests(void)
{
	char mode[32], cmdline[1024];
	const char *want;
	int ok;

	printf("TAP version 13\n");
	if (read_file(DIR "mode", mode, sizeof(mode)) < 0) {
		printf("Bail out! %s missing\n", DIR);
		printf("# e2e: 0 passed, 1 failed\n");
		return 1;
	}
	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	want = strstr(cmdline, "sbm=weak") ? "weak\n" : "strong\n";
	ok = !strcmp(mode, want);
	result(ok, "isolation is %s", first_line(mode));
	if (!strcmp(want, "weak\n")) {
		test_weak();
	} else {
		test_cases();
		test_timeout();
		test_ioperm();
		test_parser();
		test_kill();
		test_concurrent();
		test_module();
	}
	test_tracing(!strcmp(want, "strong\n"));
	if (!access(IMAGES "manifest", F_OK))
		test_squashfs(!strcmp(want, "strong\n"));
	test_module_decompress();
	test_x509(!strcmp(want, "strong\n"));
	test_kmemleak();
	test_healthy();
	printf("1..%d\n", passed + failed);
	printf("# e2e: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

static int bench(void)
{
	static char lib[4096];
	char buf[1024], what[16], mode[16];
	long long ns;
	double direct = 0, sys, start;
	const int loops = 20000;
	char *line;
	int i;

	start = now_ns();
	for (i = 0; i < loops; i++)
		syscall(SYS_getppid);
	sys = (now_ns() - start) / loops;

	if (read_file(DIR "bench", buf, sizeof(buf)) < 0) {
		fprintf(stderr, "cannot read %sbench\n", DIR);
		return 1;
	}
	printf("SBM benchmark (one boot; TCG emulation, so only ratios mean anything)\n");
	printf("%-8s %-7s %12s %12s %12s\n", "payload", "call", "ns/call",
	       "x direct", "x syscall");
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%15s %15s %lld", what, mode, &ns) != 3)
			continue;
		if (ns < 0) {
			printf("%-8s %-7s failed: %s\n", what, mode, strerror(-ns));
			continue;
		}
		if (!strcmp(mode, "direct"))
			direct = ns ? ns : 1;
		printf("%-8s %-7s %12lld %12.1f %12.2f\n", what, mode, ns,
		       ns / direct, ns / sys);
	}
	printf("%-8s %-7s %12.0f %12s %12.2f\n", "-", "syscall", sys, "", 1.0);

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
	if (read_all(IMAGES "sbm_test_cert.der", cert, sizeof(cert), &len) || !len)
		return;
	id = add_cert(cert, len);
	say("   X.509, valid certificate:      add_key() -> %s\n",
	    id > 0 ? "a key" : strerror(-id));
	for (size_t i = 0; i + 9 <= len; i++)
		if (!memcmp(cert + i, "SBM tests", 9)) {
			memcpy(cert + i, "SBM!\0\0\0\1A", 9);
			break;
		}
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
	return run_tests();
}
