/*
 * tropmap.c: the tropical hypersurfaces of F and G of one output unit over
 * a plane of the input, as a raster (tropical.h, ls_tropical_map).
 *
 * No polynomial is expanded: at each pixel's point z the composition of
 * tropical.c is followed along its maximising terms only. Every unit
 * carries F_i and G_i as their value at z and their gradient (the
 * maximising monomial's exponent a; its constant is value - a.z); an
 * affine layer routes them with W+ and W- (H = b + W+ F + W- G,
 * G' = W+ G + W- F) and relu keeps the larger of H and G' as F' (ties: H),
 * leaky relu s H + (1 - s) max(H, G'), carried as F - G and F + G (see
 * layer_step). A pixel lies on F's hypersurface
 * when the maximising monomial of F changes between it and a neighbour,
 * the same for G; the output's affine piece is that of F - G.
 *
 * Pixels go in blocks of TM_BLOCK points: the state of a layer is two
 * matrices (TM_BLOCK (d + 1), width), F - G and F + G, value rows then gradient rows per
 * point, multiplied by W and |W| with one GEMM each (blas.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/png.h"
#include "linscope/tropical.h"
#include "base/blas.h"
#include "base/util.h"

#define TM_BLOCK 512
#define PIECE_HASH0 0xcbf29ce484222325ull

/* Row k of layer l (all rows when k < 0) and its absolute values:
 * (rows, in). */
static void
layer_weights(const struct ls_dense *l, int k, double *w, double *wa)
{
	int r0 = k >= 0 ? k : 0, rows = k >= 0 ? 1 : l->out;
	size_t n = (size_t)rows * l->in, i;

	memcpy(w, l->w + (size_t)r0 * l->in, n * sizeof *w);
	for (i = 0; i < n; i++)
		wa[i] = fabs(w[i]);
}

/* The state of one layer for a block of points: D = F - G and
 * S = F + G, (rows, width) each, rows = npts (d + 1). */
struct tm_state {
	int width;
	double *f, *g;   /* D, S */
};

/* One layer. With W = W+ - W-: H - G' = W D + b (the pre-activation) and
 * H + G' = |W| S + b, so two GEMMs instead of four; then relu (or leaky
 * with slope s) gives D' = act(pre) and S' = S_aff - pre + act(pre), with
 * act a factor per unit and point: 1 where pre >= 0 (F' = H), else s. */
static void
layer_step(const struct ls_dense *l, int k, int rows, int r, const struct tm_state *in,
	   double *w, double *wa, double *dn, double *sn)
{
	int out = k >= 0 ? 1 : l->out, p, j, q;
	double sl = l->act == LS_ACT_LEAKY ? l->slope : l->act == LS_ACT_RELU ? 0 : 1;

	layer_weights(l, k, w, wa);
	ls_dgemm(rows, out, l->in, 1, in->f, 0, w, 1, 0, dn);
	ls_dgemm(rows, out, l->in, 1, in->g, 0, wa, 1, 0, sn);
	for (p = 0; p < rows; p += r)
		for (j = 0; j < out; j++) {
			double b = l->b[k >= 0 ? k : j], fac;
			dn[(size_t)p * out + j] += b;
			sn[(size_t)p * out + j] += b;
			fac = dn[(size_t)p * out + j] >= 0 ? 1 : sl;
			for (q = 0; q < r && fac != 1; q++) {
				size_t i = (size_t)(p + q) * out + j;
				sn[i] += (fac - 1) * dn[i];
				dn[i] *= fac;
			}
		}
}

/* The input rows of n points z = z0 + s u + t v (F = z, G = 0). */
static void
input_block(const struct ls_mlp *m, const double *pts, int n, const double *z0,
	    const double *u, const double *v, struct tm_state *st)
{
	int d = m->d, r = d + 1, p, i;

	st->width = d;
	memset(st->f, 0, (size_t)n * r * d * sizeof *st->f);
	memset(st->g, 0, (size_t)n * r * d * sizeof *st->g);
	for (p = 0; p < n; p++)
		for (i = 0; i < d; i++) {
			st->f[(size_t)p * r * d + i] = z0[i] + pts[2 * p] * u[i] + pts[2 * p + 1] * v[i];
			st->f[((size_t)p * r + 1 + i) * d + i] = 1;
		}
	memcpy(st->g, st->f, (size_t)n * r * d * sizeof *st->g);
}

/* Widest layer of m (inputs included). */
static int
widest(const struct ls_mlp *m)
{
	int w = m->d, i;

	for (i = 0; i < m->nl; i++)
		w = m->l[i].out > w ? m->l[i].out : w;
	return w;
}

/* F and G of output k at n points: mono (n, 2, d + 1) gets per point the
 * maximising monomial (a, b) of F, then of G. */
static void
eval_block(const struct ls_mlp *m, int k, const double *pts, int n, const double *z0,
	   const double *u, const double *v, double *mono, double *buf[6])
{
	int d = m->d, r = d + 1, rows = n * r, i, p, q, out = 0;
	struct tm_state st = { 0, buf[0], buf[1] };

	input_block(m, pts, n, z0, u, v, &st);
	for (i = 0; i < m->nl; i++) {
		const struct ls_dense *l = &m->l[i];
		int kk = i + 1 == m->nl ? k : -1;
		out = kk >= 0 ? 1 : l->out;
		layer_step(l, kk, rows, r, &st, buf[4], buf[5], buf[2], buf[3]);
		double *t0 = st.f, *t1 = st.g;
		st.f = buf[2], st.g = buf[3], buf[2] = t0, buf[3] = t1;
		st.width = out;
	}
	buf[0] = st.f, buf[1] = st.g;
	for (p = 0; p < n; p++)
		for (q = 0; q < 2; q++) {
			const double sg = q ? -0.5 : 0.5;   /* F = (S + D) / 2, G = (S - D) / 2 */
			double *o = mono + ((size_t)p * 2 + q) * r;
			double b = 0.5 * st.g[(size_t)p * r] + sg * st.f[(size_t)p * r];
			for (i = 0; i < d; i++) {
				o[i] = 0.5 * st.g[(size_t)p * r + 1 + i] + sg * st.f[(size_t)p * r + 1 + i];
				b -= o[i] * (z0[i] + pts[2 * p] * u[i] + pts[2 * p + 1] * v[i]);
			}
			o[d] = b;
		}
}

/* Are monomials x and y (r coefficients) the same within tol? */
static int
same(const double *x, const double *y, int r, double tol)
{
	for (int i = 0; i < r; i++)
		if (fabs(x[i] - y[i]) > tol)
			return 0;
	return 1;
}

/* The monomials of every pixel (h, w, 2, d + 1), pixel centres. */
static void
eval_all(const struct ls_mlp *m, int k, const double *z0, const double *u, const double *v,
	 const double box[4], int w, int h, double *mono)
{
	int r = m->d + 1, wd = widest(m), n, q;
	long total = (long)w * h, p0, p;
	double *pts = xmalloc(2 * TM_BLOCK * sizeof *pts), *buf[6];
	size_t big = (size_t)TM_BLOCK * r * wd;

	for (q = 0; q < 4; q++)
		buf[q] = xmalloc(big * sizeof *buf[q]);
	buf[4] = xmalloc((size_t)wd * wd * sizeof *buf[4]);
	buf[5] = xmalloc((size_t)wd * wd * sizeof *buf[5]);
	for (p0 = 0; p0 < total; p0 += TM_BLOCK) {
		n = total - p0 < TM_BLOCK ? (int)(total - p0) : TM_BLOCK;
		for (p = 0; p < n; p++) {
			long x = (p0 + p) % w, y = (p0 + p) / w;
			pts[2 * p] = box[0] + (x + 0.5) / w * (box[1] - box[0]);
			pts[2 * p + 1] = box[3] - (y + 0.5) / h * (box[3] - box[2]);
		}
		eval_block(m, k, pts, n, z0, u, v, mono + (size_t)p0 * 2 * r, buf);
	}
	for (q = 0; q < 6; q++)
		free(buf[q]);
	free(pts);
}

/* The largest |coefficient|, for the tolerance. */
static double
scale_of(const double *mono, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s = fabs(mono[i]) > s ? fabs(mono[i]) : s;
	return s;
}

/* Marks pixel p (left of or above p2) when their monomials differ: lines
 * one pixel thick. */
static void
mark_pair(struct ls_tropmap *t, const double *mono, int r, long p, long p2, double tol)
{
	int q;

	for (q = 0; q < 2; q++)
		if (!same(mono + ((size_t)p * 2 + q) * r, mono + ((size_t)p2 * 2 + q) * r, r, tol)) {
			t->mark[p] |= q ? LS_TMAP_G : LS_TMAP_F;
		}
}

/* Colour key of a pixel's output piece (F - G's gradient and constant,
 * rounded at the tolerance). */
static uint32_t
piece_key(const double *mono, int r, double tol)
{
	uint64_t hsh = PIECE_HASH0;
	int i;

	for (i = 0; i < r; i++) {
		long long q = llround((mono[i] - mono[r + i]) / (1e3 * tol));
		for (int b = 0; b < 8; b++)
			hsh = (hsh ^ (uint8_t)(q >> (8 * b))) * 0x100000001b3ull;
	}
	return (uint32_t)(hsh ^ (hsh >> 32));
}

/* Distinct monomials q among n pixels (sorted copies, then a scan). */
static int tm_r;
static int
cmp_mono(const void *x, const void *y)
{
	const double *a = x, *b = y;

	for (int i = 0; i < tm_r; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static long
count_distinct(const double *mono, long n, int r, int q, double tol)
{
	double *c = xmalloc((size_t)n * r * sizeof *c);
	long i, k = 0;

	for (i = 0; i < n; i++)
		memcpy(c + (size_t)i * r, mono + ((size_t)i * 2 + q) * r, (size_t)r * sizeof *c);
	tm_r = r;
	qsort(c, (size_t)n, (size_t)r * sizeof *c, cmp_mono);
	for (i = 0; i < n; i++)
		k += i == 0 || !same(c + (size_t)i * r, c + (size_t)(i - 1) * r, r, tol);
	free(c);
	return k;
}

enum ls_status
ls_tropical_map(const struct ls_mlp *m, int k, const double *z0, const double *u,
		const double *v, const double box[4], int w, int h, struct ls_tropmap *t, char *err)
{
	int r = m->d + 1, x, y;
	double *mono, tol;
	long p;

	memset(t, 0, sizeof *t);
	if (k < 0 || k >= m->out)
		return ls_err(err, LS_EINVAL, "output %d out of range (the network has %d outputs)", k, m->out);
	if (w < 2 || h < 2 || w > 8192 || h > 8192)
		return ls_err(err, LS_EINVAL, "tropical map: %dx%d pixels (want 2..8192 a side)", w, h);
	if (!(box[0] < box[1]) || !(box[2] < box[3]))
		return ls_err(err, LS_EINVAL, "tropical map: the box wants lo < hi on both axes");
	mono = xmalloc((size_t)w * h * 2 * r * sizeof *mono);
	eval_all(m, k, z0, u, v, box, w, h, mono);
	tol = 1e-9 * (1 + scale_of(mono, (size_t)w * h * 2 * r));
	t->w = w, t->h = h;
	memcpy(t->box, box, sizeof t->box);
	t->mark = xcalloc((size_t)w * h, sizeof *t->mark);
	t->piece = xmalloc((size_t)w * h * sizeof *t->piece);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			p = (long)y * w + x;
			if (x + 1 < w)
				mark_pair(t, mono, r, p, p + 1, tol);
			if (y + 1 < h)
				mark_pair(t, mono, r, p, p + w, tol);
			t->piece[p] = piece_key(mono + (size_t)p * 2 * r, r, tol);
		}
	t->nf = count_distinct(mono, (long)w * h, r, 0, tol);
	t->ng = count_distinct(mono, (long)w * h, r, 1, tol);
	free(mono);
	return LS_OK;
}

/* A dim colour from a piece key. */
static void
piece_colour(uint32_t key, uint8_t *px)
{
	px[0] = (uint8_t)(40 + (key & 63));
	px[1] = (uint8_t)(40 + ((key >> 8) & 63));
	px[2] = (uint8_t)(50 + ((key >> 16) & 63));
}

void
ls_tropmap_render(const struct ls_tropmap *t, struct ls_raster *r)
{
	static const uint8_t fcol[3] = { 255, 170, 0 }, gcol[3] = { 0, 200, 255 },
			     both[3] = { 255, 255, 255 };
	long p, n = (long)t->w * t->h;

	r->w = t->w, r->h = t->h, r->c = 3;
	r->px = xmalloc((size_t)n * 3);
	for (p = 0; p < n; p++) {
		uint8_t *o = r->px + (size_t)p * 3;
		int mk = t->mark[p] & (LS_TMAP_F | LS_TMAP_G);
		if (mk == (LS_TMAP_F | LS_TMAP_G))
			memcpy(o, both, 3);
		else if (mk == LS_TMAP_F)
			memcpy(o, fcol, 3);
		else if (mk == LS_TMAP_G)
			memcpy(o, gcol, 3);
		else
			piece_colour(t->piece[p], o);
	}
}

void
ls_tropmap_free(struct ls_tropmap *t)
{
	free(t->mark);
	free(t->piece);
	memset(t, 0, sizeof *t);
}
