/*
 * dirs_pick.c: directions picked from the bank or the model without
 * labels: row differences, set means, PCA (GANSpace), SeFa, random.
 *
 * Statistics accumulate in double; covariances are built a block of rows
 * at a time: DIRS_BLOCK rows centred by the double mean into float32, one
 * float32 SYRK per block (the heavy flops at single-precision speed), the
 * blocks' scatters summed in double. Memory stays O(d^2 + DIRS_BLOCK d)
 * whatever the bank's size. The covariance of a whole bank is first tried
 * in one pass from its raw moments (no copy); that result is kept only
 * when no coordinate's mean exceeds its standard deviation (bounded
 * cancellation), else the rows are centred as above.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/blas.h"
#include "linscope/dirs.h"
#include "linscope/model.h"
#include "linscope/progress.h"
#include "base/util.h"
#include "model/graph.h"
#include "dirs_int.h"

/* splitmix64 step, to seed xoshiro. */
static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
dirs_rng_seed(struct dirs_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
dirs_rng_next(struct dirs_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

double
dirs_rng_uniform(struct dirs_rng *r)
{
	return (double)(dirs_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Box-Muller (one of the pair; simple and reproducible). */
double
dirs_rng_normal(struct dirs_rng *r)
{
	double u1 = 1.0 - dirs_rng_uniform(r), u2 = dirs_rng_uniform(r);

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

double
dirs_dot(const float *a, const float *b, int d)
{
	double s = 0;
	int k;

	for (k = 0; k < d; k++)
		s += (double)a[k] * b[k];
	return s;
}

void
dirs_symmetrize(double *a, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			a[(long)i * n + j] = a[(long)j * n + i];
}

/* Fills blk with up to DIRS_BLOCK masked rows from *row on, centred by
 * mean (subtracted in double, rounded to float); returns the number of
 * rows copied and advances *row. */
static int
gather_block(const struct ls_bank *b, const unsigned char *mask, const double *mean,
	     long *row, float *blk)
{
	long n = ls_bank_rows(b);
	int d = ls_bank_dim(b), m = 0, k;

	for (; *row < n && m < DIRS_BLOCK; (*row)++) {
		const float *z;
		float *o = blk + (long)m * d;
		if (mask && !mask[*row])
			continue;
		z = ls_bank_row(b, *row);
		if (mean)
			for (k = 0; k < d; k++)
				o[k] = (float)(z[k] - mean[k]);
		else
			memcpy(o, z, (size_t)d * sizeof *o);
		m++;
	}
	return m;
}

/* cov += alpha * t on the upper triangle (t float (n, n), cov double). */
static void
add_upper(double *cov, const float *t, int n, double alpha)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i; j < n; j++)
			cov[(long)i * n + j] += alpha * t[(long)i * n + j];
}

/* One float32 SYRK per block of centred rows, each block's scatter added
 * in double into the upper triangle, which is then mirrored. */
int
dirs_scatter_add_p(const struct ls_bank *b, const unsigned char *mask, const double *mean,
		   double alpha, double *cov, const struct ls_progress *p)
{
	int d = ls_bank_dim(b), m, stop = 0;
	float *blk = xreallocarray(NULL, (size_t)DIRS_BLOCK * (size_t)d, sizeof *blk);
	float *t = xreallocarray(NULL, (size_t)d * (size_t)d, sizeof *t);
	long row = 0;

	while (!stop && (m = gather_block(b, mask, mean, &row, blk)) > 0) {
		ls_ssyrk_t(d, m, 1.0f, blk, 0.0f, t);
		add_upper(cov, t, d, alpha);
		stop = ls_progress_report(p, (double)row, (double)ls_bank_rows(b));
	}
	dirs_symmetrize(cov, d);
	free(blk);
	free(t);
	return stop;
}

void
dirs_scatter_add(const struct ls_bank *b, const unsigned char *mask, const double *mean,
		 double alpha, double *cov)
{
	dirs_scatter_add_p(b, mask, mean, alpha, cov, NULL);
}

void
ls_dirs_fix_sign(float *u, int d)
{
	int k, at = 0;

	for (k = 1; k < d; k++)
		if (fabsf(u[k]) > fabsf(u[at]))
			at = k;
	if (u[at] < 0)
		for (k = 0; k < d; k++)
			u[k] = -u[k];
}

int
dirs_top_eig(double *a, int n, int k, float *u, double *ev)
{
	double *w = xmalloc((size_t)n * sizeof *w);
	int i, j, r;

	if ((r = ls_dsyevd(n, a, w)) == 0)
		for (i = 0; i < k; i++) {
			int col = n - 1 - i;   /* eigenvalues ascend */
			double nn = 0;
			for (j = 0; j < n; j++)
				nn += a[(long)j * n + col] * a[(long)j * n + col];
			nn = nn > 0 ? sqrt(nn) : 1;
			for (j = 0; j < n; j++)
				u[(long)i * n + j] = (float)(a[(long)j * n + col] / nn);
			ls_dirs_fix_sign(u + (long)i * n, n);
			if (ev)
				ev[i] = w[col];
		}
	free(w);
	return r;
}

enum ls_status
ls_dirs_mean(const struct ls_bank *b, const unsigned char *mask, double *mean, long *count,
	     char *err)
{
	long i, n = ls_bank_rows(b), c = 0;
	int d = ls_bank_dim(b), k;

	memset(mean, 0, (size_t)d * sizeof *mean);
	for (i = 0; i < n; i++) {
		const float *z = ls_bank_row(b, i);
		if (mask && !mask[i])
			continue;
		for (k = 0; k < d; k++)
			mean[k] += z[k];
		c++;
	}
	if (count)
		*count = c;
	if (!c)
		return ls_err(err, LS_EINVAL, "%s: no rows selected", ls_bank_path(b));
	for (k = 0; k < d; k++)
		mean[k] /= (double)c;
	return LS_OK;
}

/* Raw moments of every row in one pass straight over the bank's float32
 * rows: per block the column sums (SGEMV) and the upper triangle of X^T X
 * (SYRK), each block's result added in double. */
static int
raw_moments(const struct ls_bank *b, double *sum, double *gram, const struct ls_progress *p)
{
	long n = ls_bank_rows(b), i0;
	int d = ls_bank_dim(b), k, stop = 0;
	float *t = xreallocarray(NULL, (size_t)d * (size_t)d, sizeof *t);
	float *s = xreallocarray(NULL, (size_t)d, sizeof *s);
	float *ones = xreallocarray(NULL, DIRS_BLOCK, sizeof *ones);

	for (k = 0; k < DIRS_BLOCK; k++)
		ones[k] = 1;
	memset(sum, 0, (size_t)d * sizeof *sum);
	memset(gram, 0, (size_t)d * (size_t)d * sizeof *gram);
	for (i0 = 0; i0 < n && !stop; i0 += DIRS_BLOCK) {
		int m = n - i0 < DIRS_BLOCK ? (int)(n - i0) : DIRS_BLOCK;
		const float *x = ls_bank_data(b) + i0 * d;
		ls_ssyrk_t(d, m, 1.0f, x, 0.0f, t);
		add_upper(gram, t, d, 1.0);
		ls_sgemv(1, m, d, 1.0f, x, ones, 0.0f, s);
		for (k = 0; k < d; k++)
			sum[k] += s[k];
		stop = ls_progress_report(p, (double)(i0 + m), (double)n);
	}
	free(t);
	free(s);
	free(ones);
	return stop;
}

/* Mean and covariance of every row (n > 0) from the raw moments in one
 * pass, E[zz^T] - m m^T. Exact algebra, and the cancellation costs at most
 * a factor 2 of float32 precision while no coordinate's mean exceeds its
 * standard deviation; returns 0 when one does (then the caller centres the
 * rows first, in a second pass). */
static int
cov_from_raw(const struct ls_bank *b, double *mean, double *cov, const struct ls_progress *p,
	     int *stop)
{
	double n = (double)ls_bank_rows(b);
	int d = ls_bank_dim(b), i, j;

	if ((*stop = raw_moments(b, mean, cov, p)) != 0)
		return 1;
	for (i = 0; i < d; i++)
		mean[i] /= n;
	for (i = 0; i < d; i++)
		for (j = i; j < d; j++)
			cov[(long)i * d + j] = cov[(long)i * d + j] / n - mean[i] * mean[j];
	for (i = 0; i < d; i++)
		if (!(mean[i] * mean[i] <= cov[(long)i * d + i]))
			return 0;
	dirs_symmetrize(cov, d);
	return 1;
}

/* ls_dirs_cov with progress: the one pass of the raw moments, or the
 * scatter pass of the masked (or far from centred: then the raw pass's
 * report stays at its end) rows. */
static enum ls_status
cov_progress(const struct ls_bank *b, const unsigned char *mask, double *mean, double *cov,
	     const struct ls_progress *p, char *err)
{
	int d = ls_bank_dim(b), stop = 0;
	enum ls_status s;
	long c;

	if (!mask && ls_bank_rows(b) > 0 && cov_from_raw(b, mean, cov, p, &stop))
		return stop ? ls_err(err, LS_ENOMEM, "%s: stopped", ls_bank_path(b)) : LS_OK;
	if ((s = ls_dirs_mean(b, mask, mean, &c, err)) != LS_OK)
		return s;
	memset(cov, 0, (size_t)d * (size_t)d * sizeof *cov);
	if (dirs_scatter_add_p(b, mask, mean, 1.0 / (double)c, cov, mask ? p : NULL))
		return ls_err(err, LS_ENOMEM, "%s: stopped", ls_bank_path(b));
	return LS_OK;
}

enum ls_status
ls_dirs_cov(const struct ls_bank *b, const unsigned char *mask, double *mean, double *cov,
	    char *err)
{
	return cov_progress(b, mask, mean, cov, NULL, err);
}

enum ls_status
ls_dirs_row_diff(const struct ls_bank *b, long i, long j, float *u, char *err)
{
	const float *ri, *rj;
	int d = ls_bank_dim(b), k;

	if (i < 0 || j < 0 || i >= ls_bank_rows(b) || j >= ls_bank_rows(b))
		return ls_err(err, LS_EINVAL, "rows:%ld-%ld: row out of range (the bank has %ld rows)",
			      i, j, ls_bank_rows(b));
	ri = ls_bank_row(b, i);
	rj = ls_bank_row(b, j);
	for (k = 0; k < d; k++)
		u[k] = rj[k] - ri[k];
	return LS_OK;
}

enum ls_status
ls_dirs_pca(const struct ls_bank *b, const unsigned char *mask, int k, float *u, double *var,
	    double *ratio, char *err)
{
	return ls_dirs_pca_progress(b, mask, k, u, var, ratio, NULL, err);
}

enum ls_status
ls_dirs_pca_progress(const struct ls_bank *b, const unsigned char *mask, int k, float *u,
		     double *var, double *ratio, const struct ls_progress *p, char *err)
{
	int d = ls_bank_dim(b), i;
	double *mean = xmalloc((size_t)d * sizeof *mean);
	double *cov = xmalloc((size_t)d * (size_t)d * sizeof *cov);
	double *ev = xmalloc((size_t)k * sizeof *ev + 1), tr = 0;
	enum ls_status s;

	if (k < 1 || k > d) {
		s = ls_err(err, LS_EINVAL, "-k %d: want 1 <= k <= d = %d", k, d);
		goto out;
	}
	if ((s = cov_progress(b, mask, mean, cov, p, err)) != LS_OK)
		goto out;
	for (i = 0; i < d; i++)
		tr += cov[(long)i * d + i];
	if (dirs_top_eig(cov, d, k, u, ev) != 0) {
		s = ls_err(err, LS_EINTERNAL, "%s: the eigen-decomposition failed", ls_bank_path(b));
		goto out;
	}
	for (i = 0; i < k; i++) {
		if (var)
			var[i] = ev[i] > 0 ? ev[i] : 0;
		if (ratio)
			ratio[i] = tr > 0 && ev[i] > 0 ? ev[i] / tr : 0;
	}
out:
	free(mean);
	free(cov);
	free(ev);
	return s;
}

/* The first affine layer of dec, or NULL. */
static const struct ls_layer *
first_affine(const struct ls_net *dec)
{
	int i;

	for (i = 0; i < dec->nlayers; i++)
		if (dec->layers[i].kind == LS_LAYER_AFFINE)
			return &dec->layers[i];
	return NULL;
}

/* SeFa on a graph: the eigenvectors of A^T A for the first linear map A
 * of z (a Gemm, or a ConvTranspose from 1x1 seen as a matrix). */
static enum ls_status
sefa_graph(const struct ls_net *dec, int k, float *u, double *ev, char *err)
{
	int d = dec->in;
	double *at, *a;
	const char *name;
	long out;
	enum ls_status s;

	if (k < 1 || k > d)
		return ls_err(err, LS_EINVAL, "-k %d: want 1 <= k <= d = %d", k, d);
	if ((s = graph_first_linear(ls_net_graph(dec), &at, &out, &name, err)) != LS_OK)
		return s;
	a = xcalloc((size_t)d * (size_t)d, sizeof *a);
	ls_dgemm(d, d, (int)out, 1.0, at, 0, at, 1, 0.0, a);   /* A^T A */
	dirs_symmetrize(a, d);
	if (dirs_top_eig(a, d, k, u, ev) != 0)
		s = ls_err(err, LS_EINTERNAL, "%s: the eigen-decomposition failed", name);
	free(at);
	free(a);
	return s;
}

enum ls_status
ls_dirs_sefa(const struct ls_net *dec, int k, float *u, double *ev, char *err)
{
	const struct ls_layer *l = first_affine(dec);
	double *w = NULL, *a = NULL;
	enum ls_status s = LS_OK;
	long i, nw;

	if (!dec->layers)
		return sefa_graph(dec, k, u, ev, err);
	if (!l)
		return ls_err(err, LS_EINVAL, "decoder: no affine layer for SeFa");
	if (k < 1 || k > l->in)
		return ls_err(err, LS_EINVAL, "-k %d: want 1 <= k <= d = %d", k, l->in);
	nw = (long)l->out * l->in;
	w = xreallocarray(NULL, (size_t)nw, sizeof *w);
	a = xcalloc((size_t)l->in * (size_t)l->in, sizeof *a);
	for (i = 0; i < nw; i++)
		w[i] = l->w[i];
	ls_dsyrk_t(l->in, l->out, 1.0, w, 0.0, a);   /* W^T W */
	dirs_symmetrize(a, l->in);
	if (dirs_top_eig(a, l->in, k, u, ev) != 0)
		s = ls_err(err, LS_EINTERNAL, "%s: the eigen-decomposition failed", l->name);
	free(w);
	free(a);
	return s;
}

void
ls_dirs_random(uint64_t seed, int d, float *u)
{
	struct dirs_rng r;
	double n;
	int k;

	dirs_rng_seed(&r, seed);
	do {
		n = 0;
		for (k = 0; k < d; k++) {
			u[k] = (float)dirs_rng_normal(&r);
			n += (double)u[k] * u[k];
		}
	} while (!(n > 0));
	n = sqrt(n);
	for (k = 0; k < d; k++)
		u[k] = (float)(u[k] / n);
}
