/*
 * regions1d.c: exact pieces of a piecewise-linear net along a segment
 * z(t) = z0 + t u, t in [a, b], by two independent methods.
 *
 * Vertex insertion (ls_regions_1d): a sorted vertex list t_0 = a < ... <
 * t_m = b carries the values of the current layer at each vertex. Affine
 * layers push all vertices through one GEMM. At a relu layer, every
 * pre-activation is affine in t between two neighbouring vertices, so a
 * strict sign change between them is one zero crossing, found by linear
 * interpolation, and inserted as a vertex with the interpolated row.
 *
 * Walking (ls_regions_1d_walk): from t = a, with the pattern P of the
 * current piece, every pre-activation is p + d tau; the next breakpoint is
 * the smallest tau > 0 at which a unit moving towards its boundary reaches
 * it. Units exactly at a boundary moving inwards flip with a zero step,
 * earliest layer first (the deeper ones are recomputed after).
 *
 * Both end in the same finishing step: each piece's pattern and the slope
 * of the analysed output are computed afresh at the piece's midpoint
 * (batched); neighbours with equal patterns are merged (pieces), then
 * neighbours with equal slopes (linear pieces).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "linscope/progress.h"
#include "regions_priv.h"

#define SNAP 1e-12         /* relative: crossings this close are the same t */
#define SLOPE_TOL 1e-9     /* relative: slopes this close are equal */
#define WALK_MAX 10000000L

_Thread_local const atomic_int *regions_cancel;

/* A growing vertex list with one row of values per vertex. */
struct vlist {
	long n, cap;
	int w;
	double *t;   /* (n) */
	double *x;   /* (n, w) */
};

static void
vlist_push(struct vlist *v, double t, const double *row)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 64;
		v->t = xreallocarray(v->t, (size_t)v->cap, sizeof *v->t);
		v->x = xreallocarray(v->x, (size_t)v->cap * (size_t)v->w, sizeof *v->x);
	}
	v->t[v->n] = t;
	memcpy(v->x + v->n * v->w, row, (size_t)v->w * sizeof *row);
	v->n++;
}

static void
vlist_free(struct vlist *v)
{
	free(v->t);
	free(v->x);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Checks the inputs shared by both methods. */
static enum ls_status
seg_check(const struct ls_net *net, const float *z0, const float *u, double a, double b,
	  char *err)
{
	int i;

	if (!isfinite(a) || !isfinite(b) || !(a < b))
		return ls_err(err, LS_EINVAL, "range %g:%g: want finite A < B", a, b);
	for (i = 0; i < net->in; i++)
		if (!isfinite(z0[i]) || !isfinite(u[i]))
			return ls_err(err, LS_EINVAL, "the start latent or the direction is not finite");
	return LS_OK;
}

/* Row z0 + t u in double. */
static void
seg_point(const float *z0, const float *u, int d, double t, double *row)
{
	int i;

	for (i = 0; i < d; i++)
		row[i] = (double)z0[i] + t * (double)u[i];
}

/* ---- finishing: patterns, slopes, merging ------------------------------ */

static int
slopes_equal(const double *x, const double *y, int n)
{
	double m = 0, s = 0;
	int i;

	for (i = 0; i < n; i++) {
		double dx = fabs(x[i] - y[i]);
		m = dx > m ? dx : m;
		s = fabs(x[i]) > s ? fabs(x[i]) : s;
		s = fabs(y[i]) > s ? fabs(y[i]) : s;
	}
	return m <= SLOPE_TOL * s;
}

/* Fills p from vertices t (m + 1), the pieces' patterns bits (m, nbytes) and
 * projected slopes (m, RM_K). */
static void
pieces_build(const struct pl_net *pl, const double *t, long m, const uint8_t *bits,
	     const double *sl, struct ls_pieces *p)
{
	long k, keep = 0;

	p->bp = xreallocarray(NULL, (size_t)m, sizeof *p->bp);
	p->lin_bp = xreallocarray(NULL, (size_t)m, sizeof *p->lin_bp);
	p->flips = xreallocarray(NULL, (size_t)m, sizeof *p->flips);
	p->npieces = p->nlinear = 1;
	for (k = 1; k < m; k++) {
		int f = pl_bits_diff(bits + (k - 1) * pl->nbytes, bits + k * pl->nbytes, pl->nbytes);
		if (!f)
			continue;
		p->flips[p->npieces - 1] = f;
		p->bp[p->npieces++ - 1] = t[k];
		if (!slopes_equal(sl + keep * RM_K, sl + k * RM_K, RM_K))
			p->lin_bp[p->nlinear++ - 1] = t[k];
		keep = k;
	}
}

/* Computes each piece's pattern and projected slope at its midpoint, then
 * builds p. */
static void
pieces_finish(const struct pl_net *pl, const float *z0, const float *u, const double *t,
	      long m, struct ls_pieces *p)
{
	int d = pl->net->in, nstop, i;
	double *x = xreallocarray(NULL, (size_t)(2 * m * d), sizeof *x), *y, *sl, *pb;
	double *proj = pl_projection(pl, &nstop, &pb);
	int w = nstop ? pl->net->layers[nstop - 1].out : d;
	uint8_t *bits = xcalloc((size_t)(m * pl->nbytes) + 1, 1);
	long k;

	for (k = 0; k < m; k++) {
		seg_point(z0, u, d, 0.5 * (t[k] + t[k + 1]), x + 2 * k * d);
		for (i = 0; i < d; i++)
			x[(2 * k + 1) * d + i] = u[i];
	}
	y = pl_forward_groups(pl, x, m, 2, nstop, bits);
	sl = xreallocarray(NULL, (size_t)(2 * m * RM_K), sizeof *sl);
	ls_dgemm((int)(2 * m), RM_K, w, 1.0, y, 0, proj, 0, 0.0, sl);
	for (k = 0; k < m; k++)
		memmove(sl + k * RM_K, sl + (2 * k + 1) * RM_K, RM_K * sizeof *sl);
	pieces_build(pl, t, m, bits, sl, p);
	free(x), free(y), free(sl), free(proj), free(pb);
	free(bits);
}

void
ls_pieces_free(struct ls_pieces *p)
{
	if (!p)
		return;
	free(p->bp);
	free(p->lin_bp);
	free(p->flips);
	p->bp = p->lin_bp = NULL;
	p->flips = NULL;
}

/* ---- method 1: vertex insertion ------------------------------------------ */

/* The snapping distance of piece [k, k+1]: relative to its own end points,
 * not to the whole range, so that a long range keeps the breakpoints near
 * the origin apart (the initial vertices make every piece's ends within a
 * factor 2 of each other, away from 0). */
static double
piece_snap(const struct vlist *v, long k)
{
	return SNAP * (fabs(v->t[k]) + fabs(v->t[k + 1]) + (v->t[k + 1] - v->t[k]));
}

/* Crossings of piece [k, k+1] as fractions in lam (w slots); returns the count. */
static int
piece_crossings(const struct vlist *v, long k, double *lam)
{
	const double *xa = v->x + k * v->w, *xb = xa + v->w;
	double len = v->t[k + 1] - v->t[k], snap = piece_snap(v, k);
	int j, n = 0;

	for (j = 0; j < v->w; j++) {
		double l;
		if (!((xa[j] > 0 && xb[j] < 0) || (xa[j] < 0 && xb[j] > 0)))
			continue;
		l = xa[j] / (xa[j] - xb[j]);
		if (l * len > snap && (1 - l) * len > snap)
			lam[n++] = l;
	}
	qsort(lam, (size_t)n, sizeof *lam, cmp_double);
	return n;
}

/* Inserts the zero crossings of the current (pre-activation) rows. */
static void
insert_crossings(struct vlist *v)
{
	struct vlist o = { 0, 0, v->w, NULL, NULL };
	double *lam = xreallocarray(NULL, (size_t)v->w + 1, sizeof *lam);
	double *row = xreallocarray(NULL, (size_t)v->w, sizeof *row);
	long k;

	for (k = 0; k + 1 < v->n; k++) {
		const double *xa = v->x + k * v->w, *xb = xa + v->w;
		double len = v->t[k + 1] - v->t[k], last = -1, snap = piece_snap(v, k);
		int n = piece_crossings(v, k, lam), i, j;
		vlist_push(&o, v->t[k], xa);
		for (i = 0; i < n; i++) {
			if (last >= 0 && (lam[i] - last) * len <= snap)
				continue;
			for (j = 0; j < v->w; j++)
				row[j] = xa[j] + lam[i] * (xb[j] - xa[j]);
			vlist_push(&o, v->t[k] + lam[i] * len, row);
			last = lam[i];
		}
	}
	vlist_push(&o, v->t[v->n - 1], v->x + (v->n - 1) * v->w);
	vlist_free(v);
	*v = o;
	free(lam);
	free(row);
}

/* Applies activation layer l to all values. */
static void
act_apply(const struct ls_layer *l, double *x, long n)
{
	double s = l->kind == LS_LAYER_LEAKY_RELU ? (double)l->slope : 0.0;
	long i;

	for (i = 0; i < n; i++)
		if (!(x[i] > 0))
			x[i] *= s;
}

/* The starting vertices: a, b, and 0 and every +-2^k strictly between them,
 * so that each starting piece spans at most a factor 2 in |t| and its
 * crossings are found to the precision of t itself (interpolating over one
 * piece from -R to R would place every breakpoint near 0 to within
 * eps * R, and merge them). */
static void
seed_vertices(const float *z0, const float *u, int d, double a, double b, double *row,
	      struct vlist *v)
{
	double t;
	int k;

	seg_point(z0, u, d, a, row);
	vlist_push(v, a, row);
	for (k = 1023; k >= -60; k--)   /* negative side, far to near */
		if ((t = -ldexp(1.0, k)) > a && t < b)
			seg_point(z0, u, d, t, row), vlist_push(v, t, row);
	if (a < 0 && b > 0)
		seg_point(z0, u, d, 0, row), vlist_push(v, 0, row);
	for (k = -60; k <= 1023; k++)
		if ((t = ldexp(1.0, k)) > a && t < b)
			seg_point(z0, u, d, t, row), vlist_push(v, t, row);
	seg_point(z0, u, d, b, row);
	vlist_push(v, b, row);
}

/* LS_EINVAL when a value overflowed (a range too long for this net). */
static enum ls_status
values_finite(const struct vlist *v, char *err)
{
	long i;

	for (i = 0; i < v->n * v->w; i++)
		if (!isfinite(v->x[i]))
			return ls_err(err, LS_EINVAL, "the network's values overflow at t = %g: use a "
				      "smaller range", v->t[i / v->w]);
	return LS_OK;
}

long
regions_max_pieces(const struct ls_regions_opts *o, long max)
{
	return o && o->max_pieces > 0 ? o->max_pieces : max;
}

/* After activation layer i of n: LS_ENOMEM past the piece budget (pieces
 * so far are at least 1 + the crossings inserted, the vertices beyond the
 * nseed seeds; the exact count is checked at the end) or when the progress
 * function says stop. */
static enum ls_status
layer_done(const struct ls_regions_opts *o, const struct vlist *v, long nseed, int i, int n,
	   char *err)
{
	long max = regions_max_pieces(o, 0);

	if (max > 0 && 1 + v->n - nseed > max)
		return ls_err(err, LS_ENOMEM, "more than %ld pieces along the segment", max);
	if (o && ls_progress_report(o->progress, i + 1, n))
		return ls_err(err, LS_ENOMEM, "stopped after layer %d of %d", i + 1, n);
	return LS_OK;
}

enum ls_status
ls_regions_1d(struct ls_net *net, const float *z0, const float *u, double a, double b,
	      struct ls_pieces *p, char *err)
{
	return ls_regions_1d_opts(net, z0, u, a, b, NULL, p, err);
}

enum ls_status
ls_regions_1d_opts(struct ls_net *net, const float *z0, const float *u, double a, double b,
		   const struct ls_regions_opts *o, struct ls_pieces *p, char *err)
{
	struct vlist v = { 0, 0, net->in, NULL, NULL };
	struct pl_net pl;
	enum ls_status s;
	double *row;
	long nseed;
	int i;

	memset(p, 0, sizeof *p);
	if ((s = seg_check(net, z0, u, a, b, err)) != LS_OK)
		return s;
	if (!net->layers)   /* a graph: the node-table walk */
		return regions_graph_1d(net, z0, u, a, b, o, p, err);
	if ((s = pl_net_init(&pl, net, err)) != LS_OK)
		return s;
	row = xreallocarray(NULL, (size_t)pl.maxw, sizeof *row);
	seed_vertices(z0, u, net->in, a, b, row, &v);
	nseed = v.n;
	for (i = 0; i < pl.nl_act && s == LS_OK; i++) {
		const struct ls_layer *l = &net->layers[i];
		if (regions_cancelled()) {
			s = ls_err(err, LS_EINVAL, "cancelled");
		} else if (l->kind == LS_LAYER_AFFINE) {
			double *y = xreallocarray(NULL, (size_t)(v.n * l->out), sizeof *y);
			pl_affine(&pl, i, v.x, v.n, 1, y);
			free(v.x);
			v.x = y;
			v.w = l->out;
			v.cap = v.n;
			s = values_finite(&v, err);
		} else if (pl.uoff[i] >= 0) {
			insert_crossings(&v);
			act_apply(l, v.x, v.n * v.w);
		}
		if (s == LS_OK)
			s = layer_done(o, &v, nseed, i, pl.nl_act, err);
	}
	if (s == LS_OK)
		pieces_finish(&pl, z0, u, v.t, v.n - 1, p);
	if (s == LS_OK && regions_max_pieces(o, 0) > 0 && p->npieces > regions_max_pieces(o, 0)) {
		s = ls_err(err, LS_ENOMEM, "more than %ld pieces along the segment", o->max_pieces);
		ls_pieces_free(p);
	}
	p->a = a;
	p->b = b;
	p->kind = pl.kind;
	free(row);
	vlist_free(&v);
	pl_net_free(&pl);
	return s;
}

/* ---- method 2: walking ------------------------------------------------- */

/* Values and slopes of all units at z(t) under the fixed pattern bits:
 * pv, pd (units). */
static void
walk_eval(const struct pl_net *pl, const float *z0, const float *u, double t,
	  const uint8_t *bits, double *x, double *y, double *pv, double *pd)
{
	int i, d = pl->net->in, w = d, j;

	seg_point(z0, u, d, t, x);
	for (i = 0; i < d; i++)
		x[d + i] = u[i];
	for (i = 0; i < pl->nl_act; i++) {
		const struct ls_layer *l = &pl->net->layers[i];
		if (l->kind == LS_LAYER_AFFINE) {
			pl_affine(pl, i, x, 1, 2, y);
			memcpy(x, y, (size_t)(2 * l->out) * sizeof *x);
			w = l->out;
		} else if (pl->uoff[i] >= 0) {
			for (j = 0; j < w; j++) {
				pv[pl->uoff[i] + j] = x[j];
				pd[pl->uoff[i] + j] = x[w + j];
			}
			pl_mask(pl, i, x, 2, bits);
		}
	}
}

/* The pattern just after t = a, layer by layer (a unit at 0 is on when it
 * rises). */
static void
walk_start(const struct pl_net *pl, const float *z0, const float *u, double a,
	   uint8_t *bits, double *x, double *y, double *pv, double *pd)
{
	int i, j, k;

	for (i = 0; i < pl->nl_act; i++) {
		if (pl->uoff[i] < 0)
			continue;
		walk_eval(pl, z0, u, a, bits, x, y, pv, pd);
		for (j = 0; j < pl->net->layers[i].out; j++) {
			k = pl->uoff[i] + j;
			if (pv[k] > 0 || (pv[k] == 0 && pd[k] > 0))
				bits[k >> 3] |= (uint8_t)(1u << (k & 7));
		}
	}
}

/* Step to the nearest boundary: tau of each unit moving towards its
 * boundary (>= 0), min in *tmin; returns the earliest layer's unit index
 * reaching it, or -1 if none moves towards a boundary. */
static int
walk_step(const struct pl_net *pl, const uint8_t *bits, const double *pv, const double *pd,
	  double *tau, double *tmin)
{
	int k, arg = -1;

	*tmin = INFINITY;
	for (k = 0; k < pl->units; k++) {
		int on = bits[k >> 3] >> (k & 7) & 1;
		tau[k] = INFINITY;
		if ((on && pd[k] < 0) || (!on && pd[k] > 0))
			tau[k] = fmax(-pv[k] / pd[k], 0.0);
		if (tau[k] < *tmin) {
			*tmin = tau[k];
			arg = k;
		}
	}
	return arg;
}

/* Layer index of unit k. */
static int
unit_layer(const struct pl_net *pl, int k)
{
	int i, best = -1;

	for (i = 0; i < pl->nl; i++)
		if (pl->uoff[i] >= 0 && pl->uoff[i] <= k)
			best = i;
	return best;
}

/* Flips the units of unit k's layer whose tau is within snap of tmin. */
static void
walk_flip(const struct pl_net *pl, uint8_t *bits, const double *tau, double tmin,
	  int k, double snap)
{
	int i = unit_layer(pl, k), j, n = pl->net->layers[i].out;

	for (j = 0; j < n; j++) {
		int q = pl->uoff[i] + j;
		if (tau[q] <= tmin + snap)
			bits[q >> 3] ^= (uint8_t)(1u << (q & 7));
	}
}

/* Appends t to the growing array *v of *n. */
static void
push_t(double **v, long *n, double t)
{
	if ((*n & (*n - 1)) == 0 || *n == 0)
		*v = xreallocarray(*v, (size_t)(*n ? 2 * *n : 16), sizeof **v);
	(*v)[(*n)++] = t;
}

/* The walk itself: vertices of the pieces into *tv (*nt). */
static enum ls_status
walk_run(const struct pl_net *pl, const float *z0, const float *u, double a, double b,
	 double **tv, long *nt, char *err)
{
	size_t w2 = 2 * (size_t)pl->maxw, un = (size_t)pl->units + 1;
	double *x = xmalloc(w2 * sizeof *x), *y = xmalloc(w2 * sizeof *y);
	double *pv = xmalloc(un * sizeof *pv), *pd = xmalloc(un * sizeof *pd);
	double *tau = xmalloc(un * sizeof *tau), snap = SNAP * (fabs(a) + fabs(b) + (b - a));
	uint8_t *bits = xcalloc((size_t)pl->nbytes + 1, 1);
	enum ls_status s = LS_OK;
	double t = a, tmin;
	long it;
	int k;

	walk_start(pl, z0, u, a, bits, x, y, pv, pd);
	push_t(tv, nt, a);
	for (it = 0; it < WALK_MAX; it++) {
		walk_eval(pl, z0, u, t, bits, x, y, pv, pd);
		k = walk_step(pl, bits, pv, pd, tau, &tmin);
		if (k < 0 || t + tmin >= b - snap)
			break;
		if (tmin > snap) {
			t += tmin;
			push_t(tv, nt, t);
		}
		walk_flip(pl, bits, tau, tmin, k, snap);
	}
	if (it == WALK_MAX)
		s = ls_err(err, LS_ENOMEM, "more than %ld steps along the segment", WALK_MAX);
	push_t(tv, nt, b);
	free(x), free(y), free(pv), free(pd), free(tau), free(bits);
	return s;
}

enum ls_status
ls_regions_1d_walk(struct ls_net *net, const float *z0, const float *u, double a, double b,
		   struct ls_pieces *p, char *err)
{
	struct pl_net pl;
	enum ls_status s;
	double *tv = NULL;
	long nt = 0;

	memset(p, 0, sizeof *p);
	if ((s = seg_check(net, z0, u, a, b, err)) != LS_OK)
		return s;
	if (!net->layers)   /* a graph: the node-table walk */
		return regions_graph_1d(net, z0, u, a, b, NULL, p, err);
	if ((s = pl_net_init(&pl, net, err)) != LS_OK)
		return s;
	if ((s = walk_run(&pl, z0, u, a, b, &tv, &nt, err)) == LS_OK) {
		pieces_finish(&pl, z0, u, tv, nt - 1, p);
		p->a = a;
		p->b = b;
		p->kind = pl.kind;
	}
	free(tv);
	pl_net_free(&pl);
	return s;
}
