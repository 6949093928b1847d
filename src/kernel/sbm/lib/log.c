// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode log: printk() of sandboxed library code. Messages are
 * formatted in the sandbox into the per-call log of the runtime state; the
 * kernel prints them after the call, rate-limited and prefixed with the
 * sandboxed function. The formatter knows what library code uses: the
 * flags '-', '0', ' ', '+' and '#', a width and a precision (also '*'),
 * the length modifiers hh, h, l, ll, z and t, and the conversions d, i,
 * u, x, X, o, c, s, p and %. Anything else is copied as it stands.
 */
#include <linux/kern_levels.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "runtime.h"
#include "sandbox.h"

struct sbm_log_out {
	struct sbm_runtime *rt;
};

static void sbm_log_putc(struct sbm_log_out *o, char c)
{
	struct sbm_runtime *rt = o->rt;

	if (rt->log_len < SBM_LOG_SIZE)
		rt->log[rt->log_len++] = c;
	else
		rt->log_lost++;
}

static void sbm_log_pad(struct sbm_log_out *o, char c, int n)
{
	while (n-- > 0)
		sbm_log_putc(o, c);
}

struct sbm_log_spec {
	bool left, zero, space, plus, alt;
	int width, prec;
};

static void sbm_log_num(struct sbm_log_out *o, unsigned long long v, bool neg,
			unsigned int base, bool upper, struct sbm_log_spec *s)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24], sign = 0;
	const char *prefix = "";
	int n = 0, len;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		sign = '-';
	else if (s->plus)
		sign = '+';
	else if (s->space)
		sign = ' ';
	if (s->alt && base == 16)
		prefix = upper ? "0X" : "0x";
	else if (s->alt && base == 8 && buf[n - 1] != '0')
		prefix = "0";

	len = max(n, s->prec) + !!sign + strlen(prefix);
	if (!s->left && !(s->zero && s->prec < 0))
		sbm_log_pad(o, ' ', s->width - len);
	if (sign)
		sbm_log_putc(o, sign);
	while (*prefix)
		sbm_log_putc(o, *prefix++);
	if (!s->left && s->zero && s->prec < 0)
		sbm_log_pad(o, '0', s->width - len);
	sbm_log_pad(o, '0', s->prec - n);
	while (n)
		sbm_log_putc(o, buf[--n]);
	if (s->left)
		sbm_log_pad(o, ' ', s->width - len);
}

static void sbm_log_str(struct sbm_log_out *o, const char *str,
			struct sbm_log_spec *s)
{
	int len, i;

	if (!str)
		str = "(null)";
	len = s->prec >= 0 ? strnlen(str, s->prec) : strlen(str);
	if (!s->left)
		sbm_log_pad(o, ' ', s->width - len);
	for (i = 0; i < len; i++)
		sbm_log_putc(o, str[i]);
	if (s->left)
		sbm_log_pad(o, ' ', s->width - len);
}

static const char *sbm_log_spec(const char *fmt, struct sbm_log_spec *s,
				va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; fmt++) {
		if (*fmt == '-')
			s->left = true;
		else if (*fmt == '0')
			s->zero = true;
		else if (*fmt == ' ')
			s->space = true;
		else if (*fmt == '+')
			s->plus = true;
		else if (*fmt == '#')
			s->alt = true;
		else
			break;
	}
	if (*fmt == '*') {
		s->width = va_arg(*ap, int);
		fmt++;
	}
	while (*fmt >= '0' && *fmt <= '9')
		s->width = min(s->width * 10 + *fmt++ - '0', 4096);
	if (*fmt == '.') {
		s->prec = 0;
		if (*++fmt == '*') {
			s->prec = va_arg(*ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			s->prec = min(s->prec * 10 + *fmt++ - '0', 4096);
	}
	return fmt;
}

static void sbm_log_vformat(struct sbm_log_out *o, const char *fmt, va_list args)
{
	struct sbm_log_spec s;
	unsigned long long v;
	va_list ap;
	int size;

	va_copy(ap, args);

	while (*fmt) {
		const char *start = fmt;

		if (*fmt != '%') {
			sbm_log_putc(o, *fmt++);
			continue;
		}
		fmt = sbm_log_spec(fmt + 1, &s, &ap);
		size = 0;
		while (*fmt == 'h' || *fmt == 'l' || *fmt == 'z' || *fmt == 't') {
			size += *fmt == 'h' ? -1 : *fmt == 'l' ? 1 : 2;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			if (size >= 1)
				v = size == 1 ? va_arg(ap, long) : va_arg(ap, long long);
			else
				v = va_arg(ap, int);
			if (size == -1)
				v = (short)v;
			else if (size == -2)
				v = (signed char)v;
			sbm_log_num(o, (long long)v < 0 ? -v : v,
				    (long long)v < 0, 10, false, &s);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (size >= 1)
				v = size == 1 ? va_arg(ap, unsigned long) :
						va_arg(ap, unsigned long long);
			else
				v = va_arg(ap, unsigned int);
			if (size == -1)
				v = (unsigned short)v;
			else if (size == -2)
				v = (unsigned char)v;
			sbm_log_num(o, v, false, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				    *fmt == 'X', &s);
			break;
		case 'p':
			/*
			 * No address at all: sandbox code and constants are
			 * at kernel addresses, and there is no secret here
			 * to hash them with. As the kernel prints %p before
			 * its hash key is ready; no %p extensions.
			 */
			(void)va_arg(ap, void *);
			sbm_log_str(o, "(____ptrval____)", &s);
			while (fmt[1] >= 'A' && fmt[1] <= 'z' &&
			       (fmt[1] <= 'Z' || fmt[1] >= 'a'))
				fmt++;
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			s.prec = 1;
			sbm_log_str(o, c, &s);
			break;
		}
		case 's':
			sbm_log_str(o, va_arg(ap, const char *), &s);
			break;
		case '%':
			sbm_log_putc(o, '%');
			break;
		default:
			/* Unknown: show it as it is, consume nothing. */
			while (start <= fmt && *start)
				sbm_log_putc(o, *start++);
			if (!*fmt)
				goto out;
			break;
		}
		fmt++;
	}
out:
	va_end(ap);
}

/**
 * sbm_log() - printk() for sandboxed library code
 * @fmt:	format, optionally starting with a KERN_<LEVEL>
 *
 * Appends a line to the log of the current call. A message that does not
 * end in a newline is ended with one, and every line starts with a level.
 *
 * Return: 0.
 */
int sbm_log(const char *fmt, ...)
{
	struct sbm_log_out o = { .rt = &runtime };
	char level = '4';	/* the default message loglevel */
	va_list ap;

	if (fmt[0] == KERN_SOH_ASCII && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1];
		fmt += 2;
	}
	sbm_log_putc(&o, KERN_SOH_ASCII);
	sbm_log_putc(&o, level);
	va_start(ap, fmt);
	sbm_log_vformat(&o, fmt, ap);
	va_end(ap);
	if (!o.rt->log_len || o.rt->log[o.rt->log_len - 1] != '\n')
		sbm_log_putc(&o, '\n');
	return 0;
}
