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
#include "linscope/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "linscope/util.h"
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

/* g(z + h u + k v) in double into y (v may be NULL). */
static void
g_at(struct ls_net *net, const float *z, const float *u, double h, const float *v, double k,
     double *y)
{
	double *x = xmalloc((size_t)net->in * sizeof *x);
	int i;

	for (i = 0; i < net->in; i++)
		x[i] = (double)z[i] + h * u[i] + (v ? k * v[i] : 0);
	lin_forward(net, x, NULL, 0, y, NULL);
	free(x);
}

static double
ratio(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

/* |D - L|^2 / |D|^2 turned into a share clipped to [0, 1]. */
static double
share(const double *g0, const double *g1, const double *jl, int n)
{
	double dd = 0, rr = 0, s;
	int i;

	for (i = 0; i < n; i++) {
		double d = g1[i] - g0[i];
		dd += d * d;
		rr += (d - jl[i]) * (d - jl[i]);
	}
	if (!(dd > 0))
		return NAN;
	s = 1 - rr / dd;
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

void
ls_linearity_at(struct ls_net *net, const float *z, const float *u, double h,
		const float *v, double k, struct ls_linearity *out)
{
	int n = net->out, i;
	double *b = xmalloc(6 * (size_t)n * sizeof *b);
	double *g0 = b, *g1 = b + n, *g2 = b + 2 * n, *gv = b + 3 * n, *guv = b + 4 * n, *jl = b + 5 * n;
	double e = 0, d1 = 0;

	g_at(net, z, u, 0, NULL, 0, g0);
	g_at(net, z, u, h, NULL, 0, g1);
	g_at(net, z, u, 2 * h, NULL, 0, g2);
	for (i = 0; i < n; i++) {
		double r = g2[i] - g0[i] - 2 * (g1[i] - g0[i]);
		e += r * r;
	}
	d1 = dist(g1, g0, n);
	out->homogeneity = ratio(sqrt(e), 2 * d1);
	out->additivity = NAN;
	if (v) {
		g_at(net, z, v, k, NULL, 0, gv);
		g_at(net, z, u, h, v, k, guv);
		for (e = 0, i = 0; i < n; i++) {
			double r = guv[i] - g1[i] - gv[i] + g0[i];
			e += r * r;
		}
		out->additivity = ratio(sqrt(e), d1 + dist(gv, g0, n));
	}
	ls_jvp(net, z, u, jl);
	for (i = 0; i < n; i++)
		jl[i] *= h;
	out->first_order = share(g0, g1, jl, n);
	free(b);
}

/* ---- bank statistics ----------------------------------------------------- */

struct ls_bankstats {
	int d;
	long n;
	double *mean;    /* (d) */
	double *icov;    /* (d, d) inverse covariance */
	double *mahal;   /* (n) sorted */
	double *norms;   /* (n) sorted */
};

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Covariance of the bank (d, d), double accumulation. */
static double *
bank_cov(const struct ls_bank *b, const double *mean)
{
	int d = ls_bank_dim(b), i, j;
	long n = ls_bank_rows(b), r;
	double *c = xcalloc((size_t)d * d, sizeof *c), *x = xmalloc((size_t)d * sizeof *x);

	for (r = 0; r < n; r++) {
		const float *z = ls_bank_row(b, r);
		for (i = 0; i < d; i++)
			x[i] = z[i] - mean[i];
		for (i = 0; i < d; i++)
			for (j = 0; j <= i; j++)
				c[i * d + j] += x[i] * x[j];
	}
	for (i = 0; i < d; i++)
		for (j = 0; j <= i; j++)
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

struct ls_bankstats *
ls_bankstats_create(const struct ls_bank *b)
{
	struct ls_bankstats *s = xcalloc(1, sizeof *s);
	double *cov;
	long r;

	s->d = ls_bank_dim(b);
	s->n = ls_bank_rows(b);
	s->mean = xmalloc((size_t)s->d * sizeof *s->mean);
	ls_bank_mean(b, s->mean);
	cov = bank_cov(b, s->mean);
	s->icov = sym_inverse(cov, s->d);
	free(cov);
	s->mahal = xmalloc(((size_t)s->n + 1) * sizeof *s->mahal);
	s->norms = xmalloc(((size_t)s->n + 1) * sizeof *s->norms);
	for (r = 0; r < s->n; r++) {
		s->mahal[r] = mahal_d(s, ls_bank_row(b, r));
		s->norms[r] = norm_f(ls_bank_row(b, r), s->d);
	}
	qsort(s->mahal, (size_t)s->n, sizeof *s->mahal, cmp_d);
	qsort(s->norms, (size_t)s->n, sizeof *s->norms, cmp_d);
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
	return pct(s->mahal, s->n, x);
}

double
ls_bankstats_norm_pct(const struct ls_bankstats *s, double norm)
{
	return pct(s->norms, s->n, norm);
}

double
ls_bankstats_mahal_quantile(const struct ls_bankstats *s, double q)
{
	long i;

	if (!s->n)
		return NAN;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	i = (long)ceil(q * s->n) - 1;
	return s->mahal[i < 0 ? 0 : i];
}

double
ls_round_trip_drift(struct ls_model *m, const float *z)
{
	int d = ls_model_dim(m), i;
	float *y, *z2;
	char err[LS_ERR_MAX];
	double s = 0;

	if (!ls_model_encoder(m))
		return NAN;
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
