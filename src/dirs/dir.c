/*
 * dir.c: resolving direction specs (axis:K, rows:I-J, FILE:NAME).
 *
 * axis: and rows: are matched by prefix first; anything else holding a
 * ':' is FILE:NAME, split at the last ':' (names never contain one).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dir.h"
#include "linscope/dirfile.h"
#include "base/util.h"

static enum ls_status
dir_axis(const char *spec, int d, float *u, char *err)
{
	long k;

	if (ls_parse_long(spec + 5, &k) || k < 0 || k >= d)
		return ls_err(err, LS_EINVAL, "%s: want axis:K with 0 <= K < d = %d", spec, d);
	memset(u, 0, (size_t)d * sizeof *u);
	u[k] = 1;
	return LS_OK;
}

static enum ls_status
dir_rows(const char *spec, const struct ls_bank *b, int d, float *u, char *err)
{
	long i, j;
	const char *dash = strchr(spec + 5, '-');
	char buf[32];
	const float *ri, *rj;
	int k;

	if (!b)
		return ls_err(err, LS_EINVAL, "%s: rows:I-J needs a bank (-b)", spec);
	if (!dash || (size_t)(dash - spec - 5) >= sizeof buf)
		return ls_err(err, LS_EINVAL, "%s: want rows:I-J", spec);
	memcpy(buf, spec + 5, (size_t)(dash - spec - 5));
	buf[dash - spec - 5] = 0;
	if (ls_parse_long(buf, &i) || ls_parse_long(dash + 1, &j))
		return ls_err(err, LS_EINVAL, "%s: want rows:I-J with row numbers I and J", spec);
	if (i < 0 || j < 0 || i >= ls_bank_rows(b) || j >= ls_bank_rows(b))
		return ls_err(err, LS_EINVAL, "%s: row out of range (the bank has %ld rows)",
			      spec, ls_bank_rows(b));
	if (ls_bank_dim(b) != d)
		return ls_err(err, LS_EINVAL, "%s: bank width %d is not d = %d", ls_bank_path(b),
			      ls_bank_dim(b), d);
	ri = ls_bank_row(b, i);
	rj = ls_bank_row(b, j);
	for (k = 0; k < d; k++)
		u[k] = rj[k] - ri[k];
	return LS_OK;
}

/* FILE:NAME: the direction NAME of a directions file; its length must be d. */
static enum ls_status
dir_file(const char *spec, int d, float *u, char *err)
{
	char *path, *name;
	enum ls_status s;

	if ((s = ls_dirfile_split(spec, &path, &name, err)) == LS_OK)
		s = ls_dirfile_load(path, name, d, u, err);
	free(path);
	free(name);
	return s;
}

enum ls_status
ls_dir_resolve(const char *spec, const struct ls_bank *b, int d, float *u, char *err)
{
	if (strncmp(spec, "axis:", 5) == 0)
		return dir_axis(spec, d, u, err);
	if (strncmp(spec, "rows:", 5) == 0)
		return dir_rows(spec, b, d, u, err);
	if (strchr(spec, ':'))
		return dir_file(spec, d, u, err);
	return ls_err(err, LS_EINVAL, "%s: unknown direction (want axis:K, rows:I-J or FILE:NAME)", spec);
}

enum ls_status
ls_dir_normalize(float *u, int d, const char *what, char *err)
{
	double n = 0;
	int k;

	for (k = 0; k < d; k++)
		n += (double)u[k] * u[k];
	if (!(n > 0) || !isfinite(n))
		return ls_err(err, LS_EINVAL, "%s: the direction has zero length", what);
	n = sqrt(n);
	for (k = 0; k < d; k++)
		u[k] = (float)(u[k] / n);
	return LS_OK;
}
