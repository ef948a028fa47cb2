/*
 * regions2d.c: exact linear regions of a piecewise-linear net over a plane
 * z0 + s u + t v, (s, t) in a box, as convex polygons.
 *
 * Layer by layer: every polygon carries its pre-activations as affine
 * functions of (s, t), three rows (c, a, b) with p = c + s a + t b, which go
 * through each affine layer as one GEMM for all polygons. At a relu layer
 * each unit's zero line p = 0 cuts the polygon (and its pieces) where p
 * takes both strict signs at its vertices; each resulting piece gets the
 * unit's state at its centroid and the masked rows. Batches above CHUNK
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

#include "linscope/blas.h"
#include "linscope/util.h"
#include "regions_priv.h"

#define CHUNK 256
#define ZTOL 1e-12

/* ---- polygon sets -------------------------------------------------------- */

/* Fills q with a copy of nv vertices v (nv, 2) and edge labels lab. */
static void
poly_make(struct poly *q, const double *v, const int *lab, int nv)
{
	q->nv = nv;
	q->v = xmalloc((size_t)nv * (2 * sizeof *v + sizeof *lab));
	q->lab = (int *)(q->v + 2 * nv);
	memcpy(q->v, v, (size_t)nv * 2 * sizeof *v);
	memcpy(q->lab, lab, (size_t)nv * sizeof *lab);
}

static void
pset_push(struct pset *s, int nbytes, const struct poly *q, const uint8_t *bits,
	  const double *c)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->p = xreallocarray(s->p, (size_t)s->cap, sizeof *s->p);
		s->bits = xreallocarray(s->bits, (size_t)s->cap, (size_t)nbytes + 1);
		s->c = xreallocarray(s->c, (size_t)s->cap * 3, (size_t)s->w * sizeof *s->c);
	}
	poly_make(&s->p[s->n], q->v, q->lab, q->nv);
	memcpy(s->bits + s->n * nbytes, bits, (size_t)nbytes);
	memcpy(s->c + s->n * 3 * s->w, c, 3 * (size_t)s->w * sizeof *c);
	s->n++;
}

static void
pset_free(struct pset *s, int keep_polys)
{
	long i;

	for (i = 0; !keep_polys && i < s->n; i++)
		free(s->p[i].v);
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
static void
poly_split(const struct poly *q, const double *val, int unit, struct poly *hi, struct poly *lo)
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
	poly_make(hi, vh, lh, nh);
	poly_make(lo, vl, ll, nl);
	free(vh);
	free(lh);
}

/* Cuts polygon q (rows c of width w; units numbered from u0) by every
 * unit of the layer; the pieces go to *out (*nout, grown). */
static void
poly_cut(const struct poly *q, const double *c, int w, int u0, struct poly **out, int *nout,
	 int *cap, double *val)
{
	int j, k, n;

	poly_make(&(*out)[0], q->v, q->lab, q->nv);
	*nout = 1;
	for (j = 0; j < w; j++) {
		for (k = 0, n = *nout; k < n; k++) {
			struct poly hi, lo;
			if (!poly_vals(&(*out)[k], c, w, j, val))
				continue;
			poly_split(&(*out)[k], val, u0 + j, &hi, &lo);
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

static void
centroid(const struct poly *q, double *s, double *t)
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
	struct pset o = { 0, 0, s->w, NULL, NULL, NULL };
	int cap = 16, n, k, j, w = s->w;
	struct poly *pcs = xmalloc((size_t)cap * sizeof *pcs);
	double *val = xmalloc(((size_t)4 * w + 64) * sizeof *val), *row = xmalloc(3 * (size_t)w * sizeof *row);
	uint8_t *bits = xmalloc((size_t)pl->nbytes + 1);
	long q;

	for (q = 0; q < s->n; q++) {
		const double *c = s->c + q * 3 * w;
		poly_cut(&s->p[q], c, w, pl->uoff[i], &pcs, &n, &cap, val);
		for (k = 0; k < n; k++) {
			double cs, ct;
			centroid(&pcs[k], &cs, &ct);
			for (j = 0; j < w; j++)
				val[j] = c[j] + cs * c[w + j] + ct * c[2 * w + j];
			memcpy(bits, s->bits + q * pl->nbytes, (size_t)pl->nbytes);
			pl_signs(pl, i, val, bits);
			memcpy(row, c, 3 * (size_t)w * sizeof *row);
			pl_mask(pl, i, row, 3, bits);
			pset_push(&o, pl->nbytes, &pcs[k], bits, row);
			free(pcs[k].v);
		}
	}
	pset_free(s, 0);
	*s = o;
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
	s->c = y;
	s->w = out;
	s->cap = s->n;
}

/* ---- the driver ------------------------------------------------------------ */

struct run {
	const struct pl_net *pl;
	int nstop;           /* layers processed by cutting; the rest is projected */
	double *proj, *pb;   /* (w_stop, RM_K) and (RM_K) */
	struct ls_regionmap *rm;
	long max;
	int over;
};

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
		pset_push(&r->rm->r, r->pl->nbytes, &s->p[q], s->bits + q * r->pl->nbytes,
			  y + q * 3 * RM_K);
	}
	free(y);
	if (r->max && r->rm->r.n > r->max)
		r->over = 1;
}

/* Runs layers [i, nstop) over s (consumed), splitting big batches. */
static void
run_layers(struct run *r, struct pset *s, int i)
{
	for (; i < r->nstop && !r->over; i++) {
		const struct ls_layer *l = &r->pl->net->layers[i];
		if (s->n > CHUNK) {
			struct pset h = { 0, 0, s->w, NULL, NULL, NULL };
			long q;
			for (q = s->n / 2; q < s->n; q++) {
				pset_push(&h, r->pl->nbytes, &s->p[q], s->bits + q * r->pl->nbytes,
					  s->c + q * 3 * s->w);
				free(s->p[q].v);
			}
			s->n /= 2;
			run_layers(r, s, i);
			run_layers(r, &h, i);
			return;
		}
		if (l->kind == LS_LAYER_AFFINE)
			layer_affine(r->pl, i, s);
		else if (r->pl->uoff[i] >= 0)
			layer_cut(r->pl, i, s);
	}
	if (!r->over)
		run_collect(r, s);
	pset_free(s, 0);
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
	if ((st = pl_net_init(&pl, net, err)) != LS_OK)
		return st;
	r.pl = &pl;
	r.max = max_regions;
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
	run_layers(&r, &s, 0);
	free(r.proj);
	free(r.pb);
	pl_net_free(&pl);
	if (r.over) {
		ls_regionmap_free(r.rm);
		return ls_err(err, LS_ENOMEM, "more than %ld regions in the plane", max_regions);
	}
	rm_finish(r.rm);
	*out = r.rm;
	return LS_OK;
}

void
ls_regionmap_free(struct ls_regionmap *rm)
{
	if (!rm)
		return;
	pset_free(&rm->r, 0);
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
