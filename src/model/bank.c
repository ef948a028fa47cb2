/*
 * bank.c: a bank of latents (N, d) from a .npy file, and its statistics.
 *
 * Invariant: rows points at N * d float32 values, either owned (copied or
 * converted) or, for large aligned '<f4' files, inside the npy mapping.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/npy.h"
#include "base/util.h"

struct ls_bank {
	char *path;
	long n;
	int d;
	const float *rows;   /* (n, d), row-major */
	float *owned;        /* rows when owned, else NULL */
	struct ls_npy *npy;  /* kept while rows point into it */
};

static enum ls_status
bank_shape(const struct ls_npy *npy, const char *path, long *n, int *d, char *err)
{
	if (npy->kind != LS_NPY_F4 && npy->kind != LS_NPY_F8)
		return ls_err(err, LS_EFORMAT, "%s: a bank must be float32 or float64 ('<f4' or '<f8')", path);
	if (npy->ndim == 1) {
		*n = 1;
		*d = (int)npy->shape[0];
	} else if (npy->ndim == 2) {
		*n = (long)npy->shape[0];
		*d = (int)(npy->shape[1] > INT32_MAX ? 0 : npy->shape[1]);
	} else {
		return ls_err(err, LS_EFORMAT, "%s: a bank must have shape (N, d); this has %d dimensions",
			      path, npy->ndim);
	}
	if (*n < 1 || *d < 1 || *n > LS_BANK_MAX_ROWS)
		return ls_err(err, LS_EFORMAT, "%s: a bank needs 1 to %ld rows and d >= 1 (shape is %lld x %lld)",
			      path, LS_BANK_MAX_ROWS, (long long)npy->shape[0],
			      (long long)(npy->ndim == 2 ? npy->shape[1] : 1));
	return LS_OK;
}

/* Refuses NaN and infinity: every statistic and slider depends on them. */
static enum ls_status
bank_check_finite(const struct ls_bank *b, char *err)
{
	long i, m = b->n * (long)b->d;

	for (i = 0; i < m; i++)
		if (!isfinite(b->rows[i]))
			return ls_err(err, LS_EFORMAT, "%s: row %ld has a non-finite value",
				      b->path, i / b->d);
	return LS_OK;
}

enum ls_status
ls_bank_open(const char *path, struct ls_bank **out, char *err)
{
	struct ls_npy *npy;
	struct ls_bank *b;
	enum ls_status s;
	long n = 0;
	int d = 0;

	*out = NULL;
	if ((s = ls_npy_open(path, &npy, err)) != LS_OK)
		return s;
	if ((s = bank_shape(npy, path, &n, &d, err)) != LS_OK) {
		ls_npy_free(npy);
		return s;
	}
	b = xcalloc(1, sizeof *b);
	b->path = xstrdup(path);
	b->n = n;
	b->d = d;
	if (npy->kind == LS_NPY_F4 && ((uintptr_t)npy->data % 4) == 0 &&
	    (size_t)npy->numel * 4 >= (size_t)LS_BANK_MAP_BYTES) {
		b->rows = npy->data;
		b->npy = npy;
	} else {
		b->owned = xreallocarray(NULL, (size_t)npy->numel, sizeof(float));
		ls_npy_read_f32(npy, 0, npy->numel, b->owned);
		b->rows = b->owned;
		ls_npy_free(npy);
	}
	if ((s = bank_check_finite(b, err)) != LS_OK) {
		ls_bank_free(b);
		return s;
	}
	*out = b;
	return LS_OK;
}

struct ls_bank *
ls_bank_from_rows(const float *rows, long n, int d)
{
	struct ls_bank *b = xcalloc(1, sizeof *b);

	b->path = xstrdup("(memory)");
	b->n = n;
	b->d = d;
	b->owned = xreallocarray(NULL, (size_t)(n * d), sizeof(float));
	memcpy(b->owned, rows, (size_t)(n * d) * sizeof(float));
	b->rows = b->owned;
	return b;
}

void
ls_bank_free(struct ls_bank *b)
{
	if (!b)
		return;
	free(b->owned);
	ls_npy_free(b->npy);
	free(b->path);
	free(b);
}

const char *ls_bank_path(const struct ls_bank *b) { return b->path; }
long ls_bank_rows(const struct ls_bank *b) { return b->n; }
int ls_bank_dim(const struct ls_bank *b) { return b->d; }
const float *ls_bank_data(const struct ls_bank *b) { return b->rows; }

const float *
ls_bank_row(const struct ls_bank *b, long i)
{
	return b->rows + i * (long)b->d;
}

void
ls_bank_mean(const struct ls_bank *b, double *mean)
{
	long i;
	int j;

	memset(mean, 0, (size_t)b->d * sizeof *mean);
	for (i = 0; i < b->n; i++)
		for (j = 0; j < b->d; j++)
			mean[j] += b->rows[i * b->d + j];
	for (j = 0; j < b->d; j++)
		mean[j] /= (double)b->n;
}

/* Population standard deviation of z.u/|u| over the rows (two passes). */
double
ls_bank_sigma(const struct ls_bank *b, const float *u)
{
	double norm = 0, sum = 0, ss = 0, mean;
	long i;
	int j;

	for (j = 0; j < b->d; j++)
		norm += (double)u[j] * u[j];
	if (norm == 0 || b->n < 2)
		return 0;
	norm = sqrt(norm);
	for (i = 0; i < b->n; i++) {
		double p = 0;
		for (j = 0; j < b->d; j++)
			p += (double)b->rows[i * b->d + j] * u[j];
		sum += p / norm;
	}
	mean = sum / (double)b->n;
	for (i = 0; i < b->n; i++) {
		double p = 0;
		for (j = 0; j < b->d; j++)
			p += (double)b->rows[i * b->d + j] * u[j];
		p = p / norm - mean;
		ss += p * p;
	}
	return sqrt(ss / (double)b->n);
}
