/*
 * jacobian.c: forward-mode derivatives of a net in double precision: the
 * exact Jacobian (piecewise-linear nets: exact inside the region, with
 * relu'(0) = 0 and leaky_relu'(0) = slope; sigmoid and tanh: their analytic
 * derivative) and Jacobian-vector products.
 *
 * One point row and k tangent rows go through each affine layer as one
 * GEMM; an activation scales each tangent by its derivative at the point.
 * The batched pass (lin_dnet_*) keeps a double copy of the weights and
 * pushes many point rows and tangent rows (tangent i rides on point i)
 * through one GEMM per affine layer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "base/util.h"
#include "lin_priv.h"
#include "model/graph.h"

/* Derivative of activation l at pre-activation x, and its value in *y. */
static double
act_d(const struct ls_layer *l, double x, double *y)
{
	double s;

	switch (l->kind) {
	case LS_LAYER_RELU:
		*y = x > 0 ? x : 0;
		return x > 0;
	case LS_LAYER_LEAKY_RELU:
		*y = x > 0 ? x : l->slope * x;
		return x > 0 ? 1 : l->slope;
	case LS_LAYER_TANH:
		*y = tanh(x);
		return 1 - *y * *y;
	case LS_LAYER_SIGMOID:
		s = 1 / (1 + exp(-x));
		*y = s;
		return s * (1 - s);
	default:
		*y = x;
		return 1;
	}
}

/* Affine layer l on r rows x (r, in) into y (r, out); bias on row 0. */
static void
affine_d(const struct ls_layer *l, const double *x, int r, double *y)
{
	double *w = xmalloc((size_t)l->in * l->out * sizeof *w);
	long i;

	for (i = 0; i < (long)l->in * l->out; i++)
		w[i] = l->w[i];
	ls_dgemm(r, l->out, l->in, 1.0, x, 0, w, 1, 0.0, y);
	for (i = 0; l->b && i < l->out; i++)
		y[i] += l->b[i];
	free(w);
}

void
lin_forward(struct ls_net *net, const double *z, const double *t, int k, double *y, double *jt)
{
	size_t mw = (size_t)net->maxw, r = (size_t)k + 1;
	double *a = xmalloc(r * mw * sizeof *a), *b = xmalloc(r * mw * sizeof *b), *tmp;
	int i, j, q, w = net->in;

	if (!net->layers) {   /* a graph: the node table's linear parts */
		free(a), free(b);
		if (graph_lin(ls_net_graph(net), z, t, k, y, jt, NULL) != LS_OK) {
			memset(y, 0, (size_t)net->out * sizeof *y);
			memset(jt, 0, (size_t)k * net->out * sizeof *jt);
		}
		return;
	}
	memcpy(a, z, (size_t)w * sizeof *a);
	if (k)
		memcpy(a + w, t, (size_t)k * w * sizeof *a);
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		if (l->kind == LS_LAYER_AFFINE) {
			affine_d(l, a, k + 1, b);
			tmp = a, a = b, b = tmp;
			w = l->out;
			continue;
		}
		for (j = 0; j < w; j++) {
			double dv = act_d(l, a[j], &a[j]);
			for (q = 1; q <= k; q++)
				a[q * w + j] *= dv;
		}
	}
	memcpy(y, a, (size_t)w * sizeof *y);
	if (k)
		memcpy(jt, a + w, (size_t)k * w * sizeof *jt);
	free(a);
	free(b);
}

void
ls_jacobian(struct ls_net *net, const float *z, double *J)
{
	int d = net->in, o = net->out, i, j;
	double *zd = xmalloc((size_t)d * sizeof *zd), *eye = xcalloc((size_t)d * d, sizeof *eye);
	double *y = xmalloc((size_t)o * sizeof *y), *jt = xmalloc((size_t)d * o * sizeof *jt);

	for (i = 0; i < d; i++) {
		zd[i] = z[i];
		eye[i * d + i] = 1;
	}
	lin_forward(net, zd, eye, d, y, jt);
	for (i = 0; i < d; i++)
		for (j = 0; j < o; j++)
			J[(long)j * d + i] = jt[(long)i * o + j];
	free(zd), free(eye), free(y), free(jt);
}

void
ls_jvp(struct ls_net *net, const float *z, const float *u, double *jv)
{
	int d = net->in, i;
	double *zd = xmalloc(2 * (size_t)d * sizeof *zd), *y = xmalloc((size_t)net->out * sizeof *y);

	for (i = 0; i < d; i++) {
		zd[i] = z[i];
		zd[d + i] = u[i];
	}
	lin_forward(net, zd, zd + d, 1, y, jv);
	free(zd);
	free(y);
}

/* ---- batched passes ------------------------------------------------------- */

void
lin_dnet_init(struct lin_dnet *d, struct ls_net *net)
{
	int i;
	long j;

	memset(d, 0, sizeof *d);
	d->net = net;
	d->w = xcalloc((size_t)net->nlayers + 1, sizeof *d->w);
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		if (l->kind != LS_LAYER_AFFINE)
			continue;
		d->w[i] = xmalloc((size_t)l->in * l->out * sizeof *d->w[i]);
		for (j = 0; j < (long)l->in * l->out; j++)
			d->w[i][j] = l->w[j];
	}
}

void
lin_dnet_free(struct lin_dnet *d)
{
	int i;

	if (!d->w)
		return;
	for (i = 0; i < d->net->nlayers; i++)
		free(d->w[i]);
	free(d->w);
	free(d->a);
	free(d->b);
	memset(d, 0, sizeof *d);
}

/* Activation layer l on np point rows a (np, w) and nt tangent rows t. */
static void
act_rows(const struct ls_layer *l, double *a, long np, double *t, long nt, int w)
{
	long r;
	int j;

	for (r = 0; r < np; r++)
		for (j = 0; j < w; j++) {
			double dv = act_d(l, a[r * w + j], &a[r * w + j]);
			if (r < nt)
				t[r * w + j] *= dv;
		}
}

/* lin_dnet_forward for a graph: one linear pass per point with a tangent,
 * a float64 forward for the others. */
static const double *
graph_rows(struct lin_dnet *d, const double *x, long np, long nt)
{
	const struct ls_graph *g = ls_net_graph(d->net);
	int in = d->net->in, out = d->net->out;
	long r, rows = np + nt;
	double **vals, *blk;

	if (rows * out > d->cap) {
		d->cap = rows * out;
		d->a = xrealloc(d->a, (size_t)d->cap * sizeof *d->a);
	}
	for (r = 0; r < nt; r++)
		if (graph_lin(g, x + r * in, x + (np + r) * in, 1, d->a + r * out,
			      d->a + (np + r) * out, NULL) != LS_OK)
			memset(d->a + (np + r) * out, 0, (size_t)out * sizeof *d->a);
	if (np > nt) {
		blk = graph_forward64_all(g, x + nt * in, np - nt, &vals);
		memcpy(d->a + nt * out, vals[g->outv], (size_t)((np - nt) * out) * sizeof *d->a);
		free(blk), free(vals);
	}
	return d->a;
}

const double *
lin_dnet_forward(struct lin_dnet *d, const double *x, long np, long nt)
{
	struct ls_net *net = d->net;
	long rows = np + nt;
	int i, w = net->in;
	double *tmp;

	if (!net->layers)
		return graph_rows(d, x, np, nt);
	if (rows * net->maxw > d->cap) {
		d->cap = rows * net->maxw;
		d->a = xrealloc(d->a, (size_t)d->cap * sizeof *d->a);
		d->b = xrealloc(d->b, (size_t)d->cap * sizeof *d->b);
	}
	memcpy(d->a, x, (size_t)rows * w * sizeof *x);
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		long r;
		int j;
		if (l->kind != LS_LAYER_AFFINE) {
			act_rows(l, d->a, np, d->a + np * w, nt, w);
			continue;
		}
		ls_dgemm((int)rows, l->out, l->in, 1.0, d->a, 0, d->w[i], 1, 0.0, d->b);
		for (r = 0; l->b && r < np; r++)
			for (j = 0; j < l->out; j++)
				d->b[r * l->out + j] += l->b[j];
		tmp = d->a, d->a = d->b, d->b = tmp;
		w = l->out;
	}
	return d->a;
}
