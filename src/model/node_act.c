/*
 * node_act.c: element-wise activations (enum gact): relu, leaky_relu
 * (alpha = slope), prelu (w: a slope per value of the sample, expanded from
 * the ONNX broadcast at build time), clip (alpha = lo, beta = hi; relu6,
 * hardtanh), and the smooth ones: sigmoid, tanh, elu (alpha), softplus,
 * sqrt, erf, exp; neg and identity are linear.
 *
 * Breakpoints (the exact analyses): a relu-like unit switches where its
 * input crosses 0; a clip unit has two bits (x > lo, x > hi) and switches
 * at lo and at hi. relu'(0) = 0, leaky'(0) = slope, clip'(lo) = clip'(hi) = 0.
 */
#include <math.h>

#include "base/util.h"
#include "base/vmath.h"
#include "graph.h"

static enum ls_status
act_infer(struct gnode *n, char *err)
{
	if (n->op == GA_PRELU && n->nw != n->inn[0])
		return ls_err(err, LS_EFORMAT, "the slope does not broadcast to the input");
	n->osh = n->ish[0];
	return LS_OK;
}

#define ACT_KERNEL(T, S, EXP, TANH, LOG1P, SQRT, ERF)                                    \
	static void act_run_##S(const struct gnode *n, const T *x, long m, T *y, long per) \
	{                                                                              \
		T a = (T)n->alpha, b = (T)n->beta;                                      \
		long i;                                                                \
		switch (n->op) {                                                       \
		case GA_RELU:                                                          \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] > 0 ? x[i] : 0;                            \
			break;                                                         \
		case GA_LEAKY:                                                         \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] > 0 ? x[i] : a * x[i];                     \
			break;                                                         \
		case GA_PRELU:                                                         \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] > 0 ? x[i] : (T)n->w[i % per] * x[i];      \
			break;                                                         \
		case GA_CLIP:                                                          \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] < a ? a : x[i] > b ? b : x[i];             \
			break;                                                         \
		case GA_SIGMOID:                                                       \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] >= 0 ? 1 / (1 + EXP(-x[i]))                \
						 : EXP(x[i]) / (1 + EXP(x[i]));        \
			break;                                                         \
		case GA_TANH:                                                          \
			for (i = 0; i < m; i++)                                        \
				y[i] = TANH(x[i]);                                     \
			break;                                                         \
		case GA_ELU:                                                           \
			for (i = 0; i < m; i++)                                        \
				y[i] = x[i] > 0 ? x[i] : a * (EXP(x[i]) - 1);          \
			break;                                                         \
		case GA_SOFTPLUS:                                                      \
			for (i = 0; i < m; i++)                                        \
				y[i] = (x[i] > 0 ? x[i] : 0) + LOG1P(EXP(-(x[i] > 0 ? x[i] : -x[i]))); \
			break;                                                         \
		case GA_SQRT:                                                          \
			for (i = 0; i < m; i++)                                        \
				y[i] = SQRT(x[i]);                                     \
			break;                                                         \
		case GA_ERF:                                                           \
			for (i = 0; i < m; i++)                                        \
				y[i] = ERF(x[i]);                                      \
			break;                                                         \
		case GA_EXP:                                                           \
			for (i = 0; i < m; i++)                                        \
				y[i] = EXP(x[i]);                                      \
			break;                                                         \
		case GA_NEG:                                                           \
			for (i = 0; i < m; i++)                                        \
				y[i] = -x[i];                                          \
			break;                                                         \
		default:                                                               \
			for (i = 0; x != y && i < m; i++)                              \
				y[i] = x[i];                                           \
			break;                                                         \
		}                                                                      \
	}

ACT_KERNEL(float, f, expf, tanhf, log1pf, sqrtf, erff)
ACT_KERNEL(double, d, exp, tanh, log1p, sqrt, erf)

/* The float forward: the common activations through the vector kernels
 * (base/vmath.h: within 2 ulp of libm), the rest element by element. */
static void
act_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	long m = batch * n->outn;

	(void)tmp;
	switch (n->op) {
	case GA_RELU: ls_vreluf(x[0], m, y); return;
	case GA_LEAKY: ls_vleakyf(x[0], m, (float)n->alpha, y); return;
	case GA_SIGMOID: ls_vsigmoidf(x[0], m, y); return;
	case GA_TANH: ls_vtanhf(x[0], m, y); return;
	default: act_run_f(n, x[0], m, y, n->outn); return;
	}
}

static void
act_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	act_run_d(n, x[0], batch * n->outn, y, n->outn);
}

/* The derivative at pre-activation v of value i of the sample. */
static double
act_deriv(const struct gnode *n, double v, long i)
{
	double s;

	switch (n->op) {
	case GA_RELU: return v > 0;
	case GA_LEAKY: return v > 0 ? 1 : n->alpha;
	case GA_PRELU: return v > 0 ? 1 : n->w[i];
	case GA_CLIP: return v > n->alpha && v < n->beta;
	case GA_SIGMOID: s = 1 / (1 + exp(-v)); return s * (1 - s);
	case GA_TANH: s = tanh(v); return 1 - s * s;
	case GA_ELU: return v > 0 ? 1 : n->alpha * exp(v);
	case GA_SOFTPLUS: return 1 / (1 + exp(-v));
	case GA_SQRT: return 0.5 / sqrt(v);
	case GA_ERF: return 2 / sqrt(M_PI) * exp(-v * v);
	case GA_EXP: return exp(v);
	case GA_NEG: return -1;
	default: return 1;
	}
}

static void
act_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	double *dy, double *tmp)
{
	long i, q, m = n->outn;

	for (i = 0; i < m; i++) {
		double dv = act_deriv(n, xp[0][i], i);
		for (q = 0; q < k; q++)
			dy[q * m + i] = dx[0][q * m + i] * dv;
	}
}

static enum gpl
act_pl(const struct gnode *n)
{
	switch (n->op) {
	case GA_RELU: case GA_LEAKY: case GA_PRELU: case GA_CLIP: return GPL_PL;
	case GA_IDENTITY: case GA_NEG: return GPL_LINEAR;
	default: return GPL_SMOOTH;
	}
}

static long
act_units(const struct gnode *n)
{
	return act_pl(n) != GPL_PL ? 0 : n->op == GA_CLIP ? 2 * n->outn : n->outn;
}

static void
bit_set(uint8_t *bits, long k, int on)
{
	if (on)
		bits[k >> 3] |= (uint8_t)(1u << (k & 7));
	else
		bits[k >> 3] &= (uint8_t) ~(1u << (k & 7));
}

static void
act_pattern(const struct gnode *n, const double *const *xp, uint8_t *bits, long off)
{
	long i;

	for (i = 0; i < n->outn; i++) {
		if (n->op != GA_CLIP) {
			bit_set(bits, off + i, xp[0][i] > 0);
			continue;
		}
		bit_set(bits, off + 2 * i, xp[0][i] > n->alpha);
		bit_set(bits, off + 2 * i + 1, xp[0][i] > n->beta);
	}
}

/* Where p + t q crosses c after t0. */
static double
cross(double p, double q, double c, double t0)
{
	double t;

	if (q == 0)
		return INFINITY;
	t = (c - p) / q;
	return t > t0 ? t : INFINITY;
}

static double
act_next_break(const struct gnode *n, const double *const *p, const double *const *q, double t0)
{
	double best = INFINITY, t;
	long i;

	for (i = 0; i < n->outn; i++) {
		if (n->op == GA_CLIP) {
			t = fmin(cross(p[0][i], q[0][i], n->alpha, t0),
				 cross(p[0][i], q[0][i], n->beta, t0));
		} else {
			t = cross(p[0][i], q[0][i], 0, t0);
		}
		if (t < best)
			best = t;
	}
	return best;
}

/* Groups: one per threshold (two per clip unit, like the pattern bits):
 * candidates (threshold, x), so a tie is "off" as in the pattern. */
static long
act_ngroups(const struct gnode *n)
{
	return act_units(n);
}

static int
act_cands(const struct gnode *n, long g, const double *const *x, int r, double *f, int cap)
{
	long i = n->op == GA_CLIP ? g / 2 : g;
	int q;

	if (cap < 2)
		return -1;
	for (q = 0; q < r; q++) {
		f[q] = 0;
		f[r + q] = x[0][q * n->inn[0] + i];
	}
	if (n->op == GA_CLIP)
		f[0] = g % 2 ? n->beta : n->alpha;
	return 2;
}

static long
act_params(const struct gnode *n)
{
	return n->op == GA_PRELU ? n->nb : 0;
}

const struct gkind_ops gk_act = {
	.name = "activation",
	.infer = act_infer,
	.fwd = act_fwd,
	.fwd64 = act_fwd64,
	.lin = act_lin,
	.pl = act_pl,
	.units = act_units,
	.pattern = act_pattern,
	.next_break = act_next_break,
	.ngroups = act_ngroups,
	.cands = act_cands,
	.params = act_params,
};
