/*
 * where.c: how far a latent is from the data. k-nearest-neighbour distance
 * to the bank and its percentile among the bank's own k-NN distances
 * (struct ls_knn), and all the gauges at once (ls_where_at()).
 *
 * The reference set is the whole bank when it has at most ref_max rows,
 * else a seeded sample of ref_max distinct rows (kept in bank order): every
 * distance, a query's and the bank's own, is to the k nearest reference
 * rows, so memory and time are bounded by ref_max whatever the bank's size.
 * Invariants: x holds the reference rows in double (nr, d) and sq their
 * squared norms, so a query is one GEMV: |x_i - z|^2 = sq_i + |z|^2 -
 * 2 x_i.z. Those expanded distances only pick the k nearest; the chosen k
 * are recomputed directly (no cancellation), so the bank's own distances
 * and a query's are computed by the same arithmetic. own (ns) holds the
 * sorted k-NN mean distances of a seeded sample of ns reference rows, each
 * against the reference set without itself (all of them when nr <= the
 * sample size). The build runs in steps (ls_knn_step()): copy the reference
 * rows, then one GEMM per KNN_CHUNK sample rows, then the sort; scratch is
 * KNN_CHUNK x nr doubles.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "base/util.h"

#define KNN_CHUNK 64    /* sample rows per GEMM (a step of ~10 ms) */
#define KNN_COPY 4096   /* reference rows copied per step */

struct ls_knn {
	const struct ls_bank *bank;
	int d, k;
	long n, nr, ns;
	long *ref;      /* (nr) bank row of each reference row, ascending; NULL: all */
	double *x;      /* (nr, d) */
	double *sq;     /* (nr) */
	double *own;    /* (ns) sorted once ready */
	double *dot;    /* (nr) query scratch */
	long *best;     /* (k) scratch */
	double *bd;     /* (k) scratch */
	/* the build */
	long *ix;       /* (nr) sample order: the first ns are the own sample */
	double *a, *g;  /* (KNN_CHUNK, d), (KNN_CHUNK, nr) GEMM scratch */
	long copied, done;
	int ready;
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

	for (i = 0; i < kn->nr; i++)
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

static int
cmp_l(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Own k-NN distances of sample rows c0 .. c0 + c - 1: one GEMM. */
static void
own_chunk(struct ls_knn *kn, long c0, long c)
{
	const long *ix = kn->ix;
	long r;

	for (r = 0; r < c; r++)
		memcpy(kn->a + r * kn->d, kn->x + ix[c0 + r] * kn->d, (size_t)kn->d * sizeof *kn->a);
	ls_dgemm((int)c, (int)kn->nr, kn->d, 1.0, kn->a, 0, kn->x, 1, 0.0, kn->g);
	for (r = 0; r < c; r++) {
		double *e = kn->g + r * kn->nr;
		expand(kn, e, kn->sq[ix[c0 + r]], e);
		k_smallest(e, kn->nr, ix[c0 + r], kn->k, kn->best, kn->bd);
		kn->own[c0 + r] = mean_exact(kn, kn->a + r * kn->d, kn->best);
	}
}

/* Copies reference rows copied .. copied + c - 1 into x and sq. */
static void
copy_rows(struct ls_knn *kn, long c)
{
	long i, e = kn->copied + c;
	int q, d = kn->d;

	for (i = kn->copied; i < e; i++) {
		const float *z = ls_bank_row(kn->bank, kn->ref ? kn->ref[i] : i);
		double s = 0;
		for (q = 0; q < d; q++) {
			kn->x[i * d + q] = z[q];
			s += kn->x[i * d + q] * kn->x[i * d + q];
		}
		kn->sq[i] = s;
	}
	kn->copied = e;
}

/* One unit of the build: a block of rows copied, a GEMM chunk, or the sort. */
static void
build_unit(struct ls_knn *kn)
{
	long c;

	if (kn->copied < kn->nr) {
		c = kn->nr - kn->copied < KNN_COPY ? kn->nr - kn->copied : KNN_COPY;
		copy_rows(kn, c);
	} else if (kn->done < kn->ns) {
		c = kn->ns - kn->done < KNN_CHUNK ? kn->ns - kn->done : KNN_CHUNK;
		own_chunk(kn, kn->done, c);
		kn->done += c;
	} else {
		qsort(kn->own, (size_t)kn->ns, sizeof *kn->own, cmp_d);
		free(kn->a), free(kn->g), free(kn->ix);
		kn->a = kn->g = NULL, kn->ix = NULL;
		kn->ready = 1;
	}
}

double
ls_knn_step(struct ls_knn *kn, double seconds)
{
	double t0 = ls_now();

	while (!kn->ready) {
		build_unit(kn);
		if (seconds >= 0 && ls_now() - t0 >= seconds)
			break;
	}
	return ls_knn_progress(kn);
}

double
ls_knn_progress(const struct ls_knn *kn)
{
	/* copying a row costs about as much as d flops; a sample row 2 nr d */
	double copy = (double)kn->nr, work = copy + 2.0 * (double)kn->ns * (double)kn->nr;

	if (kn->ready)
		return 1;
	return 0.99 * ((double)kn->copied + 2.0 * (double)kn->done * (double)kn->nr) / work;
}

int
ls_knn_ready(const struct ls_knn *kn)
{
	return kn->ready;
}

/* The reference rows: all (NULL) or ref_max sampled, ascending. */
static long *
ref_rows(long n, long ref_max, uint64_t seed)
{
	long *ix;

	if (ref_max <= 0 || n <= ref_max)
		return NULL;
	ix = sample_rows(n, ref_max, seed ^ 0x5EEDF00DULL);
	ix = xreallocarray(ix, (size_t)ref_max, sizeof *ix);
	qsort(ix, (size_t)ref_max, sizeof *ix, cmp_l);
	return ix;
}

enum ls_status
ls_knn_begin(const struct ls_bank *b, int k, long sample, long ref_max, uint64_t seed,
	     struct ls_knn **out, char *err)
{
	struct ls_knn *kn;
	long n = ls_bank_rows(b);

	*out = NULL;
	if (k < 1 || k > n - 1 || (ref_max > 0 && k > ref_max - 1))
		return ls_err(err, LS_EINVAL, "%s: k = %d nearest neighbours needs 1 <= k <= %ld (rows - 1)",
			      ls_bank_path(b), k, (ref_max > 0 && ref_max < n ? ref_max : n) - 1);
	kn = xcalloc(1, sizeof *kn);
	kn->bank = b, kn->d = ls_bank_dim(b), kn->k = k, kn->n = n;
	kn->ref = ref_rows(n, ref_max, seed);
	kn->nr = kn->ref ? ref_max : n;
	kn->ns = sample > 0 && sample < kn->nr ? sample : kn->nr;
	kn->x = xreallocarray(NULL, (size_t)kn->nr * (size_t)kn->d, sizeof *kn->x);
	kn->sq = xcalloc((size_t)kn->nr, sizeof *kn->sq);
	kn->own = xmalloc((size_t)kn->ns * sizeof *kn->own);
	kn->dot = xmalloc((size_t)kn->nr * sizeof *kn->dot);
	kn->best = xmalloc((size_t)k * sizeof *kn->best);
	kn->bd = xmalloc((size_t)k * sizeof *kn->bd);
	kn->ix = sample_rows(kn->nr, kn->ns, seed);
	kn->a = xmalloc((size_t)KNN_CHUNK * kn->d * sizeof *kn->a);
	kn->g = xreallocarray(NULL, (size_t)KNN_CHUNK * (size_t)kn->nr, sizeof *kn->g);
	*out = kn;
	return LS_OK;
}

enum ls_status
ls_knn_create(const struct ls_bank *b, int k, long sample, uint64_t seed, struct ls_knn **out,
	      char *err)
{
	enum ls_status s = ls_knn_begin(b, k, sample, LS_KNN_REF, seed, out, err);

	if (s == LS_OK)
		ls_knn_step(*out, -1);
	return s;
}

void
ls_knn_free(struct ls_knn *kn)
{
	if (!kn)
		return;
	free(kn->x), free(kn->sq), free(kn->own), free(kn->dot), free(kn->best), free(kn->bd);
	free(kn->ref), free(kn->ix), free(kn->a), free(kn->g);
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

long
ls_knn_ref(const struct ls_knn *kn)
{
	return kn->nr;
}

/* The reference position of bank row i, or -1 if it is not one. */
static long
ref_pos(const struct ls_knn *kn, long i)
{
	long lo = 0, hi = kn->nr;

	if (!kn->ref)
		return i >= 0 && i < kn->n ? i : -1;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (kn->ref[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < kn->nr && kn->ref[lo] == i ? lo : -1;
}

double
ls_knn_dist(struct ls_knn *kn, const float *z, long skip)
{
	double *zd, zz = 0, r;
	int q;

	if (!kn->copied || kn->copied < kn->nr)
		return NAN;
	zd = xmalloc((size_t)kn->d * sizeof *zd);
	for (q = 0; q < kn->d; q++) {
		zd[q] = z[q];
		zz += zd[q] * zd[q];
	}
	ls_dgemv(0, (int)kn->nr, kn->d, 1.0, kn->x, zd, 0.0, kn->dot);
	expand(kn, kn->dot, zz, kn->dot);
	k_smallest(kn->dot, kn->nr, ref_pos(kn, skip), kn->k, kn->best, kn->bd);
	r = mean_exact(kn, zd, kn->best);
	free(zd);
	return r;
}

double
ls_knn_pct(const struct ls_knn *kn, double dist)
{
	long lo = 0, hi = kn->ns;

	if (!kn->ready || isnan(dist))
		return NAN;
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

	if (!kn->ready)
		return NAN;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	i = (long)ceil(q * (double)kn->ns) - 1;
	return kn->own[i < 0 ? 0 : i];
}

void
ls_where_at(struct ls_model *m, const struct ls_bankstats *s, struct ls_knn *kn,
	    const float *z, long skip, struct ls_where *w)
{
	ls_offmanifold(m, s, z, &w->off);
	w->knn = kn && kn->ready ? ls_knn_dist(kn, z, skip) : NAN;
	w->knn_pct = kn && kn->ready ? ls_knn_pct(kn, w->knn) : NAN;
}
