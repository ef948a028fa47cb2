/*
 * regions2d_graph.c: exact linear regions over a plane z0 + s u + t v of
 * any piecewise-linear network built from node kinds (convolutions,
 * pools, residual branches...), written against the node table only: no
 * kind is named here.
 *
 * Depth first, node by node: inside a polygon whose pattern is fixed for
 * the nodes before node i, every value before i is affine in (s, t), held
 * as three rows (c, a, b) with x = c + s a + t b. A node's output rows come
 * from one float64 pass (fwd64) and one linear pass along u and v (lin) at
 * the polygon's centroid. A piecewise-linear node reports its units as
 * argmax groups (ngroups, cands: relu is (0, x), clip two thresholds, a
 * max pool its window); a group whose candidates cross inside the polygon
 * splits it into one convex piece per winning candidate (the polygon
 * clipped by f_a >= f_b for every other b), and the walk goes on into
 * each piece. Values within ZTOL of the local scale count as ties, so
 * cuts through a vertex leave no slivers. At the head (the value before a
 * final sigmoid or tanh) the rows are projected onto RM_K random
 * combinations, as in regions2d.c, to compare neighbours' maps.
 *
 * Memory: one set of rows per value (the pieces of a cut share the values
 * before it; each overwrites those after), the pieces of the cut at each
 * depth, and the map.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "linscope/progress.h"
#include "model/graph.h"
#include "regions_priv.h"

#define ZTOL 1e-11
#define MAXCAND 1024

struct g2 {
	const struct ls_graph *g;
	int head, d;
	long *uoff;           /* (nnodes) first pattern bit of node i */
	double **V;           /* (nnodes + 1) rows (3, numel) of each value */
	double *blk;
	double *xp[G_MAXIN];  /* point values of a node's inputs */
	double *y, *tmp;      /* point output; node scratch */
	double *f;            /* candidate rows (MAXCAND, 3) */
	double *val;          /* vertex values of a clip (vcap) */
	int vcap;
	double *proj;         /* (numel head, RM_K) */
	uint8_t *bits;
	int nbytes;
	long max;
	int over;
	const struct ls_progress *progress;
	int stopped;          /* the progress function asked to stop */
	struct ls_regionmap *rm;
	char *err;
	enum ls_status st;
};

/* ---- one node -------------------------------------------------------------- */

/* Point values of node n's inputs at (s, t). */
static void
g2_points(struct g2 *w, const struct gnode *n, double s, double t)
{
	int k;
	long j;

	for (k = 0; k < n->nin; k++) {
		const double *r = w->V[n->in[k]];
		long m = n->inn[k];
		for (j = 0; j < m; j++)
			w->xp[k][j] = r[j] + s * r[m + j] + t * r[2 * m + j];
	}
}

/* Rows of node i's output from a pass at (s, t), inside a polygon where
 * the node is affine. */
static void
g2_eval(struct g2 *w, int i, double s, double t)
{
	const struct gnode *n = &w->g->nodes[i];
	const struct gkind_ops *o = gkind_table[n->kind];
	const double *xin[G_MAXIN], *din[G_MAXIN];
	double *out = w->V[i + 1];
	long m = n->outn, j;
	int k;

	g2_points(w, n, s, t);
	for (k = 0; k < n->nin; k++) {
		xin[k] = w->xp[k];
		din[k] = w->V[n->in[k]] + n->inn[k];
	}
	o->fwd64(n, xin, 1, w->y, w->tmp);
	o->lin(n, xin, din, 2, out + m, w->tmp);
	for (j = 0; j < m; j++)
		out[j] = w->y[j] - s * out[m + j] - t * out[2 * m + j];
}

/* Sets node i's pattern bits from a point (s, t) inside a piece. */
static void
g2_pattern(struct g2 *w, int i, double s, double t)
{
	const struct gnode *n = &w->g->nodes[i];
	const double *xin[G_MAXIN];
	int k;

	g2_points(w, n, s, t);
	for (k = 0; k < n->nin; k++)
		xin[k] = w->xp[k];
	gkind_table[n->kind]->pattern(n, xin, w->bits, w->uoff[i]);
}

/* ---- cutting by a group ------------------------------------------------------ */

/* Value of candidate row f (c, a, b) at (s, t) and its scale. */
static inline double
fval(const double *f, double s, double t, double *sc)
{
	*sc = fabs(f[0]) + fabs(s * f[1]) + fabs(t * f[2]);
	return f[0] + s * f[1] + t * f[2];
}

/* Is one candidate the largest (to tolerance) at every vertex of q? Then
 * it is on all of q (the gaps are affine). A bounding-box test first. */
static int
g2_settled(const struct poly *q, const double *f, int m, const double *bb)
{
	double cs = 0.5 * (bb[0] + bb[1]), ct = 0.5 * (bb[2] + bb[3]);
	double hw = 0.5 * (bb[1] - bb[0]), hh = 0.5 * (bb[3] - bb[2]);
	double lo = -INFINITY, hi = -INFINITY, sc, v, r;
	int k, a = 0, i, ok;

	for (k = 0; k < m; k++) {
		v = fval(f + 3 * k, cs, ct, &sc);
		r = fabs(f[3 * k + 1]) * hw + fabs(f[3 * k + 2]) * hh;
		if (v - r > lo)
			lo = v - r, a = k;
	}
	for (k = 0; k < m; k++)
		if (k != a) {
			v = fval(f + 3 * k, cs, ct, &sc);
			r = fabs(f[3 * k + 1]) * hw + fabs(f[3 * k + 2]) * hh;
			hi = fmax(hi, v + r);
		}
	if (lo > hi)
		return 1;
	for (a = 0; a < m; a++) {
		for (i = 0, ok = 1; ok && i < q->nv; i++) {
			double s = q->v[2 * i], t = q->v[2 * i + 1], sa, sb;
			double va = fval(f + 3 * a, s, t, &sa);
			for (k = 0; ok && k < m; k++) {
				double vb = fval(f + 3 * k, s, t, &sb);
				ok = k == a || va - vb >= -ZTOL * (sa + sb);
			}
		}
		if (ok)
			return 1;
	}
	return 0;
}

/* Clips *q (owned, replaced) to f_a >= f_b; a tie everywhere keeps q when
 * keep_ties. Returns 0 when nothing is left (*q freed). */
static int
g2_clip(struct poly *q, const double *fa, const double *fb, int keep_ties, int lab, double *val)
{
	int i, pos = 0, neg = 0;
	struct poly hi, lo;

	for (i = 0; i < q->nv; i++) {
		double s = q->v[2 * i], t = q->v[2 * i + 1], sa, sb;
		double x = fval(fa, s, t, &sa) - fval(fb, s, t, &sb);
		val[i] = fabs(x) <= ZTOL * (sa + sb) ? 0 : x;
		pos |= val[i] > 0;
		neg |= val[i] < 0;
	}
	if (!neg && (pos || keep_ties))
		return 1;
	if (!pos) {
		free(q->v);
		return 0;
	}
	rm_poly_split(q, val, lab, &hi, &lo);
	free(q->v);
	free(lo.v);
	*q = hi;
	if (hi.nv < 3) {
		free(hi.v);
		return 0;
	}
	return 1;
}

static void
bbox(const struct poly *q, double *bb)
{
	int i;

	bb[0] = bb[2] = INFINITY, bb[1] = bb[3] = -INFINITY;
	for (i = 0; i < q->nv; i++) {
		bb[0] = fmin(bb[0], q->v[2 * i]), bb[1] = fmax(bb[1], q->v[2 * i]);
		bb[2] = fmin(bb[2], q->v[2 * i + 1]), bb[3] = fmax(bb[3], q->v[2 * i + 1]);
	}
}

struct plist {
	int n, cap;
	struct poly *p;
};

static void
plist_push(struct plist *l, const struct poly *q)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->p = xreallocarray(l->p, (size_t)l->cap, sizeof *l->p);
	}
	l->p[l->n++] = *q;
}

/* Replaces piece k of l by its pieces under group f (m candidates). */
static void
g2_split(struct plist *l, int k, const double *f, int m, int lab, double *val)
{
	struct poly q = l->p[k], c;
	int a, b, first = 1;

	for (a = 0; a < m; a++) {
		rm_poly_make(&c, q.v, q.lab, q.nv);
		for (b = 0; b < m; b++)
			if (b != a && !g2_clip(&c, f + 3 * a, f + 3 * b, b > a, lab, val))
				break;
		if (b < m)
			continue;
		if (first)
			l->p[k] = c, first = 0;
		else
			plist_push(l, &c);
	}
	if (first)   /* nothing left (cannot happen but for rounding): keep q */
		rm_poly_make(&l->p[k], q.v, q.lab, q.nv);
	free(q.v);
}

/* The pieces of q under node i's groups: q itself (copied) when no group
 * crosses it. */
static void
g2_cut(struct g2 *w, int i, const struct poly *q, struct plist *l)
{
	const struct gnode *n = &w->g->nodes[i];
	const struct gkind_ops *o = gkind_table[n->kind];
	const double *xin[G_MAXIN];
	long ng = o->ngroups(n), g;
	double bb[4], pb[4];
	int k, m, nk;
	struct poly c;

	for (k = 0; k < n->nin; k++)
		xin[k] = w->V[n->in[k]];
	bbox(q, bb);
	rm_poly_make(&c, q->v, q->lab, q->nv);
	plist_push(l, &c);
	for (g = 0; g < ng && w->st == LS_OK; g++) {
		if ((m = o->cands(n, g, xin, 3, w->f, MAXCAND)) < 0) {
			w->st = ls_err(w->err, LS_EINVAL, "node %s (%s): a window of more than %d values",
				       n->name, n->opname, MAXCAND);
			break;
		}
		if (m < 2 || g2_settled(q, w->f, m, bb))
			continue;
		for (k = 0, nk = l->n; k < nk; k++) {
			if (l->p[k].nv + m + 2 > w->vcap) {
				w->vcap = 2 * (l->p[k].nv + m + 2);
				w->val = xreallocarray(w->val, (size_t)w->vcap, sizeof *w->val);
			}
			bbox(&l->p[k], pb);
			if (!g2_settled(&l->p[k], w->f, m, pb))
				g2_split(l, k, w->f, m, (int)(w->uoff[i] + g), w->val);
		}
	}
}

/* ---- the walk ------------------------------------------------------------------ */

/* The finished polygon q: its projected map and pattern into the map. */
static void
g2_collect(struct g2 *w, const struct poly *q)
{
	struct pset *o = &w->rm->r;
	double y[3 * RM_K];
	long m = graph_vnumel(w->g, w->head);
	struct poly c;

	if ((w->max && o->n >= w->max) || !rm_room(o, w->nbytes)) {
		w->over = 1;
		return;
	}
	ls_dgemm(3, RM_K, (int)m, 1.0, w->V[w->head], 0, w->proj, 0, 0.0, y);
	rm_poly_make(&c, q->v, q->lab, q->nv);
	rm_pset_take(o, w->nbytes, &c, w->bits, y);
}

/* Nodes [i, head) over polygon q, whose values before i are set; q's
 * share of the work is [lo, hi] (split evenly among its pieces), hi is
 * reported when it is done. */
static void
g2_walk(struct g2 *w, int i, const struct poly *q, double lo, double hi)
{
	double s, t;

	rm_centroid(q, &s, &t);
	for (; i < w->head && w->st == LS_OK && !w->over; i++) {
		const struct gnode *n = &w->g->nodes[i];
		const struct gkind_ops *o = gkind_table[n->kind];
		struct plist l = { 0, 0, NULL };
		int k;
		if (!o->ngroups || !o->ngroups(n)) {
			g2_eval(w, i, s, t);
			continue;
		}
		g2_cut(w, i, q, &l);
		for (k = 0; k < l.n; k++) {
			double ps, pt;
			rm_centroid(&l.p[k], &ps, &pt);
			if (w->st == LS_OK && !w->over) {
				g2_pattern(w, i, ps, pt);
				g2_eval(w, i, ps, pt);
				g2_walk(w, i + 1, &l.p[k], lo + (hi - lo) * k / l.n,
					lo + (hi - lo) * (k + 1) / l.n);
			}
			free(l.p[k].v);
		}
		free(l.p);
		return;
	}
	if (w->st == LS_OK && !w->over)
		g2_collect(w, q);
	if (w->st == LS_OK && !w->over && ls_progress_report(w->progress, hi, 1.0))
		w->stopped = w->over = 1;
}

/* ---- set-up -------------------------------------------------------------------- */

static double *
random_proj(long m)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	double *R = xmalloc((size_t)m * RM_K * sizeof *R);
	long i;

	for (i = 0; i < m * RM_K; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		R[i] = (double)(x >> 11) / 9007199254740992.0 - 0.5;
	}
	return R;
}

static void
g2_init(struct g2 *w, struct ls_net *net)
{
	const struct ls_graph *g = ls_net_graph(net);
	long total = 0, mx = 0, tn = 0, units = 0, m;
	int i, k, act, nv = g->nnodes + 1;

	w->g = g;
	w->d = net->in;
	graph_pl_head(g, &w->head, &act);
	w->uoff = xcalloc((size_t)g->nnodes + 1, sizeof *w->uoff);
	w->V = xcalloc((size_t)nv, sizeof *w->V);
	for (i = 0; i < nv; i++) {
		total += 3 * graph_vnumel(g, i);
		mx = graph_vnumel(g, i) > mx ? graph_vnumel(g, i) : mx;
	}
	for (i = 0; i < w->head; i++) {
		const struct gnode *n = &g->nodes[i];
		const struct gkind_ops *o = gkind_table[n->kind];
		w->uoff[i] = units;
		units += o->units ? o->units(n) : 0;
		for (k = 1; k <= 3; k++)
			if (o->tmp_need && (m = o->tmp_need(n, k)) > tn)
				tn = m;
	}
	w->blk = xmalloc((size_t)(total + (G_MAXIN + 1) * mx + tn + 3 * MAXCAND + 1) * sizeof *w->blk);
	for (i = 0, total = 0; i < nv; i++) {
		w->V[i] = w->blk + total;
		total += 3 * graph_vnumel(g, i);
	}
	for (k = 0; k < G_MAXIN; k++, total += mx)
		w->xp[k] = w->blk + total;
	w->y = w->blk + total;
	w->f = w->y + mx;
	w->tmp = w->f + 3 * MAXCAND;
	w->nbytes = (int)((units + 7) / 8);
	w->bits = xcalloc((size_t)w->nbytes + 1, 1);
	w->proj = random_proj(graph_vnumel(g, w->head));
}

static void
g2_free(struct g2 *w)
{
	free(w->uoff), free(w->V), free(w->blk), free(w->bits), free(w->proj), free(w->val);
}

/* Whether every node before the head has what the walk needs. */
static enum ls_status
g2_check(const struct ls_graph *g, int head, char *err)
{
	int i;

	for (i = 0; i < head; i++) {
		const struct gnode *n = &g->nodes[i];
		const struct gkind_ops *o = gkind_table[n->kind];
		int pl = o->pl ? o->pl(n) : GPL_LINEAR;
		if (!o->lin || (pl == GPL_PL && o->units && o->units(n) && !o->cands))
			return ls_err(err, LS_EINVAL, "node %s (%s) has no exact 2-D regions",
				      n->name, n->opname);
	}
	return LS_OK;
}

static struct ls_regionmap *
g2_map(const float *z0, const float *u, const float *v, const double *box, int d, int nbytes)
{
	struct ls_regionmap *rm = xcalloc(1, sizeof *rm);

	memcpy(rm->box, box, 4 * sizeof *box);
	rm->nbytes = nbytes;
	rm->d = d;
	rm->r.w = RM_K;
	rm->geo = 1;
	rm->z0 = xmalloc(3 * (size_t)d * sizeof(float));
	rm->u = rm->z0 + d;
	rm->v = rm->z0 + 2 * d;
	memcpy(rm->z0, z0, (size_t)d * sizeof *z0);
	memcpy(rm->u, u, (size_t)d * sizeof *u);
	memcpy(rm->v, v, (size_t)d * sizeof *v);
	return rm;
}

enum ls_status
regions_graph_2d(struct ls_net *net, const float *z0, const float *u, const float *v,
		 const double box[4], const struct ls_regionmap_opts *o, struct ls_regionmap **out,
		 char *err)
{
	long max_regions = o->max_regions;
	const struct ls_graph *g = ls_net_graph(net);
	double pv[8] = { box[0], box[2], box[1], box[2], box[1], box[3], box[0], box[3] };
	static const int lab[4] = { -1, -1, -1, -1 };
	struct poly box4 = { 4, pv, (int *)lab };
	struct g2 w = { 0 };
	int act, head, k;
	long n;

	if (graph_pl_head(g, &head, &act) == GPL_SMOOTH)
		return ls_err(err, LS_EINVAL, "the decoder is " LS_NOT_PL_TEXT ": no exact regions");
	if (g2_check(g, head, err) != LS_OK)
		return LS_EINVAL;
	graph_need64(g);        /* the node passes below use the float64 weights */
	g2_init(&w, net);
	w.max = max_regions;
	w.progress = o->progress;
	w.err = err;
	w.st = LS_OK;
	w.rm = g2_map(z0, u, v, box, w.d, w.nbytes);
	for (k = 0; k < w.d; k++) {
		w.V[0][k] = z0[k];
		w.V[0][w.d + k] = u[k];
		w.V[0][2 * w.d + k] = v[k];
	}
	g2_walk(&w, 0, &box4, 0.0, 1.0);
	n = w.rm->r.n;
	if (w.st == LS_OK && w.over)
		w.st = w.stopped ? ls_err(err, LS_ENOMEM, "stopped (%ld regions done)", n)
			: rm_over_budget() ? LS_ENOMEM
			: ls_err(err, LS_ENOMEM, "more than %ld regions in the plane (%ld done)",
				 max_regions, n);
	if (w.st != LS_OK) {
		ls_regionmap_free(w.rm);
		g2_free(&w);
		return w.st;
	}
	g2_free(&w);
	rm_finish(w.rm);
	*out = w.rm;
	return LS_OK;
}

void
regions_graph_affine(struct ls_net *net, const struct ls_regionmap *rm, long i, double *coef)
{
	const struct ls_graph *g = ls_net_graph(net);
	struct gvals v;
	double s, t, *x = xmalloc(3 * (size_t)rm->d * sizeof *x);
	long m, j;
	int head, act, k;

	graph_pl_head(g, &head, &act);
	m = graph_vnumel(g, head);
	rm_centroid(&rm->r.p[i], &s, &t);
	for (k = 0; k < rm->d; k++) {
		x[k] = rm->z0[k] + s * rm->u[k] + t * rm->v[k];
		x[rm->d + k] = rm->u[k];
		x[2 * rm->d + k] = rm->v[k];
	}
	if (graph_lin_all(g, x, x + rm->d, 2, &v, NULL) == LS_OK) {
		for (j = 0; j < m; j++) {
			coef[m + j] = v.dv[head][j];
			coef[2 * m + j] = v.dv[head][m + j];
			coef[j] = v.pv[head][j] - s * coef[m + j] - t * coef[2 * m + j];
		}
		gvals_free(&v);
	}
	free(x);
}
