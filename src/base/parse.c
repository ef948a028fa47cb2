/*
 * parse.c: strict parsing of numbers, ranges and lists from user input.
 * Every parser consumes the whole string; trailing garbage is an error.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int
ls_parse_long(const char *s, long *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtol(s, &end, 10);
	return (errno || *end) ? -1 : 0;
}

int
ls_parse_double(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return (errno || *end || !isfinite(*v)) ? -1 : 0;
}

/* Parses "A:B" where either side may be empty (Python slices). */
int
ls_parse_range_i(const char *s, long *a, long *b, int *has_a, int *has_b)
{
	const char *c = strchr(s, ':');
	char buf[64];
	size_t n;

	if (!c || strchr(c + 1, ':') || (size_t)(c - s) >= sizeof buf)
		return -1;
	n = (size_t)(c - s);
	memcpy(buf, s, n);
	buf[n] = 0;
	*has_a = n > 0;
	*has_b = c[1] != 0;
	if (*has_a && ls_parse_long(buf, a))
		return -1;
	if (*has_b && ls_parse_long(c + 1, b))
		return -1;
	return 0;
}

/* Parses "A:B" of two finite doubles. A leading '-' on B is allowed. */
int
ls_parse_range_d(const char *s, double *a, double *b)
{
	const char *c = strchr(s + (s[0] == '-'), ':');
	char buf[64];
	size_t n;

	if (!c || (size_t)(c - s) >= sizeof buf)
		return -1;
	n = (size_t)(c - s);
	memcpy(buf, s, n);
	buf[n] = 0;
	return (ls_parse_double(buf, a) || ls_parse_double(c + 1, b)) ? -1 : 0;
}

/* Parses "v1,v2,..." (spaces allowed) into a malloc'd array. */
long
ls_parse_floats(const char *s, float **out)
{
	long n = 0, cap = 16;
	float *v = xmalloc((size_t)cap * sizeof *v);
	const char *p = s;

	for (;;) {
		char *end;
		double x;
		while (*p == ' ' || *p == '\t')
			p++;
		errno = 0;
		x = strtod(p, &end);
		if (end == p || errno || !isfinite(x) || !isfinite((float)x))
			goto bad;
		if (n == cap)
			v = xreallocarray(v, (size_t)(cap *= 2), sizeof *v);
		v[n++] = (float)x;
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p++ != ',')
			goto bad;
	}
	*out = v;
	return n;
bad:
	free(v);
	*out = NULL;
	return -1;
}

enum ls_status
ls_parse_vector(const char *s, int d, float *v, char *err)
{
	float *t;
	long n = ls_parse_floats(s, &t);

	if (n < 0)
		return ls_err(err, LS_EINVAL, "want %d comma-separated finite numbers", d);
	if (n == d)
		memcpy(v, t, (size_t)d * sizeof *v);
	free(t);
	if (n != d)
		return ls_err(err, LS_EINVAL, "want %d values (the latent dimension), not %ld", d, n);
	return LS_OK;
}
