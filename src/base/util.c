/*
 * util.c: allocation that cannot fail silently, the abort hook, error
 * messages, hashing and time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "linscope/progress.h"
#include "base/text.h"

static void (*abort_hook)(void);

/* Sets the function run before abort() (the UI restores the terminal). */
void
ls_set_abort_hook(void (*hook)(void))
{
	abort_hook = hook;
}

/* Prints a fatal message after the hook has run, then aborts. */
void
ls_fatal(const char *fmt, ...)
{
	va_list ap;

	if (abort_hook)
		abort_hook();
	fprintf(stderr, "linscope: fatal: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		ls_fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		ls_fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		ls_fatal("out of memory (%zu bytes)", n);
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		ls_fatal("allocation overflow (%zu x %zu)", n, size);
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		ls_fatal("xasprintf: bad format");
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Formats an error message into err (if any) and returns code. */
enum ls_status
ls_err(char *err, enum ls_status code, const char *fmt, ...)
{
	va_list ap;


	if (err) {
		va_start(ap, fmt);
		vsnprintf(err, LS_ERR_MAX, fmt, ap);
		va_end(ap);
		/* one line, no terminal escapes: names come from untrusted files */
		ls_text_safe(err, LS_ERR_MAX, err, 0);
	}
	return code;
}

/* 0 ok, 1 internal failure, 2 bad input (see the design). */
int
ls_status_exit(enum ls_status st)
{
	switch (st) {
	case LS_OK:
		return 0;
	case LS_EINTERNAL:
		return 1;
	default:
		return 2;
	}
}

/* FNV-1a, 64 bits, as hex. */
void
ls_hash_hex(const void *data, size_t len, char out[17])
{
	const unsigned char *p = data;
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", h);
}

static unsigned long long
fnv_more(unsigned long long h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
ls_hash_file(const void *data, size_t len, char out[17])
{
	const unsigned char *p = data;
	unsigned long long h = 1469598103934665603ULL;
	unsigned char n8[8];
	size_t step;
	long i;

	if (len <= (size_t)LS_HASH_WHOLE) {
		ls_hash_hex(data, len, out);
		return;
	}
	h = fnv_more(h, p, (size_t)LS_HASH_HEAD);
	step = (len - (size_t)LS_HASH_BLOCK) / (LS_HASH_BLOCKS - 1);
	for (i = 0; i < LS_HASH_BLOCKS; i++)
		h = fnv_more(h, p + (size_t)i * step, (size_t)LS_HASH_BLOCK);
	for (i = 0; i < 8; i++)
		n8[i] = (unsigned char)((unsigned long long)len >> (8 * i));
	h = fnv_more(h, n8, 8);
	snprintf(out, 17, "%016llx", h);
}

double
ls_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
ls_progress_report(const struct ls_progress *p, double done, double total)
{
	return p && p->fn ? p->fn(p->ctx, done, total) : 0;
}
