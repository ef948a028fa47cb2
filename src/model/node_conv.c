/*
 * node_conv.c: 2-D convolution and transposed convolution on (C, H, W)
 * samples, through one GEMM per group and chunk of the batch.
 *
 * Conv: w (cout, cin/g, kh, kw), b (cout) or NULL. A chunk of nb samples is
 * unfolded (im2col) into col (cin/g*kh*kw, nb*oh*ow) and multiplied by the
 * group's weights, so small feature maps still give one large GEMM.
 * ConvTranspose: w (cin, cout/g, kh, kw). The group's input rows of a chunk
 * (cin/g, nb*ih*iw) are multiplied by W_g^T into col (cout/g*kh*kw,
 * nb*ih*iw), then folded (col2im, scatter-add) into the output.
 * Output sizes follow ONNX: conv oh = (ih + pt + pb - dh(kh-1) - 1)/sh + 1,
 * convT oh = (ih-1) sh - pt - pb + dh(kh-1) + oph + 1.
 * The float and float64 kernels are one macro instantiated twice.
 */
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "graph.h"

#define CONV_TMP_CAP (8L << 20)   /* values of scratch per chunk */

static enum ls_status
conv_check(const struct gnode *n, char *err)
{
	const struct gwin *w = &n->win;

	if (n->ish[0].nd != 3)
		return ls_err(err, LS_EFORMAT, "wants a (C, H, W) input, got rank %d", n->ish[0].nd);
	if (n->ish[0].d[0] != w->cin)
		return ls_err(err, LS_EFORMAT, "takes %d channels but its input has %lld", w->cin,
			      (long long)n->ish[0].d[0]);
	if (w->group < 1 || w->cin % w->group || w->cout % w->group)
		return ls_err(err, LS_EFORMAT, "group %d does not divide %d -> %d channels",
			      w->group, w->cin, w->cout);
	if (w->sh < 1 || w->sw < 1 || w->dh < 1 || w->dw < 1 || w->kh < 1 || w->kw < 1)
		return ls_err(err, LS_EFORMAT, "kernel, strides and dilations must be >= 1");
	return LS_OK;
}

static enum ls_status
conv_infer(struct gnode *n, char *err)
{
	const struct gwin *w = &n->win;
	enum ls_status s;
	int64_t oh, ow;

	if ((s = conv_check(n, err)))
		return s;
	oh = (n->ish[0].d[1] + w->pt + w->pb - (int64_t)w->dh * (w->kh - 1) - 1) / w->sh + 1;
	ow = (n->ish[0].d[2] + w->pl + w->pr - (int64_t)w->dw * (w->kw - 1) - 1) / w->sw + 1;
	if (oh < 1 || ow < 1)
		return ls_err(err, LS_EFORMAT, "a %lldx%lld input is smaller than the %dx%d kernel",
			      (long long)n->ish[0].d[1], (long long)n->ish[0].d[2], w->kh, w->kw);
	n->osh.nd = 3;
	n->osh.d[0] = w->cout, n->osh.d[1] = oh, n->osh.d[2] = ow;
	return LS_OK;
}

static enum ls_status
convt_infer(struct gnode *n, char *err)
{
	const struct gwin *w = &n->win;
	enum ls_status s;
	int64_t oh, ow;

	if ((s = conv_check(n, err)))
		return s;
	oh = (n->ish[0].d[1] - 1) * w->sh - w->pt - w->pb + (int64_t)w->dh * (w->kh - 1) + w->oph + 1;
	ow = (n->ish[0].d[2] - 1) * w->sw - w->pl - w->pr + (int64_t)w->dw * (w->kw - 1) + w->opw + 1;
	if (oh < 1 || ow < 1)
		return ls_err(err, LS_EFORMAT, "the output would be %lldx%lld", (long long)oh,
			      (long long)ow);
	n->osh.nd = 3;
	n->osh.d[0] = w->cout, n->osh.d[1] = oh, n->osh.d[2] = ow;
	return LS_OK;
}

/* Samples per chunk so that the chunk's scratch stays under the cap. */
static long
conv_chunk(long per, long batch)
{
	long nb = per > 0 ? CONV_TMP_CAP / per : batch;

	return nb < 1 ? 1 : nb > batch ? batch : nb;
}

static long
conv_per(const struct gnode *n)
{
	const struct gwin *w = &n->win;
	long p = n->osh.d[1] * n->osh.d[2];

	return ((long)(w->cin / w->group) * w->kh * w->kw + w->cout / w->group) * p;
}

static long
convt_per(const struct gnode *n)
{
	const struct gwin *w = &n->win;
	long p = n->ish[0].d[1] * n->ish[0].d[2];

	return ((long)(w->cout / w->group) * w->kh * w->kw + w->cin / w->group) * p;
}

static long
conv_tmp(const struct gnode *n, long batch)
{
	return conv_per(n) * conv_chunk(conv_per(n), batch);
}

static long
convt_tmp(const struct gnode *n, long batch)
{
	return convt_per(n) * conv_chunk(convt_per(n), batch);
}

#define CONV_KERNELS(T, S, GEMM)                                                              \
	/* col (cin_g*kh*kw, nb*P) from samples x of group g. */                            \
	static void im2col_##S(const struct gnode *n, const T *x, long nb, int g, T *col)    \
	{                                                                                    \
		const struct gwin *w = &n->win;                                             \
		int cg = w->cin / w->group, ih = (int)n->ish[0].d[1], iw = (int)n->ish[0].d[2]; \
		int oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], c, ki, kj, oy, ox;         \
		long P = (long)oh * ow, s, r = 0, in1 = n->inn[0];                           \
		for (c = 0; c < cg; c++)                                                     \
			for (ki = 0; ki < w->kh; ki++)                                       \
				for (kj = 0; kj < w->kw; kj++, r++)                          \
					for (s = 0; s < nb; s++) {                           \
						const T *xc = x + s * in1 +                  \
							      (long)(g * cg + c) * ih * iw;  \
						T *o = col + r * nb * P + s * P;             \
						for (oy = 0; oy < oh; oy++) {                \
							int iy = oy * w->sh - w->pt + ki * w->dh; \
							for (ox = 0; ox < ow; ox++) {        \
								int ix = ox * w->sw - w->pl + kj * w->dw; \
								*o++ = iy < 0 || iy >= ih || ix < 0 || \
									       ix >= iw ? 0 : \
									       xc[(long)iy * iw + ix]; \
							}                                    \
						}                                            \
					}                                                    \
	}                                                                                    \
	static void conv_run_##S(const struct gnode *n, const T *wt, const T *bias,          \
				 const T *x, long batch, T *y, T *tmp)                       \
	{                                                                                    \
		const struct gwin *w = &n->win;                                             \
		int cg = w->cin / w->group, og = w->cout / w->group, g, o;                   \
		long K = (long)cg * w->kh * w->kw, P = n->osh.d[1] * n->osh.d[2];           \
		long nb = conv_chunk(conv_per(n), batch), s0, s, p;                          \
		for (s0 = 0; s0 < batch; s0 += nb) {                                         \
			long m = batch - s0 < nb ? batch - s0 : nb;                          \
			T *col = tmp, *res = tmp + K * m * P;                                \
			for (g = 0; g < w->group; g++) {                                     \
				im2col_##S(n, x + s0 * n->inn[0], m, g, col);                \
				GEMM(og, (int)(m * P), (int)K, 1, wt + (long)g * og * K, 0, col, 0, \
				     0, res);                                                \
				for (s = 0; s < m; s++)                                      \
					for (o = 0; o < og; o++) {                           \
						T *yo = y + (s0 + s) * n->outn + (long)(g * og + o) * P; \
						const T *ro = res + (long)o * m * P + s * P; \
						T bv = bias ? bias[g * og + o] : 0;          \
						for (p = 0; p < P; p++)                      \
							yo[p] = ro[p] + bv;                  \
					}                                                    \
			}                                                                    \
		}                                                                            \
	}                                                                                    \
	/* Folds col (og*kh*kw, nb*Pin) into samples y of group g (scatter-add). */         \
	static void col2im_##S(const struct gnode *n, const T *col, long nb, int g, T *y)    \
	{                                                                                    \
		const struct gwin *w = &n->win;                                             \
		int og = w->cout / w->group, ih = (int)n->ish[0].d[1], iw = (int)n->ish[0].d[2]; \
		int oh = (int)n->osh.d[1], ow = (int)n->osh.d[2], c, ki, kj, iy, ix;         \
		long P = (long)ih * iw, s, r = 0;                                            \
		for (c = 0; c < og; c++)                                                     \
			for (ki = 0; ki < w->kh; ki++)                                       \
				for (kj = 0; kj < w->kw; kj++, r++)                          \
					for (s = 0; s < nb; s++) {                           \
						T *yc = y + s * n->outn + (long)(g * og + c) * oh * ow; \
						const T *q = col + r * nb * P + s * P;       \
						for (iy = 0; iy < ih; iy++) {                \
							int oy = iy * w->sh - w->pt + ki * w->dh; \
							if (oy < 0 || oy >= oh) {            \
								q += iw;                     \
								continue;                    \
							}                                    \
							for (ix = 0; ix < iw; ix++, q++) {   \
								int ox = ix * w->sw - w->pl + kj * w->dw; \
								if (ox >= 0 && ox < ow)      \
									yc[(long)oy * ow + ox] += *q; \
							}                                    \
						}                                            \
					}                                                    \
	}                                                                                    \
	static void convt_run_##S(const struct gnode *n, const T *wt, const T *bias,         \
				  const T *x, long batch, T *y, T *tmp)                      \
	{                                                                                    \
		const struct gwin *w = &n->win;                                             \
		int cg = w->cin / w->group, og = w->cout / w->group, g, c;                   \
		long M = (long)og * w->kh * w->kw, P = n->ish[0].d[1] * n->ish[0].d[2];     \
		long nb = conv_chunk(convt_per(n), batch), s0, s, i, OP = n->osh.d[1] * n->osh.d[2]; \
		for (i = 0; i < batch * n->outn; i++)                                        \
			y[i] = 0;                                                            \
		for (s0 = 0; s0 < batch; s0 += nb) {                                         \
			long m = batch - s0 < nb ? batch - s0 : nb;                          \
			T *xg = tmp, *col = tmp + (long)cg * m * P;                          \
			const T *xs = x + s0 * n->inn[0];                                    \
			for (g = 0; g < w->group; g++) {                                     \
				const T *src = xs + (long)g * cg * P;                        \
				if (m == 1)                                                  \
					memcpy(xg, src, (size_t)(cg * P) * sizeof(T));       \
				else                                                         \
					for (c = 0; c < cg; c++)                             \
						for (s = 0; s < m; s++)                      \
							memcpy(xg + ((long)c * m + s) * P,   \
							       src + s * n->inn[0] + (long)c * P, \
							       (size_t)P * sizeof(T));       \
				GEMM((int)M, (int)(m * P), cg, 1, wt + (long)g * cg * M, 1, xg, 0, 0, \
				     col);                                                   \
				col2im_##S(n, col, m, g, y + s0 * n->outn);                  \
			}                                                                    \
		}                                                                            \
		for (s = 0; bias && s < batch; s++)                                          \
			for (c = 0; c < w->cout; c++) {                                      \
				T *yc = y + s * n->outn + (long)c * OP;                      \
				for (i = 0; i < OP; i++)                                     \
					yc[i] += bias[c];                                    \
			}                                                                    \
	}

CONV_KERNELS(float, f, ls_sgemm_t)
CONV_KERNELS(double, d, ls_dgemm)

static void
conv_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	conv_run_f(n, n->w, n->b, x[0], batch, y, tmp);
}

static void
conv_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	conv_run_d(n, n->wd, n->bd, x[0], batch, y, tmp);
}

static void
conv_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	 double *dy, double *tmp)
{
	conv_run_d(n, n->wd, NULL, dx[0], k, dy, tmp);
}

static void
convt_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	convt_run_f(n, n->w, n->b, x[0], batch, y, tmp);
}

static void
convt_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	convt_run_d(n, n->wd, n->bd, x[0], batch, y, tmp);
}

static void
convt_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	  double *dy, double *tmp)
{
	convt_run_d(n, n->wd, NULL, dx[0], k, dy, tmp);
}

static long
conv_params(const struct gnode *n)
{
	return n->nw + n->nb;
}

const struct gkind_ops gk_conv = {
	.name = "conv",
	.infer = conv_infer,
	.fwd = conv_fwd,
	.fwd64 = conv_fwd64,
	.lin = conv_lin,
	.tmp_need = conv_tmp,
	.params = conv_params,
};

const struct gkind_ops gk_convt = {
	.name = "conv_transpose",
	.infer = convt_infer,
	.fwd = convt_fwd,
	.fwd64 = convt_fwd64,
	.lin = convt_lin,
	.tmp_need = convt_tmp,
	.params = conv_params,
};
