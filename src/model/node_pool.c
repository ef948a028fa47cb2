/*
 * node_pool.c: 2-D pooling and resampling on (C, H, W) samples.
 *
 * pool: MaxPool (piecewise linear: the output is the input at the window's
 *       argmax; a unit's pattern is that argmax, and it switches where two
 *       inputs of the window cross) and AveragePool (linear; count_pad
 *       divides by the whole window, else by the values inside the input).
 *       Output sizes follow ONNX (floor, or ceil_mode with the last window
 *       starting inside the padded input).
 * resize: nearest or bilinear, by axis tables built at infer: map[0]
 *       (oh rows: i0, i1), map[1] (ow: j0, j1) and w (oh then ow weights of
 *       i1 / j1). Coordinates follow ONNX coordinate_transformation_mode
 *       (half_pixel, pytorch_half_pixel, align_corners, asymmetric) and
 *       nearest_mode; linear source coordinates are clamped to the input,
 *       as PyTorch does. Both are linear maps.
 */
#include <math.h>
#include <stdlib.h>

#include "base/util.h"
#include "graph.h"

static int64_t
pool_out(int64_t in, int k, int s, int d, int p0, int p1, int ceil_mode)
{
	int64_t span = in + p0 + p1 - ((int64_t)(k - 1) * d + 1), o;

	if (span < 0)
		return 0;
	o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
	if (ceil_mode && (o - 1) * s >= in + p0)
		o--;
	return o;
}

static enum ls_status
pool_infer(struct gnode *n, char *err)
{
	const struct gwin *w = &n->win;

	if (n->ish[0].nd != 3)
		return ls_err(err, LS_EFORMAT, "wants a (C, H, W) input, got rank %d", n->ish[0].nd);
	if (w->kh < 1 || w->kw < 1 || w->sh < 1 || w->sw < 1 || w->dh < 1 || w->dw < 1)
		return ls_err(err, LS_EFORMAT, "kernel, strides and dilations must be >= 1");
	n->osh = n->ish[0];
	n->osh.d[1] = pool_out(n->ish[0].d[1], w->kh, w->sh, w->dh, w->pt, w->pb, w->ceil);
	n->osh.d[2] = pool_out(n->ish[0].d[2], w->kw, w->sw, w->dw, w->pl, w->pr, w->ceil);
	if (n->osh.d[1] < 1 || n->osh.d[2] < 1)
		return ls_err(err, LS_EFORMAT, "the input is smaller than the %dx%d window", w->kh, w->kw);
	return LS_OK;
}

/* Index (in the channel plane) of the window value k of output (oy, ox),
 * or -1 when it falls in the padding. */
static long
pool_at(const struct gnode *n, int oy, int ox, int k)
{
	const struct gwin *w = &n->win;
	int ih = (int)n->ish[0].d[1], iw = (int)n->ish[0].d[2];
	int iy = oy * w->sh - w->pt + (k / w->kw) * w->dh, ix = ox * w->sw - w->pl + (k % w->kw) * w->dw;

	return iy < 0 || iy >= ih || ix < 0 || ix >= iw ? -1 : (long)iy * iw + ix;
}

/* Divisor of AveragePool at (oy, ox). */
static int
pool_count(const struct gnode *n, int oy, int ox)
{
	const struct gwin *w = &n->win;
	int k, c = 0, ih = (int)n->ish[0].d[1], iw = (int)n->ish[0].d[2];

	if (!w->count_pad) {
		for (k = 0; k < w->kh * w->kw; k++)
			c += pool_at(n, oy, ox, k) >= 0;
		return c ? c : 1;
	}
	for (k = 0; k < w->kh * w->kw; k++) {
		int iy = oy * w->sh - w->pt + (k / w->kw) * w->dh;
		int ix = ox * w->sw - w->pl + (k % w->kw) * w->dw;
		c += iy < ih + w->pb && ix < iw + w->pr;
	}
	return c ? c : 1;
}

#define POOL_KERNEL(T, S)                                                               \
	static void pool_run_##S(const struct gnode *n, const T *x, long rows, T *y)      \
	{                                                                             \
		int C = (int)n->ish[0].d[0], oh = (int)n->osh.d[1], ow = (int)n->osh.d[2];  \
		int K = n->win.kh * n->win.kw, oy, ox, k;                           \
		long IP = n->ish[0].d[1] * n->ish[0].d[2], r;                          \
		for (r = 0; r < rows * C; r++) {                                       \
			const T *xc = x + r * IP;                                      \
			T *yc = y + r * (long)oh * ow;                                 \
			for (oy = 0; oy < oh; oy++)                                    \
				for (ox = 0; ox < ow; ox++) {                          \
					T acc = n->op == GP_MAX ? -INFINITY : 0;       \
					for (k = 0; k < K; k++) {                      \
						long j = pool_at(n, oy, ox, k);        \
						if (j < 0)                             \
							continue;                      \
						if (n->op == GP_MAX)                   \
							acc = xc[j] > acc ? xc[j] : acc; \
						else                                   \
							acc += xc[j];                  \
					}                                              \
					if (n->op == GP_AVG)                           \
						acc /= (T)pool_count(n, oy, ox);       \
					*yc++ = acc;                                   \
				}                                                      \
		}                                                                      \
	}
POOL_KERNEL(float, f)
POOL_KERNEL(double, d)

static void
pool_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	pool_run_f(n, x[0], batch, y);
}

static void
pool_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	pool_run_d(n, x[0], batch, y);
}

/* The window position of the max of output (c, oy, ox) at values p (+ t0 q
 * when q: ties go to the one that grows fastest). */
static int
pool_argmax(const struct gnode *n, const double *p, const double *q, double t0, int oy, int ox)
{
	int k, best = -1;
	double bv = -INFINITY, bq = -INFINITY;

	for (k = 0; k < n->win.kh * n->win.kw; k++) {
		long j = pool_at(n, oy, ox, k);
		double v, s;
		if (j < 0)
			continue;
		v = q ? p[j] + t0 * q[j] : p[j];
		s = q ? q[j] : 0;
		if (best < 0 || v > bv || (v == bv && s > bq))
			best = k, bv = v, bq = s;
	}
	return best;
}

static void
pool_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	 double *dy, double *tmp)
{
	int C = (int)n->ish[0].d[0], oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], c, oy, ox;
	long IP = n->ish[0].d[1] * n->ish[0].d[2], q, o = 0;

	if (n->op == GP_AVG) {
		pool_run_d(n, dx[0], k, dy);
		return;
	}
	for (c = 0; c < C; c++)
		for (oy = 0; oy < oh; oy++)
			for (ox = 0; ox < ow; ox++, o++) {
				long j = pool_at(n, oy, ox, pool_argmax(n, xp[0] + c * IP, NULL, 0, oy, ox));
				for (q = 0; q < k; q++)
					dy[q * n->outn + o] = dx[0][q * n->inn[0] + c * IP + j];
			}
}

static enum gpl
pool_pl(const struct gnode *n)
{
	return n->op == GP_MAX ? GPL_PL : GPL_LINEAR;
}

static int
pool_bits(const struct gnode *n)
{
	int b = 0;

	while ((1 << b) < n->win.kh * n->win.kw)
		b++;
	return b ? b : 1;
}

static long
pool_units(const struct gnode *n)
{
	return n->op == GP_MAX ? n->outn * pool_bits(n) : 0;
}

static void
pool_pattern(const struct gnode *n, const double *const *xp, uint8_t *bits, long off)
{
	int C = (int)n->ish[0].d[0], oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], c, oy, ox, b;
	int nb = pool_bits(n);
	long IP = n->ish[0].d[1] * n->ish[0].d[2], u = off;

	for (c = 0; c < C; c++)
		for (oy = 0; oy < oh; oy++)
			for (ox = 0; ox < ow; ox++) {
				int a = pool_argmax(n, xp[0] + c * IP, NULL, 0, oy, ox);
				for (b = 0; b < nb; b++, u++) {
					if (a >> b & 1)
						bits[u >> 3] |= (uint8_t)(1u << (u & 7));
					else
						bits[u >> 3] &= (uint8_t) ~(1u << (u & 7));
				}
			}
}

static double
pool_next_break(const struct gnode *n, const double *const *p, const double *const *q, double t0)
{
	int C = (int)n->ish[0].d[0], oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], c, oy, ox, k;
	long IP = n->ish[0].d[1] * n->ish[0].d[2];
	double best = INFINITY;

	for (c = 0; c < C; c++)
		for (oy = 0; oy < oh; oy++)
			for (ox = 0; ox < ow; ox++) {
				const double *pc = p[0] + c * IP, *qc = q[0] + c * IP;
				long i = pool_at(n, oy, ox, pool_argmax(n, pc, qc, t0, oy, ox));
				for (k = 0; k < n->win.kh * n->win.kw; k++) {
					long j = pool_at(n, oy, ox, k);
					double t;
					if (j < 0 || j == i || qc[j] <= qc[i])
						continue;
					t = (pc[i] - pc[j]) / (qc[j] - qc[i]);
					if (t > t0 && t < best)
						best = t;
				}
			}
	return best;
}

/* Groups: one per output of a max pool; the candidates are its window's
 * values inside the input, in window order (the argmax's tie rule). */
static long
pool_ngroups(const struct gnode *n)
{
	return n->op == GP_MAX ? n->outn : 0;
}

static int
pool_cands(const struct gnode *n, long g, const double *const *x, int r, double *f, int cap)
{
	int oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], k, m = 0, q;
	long IP = n->ish[0].d[1] * n->ish[0].d[2], c = g / ((long)oh * ow), o = g % ((long)oh * ow);

	for (k = 0; k < n->win.kh * n->win.kw; k++) {
		long j = pool_at(n, (int)(o / ow), (int)(o % ow), k);
		if (j < 0)
			continue;
		if (m == cap)
			return -1;
		for (q = 0; q < r; q++)
			f[m * r + q] = x[0][q * n->inn[0] + c * IP + j];
		m++;
	}
	return m;
}

const struct gkind_ops gk_pool = {
	.name = "pool",
	.infer = pool_infer,
	.fwd = pool_fwd,
	.fwd64 = pool_fwd64,
	.lin = pool_lin,
	.pl = pool_pl,
	.units = pool_units,
	.pattern = pool_pattern,
	.next_break = pool_next_break,
	.ngroups = pool_ngroups,
	.cands = pool_cands,
};

/* ---- resize -------------------------------------------------------------- */

/* Source coordinate of output o along an axis. */
static double
resize_src(int coord, long o, long in, long out, double scale)
{
	switch (coord) {
	case 1: return out > 1 ? (o + 0.5) / scale - 0.5 : 0;    /* pytorch_half_pixel */
	case 2: return out > 1 ? (double)o * (in - 1) / (out - 1) : 0;   /* align_corners */
	case 3: return o / scale;                                 /* asymmetric */
	default: return (o + 0.5) / scale - 0.5;                  /* half_pixel */
	}
}

static long
resize_nearest(int mode, double x, long in)
{
	double f = floor(x);
	long i;

	switch (mode) {
	case 1: i = x - f == 0.5 ? (long)f + 1 : (long)floor(x + 0.5); break;  /* prefer ceil */
	case 2: i = (long)f; break;
	case 3: i = (long)ceil(x); break;
	default: i = x - f == 0.5 ? (long)f : (long)floor(x + 0.5); break;     /* prefer floor */
	}
	return i < 0 ? 0 : i >= in ? in - 1 : i;
}

/* One axis table: idx (2 * out), lam (out). */
static void
resize_axis(const struct gnode *n, long in, long out, double scale, long *idx, float *lam)
{
	long o;

	for (o = 0; o < out; o++) {
		double x = resize_src(n->coord, o, in, out, scale), f;
		if (n->op == GR_NEAREST) {
			idx[2 * o] = idx[2 * o + 1] = resize_nearest(n->nearest_mode, x, in);
			lam[o] = 0;
			continue;
		}
		x = x < 0 ? 0 : x > in - 1 ? (double)(in - 1) : x;
		f = floor(x);
		idx[2 * o] = (long)f;
		idx[2 * o + 1] = (long)f + 1 < in ? (long)f + 1 : in - 1;
		lam[o] = (float)(x - f);
	}
}

static enum ls_status
resize_infer(struct gnode *n, char *err)
{
	long ih, iw, oh, ow;
	int a;

	if (n->ish[0].nd != 3)
		return ls_err(err, LS_EFORMAT, "resizes (C, H, W) samples only, got rank %d", n->ish[0].nd);
	ih = n->ish[0].d[1], iw = n->ish[0].d[2];
	oh = n->target[1] > 0 ? n->target[1] : (long)floor(ih * n->scale[0]);
	ow = n->target[2] > 0 ? n->target[2] : (long)floor(iw * n->scale[1]);
	if (oh < 1 || ow < 1 || oh > (1 << 16) || ow > (1 << 16))
		return ls_err(err, LS_EFORMAT, "output size %ldx%ld is out of range", oh, ow);
	for (a = 0; a < 2; a++)
		if (!(n->scale[a] > 0))
			n->scale[a] = (double)(a ? ow : oh) / (double)(a ? iw : ih);
	n->osh = n->ish[0];
	n->osh.d[1] = oh, n->osh.d[2] = ow;
	free(n->map[0]), free(n->map[1]), free(n->w);
	n->map[0] = xreallocarray(NULL, 2 * (size_t)oh, sizeof(long));
	n->map[1] = xreallocarray(NULL, 2 * (size_t)ow, sizeof(long));
	n->w = xreallocarray(NULL, (size_t)(oh + ow), sizeof(float));
	n->nw = oh + ow;
	resize_axis(n, ih, oh, n->scale[0], n->map[0], n->w);
	resize_axis(n, iw, ow, n->scale[1], n->map[1], n->w + oh);
	return LS_OK;
}

#define RESIZE_KERNEL(T, S)                                                              \
	static void resize_run_##S(const struct gnode *n, const T *lam, const T *x, long rows, \
				   T *y)                                                \
	{                                                                              \
		long C = n->ish[0].d[0], iw = n->ish[0].d[2], ih = n->ish[0].d[1];      \
		long oh = n->osh.d[1], ow = n->osh.d[2], r, oy, ox;                     \
		const long *mi = n->map[0], *mj = n->map[1];                            \
		const T *lx = lam + oh;                                                 \
		for (r = 0; r < rows * C; r++) {                                        \
			const T *xc = x + r * ih * iw;                                  \
			T *yc = y + r * oh * ow;                                        \
			for (oy = 0; oy < oh; oy++) {                                   \
				const T *r0 = xc + mi[2 * oy] * iw, *r1 = xc + mi[2 * oy + 1] * iw; \
				T ly = lam[oy];                                         \
				for (ox = 0; ox < ow; ox++) {                           \
					long j0 = mj[2 * ox], j1 = mj[2 * ox + 1];       \
					T a = r0[j0] + lx[ox] * (r0[j1] - r0[j0]);       \
					T b = r1[j0] + lx[ox] * (r1[j1] - r1[j0]);       \
					*yc++ = a + ly * (b - a);                        \
				}                                                       \
			}                                                               \
		}                                                                      \
	}
RESIZE_KERNEL(float, f)
RESIZE_KERNEL(double, d)

static void
resize_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	resize_run_f(n, n->w, x[0], batch, y);
}

static void
resize_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	resize_run_d(n, n->wd, x[0], batch, y);
}

static void
resize_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	   double *dy, double *tmp)
{
	resize_run_d(n, n->wd, dx[0], k, dy);
}

const struct gkind_ops gk_resize = {
	.name = "resize",
	.infer = resize_infer,
	.fwd = resize_fwd,
	.fwd64 = resize_fwd64,
	.lin = resize_lin,
};
