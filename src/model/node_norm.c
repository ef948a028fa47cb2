/*
 * node_norm.c: reductions and normalisations (smooth, except ReduceMean).
 *
 * reduce: ReduceMean over the per-sample axes [axis, nd) (PyTorch's
 *         decomposed LayerNorm reduces the trailing axes); op = keepdims.
 * norm:   LayerNormalization over [axis, nd) with scale w and bias b
 *         expanded to the normalised block (M values); InstanceNormalization
 *         over each channel's spatial values with w, b per channel.
 *         alpha = epsilon. Variance is the biased one, as ONNX and PyTorch.
 */
#include <math.h>

#include "base/util.h"
#include "graph.h"

static long
trail(const struct gshape *s, int axis)
{
	long m = 1;
	int d;

	for (d = axis; d < s->nd; d++)
		m *= s->d[d];
	return m;
}

static enum ls_status
reduce_infer(struct gnode *n, char *err)
{
	int d;

	if (n->axis < 0 || n->axis >= n->ish[0].nd)
		return ls_err(err, LS_EFORMAT, "reduces the batch axis or no axis");
	n->osh = n->ish[0];
	for (d = n->axis; d < n->ish[0].nd; d++)
		n->osh.d[d] = 1;
	if (!n->op)
		n->osh.nd = n->axis;
	return LS_OK;
}

#define NORM_KERNELS(T, S, SQRT)                                                         \
	static void reduce_run_##S(const struct gnode *n, const T *x, long rows, T *y)     \
	{                                                                              \
		long m = trail(&n->ish[0], n->axis), g = n->inn[0] / m, r, i;           \
		for (r = 0; r < rows * g; r++) {                                        \
			T acc = 0;                                                      \
			for (i = 0; i < m; i++)                                         \
				acc += x[r * m + i];                                    \
			y[r] = acc / (T)m;                                              \
		}                                                                      \
	}                                                                              \
	/* Normalises rows*g blocks of m values; scale/bias index by block % nsb   \
	 * (instance: per channel, inner 1) or by position (layer). */             \
	static void norm_run_##S(const struct gnode *n, const T *x, long rows, T *y)       \
	{                                                                              \
		int inst = n->op == GN_INSTANCE;                                       \
		long m = inst ? trail(&n->ish[0], 1) : trail(&n->ish[0], n->axis);      \
		long g = n->inn[0] / m, r, i, C = inst ? n->ish[0].d[0] : 1;            \
		for (r = 0; r < rows * g; r++) {                                        \
			const T *xb = x + r * m;                                        \
			T *yb = y + r * m, mu = 0, var = 0, inv;                        \
			long c = r % C;                                                 \
			for (i = 0; i < m; i++)                                         \
				mu += xb[i];                                            \
			mu /= (T)m;                                                     \
			for (i = 0; i < m; i++)                                         \
				var += (xb[i] - mu) * (xb[i] - mu);                     \
			inv = 1 / SQRT(var / (T)m + (T)n->alpha);                       \
			for (i = 0; i < m; i++) {                                       \
				long k = inst ? c : i;                                  \
				T v = (xb[i] - mu) * inv;                               \
				if (n->w)                                               \
					v *= (T)n->w[k];                                \
				if (n->b)                                               \
					v += (T)n->b[k];                                \
				yb[i] = v;                                              \
			}                                                               \
		}                                                                      \
	}
NORM_KERNELS(float, f, sqrtf)
NORM_KERNELS(double, d, sqrt)

static void
reduce_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	reduce_run_f(n, x[0], batch, y);
}

static void
reduce_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	reduce_run_d(n, x[0], batch, y);
}

static void
reduce_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	   double *dy, double *tmp)
{
	reduce_run_d(n, dx[0], k, dy);
}

const struct gkind_ops gk_reduce = {
	.name = "reduce_mean",
	.infer = reduce_infer,
	.fwd = reduce_fwd,
	.fwd64 = reduce_fwd64,
	.lin = reduce_lin,
};

static enum ls_status
norm_infer(struct gnode *n, char *err)
{
	long want;

	n->osh = n->ish[0];
	if (n->op == GN_INSTANCE) {
		if (n->ish[0].nd < 2)
			return ls_err(err, LS_EFORMAT, "wants a (C, ...) input with spatial axes");
		want = n->ish[0].d[0];
	} else {
		if (n->axis < 0 || n->axis >= n->ish[0].nd)
			return ls_err(err, LS_EFORMAT, "normalises the batch axis");
		want = trail(&n->ish[0], n->axis);
	}
	if ((n->w && n->nw != want) || (n->b && n->nb != want))
		return ls_err(err, LS_EFORMAT, "scale or bias has %ld values, want %ld", n->nw, want);
	return LS_OK;
}

static void
norm_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	norm_run_f(n, x[0], batch, y);
}

static void
norm_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	norm_run_d(n, x[0], batch, y);
}

/* JVP of the normalisation at xp: per block, with xh = (x - mu) / sd,
 * dy = w (dx - mean(dx) - xh mean(xh dx)) / sd. */
static void
norm_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	 double *dy, double *tmp)
{
	int inst = n->op == GN_INSTANCE;
	long m = inst ? trail(&n->ish[0], 1) : trail(&n->ish[0], n->axis);
	long g = n->inn[0] / m, C = inst ? n->ish[0].d[0] : 1, blk, i, q;

	for (blk = 0; blk < g; blk++) {
		const double *x = xp[0] + blk * m;
		double mu = 0, var = 0, sd;
		for (i = 0; i < m; i++)
			mu += x[i];
		mu /= (double)m;
		for (i = 0; i < m; i++)
			var += (x[i] - mu) * (x[i] - mu);
		sd = sqrt(var / (double)m + n->alpha);
		for (q = 0; q < k; q++) {
			const double *d = dx[0] + q * n->inn[0] + blk * m;
			double *o = dy + q * n->outn + blk * m, m1 = 0, m2 = 0;
			for (i = 0; i < m; i++) {
				m1 += d[i];
				m2 += (x[i] - mu) / sd * d[i];
			}
			m1 /= (double)m, m2 /= (double)m;
			for (i = 0; i < m; i++) {
				double v = (d[i] - m1 - (x[i] - mu) / sd * m2) / sd;
				o[i] = n->wd ? v * n->wd[inst ? blk % C : i] : v;
			}
		}
	}
}

static enum gpl
norm_pl(const struct gnode *n)
{
	return GPL_SMOOTH;
}

static long
norm_params(const struct gnode *n)
{
	return n->nw + n->nb;
}

const struct gkind_ops gk_norm = {
	.name = "normalization",
	.infer = norm_infer,
	.fwd = norm_fwd,
	.fwd64 = norm_fwd64,
	.lin = norm_lin,
	.pl = norm_pl,
	.params = norm_params,
};
