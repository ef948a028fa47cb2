/*
 * tap.h: a tiny TAP producer for the C tests (header only).
 *
 *   plan_lazy();                         // or nothing: done_testing() plans
 *   ok(cond, "what %d", i);              // prints ok / not ok
 *   ok_close(got, want, tol, "what");    // numeric, prints both on failure
 *   ok_maxdiff(a, b, n, tol, "what");    // arrays, prints the max |a - b|
 *   return done_testing();               // prints the plan, exits 1 on failure
 *
 * Fixture paths: fixture("name") -> "$srcdir/tests/fixtures/name".
 * Temporary files: tmpdir() returns a private mkdtemp folder; each test
 * removes what it creates there, then the folder.
 */
#ifndef LINSCOPE_TAP_H
#define LINSCOPE_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_fail;

static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_fail++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int __attribute__((unused))
ok_close(double got, double want, double tol, const char *what)
{
	int c = fabs(got - want) <= tol && !isnan(got);

	if (!c)
		diag("%s: got %.9g, want %.9g (tol %g)", what, got, want, tol);
	return ok(c, "%s", what);
}

static int __attribute__((unused))
ok_maxdiff(const float *a, const float *b, long n, double tol, const char *what)
{
	double m = 0;
	long i, at = 0;

	for (i = 0; i < n; i++) {
		double d = fabs((double)a[i] - (double)b[i]);
		if (d > m || isnan(d)) {
			m = isnan(d) ? INFINITY : d;
			at = i;
		}
	}
	if (!(m <= tol))
		diag("%s: max |diff| %.3g at %ld (%.9g vs %.9g), tol %g", what, m, at,
		     n ? a[at] : 0.0, n ? b[at] : 0.0, tol);
	else
		diag("%s: max |diff| %.3g", what, m);
	return ok(m <= tol, "%s", what);
}

static int __attribute__((unused))
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_fail ? 1 : 0;
}

/* "$srcdir/tests/fixtures/name" in a static buffer (one at a time). */
__attribute__((unused)) static const char *
fixture(const char *name)
{
	static char buf[4096];
	const char *s = getenv("srcdir");

	snprintf(buf, sizeof buf, "%s/tests/fixtures/%s", s ? s : ".", name);
	return buf;
}

/* A private temporary folder, created once per process. */
__attribute__((unused)) static const char *
tmpdir(void)
{
	static char buf[256];
	const char *t = getenv("TMPDIR");

	if (!buf[0]) {
		snprintf(buf, sizeof buf, "%s/linscope-test-XXXXXX", t ? t : "/tmp");
		if (!mkdtemp(buf)) {
			perror("mkdtemp");
			exit(99);
		}
	}
	return buf;
}

/* TMPDIR-private path of name, in one of four static buffers. */
__attribute__((unused)) static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir(), name);
	return buf[k];
}

/* A whole file, malloc'd with a NUL after its *len bytes; NULL if unreadable. */
__attribute__((unused)) static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || !(b = malloc((size_t)n + 1))) {
		fclose(f);
		return NULL;
	}
	*len = fread(b, 1, (size_t)n, f);
	b[*len] = 0;
	fclose(f);
	return b;
}

/* Writes len bytes to path, or exits 99 (a broken test environment). */
__attribute__((unused)) static void
spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

#endif
