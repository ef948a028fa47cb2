/*
 * factors.c: the ground-truth factor table of a bank (factors.h). The
 * values come through the .npy reader and the names through the labels
 * reader (one name per line); this file checks the shape, the names'
 * count and that every value is finite. Stored column-major in double:
 * col[j] (N values) for each of the k columns.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/factors.h"
#include "linscope/labels.h"
#include "linscope/npy.h"
#include "base/bytes.h"
#include "base/util.h"

struct ls_factors {
	char *path;
	long n;
	int k;
	char **names;   /* (k) */
	double *v;      /* (k, n): column j at v + j * n */
};

/* The names file beside path: X.npy -> X.txt (else path + ".txt"). */
static char *
names_path(const char *path)
{
	size_t n = strlen(path);

	if (n > 4 && !strcmp(path + n - 4, ".npy"))
		return xasprintf("%.*s.txt", (int)(n - 4), path);
	return xasprintf("%s.txt", path);
}

/* Reads the k column names, or makes f0.. when there is no names file. */
static enum ls_status
read_names(struct ls_factors *f, char *err)
{
	char *np = names_path(f->path), e2[LS_ERR_MAX];
	struct ls_labels *l = NULL;
	enum ls_status s = LS_OK;
	FILE *t;
	int j;

	f->names = xcalloc((size_t)f->k, sizeof *f->names);
	if (!(t = fopen(np, "r"))) {
		for (j = 0; j < f->k; j++)
			f->names[j] = xasprintf("f%d", j);
		goto out;
	}
	fclose(t);
	if (ls_labels_open(np, f->k, &l, e2) != LS_OK) {
		s = ls_err(err, LS_EFORMAT, "%s: wants %d names, one per factor column (%s)", np,
			   f->k, e2);
		goto out;
	}
	for (j = 0; j < f->k; j++)
		f->names[j] = xstrdup(ls_labels_get(l, j));
out:
	ls_labels_free(l);
	free(np);
	return s;
}

/* Element e of a float .npy in double (float64 kept exact). */
static double
elem(const struct ls_npy *a, int64_t e)
{
	uint64_t b;
	double x;
	float y;

	if (a->kind == LS_NPY_F8) {
		b = ls_load_le((const unsigned char *)a->data + e * 8, 8);
		memcpy(&x, &b, sizeof x);
		return x;
	}
	ls_npy_read_f32(a, e, 1, &y);
	return y;
}

/* Copies the (n, k) values column-major, refusing NaN and infinities. */
static enum ls_status
read_values(struct ls_factors *f, const struct ls_npy *a, char *err)
{
	long i;
	int j;

	f->v = xreallocarray(NULL, (size_t)f->n * (size_t)f->k, sizeof *f->v);
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->k; j++) {
			double x = elem(a, (int64_t)i * f->k + j);
			if (!isfinite(x))
				return ls_err(err, LS_EFORMAT, "%s: row %ld column %d is not a finite number",
					      f->path, i, j);
			f->v[(size_t)j * (size_t)f->n + (size_t)i] = x;
		}
	return LS_OK;
}

/* Checks the array's kind and shape against nrows. */
static enum ls_status
check_shape(const char *path, const struct ls_npy *a, long nrows, char *err)
{
	if (a->kind != LS_NPY_F4 && a->kind != LS_NPY_F8)
		return ls_err(err, LS_EFORMAT, "%s: factors must be float32 or float64", path);
	if (a->ndim != 2 || a->shape[0] < 1 || a->shape[1] < 1 || a->shape[1] > LS_FACTORS_MAX)
		return ls_err(err, LS_EFORMAT, "%s: factors must have shape (N, k), 1 <= k <= %d",
			      path, LS_FACTORS_MAX);
	if (nrows >= 0 && a->shape[0] != nrows)
		return ls_err(err, LS_EFORMAT, "%s: has %lld rows but the bank has %ld", path,
			      (long long)a->shape[0], nrows);
	return LS_OK;
}

enum ls_status
ls_factors_open(const char *path, long nrows, struct ls_factors **out, char *err)
{
	struct ls_factors *f = NULL;
	struct ls_npy *a = NULL;
	enum ls_status s;

	*out = NULL;
	if ((s = ls_npy_open(path, &a, err)) != LS_OK || (s = check_shape(path, a, nrows, err)) != LS_OK)
		goto out;
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->n = (long)a->shape[0];
	f->k = (int)a->shape[1];
	if ((s = read_values(f, a, err)) != LS_OK || (s = read_names(f, err)) != LS_OK)
		goto out;
	*out = f;
	f = NULL;
out:
	ls_factors_free(f);
	ls_npy_free(a);
	return s;
}

void
ls_factors_free(struct ls_factors *f)
{
	int j;

	if (!f)
		return;
	for (j = 0; f->names && j < f->k; j++)
		free(f->names[j]);
	free(f->names);
	free(f->v);
	free(f->path);
	free(f);
}

const char *ls_factors_path(const struct ls_factors *f) { return f->path; }
long ls_factors_rows(const struct ls_factors *f) { return f->n; }
int ls_factors_count(const struct ls_factors *f) { return f->k; }
const char *ls_factors_name(const struct ls_factors *f, int j) { return f->names[j]; }

const double *
ls_factors_col(const struct ls_factors *f, int j)
{
	return f->v + (size_t)j * (size_t)f->n;
}
