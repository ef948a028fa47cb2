/*
 * tpoly.c: tropical polynomials max_j (a_j.z + b_j) as monomial lists, their
 * products (Minkowski sums), maxima (unions) and the removal of redundant
 * monomials.
 *
 * Redundancy (see tropical.h): exact duplicates are merged; a monomial is
 * kept outright when it is the strict maximum, by more than the
 * tolerance, at one of a few seeded random points (a witness); every
 * other one gets a margin LP against the monomials still kept, solved
 * with lazily added rows (start with the monomials closest to it, add the
 * most violated ones until none is violated). Removal is sequential, so of
 * two near-equal monomials one stays.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "trop_priv.h"
#include "tpoly_impl.h"

#define LAZY_START 8   /* rows of the first margin LP */
#define LAZY_ADD 8     /* most violated rows added per round */
#define NWITNESS 192   /* random points tried for witnesses, at least */
#define WITNESS_PER 8  /* ... and this many per monomial, up to 20000 */

void
tp_init(struct ls_tpoly *p, int d)
{
	p->d = d;
	p->n = 0;
	p->c = NULL;
}

void
tp_push(struct ls_tpoly *p, const double *row)
{
	long r = p->d + 1;

	if ((p->n & (p->n - 1)) == 0)   /* grow at powers of two */
		p->c = xreallocarray(p->c, (size_t)(p->n ? 2 * p->n : 1) * r, sizeof *p->c);
	memcpy(p->c + p->n * r, row, (size_t)r * sizeof *p->c);
	p->n++;
}

void
ls_tpoly_free(struct ls_tpoly *p)
{
	if (!p)
		return;
	free(p->c);
	p->c = NULL;
	p->n = 0;
}

double
ls_tpoly_eval(const struct ls_tpoly *p, const double *z)
{
	double best = -HUGE_VAL;
	long j;
	int q, r = p->d + 1;

	for (j = 0; j < p->n; j++) {
		const double *c = p->c + j * r;
		double v = c[p->d];
		for (q = 0; q < p->d; q++)
			v += c[q] * z[q];
		best = v > best ? v : best;
	}
	return best;
}

void
tp_scale(struct ls_tpoly *p, double s)
{
	long k, n = p->n * (p->d + 1);

	for (k = 0; k < n; k++)
		p->c[k] *= s;
}

void
tp_mul(struct ls_tpoly *o, const struct ls_tpoly *p, const struct ls_tpoly *q)
{
	int r = p->d + 1, k;
	long i, j;
	double *row = xmalloc((size_t)r * sizeof *row);

	tp_init(o, p->d);
	for (i = 0; i < p->n; i++)
		for (j = 0; j < q->n; j++) {
			for (k = 0; k < r; k++)
				row[k] = p->c[i * r + k] + q->c[j * r + k];
			tp_push(o, row);
		}
	free(row);
}

void
tp_union(struct ls_tpoly *o, const struct ls_tpoly *p, const struct ls_tpoly *q)
{
	long i;

	tp_init(o, p->d);
	for (i = 0; i < p->n; i++)
		tp_push(o, p->c + i * (p->d + 1));
	for (i = 0; i < q->n; i++)
		tp_push(o, q->c + i * (q->d + 1));
}

void
tp_copy(struct ls_tpoly *o, const struct ls_tpoly *p)
{
	tp_init(o, p->d);
	o->n = p->n;
	o->c = xmalloc((size_t)(p->n ? p->n : 1) * (p->d + 1) * sizeof *o->c);
	memcpy(o->c, p->c, (size_t)p->n * (p->d + 1) * sizeof *o->c);
}

/* ---- redundancy ------------------------------------------------------ */

static int cmp_r;   /* row width for cmp_rows (qsort has no context) */

static int
cmp_rows(const void *a, const void *b)
{
	const double *x = a, *y = b;
	int k;

	for (k = 0; k < cmp_r; k++)
		if (x[k] != y[k])
			return x[k] < y[k] ? -1 : 1;
	return 0;
}

/* Sorts and merges exact duplicates. */
static void
dedupe(struct ls_tpoly *p)
{
	int r = p->d + 1;
	long i, n = 0;

	if (p->n < 2)
		return;
	cmp_r = r;
	qsort(p->c, (size_t)p->n, (size_t)r * sizeof *p->c, cmp_rows);
	for (i = 0; i < p->n; i++)
		if (!n || cmp_rows(p->c + (n - 1) * r, p->c + i * r))
			memmove(p->c + n++ * r, p->c + i * r, (size_t)r * sizeof *p->c);
	p->n = n;
}

/* The tolerance of p: LS_TROP_TOL (1 + max |b|). */
static double
tp_tol(const struct ls_tpoly *p)
{
	double m = 0;
	long j;

	for (j = 0; j < p->n; j++)
		m = fmax(m, fabs(p->c[j * (p->d + 1) + p->d]));
	return LS_TROP_TOL * (1 + m);
}

static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* Marks monomials that win strictly at a random point. */
static void
witnesses(const struct ls_tpoly *p, double tol, uint8_t *sure)
{
	int d = p->d, r = d + 1, q, k;
	uint64_t s = 0x2545f4914f6cdd1dULL;
	double *z = xmalloc((size_t)(d ? d : 1) * sizeof *z);
	long j, nw = p->n * WITNESS_PER;

	nw = nw < NWITNESS ? NWITNESS : nw > 20000 ? 20000 : nw;
	for (k = 0; k < nw; k++) {
		double sc = pow(10.0, (double)(k % 4) - 1), b1 = -HUGE_VAL, b2 = -HUGE_VAL;
		long arg = -1;
		for (q = 0; q < d; q++)
			z[q] = sc * ((double)(rng_next(&s) >> 11) / 4503599627370496.0 - 1);
		for (j = 0; j < p->n; j++) {
			const double *c = p->c + j * r;
			double v = c[d];
			for (q = 0; q < d; q++)
				v += c[q] * z[q];
			if (v > b1)
				b2 = b1, b1 = v, arg = j;
			else if (v > b2)
				b2 = v;
		}
		if (arg >= 0 && b1 - b2 > tol)
			sure[arg] = 1;
	}
	free(z);
}

/* Value of (m_j - m_i)(z). */
static double
mdiff(const struct ls_tpoly *p, long j, long i, const double *z)
{
	const double *a = p->c + j * (p->d + 1), *b = p->c + i * (p->d + 1);
	double v = a[p->d] - b[p->d];

	for (int q = 0; q < p->d; q++)
		v += (a[q] - b[q]) * z[q];
	return v;
}

/* Margin LP of j over the rows in set (ns of them): max t. */
static double
margin_lp(const struct ls_tpoly *p, long j, const long *set, int ns, double *zt)
{
	int d = p->d, n = d + 1, k, q;
	double *A = xmalloc((size_t)(ns ? ns : 1) * n * sizeof *A), *lo = xmalloc((size_t)(ns + 1) * sizeof *lo);
	double *hi = xmalloc((size_t)(ns + 1) * sizeof *hi), *c = xcalloc((size_t)n, sizeof *c);
	double *xlo = xmalloc((size_t)n * sizeof *xlo), *xhi = xmalloc((size_t)n * sizeof *xhi), obj = -HUGE_VAL;
	const double *aj = p->c + j * n;
	struct lp L = { n, ns, A, lo, hi, c, xlo, xhi };

	for (k = 0; k < ns; k++) {
		const double *ai = p->c + set[k] * n;
		for (q = 0; q < d; q++)
			A[(long)k * n + q] = aj[q] - ai[q];
		A[(long)k * n + d] = -1;
		lo[k] = ai[d] - aj[d], hi[k] = HUGE_VAL;
	}
	for (q = 0; q < n; q++)
		xlo[q] = -HUGE_VAL, xhi[q] = HUGE_VAL;
	xhi[d] = 1;
	c[d] = 1;
	if (lp_solve(&L, zt, &obj) != 0)
		obj = -HUGE_VAL;
	free(A), free(lo), free(hi), free(c), free(xlo), free(xhi);
	return obj;
}

/* Distance-like key of monomial i to j, for the first rows. */
static double
closeness(const struct ls_tpoly *p, long j, long i)
{
	const double *a = p->c + j * (p->d + 1), *b = p->c + i * (p->d + 1);
	double s = 0;

	for (int q = 0; q <= p->d; q++)
		s += fabs(a[q] - b[q]);
	return s;
}

/* Starts set with the LAZY_START alive monomials closest to j. */
static int
lazy_start(const struct ls_tpoly *p, long j, const uint8_t *alive, long *set)
{
	double key[LAZY_START];
	int ns = 0, k;
	long i;

	for (i = 0; i < p->n; i++) {
		double v;
		if (i == j || !alive[i])
			continue;
		v = closeness(p, j, i);
		if (ns == LAZY_START && v >= key[ns - 1])
			continue;
		k = ns < LAZY_START ? ns++ : ns - 1;
		for (; k > 0 && key[k - 1] > v; k--)
			key[k] = key[k - 1], set[k] = set[k - 1];
		key[k] = v, set[k] = i;
	}
	return ns;
}

/* Adds the LAZY_ADD most violated alive rows at (z, t) not yet in set
 * (inset marks them) to set; returns how many. One pass. */
static int
lazy_add(const struct ls_tpoly *p, long j, const uint8_t *alive, uint8_t *inset, const double *zt,
	 double slack, long *set, int *ns)
{
	double key[LAZY_ADD];
	long arg[LAZY_ADD], i;
	int nk = 0, k;

	for (i = 0; i < p->n; i++) {
		double v;
		if (i == j || !alive[i] || inset[i])
			continue;
		v = mdiff(p, j, i, zt) - zt[p->d];
		if (v >= -slack || (nk == LAZY_ADD && v >= key[nk - 1]))
			continue;
		k = nk < LAZY_ADD ? nk++ : nk - 1;
		for (; k > 0 && key[k - 1] > v; k--)
			key[k] = key[k - 1], arg[k] = arg[k - 1];
		key[k] = v, arg[k] = i;
	}
	for (k = 0; k < nk; k++)
		set[(*ns)++] = arg[k], inset[arg[k]] = 1;
	return nk;
}

/* Margin of j against the alive monomials, by lazily added rows. */
static double
margin_alive(const struct ls_tpoly *p, long j, const uint8_t *alive, double tol, double *z)
{
	long *set = xmalloc((size_t)(p->n + LAZY_ADD + 1) * sizeof *set);
	uint8_t *inset = xcalloc((size_t)p->n + 1, 1);
	double *zt = xmalloc((size_t)(p->d + 1) * sizeof *zt), t;
	int ns = lazy_start(p, j, alive, set), k;

	for (k = 0; k < ns; k++)
		inset[set[k]] = 1;
	for (;;) {
		t = margin_lp(p, j, set, ns, zt);
		if (t <= tol || !lazy_add(p, j, alive, inset, zt, tol * 1e-3, set, &ns))
			break;
	}
	if (z)
		memcpy(z, zt, (size_t)p->d * sizeof *z);
	free(set);
	free(inset);
	free(zt);
	return t;
}

double
ls_tpoly_margin(const struct ls_tpoly *p, long j, double *z)
{
	uint8_t *alive = xmalloc((size_t)p->n + 1);
	double t;

	memset(alive, 1, (size_t)p->n + 1);
	t = margin_alive(p, j, alive, -HUGE_VAL, z);
	free(alive);
	return t;
}

long
ls_tpoly_prune(struct ls_tpoly *p)
{
	long n0 = p->n, j, n = 0;
	double tol;
	uint8_t *sure, *alive;
	int r = p->d + 1;

	dedupe(p);
	if (p->n < 2)
		return n0 - p->n;
	tol = tp_tol(p);
	sure = xcalloc((size_t)p->n, 1);
	alive = xmalloc((size_t)p->n);
	memset(alive, 1, (size_t)p->n);
	witnesses(p, tol, sure);
	for (j = 0; j < p->n; j++)
		if (!sure[j] && margin_alive(p, j, alive, tol, NULL) <= tol)
			alive[j] = 0;
	for (j = 0; j < p->n; j++)
		if (alive[j])
			memmove(p->c + n++ * r, p->c + j * r, (size_t)r * sizeof *p->c);
	p->n = n;
	free(sure);
	free(alive);
	return n0 - n;
}
