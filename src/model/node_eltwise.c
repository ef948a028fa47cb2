/*
 * node_eltwise.c: element-wise arithmetic with broadcasting.
 *
 * chan:   y = x * w[c] + b[c], c the leading (channel) axis of the sample:
 *         inference BatchNormalization, folded to a scale and shift at build.
 * const:  y = x OP c or c OP x (cfirst), c a constant; after infer, w holds c
 *         expanded to the output's per-sample shape (csh = osh), and map[0]
 *         broadcasts x when x is the smaller one.
 * binary: y = a OP b between two runtime values (a residual Add, x * sigmoid(x),
 *         the pieces of a decomposed LayerNorm); map[i] broadcasts input i.
 * Only Add and Sub of two values, and Add/Sub/Mul/Div by a constant (not of
 * a constant by x) are linear; everything else is smooth.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "graph.h"

enum ls_status
gshape_broadcast(const struct gshape *a, const struct gshape *b, struct gshape *out, char *err)
{
	int nd = a->nd > b->nd ? a->nd : b->nd, i;

	out->nd = nd;
	for (i = 0; i < nd; i++) {
		int ia = i - (nd - a->nd), ib = i - (nd - b->nd);
		int64_t da = ia >= 0 ? a->d[ia] : 1, db = ib >= 0 ? b->d[ib] : 1;
		if (da != db && da != 1 && db != 1) {
			char sa[64], sb[64];
			return ls_err(err, LS_EFORMAT, "shapes %s and %s do not broadcast",
				      gshape_str(a, sa, sizeof sa), gshape_str(b, sb, sizeof sb));
		}
		out->d[i] = da == 1 ? db : da;
	}
	return LS_OK;
}

long *
gshape_bcast_map(const struct gshape *out, const struct gshape *in)
{
	long n = gshape_numel(out), i, *map, st[G_MAXD];
	int d, k;

	if (gshape_numel(in) == n)
		return NULL;
	map = xreallocarray(NULL, (size_t)n, sizeof *map);
	for (d = out->nd - 1, k = 1; d >= 0; d--) {
		int id = d - (out->nd - in->nd);
		long dim = id >= 0 ? (long)in->d[id] : 1;
		st[d] = dim == 1 ? 0 : k;
		k *= (int)dim;
	}
	for (i = 0; i < n; i++) {
		long r = i, src = 0;
		for (d = out->nd - 1; d >= 0; d--) {
			src += (r % out->d[d]) * st[d];
			r /= out->d[d];
		}
		map[i] = src;
	}
	return map;
}

/* ---- chan ---------------------------------------------------------------- */

static enum ls_status
chan_infer(struct gnode *n, char *err)
{
	if (n->ish[0].nd < 1 || n->ish[0].d[0] != n->nw)
		return ls_err(err, LS_EFORMAT, "has %ld channels but its input has %lld", n->nw,
			      n->ish[0].nd ? (long long)n->ish[0].d[0] : 0LL);
	n->osh = n->ish[0];
	return LS_OK;
}

#define CHAN_KERNEL(T, S)                                                            \
	static void chan_run_##S(const struct gnode *n, const T *w, const T *b, const T *x, \
				 long rows, T *y)                                   \
	{                                                                          \
		long c, C = n->nw, in = n->outn / C, r, i;                          \
		for (r = 0; r < rows; r++)                                          \
			for (c = 0; c < C; c++) {                                   \
				const T *xc = x + r * n->outn + c * in;             \
				T *yc = y + r * n->outn + c * in, s = w[c], t = b ? b[c] : 0; \
				for (i = 0; i < in; i++)                            \
					yc[i] = xc[i] * s + t;                      \
			}                                                          \
	}
CHAN_KERNEL(float, f)
CHAN_KERNEL(double, d)

static void
chan_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	chan_run_f(n, n->w, n->b, x[0], batch, y);
}

static void
chan_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	chan_run_d(n, n->wd, n->bd, x[0], batch, y);
}

static void
chan_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	 double *dy, double *tmp)
{
	chan_run_d(n, n->wd, NULL, dx[0], k, dy);
}

static long
chan_params(const struct gnode *n)
{
	return 4 * n->nw;
}

const struct gkind_ops gk_chan = {
	.name = "channel_affine",
	.infer = chan_infer,
	.fwd = chan_fwd,
	.fwd64 = chan_fwd64,
	.lin = chan_lin,
	.params = chan_params,
};

/* ---- const --------------------------------------------------------------- */

static enum ls_status
const_infer(struct gnode *n, char *err)
{
	struct gshape o;
	enum ls_status s;
	long *cm, i;
	float *w;

	if ((s = gshape_broadcast(&n->ish[0], &n->csh, &o, err)))
		return s;
	n->osh = o;
	free(n->map[0]);
	n->map[0] = gshape_bcast_map(&o, &n->ish[0]);
	if ((cm = gshape_bcast_map(&o, &n->csh))) {
		long on = gshape_numel(&o);
		w = xreallocarray(NULL, (size_t)on, sizeof *w);
		for (i = 0; i < on; i++)
			w[i] = n->w[cm[i]];
		free(cm);
		free(n->w);
		n->w = w;
		n->nw = on;
	}
	n->csh = o;
	return LS_OK;
}

#define BIN_OP(T, POW, op, a, b)                                                             \
	((op) == GB_ADD ? (a) + (b) : (op) == GB_SUB ? (a) - (b) : (op) == GB_MUL ? (a) * (b) \
	 : (op) == GB_DIV ? (a) / (b) : POW(a, b))

#define CONST_KERNEL(T, S, POW)                                                          \
	static void const_run_##S(const struct gnode *n, const T *c, const T *x, long rows, T *y) \
	{                                                                              \
		long r, i, m = n->outn, xn = n->inn[0];                                 \
		const long *mp = n->map[0];                                             \
		for (r = 0; r < rows; r++) {                                            \
			const T *xr = x + r * xn;                                       \
			T *yr = y + r * m;                                              \
			if (n->cfirst)                                                  \
				for (i = 0; i < m; i++)                                 \
					yr[i] = BIN_OP(T, POW, n->op, c[i], xr[mp ? mp[i] : i]); \
			else if (n->op == GB_ADD && !mp)                                \
				for (i = 0; i < m; i++)                                 \
					yr[i] = xr[i] + c[i];                           \
			else if (n->op == GB_MUL && !mp)                                \
				for (i = 0; i < m; i++)                                 \
					yr[i] = xr[i] * c[i];                           \
			else                                                            \
				for (i = 0; i < m; i++)                                 \
					yr[i] = BIN_OP(T, POW, n->op, xr[mp ? mp[i] : i], c[i]); \
		}                                                                      \
	}
CONST_KERNEL(float, f, powf)
CONST_KERNEL(double, d, pow)

static void
const_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	const_run_f(n, n->w, x[0], batch, y);
}

static void
const_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	const_run_d(n, n->wd, x[0], batch, y);
}

/* d(x OP c)/dx, or d(c OP x)/dx, at x. */
static double
const_deriv(int op, int cfirst, double x, double c)
{
	switch (op) {
	case GB_ADD: return 1;
	case GB_SUB: return cfirst ? -1 : 1;
	case GB_MUL: return c;
	case GB_DIV: return cfirst ? -c / (x * x) : 1 / c;
	default: return cfirst ? pow(c, x) * log(c) : c * pow(x, c - 1);
	}
}

static void
const_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	  double *dy, double *tmp)
{
	long i, q, m = n->outn, xn = n->inn[0];
	const long *mp = n->map[0];

	for (i = 0; i < m; i++) {
		long j = mp ? mp[i] : i;
		double dv = const_deriv(n->op, n->cfirst, xp[0][j], n->wd[i]);
		for (q = 0; q < k; q++)
			dy[q * m + i] = dx[0][q * xn + j] * dv;
	}
}

static enum gpl
const_pl(const struct gnode *n)
{
	if (n->op == GB_POW || (n->op == GB_DIV && n->cfirst))
		return GPL_SMOOTH;
	return GPL_LINEAR;
}

const struct gkind_ops gk_const = {
	.name = "constant_op",
	.infer = const_infer,
	.fwd = const_fwd,
	.fwd64 = const_fwd64,
	.lin = const_lin,
	.pl = const_pl,
};

/* ---- binary -------------------------------------------------------------- */

static enum ls_status
bin_infer(struct gnode *n, char *err)
{
	enum ls_status s;
	int i;

	if (n->ish[0].nd != n->ish[1].nd)
		return ls_err(err, LS_EFORMAT, "inputs of rank %d and %d (only the same rank broadcasts)",
			      n->ish[0].nd + 1, n->ish[1].nd + 1);
	if ((s = gshape_broadcast(&n->ish[0], &n->ish[1], &n->osh, err)))
		return s;
	for (i = 0; i < 2; i++) {
		free(n->map[i]);
		n->map[i] = gshape_bcast_map(&n->osh, &n->ish[i]);
	}
	return LS_OK;
}

#define BINARY_KERNEL(T, S, POW)                                                         \
	static void bin_run_##S(const struct gnode *n, const T *a, const T *b, long rows, T *y) \
	{                                                                              \
		long r, i, m = n->outn, an = n->inn[0], bn = n->inn[1];                 \
		const long *ma = n->map[0], *mb = n->map[1];                            \
		for (r = 0; r < rows; r++) {                                            \
			const T *ar = a + r * an, *br = b + r * bn;                     \
			T *yr = y + r * m;                                              \
			if (!ma && !mb && n->op == GB_ADD)                              \
				for (i = 0; i < m; i++)                                 \
					yr[i] = ar[i] + br[i];                          \
			else                                                            \
				for (i = 0; i < m; i++)                                 \
					yr[i] = BIN_OP(T, POW, n->op, ar[ma ? ma[i] : i], \
						       br[mb ? mb[i] : i]);             \
		}                                                                      \
	}
BINARY_KERNEL(float, f, powf)
BINARY_KERNEL(double, d, pow)

static void
bin_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	bin_run_f(n, x[0], x[1], batch, y);
}

static void
bin_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	bin_run_d(n, x[0], x[1], batch, y);
}

/* Partial derivatives of a OP b. */
static void
bin_deriv(int op, double a, double b, double *da, double *db)
{
	switch (op) {
	case GB_ADD: *da = 1, *db = 1; break;
	case GB_SUB: *da = 1, *db = -1; break;
	case GB_MUL: *da = b, *db = a; break;
	case GB_DIV: *da = 1 / b, *db = -a / (b * b); break;
	default: *da = b * pow(a, b - 1), *db = pow(a, b) * log(a); break;
	}
}

static void
bin_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	double *dy, double *tmp)
{
	long i, q, m = n->outn, an = n->inn[0], bn = n->inn[1];
	const long *ma = n->map[0], *mb = n->map[1];

	for (i = 0; i < m; i++) {
		long ia = ma ? ma[i] : i, ib = mb ? mb[i] : i;
		double da, db;
		bin_deriv(n->op, xp[0][ia], xp[1][ib], &da, &db);
		for (q = 0; q < k; q++)
			dy[q * m + i] = dx[0][q * an + ia] * da + dx[1][q * bn + ib] * db;
	}
}

static enum gpl
bin_pl(const struct gnode *n)
{
	return n->op == GB_ADD || n->op == GB_SUB ? GPL_LINEAR : GPL_SMOOTH;
}

const struct gkind_ops gk_binary = {
	.name = "binary",
	.infer = bin_infer,
	.fwd = bin_fwd,
	.fwd64 = bin_fwd64,
	.lin = bin_lin,
	.pl = bin_pl,
};
