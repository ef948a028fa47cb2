/*
 * where.c: how far a latent is from the data. k-nearest-neighbour distance
 * to the bank and its percentile among the bank's own k-NN distances
 * (struct ls_knn), and all the gauges at once (ls_where_at()).
 *
 * Invariants: x holds the bank in double (n, d) and sq its squared row
 * norms, so a query is one GEMV: |x_i - z|^2 = sq_i + |z|^2 - 2 x_i.z.
 * Those expanded distances only pick the k nearest; the chosen k are
 * recomputed directly (no cancellation), so the bank's own distances and a
 * query's are computed by the same arithmetic. own (ns) holds the sorted
 * k-NN mean distances of a seeded sample of ns bank rows, each against the
 * whole bank without itself (all rows when n <= the sample size).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "base/util.h"

#define KNN_CHUNK 128   /* sample rows per GEMM */

struct ls_knn {
	const struct ls_bank *bank;
	int d, k;
	long n, ns;
	double *x;      /* (n, d) */
	double *sq;     /* (n) */
	double *own;    /* (ns) sorted */
	double *dot;    /* (n) query scratch */
	long *best;     /* (k) scratch */
	double *bd;     /* (k) scratch */
};

/* Keeps the k smallest of e (n) other than index skip: indices in best,
 * values in bd, ascending. */
static void
k_smallest(const double *e, long n, long skip, int k, long *best, double *bd)
{
	int m = 0, j;
	long i;

	for (i = 0; i < n; i++) {
		if (i == skip || (m == k && e[i] >= bd[k - 1]))
			continue;
		j = m < k ? m++ : k - 1;
		for (; j > 0 && bd[j - 1] > e[i]; j--)
			bd[j] = bd[j - 1], best[j] = best[j - 1];
		bd[j] = e[i], best[j] = i;
	}
}

/* Mean of the exact distances from z (d, double) to the rows in best. */
static double
mean_exact(const struct ls_knn *kn, const double *z, const long *best)
{
	double s = 0;
	int j, q;

	for (j = 0; j < kn->k; j++) {
		const double *xi = kn->x + best[j] * kn->d;
		double e = 0;
		for (q = 0; q < kn->d; q++)
			e += (xi[q] - z[q]) * (xi[q] - z[q]);
		s += sqrt(e);
	}
	return s / kn->k;
}

/* Squared expanded distances e (n) from dots (n) and |z|^2. */
static void
expand(const struct ls_knn *kn, const double *dot, double zz, double *e)
{
	long i;

	for (i = 0; i < kn->n; i++)
		e[i] = kn->sq[i] + zz - 2 * dot[i];
}

/* A seeded sample of ns distinct row indices (partial Fisher-Yates). */
static long *
sample_rows(long n, long ns, uint64_t seed)
{
	long *ix = xmalloc((size_t)n * sizeof *ix), i;
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;

	for (i = 0; i < n; i++)
		ix[i] = i;
	for (i = 0; i < ns && ns < n; i++) {
		long j, t;
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		j = i + (long)(s % (uint64_t)(n - i));
		t = ix[i], ix[i] = ix[j], ix[j] = t;
	}
	return ix;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The bank's own k-NN mean distances over the sample, GEMM by chunk. */
static void
own_distances(struct ls_knn *kn, const long *ix)
{
	double *a = xmalloc((size_t)KNN_CHUNK * kn->d * sizeof *a);
	double *g = xmalloc((size_t)KNN_CHUNK * kn->n * sizeof *g);
	long c0, c, r;

	for (c0 = 0; c0 < kn->ns; c0 += KNN_CHUNK) {
		c = kn->ns - c0 < KNN_CHUNK ? kn->ns - c0 : KNN_CHUNK;
		for (r = 0; r < c; r++)
			memcpy(a + r * kn->d, kn->x + ix[c0 + r] * kn->d, (size_t)kn->d * sizeof *a);
		ls_dgemm((int)c, (int)kn->n, kn->d, 1.0, a, 0, kn->x, 1, 0.0, g);
		for (r = 0; r < c; r++) {
			double *e = g + r * kn->n;
			expand(kn, e, kn->sq[ix[c0 + r]], e);
			k_smallest(e, kn->n, ix[c0 + r], kn->k, kn->best, kn->bd);
			kn->own[c0 + r] = mean_exact(kn, a + r * kn->d, kn->best);
		}
	}
	qsort(kn->own, (size_t)kn->ns, sizeof *kn->own, cmp_d);
	free(a);
	free(g);
}

enum ls_status
ls_knn_create(const struct ls_bank *b, int k, long sample, uint64_t seed, struct ls_knn **out,
	      char *err)
{
	struct ls_knn *kn;
	long n = ls_bank_rows(b), i;
	int d = ls_bank_dim(b), q;
	long *ix;

	*out = NULL;
	if (k < 1 || k > n - 1)
		return ls_err(err, LS_EINVAL, "%s: k = %d nearest neighbours needs 1 <= k <= %ld (rows - 1)",
			      ls_bank_path(b), k, n - 1);
	kn = xcalloc(1, sizeof *kn);
	kn->bank = b, kn->d = d, kn->k = k, kn->n = n;
	kn->ns = sample > 0 && sample < n ? sample : n;
	kn->x = xmalloc((size_t)n * d * sizeof *kn->x);
	kn->sq = xcalloc((size_t)n, sizeof *kn->sq);
	for (i = 0; i < n; i++)
		for (q = 0; q < d; q++) {
			kn->x[i * d + q] = ls_bank_row(b, i)[q];
			kn->sq[i] += kn->x[i * d + q] * kn->x[i * d + q];
		}
	kn->own = xmalloc((size_t)kn->ns * sizeof *kn->own);
	kn->dot = xmalloc((size_t)n * sizeof *kn->dot);
	kn->best = xmalloc((size_t)k * sizeof *kn->best);
	kn->bd = xmalloc((size_t)k * sizeof *kn->bd);
	ix = sample_rows(n, kn->ns, seed);
	own_distances(kn, ix);
	free(ix);
	*out = kn;
	return LS_OK;
}

void
ls_knn_free(struct ls_knn *kn)
{
	if (!kn)
		return;
	free(kn->x), free(kn->sq), free(kn->own), free(kn->dot), free(kn->best), free(kn->bd);
	free(kn);
}

int
ls_knn_k(const struct ls_knn *kn)
{
	return kn->k;
}

long
ls_knn_sample(const struct ls_knn *kn)
{
	return kn->ns;
}

double
ls_knn_dist(struct ls_knn *kn, const float *z, long skip)
{
	double *zd = xmalloc((size_t)kn->d * sizeof *zd), zz = 0, r;
	int q;

	for (q = 0; q < kn->d; q++) {
		zd[q] = z[q];
		zz += zd[q] * zd[q];
	}
	ls_dgemv(0, (int)kn->n, kn->d, 1.0, kn->x, zd, 0.0, kn->dot);
	expand(kn, kn->dot, zz, kn->dot);
	k_smallest(kn->dot, kn->n, skip, kn->k, kn->best, kn->bd);
	r = mean_exact(kn, zd, kn->best);
	free(zd);
	return r;
}

double
ls_knn_pct(const struct ls_knn *kn, double dist)
{
	long lo = 0, hi = kn->ns;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (kn->own[mid] <= dist)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 100.0 * (double)lo / (double)kn->ns;
}

double
ls_knn_quantile(const struct ls_knn *kn, double q)
{
	long i;

	q = q < 0 ? 0 : q > 1 ? 1 : q;
	i = (long)ceil(q * (double)kn->ns) - 1;
	return kn->own[i < 0 ? 0 : i];
}

void
ls_where_at(struct ls_model *m, const struct ls_bankstats *s, struct ls_knn *kn,
	    const float *z, long skip, struct ls_where *w)
{
	ls_offmanifold(m, s, z, &w->off);
	w->knn = ls_knn_dist(kn, z, skip);
	w->knn_pct = ls_knn_pct(kn, w->knn);
}
