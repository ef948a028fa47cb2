/*
 * regionmap.c: what is derived from the polygons of a region map: areas,
 * adjacency (regions sharing an edge of positive length), linear regions
 * (neighbours with equal affine maps merged, union-find), a colouring in
 * which neighbours differ (greedy), the affine map of a region, and the
 * rendering to an RGB raster.
 *
 * Adjacency candidates: across an edge cut by unit j, the region whose
 * pattern is this one with j flipped, found in O(1) with a Zobrist hash
 * (XOR of one random key per on unit), then checked geometrically. Two regions separated by two units
 * whose zero lines coincide are not found as neighbours (non-generic).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "regions_priv.h"

#define GEOM_TOL 1e-9

/* ---- areas ----------------------------------------------------------------- */

static double
poly_area(const struct poly *q)
{
	double a = 0;
	int i;

	for (i = 0; i < q->nv; i++) {
		const double *p = q->v + 2 * i, *r = q->v + 2 * ((i + 1) % q->nv);
		a += p[0] * r[1] - r[0] * p[1];
	}
	return 0.5 * a;
}

/* ---- adjacency ------------------------------------------------------------- */

/* Do edges (p, q) and (r, s) lie on one line and overlap with positive
 * length? tol is absolute. */
static int
edges_touch(const double *p, const double *q, const double *r, const double *s, double tol)
{
	double dx = q[0] - p[0], dy = q[1] - p[1], len = hypot(dx, dy), a, b;

	if (len <= tol)
		return 0;
	if (fabs(dx * (r[1] - p[1]) - dy * (r[0] - p[0])) / len > tol ||
	    fabs(dx * (s[1] - p[1]) - dy * (s[0] - p[0])) / len > tol)
		return 0;
	a = ((r[0] - p[0]) * dx + (r[1] - p[1]) * dy) / len;
	b = ((s[0] - p[0]) * dx + (s[1] - p[1]) * dy) / len;
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	return fmin(b, len) - fmax(a, 0) > tol;
}

static int
polys_touch(const struct poly *x, const struct poly *y, double tol)
{
	int i, j;

	for (i = 0; i < x->nv; i++)
		for (j = 0; j < y->nv; j++)
			if (edges_touch(x->v + 2 * i, x->v + 2 * ((i + 1) % x->nv), y->v + 2 * j,
					y->v + 2 * ((j + 1) % y->nv), tol))
				return 1;
	return 0;
}

/* Zobrist keys, one per unit. */
static uint64_t *
zobrist_keys(int units)
{
	uint64_t *k = xmalloc(((size_t)units + 1) * sizeof *k), x = 0x2545f4914f6cdd1dULL;
	int i;

	for (i = 0; i < units; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		k[i] = x * 0x9e3779b97f4a7c15ULL;
	}
	return k;
}

static uint64_t
zobrist(const uint8_t *bits, int units, const uint64_t *keys)
{
	uint64_t h = 0;
	int i;

	for (i = 0; i < units; i++)
		if (bits[i >> 3] >> (i & 7) & 1)
			h ^= keys[i];
	return h;
}

/* Open-addressing table of region indices by hash; size a power of two. */
struct htab {
	long size;
	int shift;       /* 64 - log2(size) */
	long *slot;      /* -1 empty */
	uint64_t *hash;  /* (n) hash of each region */
};

static long
htab_find(const struct htab *t, const struct ls_regionmap *rm, uint64_t h, const uint8_t *bits)
{
	long i = (long)((h * 0x9e3779b97f4a7c15ULL) >> t->shift), r;

	while ((r = t->slot[i]) >= 0) {
		if (t->hash[r] == h && !memcmp(rm->r.bits + r * rm->nbytes, bits, (size_t)rm->nbytes))
			return r;
		i = (i + 1) & (t->size - 1);
	}
	return -1;
}

static void
htab_build(struct htab *t, const struct ls_regionmap *rm, int units, const uint64_t *keys)
{
	long q, i;

	for (t->size = 16, t->shift = 60; t->size < 2 * rm->r.n; t->size *= 2)
		t->shift--;
	t->slot = xmalloc((size_t)t->size * sizeof *t->slot);
	memset(t->slot, 0xff, (size_t)t->size * sizeof *t->slot);
	t->hash = xmalloc(((size_t)rm->r.n + 1) * sizeof *t->hash);
	for (q = 0; q < rm->r.n; q++) {
		t->hash[q] = zobrist(rm->r.bits + q * rm->nbytes, units, keys);
		for (i = (long)((t->hash[q] * 0x9e3779b97f4a7c15ULL) >> t->shift); t->slot[i] >= 0;
		     i = (i + 1) & (t->size - 1))
			;
		t->slot[i] = q;
	}
}

static void
push_pair(struct ls_regionmap *rm, long *cap, long a, long b)
{
	if (rm->npairs == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		rm->pairs = xreallocarray(rm->pairs, (size_t)*cap * 2, sizeof *rm->pairs);
	}
	rm->pairs[2 * rm->npairs] = a;
	rm->pairs[2 * rm->npairs + 1] = b;
	rm->npairs++;
}

/* Does edge e's label appear on an earlier edge of p? */
static int
lab_seen(const struct poly *p, int e)
{
	int i;

	for (i = 0; i < e; i++)
		if (p->lab[i] == p->lab[e])
			return 1;
	return 0;
}

/* Pairs (i < k) of regions sharing an edge: the candidates across an edge
 * cut by unit j are the regions whose pattern is this one with j flipped. */
static void
find_adjacency(struct ls_regionmap *rm, int units)
{
	uint64_t *keys = zobrist_keys(units);
	uint8_t *flip = xmalloc((size_t)rm->nbytes + 1);
	double tol = GEOM_TOL * (rm->box[1] - rm->box[0] + rm->box[3] - rm->box[2]);
	struct htab t;
	long q, k, cap = 0;
	int j, e;

	htab_build(&t, rm, units, keys);
	for (q = 0; q < rm->r.n; q++) {
		const struct poly *p = &rm->r.p[q];
		memcpy(flip, rm->r.bits + q * rm->nbytes, (size_t)rm->nbytes);
		for (e = 0; e < p->nv; e++) {
			if ((j = p->lab[e]) < 0 || lab_seen(p, e))
				continue;
			flip[j >> 3] ^= (uint8_t)(1u << (j & 7));
			k = htab_find(&t, rm, t.hash[q] ^ keys[j], flip);
			flip[j >> 3] ^= (uint8_t)(1u << (j & 7));
			if (k > q && polys_touch(p, &rm->r.p[k], tol))
				push_pair(rm, &cap, q, k);
		}
	}
	free(t.slot);
	free(t.hash);
	free(keys);
	free(flip);
}

/* Pairs of a graph map, where one cut may change several pattern bits: the
 * polygons go into a uniform grid of cells by bounding box; a pair is
 * tested in the cell holding the low corner of their boxes' overlap only. */
static void
find_adjacency_geo(struct ls_regionmap *rm)
{
	long n = rm->r.n, q, k, cap = 0, *start, *fill = NULL, *cell = NULL, nc;
	double tol = GEOM_TOL * (rm->box[1] - rm->box[0] + rm->box[3] - rm->box[2]);
	double *bb = xmalloc(((size_t)n + 1) * 4 * sizeof *bb), cw, ch;
	int G = (int)ceil(sqrt((double)n)), i, x0, x1, y0, y1, x, y;

	G = G < 1 ? 1 : G > 4096 ? 4096 : G;
	cw = (rm->box[1] - rm->box[0]) / G, ch = (rm->box[3] - rm->box[2]) / G;
	for (q = 0; q < n; q++) {
		const struct poly *p = &rm->r.p[q];
		double *b = bb + 4 * q;
		b[0] = b[2] = INFINITY, b[1] = b[3] = -INFINITY;
		for (i = 0; i < p->nv; i++) {
			b[0] = fmin(b[0], p->v[2 * i] - tol), b[1] = fmax(b[1], p->v[2 * i] + tol);
			b[2] = fmin(b[2], p->v[2 * i + 1] - tol), b[3] = fmax(b[3], p->v[2 * i + 1] + tol);
		}
	}
#define GCELL(sv, tv, X, Y) do {                                                          \
		X = (int)floor(((sv) - rm->box[0]) / cw), Y = (int)floor(((tv) - rm->box[2]) / ch); \
		X = X < 0 ? 0 : X >= G ? G - 1 : X, Y = Y < 0 ? 0 : Y >= G ? G - 1 : Y;           \
	} while (0)
	start = xcalloc((size_t)G * G + 2, sizeof *start);
	for (int pass = 0; pass < 2; pass++) {
		for (q = 0; q < n; q++) {
			const double *b = bb + 4 * q;
			GCELL(b[0], b[2], x0, y0);
			GCELL(b[1], b[3], x1, y1);
			for (y = y0; y <= y1; y++)
				for (x = x0; x <= x1; x++) {
					if (pass == 0)
						start[(long)y * G + x + 1]++;
					else
						cell[start[(long)y * G + x] + fill[(long)y * G + x]++] = q;
				}
		}
		if (pass == 0) {
			for (k = 0; k < (long)G * G; k++)
				start[k + 1] += start[k];
			cell = xmalloc(((size_t)start[(long)G * G] + 1) * sizeof *cell);
			fill = xcalloc((size_t)G * G + 1, sizeof *fill);
		}
	}
	for (nc = 0; nc < (long)G * G; nc++)
		for (q = start[nc]; q < start[nc + 1]; q++)
			for (k = q + 1; k < start[nc + 1]; k++) {
				long a = cell[q], b = cell[k];
				const double *ba = bb + 4 * a, *bk = bb + 4 * b;
				if (ba[0] > bk[1] || bk[0] > ba[1] || ba[2] > bk[3] || bk[2] > ba[3])
					continue;
				GCELL(fmax(ba[0], bk[0]), fmax(ba[2], bk[2]), x, y);
				if ((long)y * G + x != nc || !polys_touch(&rm->r.p[a], &rm->r.p[b], tol))
					continue;
				push_pair(rm, &cap, a < b ? a : b, a < b ? b : a);
			}
#undef GCELL
	free(bb), free(start), free(fill), free(cell);
}

/* ---- linear regions ------------------------------------------------------- */

static long
uf_find(long *par, long x)
{
	while (par[x] != x)
		x = par[x] = par[par[x]];
	return x;
}

static int
maps_equal(const double *x, const double *y)
{
	double m = 0, s = 0;
	int i;

	for (i = 0; i < 3 * RM_K; i++) {
		m = fmax(m, fabs(x[i] - y[i]));
		s = fmax(s, fmax(fabs(x[i]), fabs(y[i])));
	}
	return m <= RM_MAP_TOL * s;
}

static void
find_linear(struct ls_regionmap *rm)
{
	long *par = xmalloc(((size_t)rm->r.n + 1) * sizeof *par), q, *id;

	for (q = 0; q < rm->r.n; q++)
		par[q] = q;
	for (q = 0; q < rm->npairs; q++) {
		long a = rm->pairs[2 * q], b = rm->pairs[2 * q + 1];
		if (maps_equal(rm->r.c + a * 3 * RM_K, rm->r.c + b * 3 * RM_K))
			par[uf_find(par, a)] = uf_find(par, b);
	}
	id = xmalloc(((size_t)rm->r.n + 1) * sizeof *id);
	memset(id, 0xff, ((size_t)rm->r.n + 1) * sizeof *id);
	rm->lin = xmalloc(((size_t)rm->r.n + 1) * sizeof *rm->lin);
	rm->nlinear = 0;
	for (q = 0; q < rm->r.n; q++) {
		long root = uf_find(par, q);
		if (id[root] < 0)
			id[root] = rm->nlinear++;
		rm->lin[q] = id[root];
	}
	free(par);
	free(id);
}

/* ---- colouring ------------------------------------------------------------ */

static void
find_colors(struct ls_regionmap *rm)
{
	long n = rm->r.n, q, *start = xcalloc((size_t)n + 2, sizeof *start), *nb;
	long *fill = xcalloc((size_t)n + 1, sizeof *fill);
	uint8_t used[4096];
	int c;

	for (q = 0; q < 2 * rm->npairs; q++)
		start[rm->pairs[q] + 1]++;
	for (q = 0; q < n; q++)
		start[q + 1] += start[q];
	nb = xmalloc(((size_t)start[n] + 1) * sizeof *nb);
	for (q = 0; q < rm->npairs; q++) {
		long a = rm->pairs[2 * q], b = rm->pairs[2 * q + 1];
		nb[start[a] + fill[a]++] = b;
		nb[start[b] + fill[b]++] = a;
	}
	rm->color = xmalloc(((size_t)n + 1) * sizeof *rm->color);
	for (q = 0; q < n; q++) {
		long deg = start[q + 1] - start[q], e;
		int lim = deg + 1 < (long)sizeof used ? (int)deg + 1 : (int)sizeof used;
		memset(used, 0, (size_t)lim);
		for (e = start[q]; e < start[q + 1]; e++)
			if (nb[e] < q && rm->color[nb[e]] < lim)
				used[rm->color[nb[e]]] = 1;
		for (c = 0; c < lim - 1 && used[c]; c++)
			;
		rm->color[q] = c;
	}
	free(start);
	free(fill);
	free(nb);
}

void
rm_finish(struct ls_regionmap *rm)
{
	int units = rm->nbytes * 8;
	long q;

	rm->area = xmalloc(((size_t)rm->r.n + 1) * sizeof *rm->area);
	for (q = 0; q < rm->r.n; q++)
		rm->area[q] = poly_area(&rm->r.p[q]);
	if (rm->geo)
		find_adjacency_geo(rm);
	else
		find_adjacency(rm, units);
	find_linear(rm);
	find_colors(rm);
}

/* ---- the affine map of a region ---------------------------------------------- */

void
ls_regionmap_affine(struct ls_net *net, const struct ls_regionmap *rm, long i, double *coef)
{
	struct pl_net pl;
	double *x, *y;
	int k, d = rm->d;

	if (!net->layers) {
		regions_graph_affine(net, rm, i, coef);
		return;
	}
	if (pl_net_init(&pl, net, NULL) != LS_OK)
		return;
	x = xmalloc(3 * (size_t)pl.maxw * sizeof *x);
	y = xmalloc(3 * (size_t)pl.maxw * sizeof *y);
	for (k = 0; k < d; k++) {
		x[k] = rm->z0[k];
		x[d + k] = rm->u[k];
		x[2 * d + k] = rm->v[k];
	}
	for (k = 0; k < pl.nl; k++) {
		const struct ls_layer *l = &net->layers[k];
		if (l->kind == LS_LAYER_AFFINE) {
			pl_affine(&pl, k, x, 1, 3, y);
			memcpy(x, y, 3 * (size_t)l->out * sizeof *x);
		} else if (pl.uoff[k] >= 0) {
			pl_mask(&pl, k, x, 3, rm->r.bits + i * rm->nbytes);
		}
	}
	memcpy(coef, x, 3 * (size_t)pl.out * sizeof *coef);
	free(x);
	free(y);
	pl_net_free(&pl);
}

/* ---- rendering ------------------------------------------------------------------- */

/* Colour c as RGB: a fixed palette, then golden-angle hues. */
static void
color_rgb(int c, uint8_t *px)
{
	static const uint8_t pal[12][3] = {
		{ 78, 121, 167 }, { 242, 142, 43 }, { 225, 87, 89 }, { 118, 183, 178 },
		{ 89, 161, 79 }, { 237, 201, 72 }, { 176, 122, 161 }, { 255, 157, 167 },
		{ 156, 117, 95 }, { 186, 176, 172 }, { 134, 188, 232 }, { 200, 220, 120 } };
	double h, f;
	int i;

	if (c < 12) {
		memcpy(px, pal[c], 3);
		return;
	}
	h = fmod(c * 137.508, 360.0) / 60.0;
	i = (int)h;
	f = h - i;
	{
		uint8_t hi = 220, lo = 90, up = (uint8_t)(lo + f * (hi - lo)), dn = (uint8_t)(hi - f * (hi - lo));
		uint8_t t[6][3] = { { hi, up, lo }, { dn, hi, lo }, { lo, hi, up },
				    { lo, dn, hi }, { up, lo, hi }, { hi, lo, dn } };
		memcpy(px, t[i % 6], 3);
	}
}

/* Region index per pixel (h, w), -1 where none. */
static long *
pixel_regions(const struct ls_regionmap *rm, int w, int h)
{
	long *idx = xmalloc((size_t)w * (size_t)h * sizeof *idx), q;
	double sw = (rm->box[1] - rm->box[0]) / w, th = (rm->box[3] - rm->box[2]) / h;
	int x, y, i;

	memset(idx, 0xff, (size_t)w * (size_t)h * sizeof *idx);
	for (q = 0; q < rm->r.n; q++) {
		const struct poly *p = &rm->r.p[q];
		double s0 = INFINITY, s1 = -INFINITY, t0 = INFINITY, t1 = -INFINITY;
		for (i = 0; i < p->nv; i++) {
			s0 = fmin(s0, p->v[2 * i]), s1 = fmax(s1, p->v[2 * i]);
			t0 = fmin(t0, p->v[2 * i + 1]), t1 = fmax(t1, p->v[2 * i + 1]);
		}
		int x0 = (int)floor((s0 - rm->box[0]) / sw - 0.5), x1 = (int)ceil((s1 - rm->box[0]) / sw);
		int y0 = (int)floor((rm->box[3] - t1) / th - 0.5), y1 = (int)ceil((rm->box[3] - t0) / th);
		for (y = y0 < 0 ? 0 : y0; y < h && y <= y1; y++)
			for (x = x0 < 0 ? 0 : x0; x < w && x <= x1; x++)
				if (idx[(long)y * w + x] < 0 &&
				    rm_poly_contains(p, rm->box[0] + (x + 0.5) * sw, rm->box[3] - (y + 0.5) * th))
					idx[(long)y * w + x] = q;
	}
	return idx;
}

/* A white polyline through the path points. */
static void
draw_path(const struct ls_regionmap *rm, struct ls_raster *r, const double *path, int n)
{
	double sw = (rm->box[1] - rm->box[0]) / r->w, th = (rm->box[3] - rm->box[2]) / r->h;
	int i, k;

	for (i = 0; i + 1 < n; i++) {
		double x0 = (path[2 * i] - rm->box[0]) / sw, y0 = (rm->box[3] - path[2 * i + 1]) / th;
		double x1 = (path[2 * i + 2] - rm->box[0]) / sw, y1 = (rm->box[3] - path[2 * i + 3]) / th;
		int steps = (int)fmin(4.0 * (r->w + r->h), ceil(fmax(fabs(x1 - x0), fabs(y1 - y0))) + 1);
		for (k = 0; k <= steps; k++) {
			double f = (double)k / steps;
			int x = (int)floor(x0 + f * (x1 - x0)), y = (int)floor(y0 + f * (y1 - y0));
			if (x >= 0 && x < r->w && y >= 0 && y < r->h)
				memset(r->px + ((long)y * r->w + x) * 3, 255, 3);
		}
	}
}

void
ls_regionmap_render(const struct ls_regionmap *rm, int w, int h, const double *path,
		    int npath, struct ls_raster *r)
{
	long *idx = pixel_regions(rm, w, h), i;
	int x, y;

	r->w = w;
	r->h = h;
	r->c = 3;
	r->px = xcalloc((size_t)w * (size_t)h, 3);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t *px = r->px + ((long)y * w + x) * 3;
			i = idx[(long)y * w + x];
			if (i < 0)
				continue;
			color_rgb(rm->color[i], px);
			if ((x + 1 < w && idx[(long)y * w + x + 1] != i) ||
			    (y + 1 < h && idx[(long)(y + 1) * w + x] != i))
				px[0] = px[1] = px[2] = 30;
		}
	if (path && npath > 1)
		draw_path(rm, r, path, npath);
	free(idx);
}
