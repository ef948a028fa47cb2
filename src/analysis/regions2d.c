/*
 * regions2d.c: exact linear regions of a piecewise-linear net over a plane
 * z0 + s u + t v, (s, t) in a box, as convex polygons.
 *
 * Layer by layer: every polygon carries its pre-activations as affine
 * functions of (s, t), three rows (c, a, b) with p = c + s a + t b, which go
 * through each affine layer as one GEMM for all polygons. At a relu layer
 * each unit's zero line p = 0 cuts the polygon (and its pieces) where p
 * takes both strict signs at its vertices; each resulting piece gets the
 * unit's state at its rm_centroid and the masked rows. Batches above CHUNK
 * polygons are split, bounding memory.
 *
 * Invariants of the result: polygons are convex, counterclockwise, cover
 * the box without overlap, and have pairwise distinct patterns (a cut only
 * separates points where a unit has opposite signs). Values within
 * ZTOL of the local scale count as zero, so cuts through a vertex do not
 * leave slivers.
 *
 * linear_regions: the restricted affine maps are compared through RM_K random
 * projections of the output (folded into the last affine layer), so the
 * maps of the bundled decoder (784 outputs) need not be stored; equal maps
 * have equal projections, different maps differ almost surely.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "linscope/progress.h"
#include "regions_priv.h"

#define CHUNK 256
#define ZTOL 1e-12

/* ---- polygon sets -------------------------------------------------------- */

/* Fills q with a copy of nv vertices v (nv, 2) and edge labels lab. */
void
rm_poly_make(struct poly *q, const double *v, const int *lab, int nv)
{
	q->nv = nv;
	q->v = xmalloc((size_t)nv * (2 * sizeof *v + sizeof *lab));
	q->lab = (int *)(q->v + 2 * nv);
	memcpy(q->v, v, (size_t)nv * 2 * sizeof *v);
	memcpy(q->lab, lab, (size_t)nv * sizeof *lab);
}

/*
 * The memory budget: rm_live counts the bytes of the sets of the run in
 * progress (this thread); past rm_budget the run stops like one with too
 * many regions, with a clear error, instead of exhausting memory (a
 * 2048-wide layer holds ~48 KB of rows per region).
 */
static _Thread_local long long rm_live, rm_budget;
static _Thread_local int rm_hit;   /* the budget was passed (sticky) */
static long long rm_mem_max = LS_REGIONS_MEM_MAX;

void
ls_regions_set_mem_max(long long bytes)
{
	rm_mem_max = bytes > 0 ? bytes : LS_REGIONS_MEM_MAX;
}

/* Bytes one entry of s takes (polygon ~16 vertices, pattern, rows). */
static long long
pset_unit(const struct pset *s)
{
	return (long long)sizeof(struct poly) + 256 + s->nb + 1 + 3LL * s->w * (long long)sizeof(double);
}

int
rm_over_budget(void)
{
	if (rm_budget > 0 && rm_live > rm_budget)
		rm_hit = 1;
	return rm_hit;
}

/* May one more entry go into o? Not when o is full and growing it would
 * pass the budget (which then counts as passed). */
int
rm_room(struct pset *o, int nbytes)
{
	long long grow = (o->cap ? o->cap : 256) * (pset_unit(o) + nbytes - o->nb);

	if (rm_budget > 0 && o->n == o->cap && rm_live + grow > rm_budget)
		rm_hit = 1;
	return !rm_over_budget();
}

/* Appends polygon q (taking its vertex block: the caller forgets q), its
 * pattern and its rows c (3, s->w; NULL: left for the caller to fill). */
void
rm_pset_take(struct pset *s, int nbytes, const struct poly *q, const uint8_t *bits,
	  const double *c)
{
	if (s->n == s->cap) {
		s->nb = nbytes;
		rm_live += (s->cap ? s->cap : 256) * pset_unit(s);
		s->cap = s->cap ? 2 * s->cap : 256;
		s->p = xreallocarray(s->p, (size_t)s->cap, sizeof *s->p);
		s->bits = xreallocarray(s->bits, (size_t)s->cap, (size_t)nbytes + 1);
		s->c = xreallocarray(s->c, (size_t)s->cap * 3, (size_t)s->w * sizeof *s->c);
	}
	s->p[s->n] = *q;
	memcpy(s->bits + s->n * nbytes, bits, (size_t)nbytes);
	if (c)
		memcpy(s->c + s->n * 3 * s->w, c, 3 * (size_t)s->w * sizeof *c);
	s->n++;
}

/* Appends a copy of polygon q with its pattern and rows. */
static void
pset_push(struct pset *s, int nbytes, const struct poly *q, const uint8_t *bits,
	  const double *c)
{
	struct poly cp;

	rm_poly_make(&cp, q->v, q->lab, q->nv);
	rm_pset_take(s, nbytes, &cp, bits, c);
}

/* Moves the polygons [from, n) of s into a new set h (no copies of the
 * vertex blocks). */
static void
pset_split(struct pset *s, int nbytes, long from, struct pset *h)
{
	long m = s->n - from;

	memset(h, 0, sizeof *h);
	h->w = s->w;
	h->n = h->cap = m;
	h->p = xreallocarray(NULL, (size_t)m, sizeof *h->p);
	h->bits = xreallocarray(NULL, (size_t)m, (size_t)nbytes + 1);
	h->c = xreallocarray(NULL, (size_t)m * 3, (size_t)s->w * sizeof *h->c);
	memcpy(h->p, s->p + from, (size_t)m * sizeof *h->p);
	memcpy(h->bits, s->bits + from * nbytes, (size_t)(m * nbytes));
	memcpy(h->c, s->c + from * 3 * s->w, (size_t)(m * 3 * s->w) * sizeof *h->c);
	h->nb = nbytes;
	rm_live += m * pset_unit(h);
	s->n = from;
}

void
rm_pset_free(struct pset *s, int keep_polys)
{
	long i;

	for (i = 0; !keep_polys && i < s->n; i++)
		free(s->p[i].v);
	rm_live -= s->cap * pset_unit(s);
	free(s->p);
	free(s->bits);
	free(s->c);
	memset(s, 0, sizeof *s);
}

/* ---- cutting -------------------------------------------------------------- */

/* Values of row j's affine function at the vertices; 0 within the scale. */
static int
poly_vals(const struct poly *q, const double *c, int w, int j, double *val)
{
	int i, pos = 0, neg = 0;

	for (i = 0; i < q->nv; i++) {
		double s = q->v[2 * i], t = q->v[2 * i + 1];
		double x = c[j] + s * c[w + j] + t * c[2 * w + j];
		double sc = fabs(c[j]) + fabs(s * c[w + j]) + fabs(t * c[2 * w + j]);
		val[i] = fabs(x) <= ZTOL * sc ? 0 : x;
		pos |= val[i] > 0;
		neg |= val[i] < 0;
	}
	return pos && neg;
}

/* Appends vertex x with edge label l to (v, lab, *n). */
static void
vpush(double *v, int *lab, int *n, const double *x, int l)
{
	v[2 * *n] = x[0];
	v[2 * *n + 1] = x[1];
	lab[(*n)++] = l;
}

/* Splits q by the sign of val into hi (>= 0) and lo (<= 0); the new edge
 * along the zero line is labelled unit. */
void
rm_poly_split(const struct poly *q, const double *val, int unit, struct poly *hi, struct poly *lo)
{
	int i, n = q->nv, nh = 0, nl = 0;
	double *vh = xmalloc((size_t)(n + 2) * 4 * sizeof *vh), *vl = vh + 2 * (n + 2);
	int *lh = xmalloc((size_t)(n + 2) * 2 * sizeof *lh), *ll = lh + n + 2;

	for (i = 0; i < n; i++) {
		int k = (i + 1) % n, li = q->lab[i];
		const double *a = q->v + 2 * i, *b = q->v + 2 * k;
		if (val[i] >= 0)
			vpush(vh, lh, &nh, a, val[k] >= 0 || val[i] > 0 ? li : unit);
		if (val[i] <= 0)
			vpush(vl, ll, &nl, a, val[k] <= 0 || val[i] < 0 ? li : unit);
		if ((val[i] > 0 && val[k] < 0) || (val[i] < 0 && val[k] > 0)) {
			double l = val[i] / (val[i] - val[k]), x[2];
			x[0] = a[0] + l * (b[0] - a[0]);
			x[1] = a[1] + l * (b[1] - a[1]);
			vpush(vh, lh, &nh, x, val[i] > 0 ? unit : li);
			vpush(vl, ll, &nl, x, val[i] > 0 ? li : unit);
		}
	}
	rm_poly_make(hi, vh, lh, nh);
	rm_poly_make(lo, vl, ll, nl);
	free(vh);
	free(lh);
}

/* Units (columns of c) whose zero line crosses q (strict signs at its
 * vertices) into x; returns their count. Only they can cut q's pieces. */
static int
poly_crossing(const struct poly *q, const double *c, int w, double *val, int *x)
{
	int j, n = 0;

	for (j = 0; j < w; j++)
		if (poly_vals(q, c, w, j, val))
			x[n++] = j;
	return n;
}

/* Cuts polygon q (rows c of width w; units numbered from u0) by the nx
 * crossing units x of the layer; the pieces go to *out (*nout, grown). */
static void
poly_cut(const struct poly *q, const double *c, int w, int u0, const int *x, int nx,
	 struct poly **out, int *nout, int *cap, double *val)
{
	int j, k, n;

	rm_poly_make(&(*out)[0], q->v, q->lab, q->nv);
	*nout = 1;
	for (int ix = 0; ix < nx; ix++) {
		j = x[ix];
		for (k = 0, n = *nout; k < n; k++) {
			struct poly hi, lo;
			if (!poly_vals(&(*out)[k], c, w, j, val))
				continue;
			rm_poly_split(&(*out)[k], val, u0 + j, &hi, &lo);
			free((*out)[k].v);
			(*out)[k] = hi;
			if (*nout == *cap) {
				*cap *= 2;
				*out = xreallocarray(*out, (size_t)*cap, sizeof **out);
			}
			(*out)[(*nout)++] = lo;
		}
	}
}

void
rm_centroid(const struct poly *q, double *s, double *t)
{
	int i;

	*s = *t = 0;
	for (i = 0; i < q->nv; i++) {
		*s += q->v[2 * i];
		*t += q->v[2 * i + 1];
	}
	*s /= q->nv;
	*t /= q->nv;
}

/* Relu layer i over the whole set: cuts, states, masks. */
static void
layer_cut(const struct pl_net *pl, int i, struct pset *s)
{
	struct pset o = { 0, 0, s->w, 0, NULL, NULL, NULL };
	int cap = 16, n, k, j, w = s->w;
	struct poly *pcs = xmalloc((size_t)cap * sizeof *pcs);
	double *val = xmalloc(((size_t)4 * w + 64) * sizeof *val), *row = xmalloc(3 * (size_t)w * sizeof *row);
	uint8_t *bits = xmalloc((size_t)pl->nbytes + 1);
	int *x = xmalloc((size_t)w * sizeof *x), nx;
	long q;

	for (q = 0; q < s->n && !rm_over_budget(); q++) {
		const double *c = s->c + q * 3 * w;
		nx = poly_crossing(&s->p[q], c, w, val, x);
		poly_cut(&s->p[q], c, w, pl->uoff[i], x, nx, &pcs, &n, &cap, val);
		for (k = 0; k < n && rm_room(&o, pl->nbytes); k++) {
			double cs, ct;
			rm_centroid(&pcs[k], &cs, &ct);
			for (j = 0; j < w; j++)
				val[j] = c[j] + cs * c[w + j] + ct * c[2 * w + j];
			memcpy(bits, s->bits + q * pl->nbytes, (size_t)pl->nbytes);
			pl_signs(pl, i, val, bits);
			memcpy(row, c, 3 * (size_t)w * sizeof *row);
			pl_mask(pl, i, row, 3, bits);
			rm_pset_take(&o, pl->nbytes, &pcs[k], bits, row);
		}
		for (; k < n; k++)   /* stopped by the budget: pieces not taken */
			free(pcs[k].v);
	}
	rm_pset_free(s, 0);
	*s = o;
	free(x);
	free(pcs);
	free(val);
	free(row);
	free(bits);
}

/* Affine layer i over the whole set: one GEMM. */
static void
layer_affine(const struct pl_net *pl, int i, struct pset *s)
{
	int out = pl->net->layers[i].out;
	double *y = xreallocarray(NULL, (size_t)(s->n * 3) * (size_t)out, sizeof *y);

	pl_affine(pl, i, s->c, s->n, 3, y);
	free(s->c);
	rm_live -= s->cap * pset_unit(s);
	s->c = y;
	s->w = out;
	s->cap = s->n;
	rm_live += s->cap * pset_unit(s);
}

/* ---- the driver ------------------------------------------------------------ */

struct run {
	const struct pl_net *pl;
	int nstop;           /* layers processed by cutting; the rest is projected */
	double *proj, *pb;   /* (w_stop, RM_K) and (RM_K) */
	struct ls_regionmap *rm;
	long max;
	int over;
	const struct ls_progress *progress;
	int stopped;         /* the progress function asked to stop */
};

/* Reports done (of 1); a stop request ends the run like a passed budget. */
static void
run_report(struct run *r, double done)
{
	if (ls_progress_report(r->progress, done, 1.0))
		r->stopped = r->over = 1;
}

/* Projects the finished set onto RM_K outputs and appends it to the map. */
static void
run_collect(struct run *r, struct pset *s)
{
	double *y = xreallocarray(NULL, (size_t)(s->n * 3 * RM_K), sizeof *y);
	long q;
	int k;

	if (s->n)
		ls_dgemm((int)(s->n * 3), RM_K, s->w, 1.0, s->c, 0, r->proj, 0, 0.0, y);
	for (q = 0; q < s->n; q++) {
		for (k = 0; k < RM_K; k++)
			y[q * 3 * RM_K + k] += r->pb[k];
		rm_pset_take(&r->rm->r, r->pl->nbytes, &s->p[q], s->bits + q * r->pl->nbytes,
			  y + q * 3 * RM_K);
	}
	s->n = 0;   /* the polygons now belong to the map */
	free(y);
	if (r->max && r->rm->r.n > r->max)
		r->over = 1;
}

/* c (3, w) masked by the states in bits of layer i's units x (nx; all
 * w when x is NULL), times the projection: acc (3, RM_K) += sum over the
 * units of m_j c[:, j] proj[j, :], m_j = 1 on, the leak slope off. */
static void
fused_acc(const struct run *r, int i, const double *c, int w, const int *x, int nx,
	  const uint8_t *bits, double off, double *acc)
{
	int ix, j, q, k, u0 = r->pl->uoff[i];

	for (ix = 0; ix < (x ? nx : w); ix++) {
		j = x ? x[ix] : ix;
		double m = bits[(u0 + j) >> 3] >> ((u0 + j) & 7) & 1 ? 1.0 : off;
		if (m == 0)
			continue;
		for (q = 0; q < 3; q++)
			for (k = 0; k < RM_K; k++)
				acc[q * RM_K + k] += m * c[q * w + j] * r->proj[j * RM_K + k];
	}
}

/* The last cut layer i (the projection follows) over s, straight into the
 * map: the units that do not cross a polygon have one state over all its
 * pieces, so their share of the projection is summed once per polygon and
 * each piece adds only its crossing units'. No masked rows are stored. */
static void
layer_cut_final(struct run *r, int i, struct pset *s)
{
	const struct pl_net *pl = r->pl;
	int cap = 16, n, k, j, w = s->w, nx, *x = xmalloc((size_t)w * sizeof *x);
	double off = pl->net->layers[i].kind == LS_LAYER_LEAKY_RELU ? (double)pl->net->layers[i].slope : 0.0;
	double *val = xmalloc(((size_t)4 * w + 64) * sizeof *val), base[3 * RM_K], cs, ct;
	struct poly *pcs = xmalloc((size_t)cap * sizeof *pcs);
	uint8_t *bits = xmalloc((size_t)pl->nbytes + 1);
	struct pset *o = &r->rm->r;
	long q;

	for (q = 0; q < s->n && !r->over; q++) {
		const double *c = s->c + q * 3 * w;
		nx = poly_crossing(&s->p[q], c, w, val, x);
		rm_centroid(&s->p[q], &cs, &ct);
		for (j = 0; j < w; j++)
			val[j] = c[j] + cs * c[w + j] + ct * c[2 * w + j];
		memcpy(bits, s->bits + q * pl->nbytes, (size_t)pl->nbytes);
		pl_signs(pl, i, val, bits);
		for (k = 0; k < nx; k++)   /* crossing units: counted per piece */
			bits[(pl->uoff[i] + x[k]) >> 3] &= (uint8_t)~(1u << ((pl->uoff[i] + x[k]) & 7));
		memset(base, 0, sizeof base);
		for (k = 0; k < RM_K; k++)
			base[k] = r->pb[k];
		fused_acc(r, i, c, w, NULL, 0, bits, off, base);
		poly_cut(&s->p[q], c, w, pl->uoff[i], x, nx, &pcs, &n, &cap, val);
		for (k = 0; k < n && rm_room(o, pl->nbytes); k++) {
			rm_centroid(&pcs[k], &cs, &ct);
			for (j = 0; j < nx; j++) {
				int u = pl->uoff[i] + x[j];
				double v = c[x[j]] + cs * c[w + x[j]] + ct * c[2 * w + x[j]];
				if (v > 0)
					bits[u >> 3] |= (uint8_t)(1u << (u & 7));
				else
					bits[u >> 3] &= (uint8_t)~(1u << (u & 7));
			}
			rm_pset_take(o, pl->nbytes, &pcs[k], bits, base);
			fused_acc(r, i, c, w, x, nx, bits, off, o->c + (o->n - 1) * 3 * RM_K);
		}
		for (; k < n; k++)   /* stopped by the budget: pieces not taken */
			free(pcs[k].v);
		if ((r->max && o->n > r->max) || rm_over_budget())
			r->over = 1;
	}
	free(x), free(val), free(pcs), free(bits);
}

/* Runs layers [i, nstop) over s (consumed), splitting big batches; s's
 * share of the work is [lo, hi] (the progress reported goes from lo to hi
 * over its layers; the halves of a split share what is left evenly). */
static void
run_layers(struct run *r, struct pset *s, int i, double lo, double hi)
{
	int i0 = i;

	for (; i < r->nstop && !(r->over |= rm_over_budget()); i++) {
		const struct ls_layer *l = &r->pl->net->layers[i];
		double at = lo + (hi - lo) * (i - i0) / (r->nstop - i0);
		run_report(r, at);
		if (s->n > CHUNK) {
			struct pset h;
			pset_split(s, r->pl->nbytes, s->n / 2, &h);
			run_layers(r, s, i, at, (at + hi) / 2);
			run_layers(r, &h, i, (at + hi) / 2, hi);
			return;
		}
		if (l->kind == LS_LAYER_AFFINE)
			layer_affine(r->pl, i, s);
		else if (r->pl->uoff[i] >= 0 && i == r->nstop - 1) {
			layer_cut_final(r, i, s);
			rm_pset_free(s, 0);
			run_report(r, hi);
			return;
		} else if (r->pl->uoff[i] >= 0)
			layer_cut(r->pl, i, s);
	}
	if (!r->over)
		run_collect(r, s);
	rm_pset_free(s, 0);
	if (!r->over)
		run_report(r, hi);
}

/* The starting set: the box with rows (z0, u, v). */
static void
run_start(const struct pl_net *pl, const float *z0, const float *u, const float *v,
	  const double *box, struct pset *s)
{
	int d = pl->net->in, i;
	double *c = xmalloc(3 * (size_t)d * sizeof *c);
	double pv[8] = { box[0], box[2], box[1], box[2], box[1], box[3], box[0], box[3] };
	uint8_t *bits = xcalloc((size_t)pl->nbytes + 1, 1);

	for (i = 0; i < d; i++) {
		c[i] = z0[i];
		c[d + i] = u[i];
		c[2 * d + i] = v[i];
	}
	s->w = d;
	static const int lab[4] = { -1, -1, -1, -1 };
	struct poly box4 = { 4, pv, (int *)lab };

	pset_push(s, pl->nbytes, &box4, bits, c);
	free(c);
	free(bits);
}

enum ls_status
ls_regions_2d(struct ls_net *net, const float *z0, const float *u, const float *v,
	      const double box[4], long max_regions, struct ls_regionmap **out, char *err)
{
	struct ls_regionmap_opts o = { max_regions, NULL };

	return ls_regions_2d_opts(net, z0, u, v, box, &o, out, err);
}

enum ls_status
ls_regions_2d_opts(struct ls_net *net, const float *z0, const float *u, const float *v,
		   const double box[4], const struct ls_regionmap_opts *o,
		   struct ls_regionmap **out, char *err)
{
	long max_regions = o->max_regions;
	struct run r = { 0 };
	struct pl_net pl;
	struct pset s = { 0 };
	enum ls_status st;
	int i, d = net->in;

	*out = NULL;
	for (i = 0; i < 4; i++)
		if (!isfinite(box[i]))
			return ls_err(err, LS_EINVAL, "the box is not finite");
	if (!(box[0] < box[1]) || !(box[2] < box[3]))
		return ls_err(err, LS_EINVAL, "the box is empty: want s0 < s1 and t0 < t1");
	for (i = 0; i < d; i++)
		if (!isfinite(z0[i]) || !isfinite(u[i]) || !isfinite(v[i]))
			return ls_err(err, LS_EINVAL, "the start latent or a direction is not finite");
	rm_live = 0;
	rm_hit = 0;
	rm_budget = rm_mem_max;
	if (!net->layers) {   /* a graph: the node-table cuts */
		st = regions_graph_2d(net, z0, u, v, box, o, out, err);
		if (st == LS_ENOMEM && rm_over_budget())
			st = ls_err(err, LS_ENOMEM, "the plane's regions need more than the memory "
				    "budget of %lld MB: use a smaller range", rm_mem_max >> 20);
		rm_budget = 0;
		return st;
	}
	if ((st = pl_net_init(&pl, net, err)) != LS_OK) {
		rm_budget = 0;
		return st;
	}
	r.pl = &pl;
	r.max = max_regions;
	r.progress = o->progress;
	r.rm = xcalloc(1, sizeof *r.rm);
	memcpy(r.rm->box, box, 4 * sizeof *box);
	r.rm->nbytes = pl.nbytes;
	r.rm->d = d;
	r.rm->r.w = RM_K;
	r.rm->z0 = xmalloc(3 * (size_t)d * sizeof(float));
	r.rm->u = r.rm->z0 + d;
	r.rm->v = r.rm->z0 + 2 * d;
	memcpy(r.rm->z0, z0, (size_t)d * sizeof *z0);
	memcpy(r.rm->u, u, (size_t)d * sizeof *u);
	memcpy(r.rm->v, v, (size_t)d * sizeof *v);
	r.proj = pl_projection(&pl, &r.nstop, &r.pb);
	run_start(&pl, z0, u, v, box, &s);
	run_layers(&r, &s, 0, 0.0, 1.0);
	free(r.proj);
	free(r.pb);
	pl_net_free(&pl);
	if (r.over) {
		long n = r.rm->r.n;
		int mem = rm_over_budget();
		ls_regionmap_free(r.rm);
		rm_pset_free(&s, 0);
		rm_budget = 0;
		if (r.stopped)
			return ls_err(err, LS_ENOMEM, "stopped (%ld regions done)", n);
		if (mem)
			return ls_err(err, LS_ENOMEM, "the plane's regions need more than the memory "
				      "budget of %lld MB at this width (%ld regions done): use a smaller range",
				      rm_mem_max >> 20, n);
		return ls_err(err, LS_ENOMEM, "more than %ld regions in the plane", max_regions);
	}
	rm_budget = 0;
	rm_finish(r.rm);
	*out = r.rm;
	return LS_OK;
}

void
ls_regionmap_free(struct ls_regionmap *rm)
{
	if (!rm)
		return;
	rm_pset_free(&rm->r, 0);
	free(rm->area);
	free(rm->lin);
	free(rm->pairs);
	free(rm->color);
	free(rm->z0);
	free(rm);
}

/* ---- accessors -------------------------------------------------------------- */

void
ls_regionmap_box(const struct ls_regionmap *rm, double box[4])
{
	memcpy(box, rm->box, 4 * sizeof *box);
}

long
ls_regionmap_count(const struct ls_regionmap *rm)
{
	return rm->r.n;
}

long
ls_regionmap_linear_count(const struct ls_regionmap *rm)
{
	return rm->nlinear;
}

const double *
ls_regionmap_polygon(const struct ls_regionmap *rm, long i, int *nv)
{
	*nv = rm->r.p[i].nv;
	return rm->r.p[i].v;
}

double
ls_regionmap_area(const struct ls_regionmap *rm, long i)
{
	return rm->area[i];
}

const uint8_t *
ls_regionmap_pattern(const struct ls_regionmap *rm, long i)
{
	return rm->r.bits + i * rm->nbytes;
}

uint64_t
ls_regionmap_id(const struct ls_regionmap *rm, long i)
{
	return pl_hash(rm->r.bits + i * rm->nbytes, rm->nbytes);
}

long
ls_regionmap_linear_of(const struct ls_regionmap *rm, long i)
{
	return rm->lin[i];
}

const long *
ls_regionmap_adjacency(const struct ls_regionmap *rm, long *npairs)
{
	*npairs = rm->npairs;
	return rm->pairs;
}

int
ls_regionmap_color(const struct ls_regionmap *rm, long i)
{
	return rm->color[i];
}

long
ls_regionmap_locate(const struct ls_regionmap *rm, double s, double t)
{
	long i;

	if (s < rm->box[0] || s > rm->box[1] || t < rm->box[2] || t > rm->box[3])
		return -1;
	for (i = 0; i < rm->r.n; i++)
		if (rm_poly_contains(&rm->r.p[i], s, t))
			return i;
	return -1;
}
