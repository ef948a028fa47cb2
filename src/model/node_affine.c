/*
 * node_affine.c: the affine kind, y = x W^T + b over the flattened sample
 * (nn.Linear, ONNX Gemm and MatMul + Add after the builder has normalised
 * them to this layout).
 *
 * Layout: w (out, in) row-major, b (out) or NULL. The float forward takes
 * GEMV for a batch of up to AFF_GEMV rows (one latent: memory-bound, sgemm
 * with M = 1 is several times slower) and one GEMM above.
 */
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "graph.h"

#define AFF_GEMV 4

static enum ls_status
aff_infer(struct gnode *n, char *err)
{
	int in = n->win.cin, out = n->win.cout;

	if (n->inn[0] != in)
		return ls_err(err, LS_EFORMAT, "takes %d values but its input has %ld", in, n->inn[0]);
	n->osh.nd = 1;
	n->osh.d[0] = out;
	return LS_OK;
}

void
gk_axpy_rows(long rows, long m, const float *b, float *y)
{
	long i;

	for (i = 0; i < rows; i++)
		memcpy(y + i * m, b, (size_t)m * sizeof *y);
}

static void
aff_fwd(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp)
{
	int in = n->win.cin, out = n->win.cout;
	long i;

	if (n->b)
		gk_axpy_rows(batch, out, n->b, y);
	if (batch <= AFF_GEMV) {
		for (i = 0; i < batch; i++)
			ls_sgemv(0, out, in, 1.0f, n->w, x[0] + i * in, n->b ? 1.0f : 0.0f, y + i * out);
		return;
	}
	ls_sgemm((int)batch, out, in, 1.0f, x[0], n->w, 1, n->b ? 1.0f : 0.0f, y);
}

/* y (rows, out) = x W^T (+ b when bias). */
static void
aff_apply64(const struct gnode *n, const double *x, long rows, double *y, int bias)
{
	int in = n->win.cin, out = n->win.cout, j;
	long i;

	ls_dgemm((int)rows, out, in, 1.0, x, 0, n->wd, 1, 0.0, y);
	if (!bias || !n->bd)
		return;
	for (i = 0; i < rows; i++)
		for (j = 0; j < out; j++)
			y[i * out + j] += n->bd[j];
}

static void
aff_fwd64(const struct gnode *n, const double *const *x, long batch, double *y, double *tmp)
{
	aff_apply64(n, x[0], batch, y, 1);
}

static void
aff_lin(const struct gnode *n, const double *const *xp, const double *const *dx, long k,
	double *dy, double *tmp)
{
	aff_apply64(n, dx[0], k, dy, 0);
}

static long
aff_params(const struct gnode *n)
{
	return n->nw + n->nb;
}

const struct gkind_ops gk_affine = {
	.name = "affine",
	.infer = aff_infer,
	.fwd = aff_fwd,
	.fwd64 = aff_fwd64,
	.lin = aff_lin,
	.params = aff_params,
};
