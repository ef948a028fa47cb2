/*
 * regions_all.c: every full-dimensional activation region of an MLP's whole
 * input space (or of a box), by a breadth-first traversal.
 *
 * A region is {z : s_u (a_u.z + c_u) >= 0 for every unit u}, s_u = +1 for
 * an on unit, -1 for an off one, a_u.z + c_u the unit's pre-activation
 * under the region's pattern (mlp_forms()). Rows are normalised to unit
 * gradient, so values are distances. Facets come from Clarkson's
 * algorithm: a row is tested by one small LP over the facets found so far
 * (or, first, by the bounding box of those facets); a row that the LP
 * finds violated yields a new facet by shooting a ray from an interior
 * point. A neighbour is the region of the point one tiny step across the
 * centre of a facet. Invariants: every stored region has a distinct
 * pattern and an interior point; regions are appended in BFS order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "trop_priv.h"

#define RA_K 8              /* random projections of the output map */
#define RA_MAP_TOL 1e-9     /* relative: equal maps */
#define DEFAULT_MAX 1000000L

struct ls_rall {
	const struct ls_mlp *m;
	struct ls_mlp *pm;      /* m with its last layer projected to RA_K
				   outputs (NULL when that layer has an
				   activation): the traversal's network */
	const struct ls_mlp *t; /* pm or m */
	int d, nbytes, nrows;   /* rows: units, then 2d box rows */
	double *box;            /* (d, 2) or NULL */
	long n, cap;
	uint8_t *bits;          /* (cap, nbytes) */
	double *pt;             /* (cap, d) interior points */
	uint8_t *bounded;       /* (cap) */
	double *proj;           /* (cap, (d + 1) * RA_K) */
	long *fstart;           /* (cap + 1) into fac */
	int *fac;
	long nfac, capfac;
	long *ht, htcap;        /* pattern -> index + 1 */
	long *pairs, npairs, cappairs;
	long *lin, nlinear, nunb;
	double *R;              /* (out, RA_K) */
	double seconds;
	char *err;
};

/* Scratch of one region's computation. */
struct rwork {
	double *rows;    /* (nrows, d + 1) normalised, a then c */
	int *live;       /* (nrows) 1: row used (non-constant) */
	double *v;       /* (nrows) values at x0 */
	int *S, ns;      /* facets found */
	double *x0;
	double *blo, *bhi;   /* bounding box of the facets' polyhedron */
};

static uint64_t
ra_hash(const uint8_t *b, int n)
{
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* Index of pattern b, or -1. With insert: slot for it in *slot. */
static long
ht_find(const struct ls_rall *r, const uint8_t *b, long *slot)
{
	long i = (long)(ra_hash(b, r->nbytes) & (uint64_t)(r->htcap - 1));

	while (r->ht[i]) {
		long k = r->ht[i] - 1;
		if (!memcmp(r->bits + k * r->nbytes, b, (size_t)r->nbytes))
			return k;
		i = (i + 1) & (r->htcap - 1);
	}
	*slot = i;
	return -1;
}

static void
ht_grow(struct ls_rall *r)
{
	long k, slot;

	free(r->ht);
	r->htcap *= 2;
	r->ht = xcalloc((size_t)r->htcap, sizeof *r->ht);
	for (k = 0; k < r->n; k++) {
		ht_find(r, r->bits + k * r->nbytes, &slot);
		r->ht[slot] = k + 1;
	}
}

/* Grows the per-region arrays to hold one more. */
static void
ra_reserve(struct ls_rall *r)
{
	size_t c;

	if (r->n < r->cap)
		return;
	r->cap = r->cap ? 2 * r->cap : 64;
	c = (size_t)r->cap;
	r->bits = xreallocarray(r->bits, c, (size_t)r->nbytes);
	r->pt = xreallocarray(r->pt, c * (size_t)r->d, sizeof *r->pt);
	r->bounded = xreallocarray(r->bounded, c, 1);
	r->proj = xreallocarray(r->proj, c * (size_t)(r->d + 1) * RA_K, sizeof *r->proj);
	r->fstart = xreallocarray(r->fstart, c + 1, sizeof *r->fstart);
}

/* Adds pattern b with point x; returns its index, -1 past the budget. */
static long
ra_add(struct ls_rall *r, const uint8_t *b, const double *x, long max)
{
	long slot, k = ht_find(r, b, &slot);

	if (k >= 0)
		return k;
	if (r->n >= max)
		return -1;
	ra_reserve(r);
	k = r->n++;
	memcpy(r->bits + k * r->nbytes, b, (size_t)r->nbytes);
	memcpy(r->pt + k * r->d, x, (size_t)r->d * sizeof *x);
	r->ht[slot] = k + 1;
	if (2 * r->n > r->htcap)
		ht_grow(r);
	return k;
}

/* ---- one region's rows and facets -------------------------------------- */

static double
row_val(const double *row, const double *x, int d)
{
	double v = row[d];

	for (int q = 0; q < d; q++)
		v += row[q] * x[q];
	return v;
}

/* The signed, normalised rows of region i (units, then the box). */
static void
region_rows(const struct ls_rall *r, long i, struct rwork *w)
{
	const uint8_t *b = r->bits + i * r->nbytes;
	int d = r->d, n = d + 1, u, q, U = r->m->units;

	mlp_forms(r->t, b, w->rows, NULL);
	for (u = 0; u < U; u++) {
		double *row = w->rows + (long)u * n, s = bit_get(b, u) ? 1 : -1, nrm = 0;
		for (q = 0; q < d; q++)
			nrm += row[q] * row[q];
		nrm = sqrt(nrm);
		w->live[u] = nrm > 1e-12;
		for (q = 0; q < n; q++)
			row[q] = w->live[u] ? s * row[q] / nrm : 0;
	}
	for (q = 0; r->box && q < 2 * d; q++) {
		double *row = w->rows + (long)(U + q) * n;
		memset(row, 0, (size_t)n * sizeof *row);
		row[q / 2] = q % 2 ? -1 : 1;
		row[d] = q % 2 ? r->box[q] : -r->box[q];
		w->live[U + q] = 1;
	}
}

/* Fills A, lo with the rows of S (a.z >= -c). */
static void
s_rows(const struct rwork *w, int d, double *A, double *lo, double *hi)
{
	for (int k = 0; k < w->ns; k++) {
		const double *row = w->rows + (long)w->S[k] * (d + 1);
		memcpy(A + (long)k * (d + 1), row, (size_t)d * sizeof *A);
		A[(long)k * (d + 1) + d] = 0;
		lo[k] = -row[d], hi[k] = HUGE_VAL;
	}
}

/* An LP over the facet rows plus up to one extra row (a, lo, hi) and an
 * extra column t (coefficient -1 in the facet rows when use_t). */
struct slp {
	int d, use_t;
	double *A, *lo, *hi, *c, *xlo, *xhi, *x;
};

static void
slp_init(struct slp *L, const struct rwork *w, int d, int use_t)
{
	int n = d + 1, m = w->ns + 1, q, k;

	L->d = d, L->use_t = use_t;
	L->A = xcalloc((size_t)m * n, sizeof *L->A);
	L->lo = xmalloc((size_t)m * sizeof *L->lo);
	L->hi = xmalloc((size_t)m * sizeof *L->hi);
	L->c = xcalloc((size_t)n, sizeof *L->c);
	L->xlo = xmalloc((size_t)n * sizeof *L->xlo);
	L->xhi = xmalloc((size_t)n * sizeof *L->xhi);
	L->x = xmalloc((size_t)n * sizeof *L->x);
	s_rows(w, d, L->A, L->lo, L->hi);
	for (k = 0; use_t && k < w->ns; k++)
		L->A[(long)k * n + d] = -1;
	for (q = 0; q < n; q++)
		L->xlo[q] = -HUGE_VAL, L->xhi[q] = HUGE_VAL;
	if (use_t)
		L->xhi[d] = 1;
	else
		L->xlo[d] = L->xhi[d] = 0;
}

static void
slp_free(struct slp *L)
{
	free(L->A), free(L->lo), free(L->hi), free(L->c), free(L->xlo), free(L->xhi), free(L->x);
}

/* Solves with ns facet rows and, if extra, the row stored after them. */
static int
slp_solve(struct slp *L, int ns, int extra, double *obj)
{
	struct lp p = { L->d + 1, ns + extra, L->A, L->lo, L->hi, L->c, L->xlo, L->xhi };

	return lp_solve(&p, L->x, obj);
}

/* Bounding box of the facets' polyhedron (2d LPs; infinite sides when
 * unbounded). */
static void
facet_bbox(struct rwork *w, int d)
{
	struct slp L;
	double obj;
	int q, sg;

	for (q = 0; q < d; q++)
		w->blo[q] = -HUGE_VAL, w->bhi[q] = HUGE_VAL;
	if (w->ns <= d)
		return;
	slp_init(&L, w, d, 0);
	for (q = 0; q < d; q++)
		for (sg = 1; sg >= -1; sg -= 2) {
			memset(L.c, 0, (size_t)(d + 1) * sizeof *L.c);
			L.c[q] = sg;
			if (slp_solve(&L, w->ns, 0, &obj) == 0) {
				if (sg > 0)
					w->bhi[q] = obj;
				else
					w->blo[q] = -obj;
			}
		}
	slp_free(&L);
}

/* Is row k >= 0 on the whole bounding box? */
static int
box_redundant(const struct rwork *w, const double *row, int d)
{
	double v = row[d];

	for (int q = 0; q < d; q++) {
		double a = row[q], e = a > 0 ? w->blo[q] : w->bhi[q];
		if (a == 0)
			continue;
		if (isinf(e))
			return 0;
		v += a * e;
	}
	return v >= 0;
}

/* Minimises row k over the facets' polyhedron (row k >= -1); z* in
 * zs. Returns the minimum. */
static double
row_min(const struct rwork *w, int d, int k, double *zs)
{
	struct slp L;
	const double *row = w->rows + (long)k * (d + 1);
	double obj, mn = 0;
	int q;

	slp_init(&L, w, d, 0);
	memcpy(L.A + (long)w->ns * (d + 1), row, (size_t)d * sizeof *L.A);
	L.lo[w->ns] = -1 - row[d], L.hi[w->ns] = HUGE_VAL;
	for (q = 0; q < d; q++)
		L.c[q] = -row[q];
	if (slp_solve(&L, w->ns, 1, &obj) == 0) {
		mn = row[d] - obj;
		memcpy(zs, L.x, (size_t)d * sizeof *zs);
	}
	slp_free(&L);
	return mn;
}

/* First row (not in S, not redundant) hit from x0 towards zs. */
static int
ray_hit(const struct rwork *w, int nrows, int d, const double *zs, const uint8_t *state)
{
	double best = HUGE_VAL;
	int j, arg = -1;

	for (j = 0; j < nrows; j++) {
		double a, b;
		if (!w->live[j] || state[j])
			continue;
		a = w->v[j], b = row_val(w->rows + (long)j * (d + 1), zs, d);
		if (b < 0 && a > b && a / (a - b) < best)
			best = a / (a - b), arg = j;
	}
	return arg;
}

static const double *sort_v;   /* values for cmp_by_val (qsort has no context) */

static int
cmp_by_val(const void *a, const void *b)
{
	const double *v = sort_v;
	double x = v[*(const int *)a], y = v[*(const int *)b];

	return x < y ? -1 : x > y;
}

/* Clarkson: the facets of the region into w->S. state: 0 untested, 1
 * facet, 2 redundant. */
static void
find_facets(struct rwork *w, int nrows, int d)
{
	int *order = xmalloc((size_t)nrows * sizeof *order), i, k, j;
	uint8_t *state = xcalloc((size_t)nrows, 1);
	double *zs = xmalloc((size_t)d * sizeof *zs);

	for (i = 0; i < nrows; i++)
		order[i] = i, w->v[i] = row_val(w->rows + (long)i * (d + 1), w->x0, d);
	sort_v = w->v;
	qsort(order, (size_t)nrows, sizeof *order, cmp_by_val);
	w->ns = 0;
	facet_bbox(w, d);
	for (i = 0; i < nrows; i++) {
		k = order[i];
		while (w->live[k] && !state[k]) {
			if (box_redundant(w, w->rows + (long)k * (d + 1), d) ||
			    row_min(w, d, k, zs) >= -LS_TROP_TOL) {
				state[k] = 2;
				break;
			}
			j = ray_hit(w, nrows, d, zs, state);
			if (j < 0)
				j = k;
			state[j] = 1;
			w->S[w->ns++] = j;
			facet_bbox(w, d);
		}
	}
	free(order), free(state), free(zs);
}

/* Chebyshev-like centre of the facets' polyhedron (margin capped at 1)
 * into x; returns the margin. With eq >= 0 that facet row is held at 0
 * and left out of the margin rows. */
static double
centre(const struct rwork *w, int d, int eq, double *x)
{
	struct slp L;
	double obj = -HUGE_VAL;
	int k;

	slp_init(&L, w, d, 1);
	L.c[d] = 1;
	for (k = 0; eq >= 0 && k < w->ns; k++)
		if (w->S[k] == eq) {
			L.A[(long)k * (d + 1) + d] = 0;
			L.hi[k] = L.lo[k];
		}
	if (slp_solve(&L, w->ns, 0, &obj) == 0)
		memcpy(x, L.x, (size_t)d * sizeof *x);
	else
		obj = -HUGE_VAL;
	slp_free(&L);
	return obj;
}

/* Does the recession cone of the unit facets hold a non-zero ray? */
static int
unbounded(const struct rwork *w, int d)
{
	struct slp L;
	double obj;
	int q, sg, k, unb = 0;

	slp_init(&L, w, d, 0);
	for (k = 0; k < w->ns; k++)
		L.lo[k] = 0;
	for (q = 0; q < d; q++)
		L.xlo[q] = -1, L.xhi[q] = 1;
	for (q = 0; q < d && !unb; q++)
		for (sg = 1; sg >= -1 && !unb; sg -= 2) {
			memset(L.c, 0, (size_t)(d + 1) * sizeof *L.c);
			L.c[q] = sg;
			unb = slp_solve(&L, w->ns, 0, &obj) == 0 && obj > 1e-9;
		}
	slp_free(&L);
	return unb;
}

/* Projection (d + 1, RA_K) of region i's output map. */
static void
region_proj(struct ls_rall *r, long i)
{
	int d = r->d, n = d + 1, out = r->t->out, q, k, o;
	double *f = xmalloc((size_t)n * out * sizeof *f), *p = r->proj + i * n * RA_K;

	mlp_forms(r->t, r->bits + i * r->nbytes, NULL, f);
	for (q = 0; q < n; q++)
		for (k = 0; k < RA_K; k++) {
			double s = 0;
			if (r->pm) {
				p[q * RA_K + k] = f[(long)q * out + k];
				continue;
			}
			for (o = 0; o < out; o++)
				s += f[(long)q * out + o] * r->R[o * RA_K + k];
			p[q * RA_K + k] = s;
		}
	free(f);
}

static void
add_pair(struct ls_rall *r, long i, long j)
{
	if (r->npairs == r->cappairs) {
		r->cappairs = r->cappairs ? 2 * r->cappairs : 256;
		r->pairs = xreallocarray(r->pairs, (size_t)r->cappairs * 2, sizeof *r->pairs);
	}
	r->pairs[2 * r->npairs] = i, r->pairs[2 * r->npairs + 1] = j;
	r->npairs++;
}

static void
add_facet(struct ls_rall *r, int u)
{
	if (r->nfac == r->capfac) {
		r->capfac = r->capfac ? 2 * r->capfac : 1024;
		r->fac = xreallocarray(r->fac, (size_t)r->capfac, sizeof *r->fac);
	}
	r->fac[r->nfac++] = u;
}

/* Steps across unit facet u of region i (centre xf) and adds the region
 * found there. LS_ENOMEM past the budget. */
static enum ls_status
cross(struct ls_rall *r, struct rwork *w, long i, int u, const double *xf, double t, long max)
{
	int d = r->d, q;
	const double *row = w->rows + (long)u * (d + 1);
	double *x = xmalloc((size_t)d * sizeof *x), sc = 1, eps;
	uint8_t *b = xcalloc((size_t)r->nbytes, 1);
	long j;

	for (q = 0; q < d; q++)
		sc = fmax(sc, fabs(xf[q]));
	eps = fmin(0.5 * t, 1e-6 * sc);
	for (q = 0; q < d; q++)
		x[q] = xf[q] - eps * row[q];
	ls_mlp_pattern(r->t, x, b);
	j = ra_add(r, b, x, max);
	if (j >= 0 && j != i)
		add_pair(r, i, j);
	free(x), free(b);
	if (j < 0)
		return ls_err(r->err, LS_ENOMEM, "more than %ld regions (raise --max-regions)", max);
	return LS_OK;
}

/* Region i: facets, centre, boundedness, map, neighbours. */
static enum ls_status
process(struct ls_rall *r, struct rwork *w, long i, long max)
{
	int d = r->d, k, U = r->m->units;
	double *xf = xmalloc((size_t)d * sizeof *xf), t;
	enum ls_status s = LS_OK;

	region_rows(r, i, w);
	memcpy(w->x0, r->pt + i * d, (size_t)d * sizeof *w->x0);
	find_facets(w, r->nrows, d);
	if (centre(w, d, -1, xf) > 0)
		memcpy(r->pt + i * d, xf, (size_t)d * sizeof *xf);
	r->bounded[i] = r->box ? 1 : !unbounded(w, d);
	r->nunb += !r->bounded[i];
	region_proj(r, i);
	r->fstart[i] = r->nfac;
	for (k = 0; s == LS_OK && k < w->ns; k++) {
		if (w->S[k] >= U)
			continue;
		add_facet(r, w->S[k]);
		if ((t = centre(w, d, w->S[k], xf)) > LS_TROP_TOL)
			s = cross(r, w, i, w->S[k], xf, t, max);
	}
	r->fstart[i + 1] = r->nfac;
	free(xf);
	return s;
}

/* ---- the traversal --------------------------------------------------- */

static void
rwork_init(struct rwork *w, int nrows, int d)
{
	w->rows = xmalloc((size_t)nrows * (d + 1) * sizeof *w->rows);
	w->live = xmalloc((size_t)nrows * sizeof *w->live);
	w->v = xmalloc((size_t)nrows * sizeof *w->v);
	w->S = xmalloc((size_t)nrows * sizeof *w->S);
	w->x0 = xmalloc((size_t)d * sizeof *w->x0);
	w->blo = xmalloc((size_t)d * sizeof *w->blo);
	w->bhi = xmalloc((size_t)d * sizeof *w->bhi);
}

static void
rwork_free(struct rwork *w)
{
	free(w->rows), free(w->live), free(w->v), free(w->S), free(w->x0), free(w->blo), free(w->bhi);
}

/* A seeded random start point (near 0, or near the box centre) where no
 * pre-activation is zero. */
static void
start_point(const struct ls_rall *r, double *x, uint8_t *b)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	int q, tries;

	for (tries = 0; tries < 1000; tries++) {
		for (q = 0; q < r->d; q++) {
			double u;
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			u = (double)(s >> 11) / 9007199254740992.0 - 0.5;
			x[q] = r->box ? 0.5 * (r->box[2 * q] + r->box[2 * q + 1]) +
						0.2 * u * (r->box[2 * q + 1] - r->box[2 * q])
				      : 1e-3 * u * (1 + tries);
		}
		if (ls_mlp_pattern(r->t, x, b) > 1e-12)
			return;
	}
}

static long
uf_find(long *p, long i)
{
	while (p[i] != i)
		i = p[i] = p[p[i]];
	return i;
}

/* Are the output maps of regions i and j equal? */
static int
same_map(const struct ls_rall *r, long i, long j)
{
	int n = (r->d + 1) * RA_K, k;
	const double *a = r->proj + i * n, *b = r->proj + j * n;
	double mx = 0, df = 0;

	for (k = 0; k < n; k++) {
		mx = fmax(mx, fmax(fabs(a[k]), fabs(b[k])));
		df = fmax(df, fabs(a[k] - b[k]));
	}
	return df <= RA_MAP_TOL * (1 + mx);
}

/* Linear regions: union-find over adjacent pairs with equal maps. */
static void
merge_linear(struct ls_rall *r)
{
	long *p = xmalloc((size_t)(r->n ? r->n : 1) * sizeof *p), i, k;

	for (i = 0; i < r->n; i++)
		p[i] = i;
	for (k = 0; k < r->npairs; k++) {
		long a = r->pairs[2 * k], b = r->pairs[2 * k + 1];
		if (same_map(r, a, b))
			p[uf_find(p, a)] = uf_find(p, b);
	}
	r->lin = xmalloc((size_t)(r->n ? r->n : 1) * sizeof *r->lin);
	for (i = 0; i < r->n; i++)
		r->lin[i] = -1;
	r->nlinear = 0;
	for (i = 0; i < r->n; i++) {
		long root = uf_find(p, i);
		if (r->lin[root] < 0)
			r->lin[root] = r->nlinear++;
		r->lin[i] = r->lin[root];
	}
	free(p);
}

/* m with its last (identity) layer replaced by R^T W, R^T b. */
static struct ls_mlp *
projected(const struct ls_mlp *m, const double *R)
{
	struct ls_dense *l = xmalloc((size_t)m->nl * sizeof *l), *e = &l[m->nl - 1];
	const struct ls_dense *o = &m->l[m->nl - 1];
	struct ls_mlp *pm = NULL;
	int k, i, j;

	memcpy(l, m->l, (size_t)m->nl * sizeof *l);
	e->out = RA_K;
	e->w = xcalloc((size_t)RA_K * o->in, sizeof *e->w);
	e->b = xcalloc(RA_K, sizeof *e->b);
	for (k = 0; k < RA_K; k++)
		for (j = 0; j < o->out; j++) {
			for (i = 0; i < o->in; i++)
				e->w[k * o->in + i] += R[j * RA_K + k] * o->w[(long)j * o->in + i];
			e->b[k] += R[j * RA_K + k] * o->b[j];
		}
	ls_mlp_create(l, m->nl, &pm, NULL);
	free(e->w), free(e->b), free(l);
	return pm;
}

static struct ls_rall *
ra_create(const struct ls_mlp *m, const double *box)
{
	struct ls_rall *r = xcalloc(1, sizeof *r);
	uint64_t s = 0x2545f4914f6cdd1dULL;
	int k;

	r->m = m, r->d = m->d;
	r->nbytes = (m->units + 8) / 8;
	r->nrows = m->units + (box ? 2 * m->d : 0);
	if (box) {
		r->box = xmalloc((size_t)2 * m->d * sizeof *r->box);
		memcpy(r->box, box, (size_t)2 * m->d * sizeof *r->box);
	}
	r->htcap = 1024;
	r->ht = xcalloc((size_t)r->htcap, sizeof *r->ht);
	r->R = xmalloc((size_t)m->out * RA_K * sizeof *r->R);
	for (k = 0; k < m->out * RA_K; k++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		r->R[k] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
	}
	if (m->l[m->nl - 1].act == LS_ACT_IDENTITY)
		r->pm = projected(m, r->R);
	r->t = r->pm ? r->pm : m;
	return r;
}

enum ls_status
ls_regions_all(const struct ls_mlp *m, const double *box, long max_regions, struct ls_rall **out,
	       char *err)
{
	struct ls_rall *r;
	struct rwork w;
	double t0 = ls_now(), *x;
	uint8_t *b;
	enum ls_status s = LS_OK;
	long i, max = max_regions > 0 ? max_regions : DEFAULT_MAX;

	*out = NULL;
	for (i = 0; box && i < m->d; i++)
		if (!(box[2 * i] < box[2 * i + 1]))
			return ls_err(err, LS_EINVAL, "regions: box side %ld is empty", i);
	r = ra_create(m, box);
	r->err = err;
	rwork_init(&w, r->nrows, r->d);
	x = xmalloc((size_t)r->d * sizeof *x);
	b = xcalloc((size_t)r->nbytes, 1);
	start_point(r, x, b);
	ra_add(r, b, x, max);
	for (i = 0; s == LS_OK && i < r->n; i++)
		s = process(r, &w, i, max);
	free(x), free(b);
	rwork_free(&w);
	if (s != LS_OK) {
		ls_rall_free(r);
		return s;
	}
	merge_linear(r);
	r->seconds = ls_now() - t0;
	*out = r;
	return LS_OK;
}

void
ls_rall_free(struct ls_rall *r)
{
	if (!r)
		return;
	free(r->box), free(r->bits), free(r->pt), free(r->bounded), free(r->proj);
	free(r->fstart), free(r->fac), free(r->ht), free(r->pairs), free(r->lin), free(r->R);
	ls_mlp_free(r->pm);
	free(r);
}

long ls_rall_count(const struct ls_rall *r) { return r->n; }
long ls_rall_linear_count(const struct ls_rall *r) { return r->nlinear; }
long ls_rall_unbounded(const struct ls_rall *r) { return r->nunb; }
double ls_rall_seconds(const struct ls_rall *r) { return r->seconds; }
const uint8_t *ls_rall_pattern(const struct ls_rall *r, long i) { return r->bits + i * r->nbytes; }
const double *ls_rall_point(const struct ls_rall *r, long i) { return r->pt + i * r->d; }
int ls_rall_is_bounded(const struct ls_rall *r, long i) { return r->bounded[i]; }
long ls_rall_linear_of(const struct ls_rall *r, long i) { return r->lin[i]; }

const int *
ls_rall_facets(const struct ls_rall *r, long i, int *n)
{
	*n = (int)(r->fstart[i + 1] - r->fstart[i]);
	return r->fac + r->fstart[i];
}

/* ---- d = 2: the extent of the regions ------------------------------- */

/* Extends box by the vertices of region i (pairs of facet lines meeting
 * on every facet's side). */
static void
region_vertices2(const struct ls_rall *r, long i, double *rows, double *box)
{
	int nf, a, b, k;
	const int *f = ls_rall_facets(r, i, &nf);
	const uint8_t *bits = ls_rall_pattern(r, i);

	mlp_forms(r->t, bits, rows, NULL);
	for (a = 0; a < nf; a++)
		for (b = a + 1; b < nf; b++) {
			const double *p = rows + 3 * f[a], *q = rows + 3 * f[b];
			double det = p[0] * q[1] - p[1] * q[0], x[2];
			int in = 1;
			if (fabs(det) < 1e-14)
				continue;
			x[0] = (-p[2] * q[1] + q[2] * p[1]) / det;
			x[1] = (-p[0] * q[2] + q[0] * p[2]) / det;
			for (k = 0; k < nf && in; k++) {
				const double *g = rows + 3 * f[k];
				double s = bit_get(bits, f[k]) ? 1 : -1, nrm = hypot(g[0], g[1]);
				in = s * (g[0] * x[0] + g[1] * x[1] + g[2]) >= -1e-9 * nrm * (1 + fabs(x[0]) + fabs(x[1]));
			}
			if (in) {
				box[0] = fmin(box[0], x[0]), box[1] = fmax(box[1], x[0]);
				box[2] = fmin(box[2], x[1]), box[3] = fmax(box[3], x[1]);
			}
		}
}

void
ls_rall_bbox2(const struct ls_rall *r, double margin, double box[4])
{
	double *rows = xmalloc((size_t)(r->m->units + 1) * 3 * sizeof *rows), w, h;
	long i;

	box[0] = box[2] = HUGE_VAL, box[1] = box[3] = -HUGE_VAL;   /* then at least 1 wide */
	for (i = 0; r->d == 2 && i < r->n; i++) {
		const double *p = ls_rall_point(r, i);
		box[0] = fmin(box[0], p[0]), box[1] = fmax(box[1], p[0]);
		box[2] = fmin(box[2], p[1]), box[3] = fmax(box[3], p[1]);
		region_vertices2(r, i, rows, box);
	}
	free(rows);
	if (!(box[0] <= box[1]))
		box[0] = box[2] = -1, box[1] = box[3] = 1;
	w = fmax(box[1] - box[0], 1.0), h = fmax(box[3] - box[2], 1.0);
	w = h = fmax(w, h);
	box[0] -= margin * w, box[1] += margin * w;
	box[2] -= margin * h, box[3] += margin * h;
}

/* ---- F and G from the regions ---------------------------------------- */

/* Is row x within the tolerance of a monomial of p? */
static int
tp_has(const struct ls_tpoly *p, const double *x)
{
	int r = p->d + 1, q;
	long j;

	for (j = 0; j < p->n; j++) {
		const double *c = p->c + j * r;
		for (q = 0; q < r; q++)
			if (fabs(c[q] - x[q]) > 1e-7 * (1 + fabs(x[q])))
				break;
		if (q == r)
			return 1;
	}
	return 0;
}

void
ls_rall_tropical(const struct ls_rall *r, int k, int which, struct ls_tpoly *p)
{
	int d = r->d, n = d + 1;
	double *f = xmalloc((size_t)n * sizeof *f), *g = xmalloc((size_t)n * sizeof *g);
	long i, cap = 0;

	p->d = d, p->n = 0, p->c = NULL;
	for (i = 0; i < r->n; i++) {
		const double *x;
		mlp_fg_forms(r->m, ls_rall_pattern(r, i), k, f, g);
		x = which ? g : f;
		if (tp_has(p, x))
			continue;
		if (p->n == cap) {
			cap = cap ? 2 * cap : 64;
			p->c = xreallocarray(p->c, (size_t)cap * n, sizeof *p->c);
		}
		memcpy(p->c + p->n++ * n, x, (size_t)n * sizeof *x);
	}
	free(f), free(g);
}
