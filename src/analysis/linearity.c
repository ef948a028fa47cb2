/*
 * linearity.c: the linearity meter (homogeneity, additivity, first-order
 * share) and the off-manifold gauges (Mahalanobis distance under the bank's
 * mean and covariance, norm percentile, round-trip drift).
 *
 * The meter decodes in double (jacobian.c's forward pass), so an affine
 * decoder gives 0, 0 and 1 up to double rounding. Bank statistics
 * accumulate in double; the covariance is inverted through its
 * eigen-decomposition with a small ridge (1e-9 of the mean variance).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "base/util.h"
#include "lin_priv.h"

/* ---- the meter ----------------------------------------------------------- */

static double
dist(const double *a, const double *b, int n)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += (a[i] - b[i]) * (a[i] - b[i]);
	return sqrt(s);
}

static double
ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

/* |D - L|^2 / |D|^2 turned into a share clipped to [0, 1]; L = h jv. */
static double
share(const double *g0, const double *g1, const double *jv, double h, int n)
{
	double dd = 0, rr = 0, s;
	int i;

	for (i = 0; i < n; i++) {
		double d = g1[i] - g0[i];
		dd += d * d;
		rr += (d - h * jv[i]) * (d - h * jv[i]);
	}
	if (!(dd > 0))
		return NAN;
	s = 1 - rr / dd;
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

#define LIN_CHUNK 128   /* latents per batched pass */

/* The points of c latents z (c, d) in x: sets z, z+hu, z+2hu [, z+kv,
 * z+hu+kv] of c rows each, then c tangent rows u. Returns the set count. */
static int
lin_points(const float *z, long c, int d, const float *u, double h, const float *v,
	   double k, double *x)
{
	const double fu[5] = { 0, 1, 2, 0, 1 }, fv[5] = { 0, 0, 0, 1, 1 };
	int nset = v ? 5 : 3, q, j;
	long r;

	for (q = 0; q < nset; q++)
		for (r = 0; r < c; r++)
			for (j = 0; j < d; j++)
				x[(q * c + r) * d + j] = (double)z[r * d + j] + fu[q] * h * u[j] +
							 (v ? fv[q] * k * v[j] : 0);
	for (r = 0; r < c; r++)
		for (j = 0; j < d; j++)
			x[(nset * c + r) * d + j] = u[j];
	return nset;
}

/* The three measures of latent r of a chunk of c from the outputs y. */
static void
lin_measures(const double *y, long c, long r, int n, double h, int has_v,
	     struct ls_linearity *out)
{
	const double *g0 = y + r * n, *g1 = y + (c + r) * n, *g2 = y + (2 * c + r) * n;
	const double *jv = y + ((has_v ? 5 : 3) * c + r) * n;
	double e = 0, d1;
	int i;

	for (i = 0; i < n; i++) {
		double q = g2[i] - g0[i] - 2 * (g1[i] - g0[i]);
		e += q * q;
	}
	d1 = dist(g1, g0, n);
	out->homogeneity = ratio(sqrt(e), 2 * d1);
	out->additivity = NAN;
	if (has_v) {
		const double *gv = y + (3 * c + r) * n, *guv = y + (4 * c + r) * n;
		for (e = 0, i = 0; i < n; i++) {
			double q = guv[i] - g1[i] - gv[i] + g0[i];
			e += q * q;
		}
		out->additivity = ratio(sqrt(e), d1 + dist(gv, g0, n));
	}
	out->first_order = share(g0, g1, jv, h, n);
}

void
ls_linearity_batch(struct ls_net *net, const float *z, long n, const float *u, double h,
		   const float *v, double k, struct ls_linearity *out)
{
	int d = net->in;
	double *x = xmalloc(6 * (size_t)LIN_CHUNK * d * sizeof *x);
	struct lin_dnet dn;
	long r0, r;

	lin_dnet_init(&dn, net);
	for (r0 = 0; r0 < n; r0 += LIN_CHUNK) {
		long c = n - r0 < LIN_CHUNK ? n - r0 : LIN_CHUNK;
		int nset = lin_points(z + r0 * d, c, d, u, h, v, k, x);
		const double *y = lin_dnet_forward(&dn, x, nset * c, c);
		for (r = 0; r < c; r++)
			lin_measures(y, c, r, net->out, h, v != NULL, &out[r0 + r]);
	}
	lin_dnet_free(&dn);
	free(x);
}

void
ls_linearity_at(struct ls_net *net, const float *z, const float *u, double h,
		const float *v, double k, struct ls_linearity *out)
{
	ls_linearity_batch(net, z, 1, u, h, v, k, out);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Linear-interpolation quantile q of sorted v (n >= 1), as numpy's. */
static double
quantile_sorted(const double *v, long n, double q)
{
	double h = q * (double)(n - 1);
	long i = (long)floor(h);

	return i + 1 < n ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

long
ls_summary(double *v, long n, double q[3])
{
	long i, k = 0;
	double s = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			v[k++] = v[i];
	q[0] = q[1] = q[2] = NAN;
	if (!k)
		return 0;
	for (i = 0; i < k; i++)
		s += v[i];
	qsort(v, (size_t)k, sizeof *v, cmp_d);
	q[0] = s / (double)k;
	q[1] = quantile_sorted(v, k, 0.5);
	q[2] = quantile_sorted(v, k, 0.9);
	return k;
}

/* ---- bank statistics ----------------------------------------------------- */

struct ls_bankstats {
	int d;
	long n;
	long ns;         /* rows of the mean and covariance: n, at most LS_STATS_ROWS */
	double *mean;    /* (d) */
	double *icov;    /* (d, d) inverse covariance */
	long nt;         /* rows in the percentile tables: n, at most LS_KNN_REF */
	double *mahal;   /* (nt) sorted */
	double *norms;   /* (nt) sorted */
};

/* Bank row of percentile-table entry i: every row, or evenly spaced ones. */
static long
table_row(long n, long nt, long i)
{
	return nt == n ? i : (long)((unsigned long long)i * (unsigned long long)n / (unsigned long long)nt);
}

#define STATS_BLOCK 2048   /* bank rows per BLAS call in the bank-wide passes */

/* Rows r0 .. r0 + m - 1 of b minus mean, in double, into x (m, d); with
 * nt < rows, the table rows table_row(r0 + i) instead. */
static void
centred_block(const struct ls_bank *b, const double *mean, long nt, long r0, int m, double *x)
{
	int d = ls_bank_dim(b), i, j;

	for (i = 0; i < m; i++) {
		const float *z = ls_bank_row(b, table_row(ls_bank_rows(b), nt, r0 + i));
		for (j = 0; j < d; j++)
			x[(long)i * d + j] = z[j] - mean[j];
	}
}

/* Covariance (d, d) of the bank's rows, or of n evenly spaced ones
 * (table_row), double accumulation: one SYRK per block of centred rows. */
static double *
bank_cov(const struct ls_bank *b, const double *mean, long n)
{
	int d = ls_bank_dim(b), i, j;
	long r;
	double *c = xcalloc((size_t)d * d, sizeof *c);
	double *x = xreallocarray(NULL, (size_t)STATS_BLOCK * (size_t)d, sizeof *x);

	for (r = 0; r < n; r += STATS_BLOCK) {
		int m = n - r < STATS_BLOCK ? (int)(n - r) : STATS_BLOCK;
		centred_block(b, mean, n, r, m, x);
		ls_dsyrk_t(d, m, 1.0, x, 1.0, c);
	}
	for (i = 0; i < d; i++)
		for (j = i; j < d; j++)
			c[j * d + i] = c[i * d + j] = c[i * d + j] / (n > 1 ? n - 1 : 1);
	free(x);
	return c;
}

/* Inverse of the symmetric c (d, d) through its eigen-decomposition, with
 * a ridge of 1e-9 times the mean eigenvalue (and at least 1e-300). */
static double *
sym_inverse(double *c, int d)
{
	double *w = xmalloc((size_t)d * sizeof *w), *inv = xcalloc((size_t)d * d, sizeof *inv), tr = 0;
	int i, j, k;

	if (ls_dsyevd(d, c, w) != 0)
		ls_fatal("sym_inverse: eigen-decomposition failed");
	for (k = 0; k < d; k++)
		tr += fmax(w[k], 0);
	for (k = 0; k < d; k++) {
		double lam = fmax(w[k], 0) + 1e-9 * tr / d + 1e-300;
		for (i = 0; i < d; i++)
			for (j = 0; j < d; j++)
				inv[i * d + j] += c[i * d + k] * c[j * d + k] / lam;
	}
	free(w);
	return inv;
}

static double
mahal_d(const struct ls_bankstats *s, const float *z)
{
	double *x = xmalloc((size_t)s->d * sizeof *x), q = 0;
	int i, j;

	for (i = 0; i < s->d; i++)
		x[i] = z[i] - s->mean[i];
	for (i = 0; i < s->d; i++)
		for (j = 0; j < s->d; j++)
			q += x[i] * s->icov[i * s->d + j] * x[j];
	free(x);
	return sqrt(fmax(q, 0));
}

static double
norm_f(const float *z, int d)
{
	double s = 0;
	int i;

	for (i = 0; i < d; i++)
		s += (double)z[i] * z[i];
	return sqrt(s);
}

/* Mahalanobis distance of every table row into s->mahal: per block of centred
 * rows X, T = X icov (one GEMM), then q_r = T_r . X_r. */
static void
bank_mahal(const struct ls_bank *b, struct ls_bankstats *s)
{
	int d = s->d, i, j;
	double *x = xreallocarray(NULL, (size_t)STATS_BLOCK * (size_t)d, sizeof *x);
	double *t = xreallocarray(NULL, (size_t)STATS_BLOCK * (size_t)d, sizeof *t);
	long r;

	for (r = 0; r < s->nt; r += STATS_BLOCK) {
		int m = s->nt - r < STATS_BLOCK ? (int)(s->nt - r) : STATS_BLOCK;
		centred_block(b, s->mean, s->nt, r, m, x);
		ls_dgemm(m, d, d, 1.0, x, 0, s->icov, 0, 0.0, t);
		for (i = 0; i < m; i++) {
			double q = 0;
			for (j = 0; j < d; j++)
				q += t[(long)i * d + j] * x[(long)i * d + j];
			s->mahal[r + i] = sqrt(fmax(q, 0));
		}
	}
	free(x);
	free(t);
}

/* Mean of ns evenly spaced rows (table_row). */
static void
spaced_mean(const struct ls_bank *b, long ns, double *mean)
{
	int d = ls_bank_dim(b), j;
	long i;

	memset(mean, 0, (size_t)d * sizeof *mean);
	for (i = 0; i < ns; i++) {
		const float *z = ls_bank_row(b, table_row(ls_bank_rows(b), ns, i));
		for (j = 0; j < d; j++)
			mean[j] += z[j];
	}
	for (j = 0; j < d; j++)
		mean[j] /= (double)ns;
}

long
ls_bankstats_rows(const struct ls_bankstats *s)
{
	return s->ns;
}

struct ls_bankstats *
ls_bankstats_create(const struct ls_bank *b)
{
	struct ls_bankstats *s = xcalloc(1, sizeof *s);
	double *cov;
	long r;

	s->d = ls_bank_dim(b);
	s->n = ls_bank_rows(b);
	s->ns = s->n <= LS_STATS_ROWS ? s->n : LS_STATS_ROWS;
	s->mean = xmalloc((size_t)s->d * sizeof *s->mean);
	if (s->ns == s->n)
		ls_bank_mean(b, s->mean);
	else
		spaced_mean(b, s->ns, s->mean);
	cov = bank_cov(b, s->mean, s->ns);
	s->icov = sym_inverse(cov, s->d);
	free(cov);
	s->nt = s->n <= LS_KNN_REF ? s->n : LS_KNN_REF;
	s->mahal = xmalloc(((size_t)s->nt + 1) * sizeof *s->mahal);
	s->norms = xmalloc(((size_t)s->nt + 1) * sizeof *s->norms);
	bank_mahal(b, s);
	for (r = 0; r < s->nt; r++)
		s->norms[r] = norm_f(ls_bank_row(b, table_row(s->n, s->nt, r)), s->d);
	qsort(s->mahal, (size_t)s->nt, sizeof *s->mahal, cmp_d);
	qsort(s->norms, (size_t)s->nt, sizeof *s->norms, cmp_d);
	return s;
}

void
ls_bankstats_free(struct ls_bankstats *s)
{
	if (!s)
		return;
	free(s->mean);
	free(s->icov);
	free(s->mahal);
	free(s->norms);
	free(s);
}

double
ls_bankstats_mahalanobis(const struct ls_bankstats *s, const float *z)
{
	return mahal_d(s, z);
}

/* 100 * (number of sorted v <= x) / n. */
static double
pct(const double *v, long n, double x)
{
	long lo = 0, hi = n;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n ? 100.0 * lo / n : NAN;
}

double
ls_bankstats_mahal_pct(const struct ls_bankstats *s, double x)
{
	return pct(s->mahal, s->nt, x);
}

double
ls_bankstats_norm_pct(const struct ls_bankstats *s, double norm)
{
	return pct(s->norms, s->nt, norm);
}

double
ls_bankstats_mahal_quantile(const struct ls_bankstats *s, double q)
{
	long i;

	if (!s->nt)
		return NAN;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	i = (long)ceil(q * s->nt) - 1;
	return s->mahal[i < 0 ? 0 : i];
}

double
ls_round_trip_drift(struct ls_model *m, const float *z)
{
	int d, i;
	float *y, *z2;
	char err[LS_ERR_MAX];
	double s = 0;

	if (!m || !ls_model_encoder(m))
		return NAN;
	d = ls_model_dim(m);
	y = xmalloc((size_t)ls_model_out_dim(m) * sizeof *y);
	z2 = xmalloc((size_t)d * sizeof *z2);
	ls_model_decode(m, z, 1, y);
	if (ls_model_encode(m, y, 1, z2, err) != LS_OK)
		s = NAN;
	for (i = 0; i < d && !isnan(s); i++)
		s += ((double)z2[i] - z[i]) * ((double)z2[i] - z[i]);
	free(y);
	free(z2);
	return sqrt(s);
}

void
ls_offmanifold(struct ls_model *m, const struct ls_bankstats *s, const float *z,
	       struct ls_offmanifold *o)
{
	o->mahalanobis = ls_bankstats_mahalanobis(s, z);
	o->mahal_pct = ls_bankstats_mahal_pct(s, o->mahalanobis);
	o->norm = norm_f(z, s->d);
	o->norm_pct = ls_bankstats_norm_pct(s, o->norm);
	o->drift = ls_round_trip_drift(m, z);
}
