/*
 * regions_graph.c: exact 1-D pieces of any network built from node kinds
 * (convolutions, pools, residual branches...), written against the node
 * table only: no kind is named here.
 *
 * The walk: inside a piece every value of the graph is affine in t,
 * p + (t - tm) q. At a point tm just past the piece's start (a relative
 * step RG_EPS of the range), one float64 pass gives every value p and one
 * linear pass along u every slope q (graph_lin_all); each piecewise-linear
 * node before the smooth tail reports where its pattern next changes
 * (next_break), and the smallest of those ends the piece. The next piece
 * runs again only the nodes from the first one whose pattern changed:
 * before it every value is affine across the break (p += dt q), and after
 * it only the slopes need a pass (lin): values are continuous in t. Pieces shorter
 * than RG_EPS (b - a) are not resolved. Linear pieces merge neighbours
 * whose affine maps (of the value before the tail) agree to RG_TOL.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "linscope/progress.h"
#include "model/graph.h"
#include "regions_priv.h"

#define RG_EPS 1e-10
#define RG_TOL 1e-9
#define RG_MAX_PIECES 1000000
#define RG_ANCHOR 64
#define RG_REPORT 32    /* pieces between progress reports */

struct rg_walk {
	const struct ls_graph *g;
	int head, d;
	long units, nout;
	const float *z0, *u;
	double *x, *dx;
	struct gvals v;       /* every value and its slope at tm */
	int have;             /* v is set */
	double tm, eps;
	long steps;
	double *tmp, *tb;     /* node scratch; per node, its next break */
	const struct ls_regions_opts *o;
};

/* Values and slopes at tm, just past the break tb: a full pass the first
 * time; after a break caused by node from, the values before it are affine
 * across the break (p += (tm - old tm) q) and only nodes [from, head) get
 * new slopes (lin), their values following them (every value is
 * continuous in t); every RG_ANCHOR-th node run is a float64 pass. */
static enum ls_status
rg_values(struct rg_walk *w, double tb, double tm, int from, char *err)
{
	const double *xin[G_MAXIN], *din[G_MAXIN];
	double dt = tm - w->tm;
	int i, k;
	long j;

	if (!w->have) {
		for (k = 0; k < w->d; k++)
			w->x[k] = w->z0[k] + tm * w->u[k];
		if (graph_lin_all(w->g, w->x, w->dx, 1, &w->v, err) != LS_OK)
			return LS_EINVAL;
		w->have = 1;
		w->tm = tm;
		return LS_OK;
	}
	for (i = 0; i <= from; i++)
		for (j = graph_vnumel(w->g, i) - 1; j >= 0; j--)
			w->v.pv[i][j] += dt * w->v.dv[i][j];
	for (i = from; i < w->head; i++) {
		const struct gnode *n = &w->g->nodes[i];
		const struct gkind_ops *o = gkind_table[n->kind];
		double *p = w->v.pv[i + 1], *q = w->v.dv[i + 1];
		long m = n->outn;
		for (k = 0; k < n->nin; k++) {
			xin[k] = w->v.pv[n->in[k]];
			din[k] = w->v.dv[n->in[k]];
		}
		if (++w->steps % RG_ANCHOR == 0) {   /* bounds the drift of the sums below */
			o->fwd64(n, xin, 1, p, w->tmp);
			o->lin(n, xin, din, 1, q, w->tmp);
			continue;
		}
		/* values are continuous: to the break on the old slope, then on the new */
		for (j = 0; j < m; j++)
			p[j] += (tb - w->tm) * q[j];
		o->lin(n, xin, din, 1, q, w->tmp);
		for (j = 0; j < m; j++)
			p[j] += (tm - tb) * q[j];
	}
	w->tm = tm;
	return LS_OK;
}

/* Pattern bits and the next break (relative to tm) from the values at tm;
 * *from: the first node whose pattern changes there. */
static double
rg_step(struct rg_walk *w, double tb, double tm, int *from, uint8_t *bits, double *c, double *s,
	char *err)
{
	const double *xin[G_MAXIN], *qin[G_MAXIN];
	double best = INFINITY;
	long off = 0, j;
	int i, k;

	if (rg_values(w, tb, tm, *from, err) != LS_OK)
		return NAN;
	for (i = 0; i < w->head; i++) {
		const struct gnode *n = &w->g->nodes[i];
		const struct gkind_ops *o = gkind_table[n->kind];
		long nu = o->units ? o->units(n) : 0;
		w->tb[i] = INFINITY;
		if (!nu)
			continue;
		for (k = 0; k < n->nin; k++) {
			xin[k] = w->v.pv[n->in[k]];
			qin[k] = w->v.dv[n->in[k]];
		}
		o->pattern(n, xin, bits, off);
		off += nu;
		if ((w->tb[i] = o->next_break(n, xin, qin, 0)) < best)
			best = w->tb[i];
	}
	for (*from = 0; *from < w->head && !(w->tb[*from] <= best + 2 * w->eps); (*from)++)
		;
	for (j = 0; j < w->nout; j++) {
		s[j] = w->v.dv[w->head][j];
		c[j] = w->v.pv[w->head][j] - tm * s[j];
	}
	return best;
}

/* Do two affine maps (c, s) agree? */
static int
rg_same(const double *c0, const double *s0, const double *c1, const double *s1, long n)
{
	double m = 1, diff = 0;
	long j;

	for (j = 0; j < n; j++) {
		m = fmax(m, fmax(fabs(c0[j]), fabs(s0[j])));
		diff = fmax(diff, fmax(fabs(c0[j] - c1[j]), fabs(s0[j] - s1[j])));
	}
	return diff <= RG_TOL * m;
}

static void
rg_push(double **a, int *n, int *cap, double v)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*a = xreallocarray(*a, (size_t)*cap, sizeof **a);
	}
	(*a)[(*n)++] = v;
}

static enum ls_status
rg_walk(struct rg_walk *w, double a, double b, struct ls_pieces *p, char *err)
{
	size_t nb = (size_t)(w->units + 7) / 8 + 1, no = (size_t)w->nout;
	uint8_t *bits = xcalloc(nb, 1), *prev = xcalloc(nb, 1);
	double *c = xmalloc(2 * no * sizeof *c), *s = c + no, *pc = xmalloc(2 * no * sizeof *pc);
	double *ps = pc + no, t = a, eps = RG_EPS * (b - a), next;
	int cap = 0, lcap = 0, fcap = 0, nf = 0, from = 0;
	enum ls_status st = LS_OK;
	double *fl = NULL;

	while (t < b) {
		if (regions_cancelled()) {
			st = ls_err(err, LS_EINVAL, "cancelled");
			break;
		}
		next = rg_step(w, t, t + eps, &from, bits, c, s, err);
		if (isnan(next)) {
			st = LS_EINVAL;
			break;
		}
		if (p->npieces > 0) {
			rg_push(&p->bp, &(int){ p->npieces - 1 }, &cap, t);
			rg_push(&fl, &nf, &fcap, (double)pl_bits_diff(prev, bits, (int)(nb - 1)));
			if (!rg_same(pc, ps, c, s, w->nout))
				rg_push(&p->lin_bp, &(int){ p->nlinear - 1 }, &lcap, t), p->nlinear++;
		} else {
			p->nlinear = 1;
		}
		if (++p->npieces > regions_max_pieces(w->o, RG_MAX_PIECES)) {
			st = ls_err(err, LS_ENOMEM, "more than %ld pieces along the segment",
				    regions_max_pieces(w->o, RG_MAX_PIECES));
			break;
		}
		if (p->npieces % RG_REPORT == 0 && w->o &&
		    ls_progress_report(w->o->progress, fmin(t, b) - a, b - a)) {
			st = ls_err(err, LS_ENOMEM, "stopped after %d pieces along the segment", p->npieces);
			break;
		}
		memcpy(prev, bits, nb);
		memcpy(pc, c, 2 * no * sizeof *c);
		t = t + eps + next;
	}
	p->flips = xcalloc((size_t)nf + 1, sizeof *p->flips);
	for (cap = 0; cap < nf; cap++)
		p->flips[cap] = (int)fl[cap];
	free(fl), free(bits), free(prev), free(c), free(pc);
	if (w->have)
		gvals_free(&w->v);
	return st;
}

enum ls_status
regions_graph_1d(struct ls_net *net, const float *z0, const float *u, double a, double b,
		 const struct ls_regions_opts *o, struct ls_pieces *p, char *err)
{
	const struct ls_graph *g = ls_net_graph(net);
	struct rg_walk w = { 0 };
	enum ls_status st;
	long tn = 0, m;
	int act, i, k;

	w.g = g, w.d = net->in, w.z0 = z0, w.u = u, w.o = o;
	memset(p, 0, sizeof *p);
	p->a = a, p->b = b;
	if (graph_pl_head(g, &w.head, &act) == GPL_SMOOTH)
		return ls_err(err, LS_EINVAL, "the decoder is " LS_NOT_PL_TEXT ": no exact regions");
	p->kind = act >= 0 ? LS_PL_TAIL : LS_PL_YES;
	for (i = 0; i < w.head; i++) {
		const struct gkind_ops *ko = gkind_table[g->nodes[i].kind];
		w.units += ko->units ? ko->units(&g->nodes[i]) : 0;
		if (ko->tmp_need && (m = ko->tmp_need(&g->nodes[i], 1)) > tn)
			tn = m;
	}
	w.nout = graph_vnumel(g, w.head);
	w.eps = RG_EPS * (b - a);
	w.x = xmalloc((2 * (size_t)w.d + (size_t)tn + (size_t)w.head + 1) * sizeof *w.x);
	w.dx = w.x + w.d;
	w.tmp = w.dx + w.d;
	w.tb = w.tmp + tn;
	for (k = 0; k < w.d; k++)
		w.dx[k] = u[k];
	st = rg_walk(&w, a, b, p, err);
	free(w.x);
	if (st != LS_OK)
		ls_pieces_free(p);
	return st;
}
