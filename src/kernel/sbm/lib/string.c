// SPDX-License-Identifier: GPL-2.0
/*
 * SandBox Mode string functions: what sandboxed library code and the
 * compiler call. Built without builtins, so that no loop here turns into
 * a call to itself.
 */
#include <linux/string.h>
#include <linux/types.h>

#include "sandbox.h"

#undef memcpy
#undef memmove
#undef memset
#undef memcmp

void *memcpy(void *dest, const void *src, size_t n)
{
#ifdef CONFIG_X86_64
	void *d = dest;

	asm volatile("rep movsb" : "+D" (d), "+S" (src), "+c" (n) : : "memory");
#else
	u8 *d = dest;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
#endif
	return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
	u8 *d = dest;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dest, src, n);
	while (n--)
		d[n] = s[n];
	return dest;
}

void *memset(void *s, int c, size_t n)
{
#ifdef CONFIG_X86_64
	void *d = s;

	asm volatile("rep stosb" : "+D" (d), "+c" (n) : "a" (c) : "memory");
#else
	u8 *d = s;

	while (n--)
		*d++ = c;
#endif
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	const char *p = s;

	while (max-- && *p)
		p++;
	return p - s;
}
