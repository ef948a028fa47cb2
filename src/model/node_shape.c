/*
 * node_shape.c: nodes that move values without arithmetic (all linear).
 *
 * view:   Reshape / Flatten / Squeeze / Unsqueeze / Identity / Dropout. The
 *         values do not change, only the shape: the executor aliases the
 *         input's buffer. target[0..ntarget) is an ONNX Reshape shape
 *         including the batch (0 copies, -1 is inferred); ntarget 0 keeps
 *         the osh the builder set.
 * slice:  one box with steps, ONNX clamping; ends, starts, steps per
 *         per-sample axis (the builder leaves unsliced axes at 0..INT64_MAX).
 * concat: along a per-sample axis.
 * pad:    constant (pad_value), reflect or edge; pads[] per-sample begins
 *         then ends. A map (output -> input index, -1 for the constant) is
 *         built at infer.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "graph.h"

/* ---- view ---------------------------------------------------------------- */

static enum ls_status
view_target(struct gnode *n, char *err)
{
	int i, neg = -1, nd = n->ntarget - 1;
	long known = 1;

	if (nd < 0 || nd > G_MAXD)
		return ls_err(err, LS_EFORMAT, "target rank %d is out of range", n->ntarget);
	n->osh.nd = nd;
	for (i = 1; i < n->ntarget; i++) {
		int64_t t = n->target[i];
		if (t == 0 && i - 1 < n->ish[0].nd)
			t = n->ish[0].d[i - 1];
		if (t == -1) {
			if (neg >= 0)
				return ls_err(err, LS_EFORMAT, "two -1 in the target shape");
			neg = i - 1;
			t = 1;
		} else if (t < 1 || t > LS_MAX_WIDTH || known * t > LS_MAX_WIDTH) {
			return ls_err(err, LS_EFORMAT, "bad target dimension %lld", (long long)t);
		} else {
			known *= (long)t;
		}
		n->osh.d[i - 1] = t;
	}
	if (neg >= 0 && n->target[0] == -1)
		return ls_err(err, LS_EFORMAT, "the target shape infers both the batch and a dimension");
	if (neg >= 0) {
		if (n->inn[0] % known)
			return ls_err(err, LS_EFORMAT, "%ld values do not reshape to the target", n->inn[0]);
		n->osh.d[neg] = n->inn[0] / known;
	}
	return LS_OK;
}

static enum ls_status
view_infer(struct gnode *n, char *err)
{
	enum ls_status s;
	char a[64], b[64];

	if (n->ntarget > 0 && (s = view_target(n, err)))
		return s;
	if (n->ntarget == 0 && n->osh.nd == 0)
		n->osh = n->ish[0];     /* identity */
	if (gshape_numel(&n->osh) != n->inn[0])
		return ls_err(err, LS_EFORMAT, "cannot view %s as %s (the batch must stay the leading axis)",
			      gshape_str(&n->ish[0], a, sizeof a), gshape_str(&n->osh, b, sizeof b));
	return LS_OK;
}

static void
view_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	if (x[0] != y)
		memcpy(y, x[0], (size_t)(batch * n->outn) * sizeof *y);
}

static void
view_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	if (x[0] != y)
		memcpy(y, x[0], (size_t)(batch * n->outn) * sizeof *y);
}

static void
view_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	 double *dy, double *tmp)
{
	view_fwd64(n, dx, k, dy, tmp);
}

const struct gkind_ops gk_view = {
	.name = "view",
	.infer = view_infer,
	.fwd = view_fwd,
	.fwd64 = view_fwd64,
	.lin = view_lin,
};

/* ---- slice --------------------------------------------------------------- */

static int64_t
clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static enum ls_status
slice_infer(struct gnode *n, char *err)
{
	int i;

	n->osh = n->ish[0];
	for (i = 0; i < n->ish[0].nd; i++) {
		int64_t dim = n->ish[0].d[i], st = n->steps[i] ? n->steps[i] : 1;
		int64_t a = n->starts[i], e = n->ends[i];
		if (a < 0)
			a += dim;
		if (e < 0)
			e += dim;
		if (st > 0) {
			a = clamp64(a, 0, dim), e = clamp64(e, 0, dim);
			n->osh.d[i] = e > a ? (e - a + st - 1) / st : 0;
		} else {
			a = clamp64(a, 0, dim - 1), e = clamp64(e, -1, dim - 1);
			n->osh.d[i] = a > e ? (a - e - st - 1) / -st : 0;
		}
		n->starts[i] = a, n->ends[i] = e, n->steps[i] = st;
		if (n->osh.d[i] < 1)
			return ls_err(err, LS_EFORMAT, "the slice of axis %d is empty", i + 1);
	}
	free(n->map[0]);
	n->map[0] = NULL;
	return LS_OK;
}

/* Index in the input of output value o. */
static long
slice_src(const struct gnode *n, long o)
{
	long src = 0, st = 1;
	int d;

	for (d = n->osh.nd - 1; d >= 0; d--) {
		long i = o % n->osh.d[d];
		o /= n->osh.d[d];
		src += (n->starts[d] + i * n->steps[d]) * st;
		st *= n->ish[0].d[d];
	}
	return src;
}

#define MOVE_KERNELS(T, S)                                                               \
	static void slice_run_##S(const struct gnode *n, const T *x, long rows, T *y)      \
	{                                                                              \
		long r, o;                                                              \
		for (r = 0; r < rows; r++)                                              \
			for (o = 0; o < n->outn; o++)                                   \
				y[r * n->outn + o] = x[r * n->inn[0] + slice_src(n, o)]; \
	}                                                                              \
	static void concat_run_##S(const struct gnode *n, const T *const *x, long rows, T *y) \
	{                                                                              \
		long outer = 1, inner = 1, r, o;                                        \
		int d, i;                                                              \
		for (d = 0; d < n->axis; d++)                                           \
			outer *= n->osh.d[d];                                           \
		for (d = n->axis + 1; d < n->osh.nd; d++)                               \
			inner *= n->osh.d[d];                                           \
		for (r = 0; r < rows; r++) {                                            \
			T *yr = y + r * n->outn;                                        \
			for (o = 0; o < outer; o++)                                     \
				for (i = 0; i < n->nin; i++) {                          \
					long m = n->ish[i].d[n->axis] * inner;          \
					memcpy(yr, x[i] + r * n->inn[i] + o * m, (size_t)m * sizeof(T)); \
					yr += m;                                        \
				}                                                       \
		}                                                                      \
	}                                                                              \
	static void pad_run_##S(const struct gnode *n, const T *x, long rows, T *y, T v) \
	{                                                                              \
		long r, o;                                                              \
		for (r = 0; r < rows; r++)                                              \
			for (o = 0; o < n->outn; o++) {                                 \
				long j = n->map[0][o];                                  \
				y[r * n->outn + o] = j < 0 ? v : x[r * n->inn[0] + j];  \
			}                                                               \
	}
MOVE_KERNELS(float, f)
MOVE_KERNELS(double, d)

static void
slice_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	slice_run_f(n, x[0], batch, y);
}

static void
slice_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	slice_run_d(n, x[0], batch, y);
}

static void
slice_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	  double *dy, double *tmp)
{
	slice_run_d(n, dx[0], k, dy);
}

const struct gkind_ops gk_slice = {
	.name = "slice",
	.infer = slice_infer,
	.fwd = slice_fwd,
	.fwd64 = slice_fwd64,
	.lin = slice_lin,
};

/* ---- concat -------------------------------------------------------------- */

static enum ls_status
concat_infer(struct gnode *n, char *err)
{
	int i, d;

	n->osh = n->ish[0];
	if (n->axis < 0 || n->axis >= n->osh.nd)
		return ls_err(err, LS_EFORMAT, "axis %d is not a per-sample axis", n->axis + 1);
	for (i = 1; i < n->nin; i++) {
		if (n->ish[i].nd != n->osh.nd)
			return ls_err(err, LS_EFORMAT, "inputs of different ranks");
		for (d = 0; d < n->osh.nd; d++)
			if (d != n->axis && n->ish[i].d[d] != n->osh.d[d])
				return ls_err(err, LS_EFORMAT, "input %d differs in axis %d", i + 1, d + 1);
		n->osh.d[n->axis] += n->ish[i].d[n->axis];
	}
	return LS_OK;
}

static void
concat_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	concat_run_f(n, x, batch, y);
}

static void
concat_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	concat_run_d(n, x, batch, y);
}

static void
concat_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	   double *dy, double *tmp)
{
	concat_run_d(n, dx, k, dy);
}

const struct gkind_ops gk_concat = {
	.name = "concat",
	.infer = concat_infer,
	.fwd = concat_fwd,
	.fwd64 = concat_fwd64,
	.lin = concat_lin,
};

/* ---- pad ----------------------------------------------------------------- */

/* Source index along an axis of size n for padded position i (-1: constant). */
static long
pad_src(int mode, long i, long n)
{
	if (i >= 0 && i < n)
		return i;
	if (mode == GD_CONSTANT)
		return -1;
	if (mode == GD_EDGE)
		return i < 0 ? 0 : n - 1;
	while (i < 0 || i >= n)
		i = i < 0 ? -i : 2 * (n - 1) - i;
	return n == 1 ? 0 : i;
}

static enum ls_status
pad_infer(struct gnode *n, char *err)
{
	int d, nd = n->ish[0].nd;
	long o;

	n->osh = n->ish[0];
	for (d = 0; d < nd; d++) {
		if (n->pads[d] > LS_MAX_WIDTH || n->pads[nd + d] > LS_MAX_WIDTH)
			return ls_err(err, LS_EFORMAT, "pads above %d", LS_MAX_WIDTH);
		n->osh.d[d] += n->pads[d] + n->pads[nd + d];
		if (n->osh.d[d] < 1 || n->osh.d[d] > LS_MAX_WIDTH)
			return ls_err(err, LS_EFORMAT, "pads leave axis %d empty", d + 1);
		if (n->op == GD_REFLECT && (n->pads[d] >= n->ish[0].d[d] || n->pads[nd + d] >= n->ish[0].d[d]))
			return ls_err(err, LS_EFORMAT, "reflect pads must be smaller than the axis");
	}
	if (gshape_numel(&n->osh) > LS_MAX_WIDTH || gshape_numel(&n->osh) < 1)
		return ls_err(err, LS_EFORMAT, "pads give too many values");
	free(n->map[0]);
	n->map[0] = xreallocarray(NULL, (size_t)gshape_numel(&n->osh), sizeof(long));
	for (o = 0; o < gshape_numel(&n->osh); o++) {
		long r = o, src = 0, st = 1;
		for (d = nd - 1; d >= 0 && src >= 0; d--) {
			long j = pad_src(n->op, r % n->osh.d[d] - n->pads[d], n->ish[0].d[d]);
			r /= n->osh.d[d];
			src = j < 0 ? -1 : src + j * st;
			st *= n->ish[0].d[d];
		}
		n->map[0][o] = src;
	}
	return LS_OK;
}

static void
pad_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	pad_run_f(n, x[0], batch, y, (float)n->pad_value);
}

static void
pad_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	pad_run_d(n, x[0], batch, y, n->pad_value);
}

static void
pad_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	double *dy, double *tmp)
{
	pad_run_d(n, dx[0], k, dy, 0);
}

const struct gkind_ops gk_pad = {
	.name = "pad",
	.infer = pad_infer,
	.fwd = pad_fwd,
	.fwd64 = pad_fwd64,
	.lin = pad_lin,
};
