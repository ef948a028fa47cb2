/*
 * net.c: networks as lists of layers, and their batched forward pass.
 *
 * Invariants after ls_net_create(): layer i's out equals layer i+1's in;
 * activations have in == out; net->maxw is the widest layer boundary.
 * The forward pass ping-pongs between two halves of one scratch block of
 * 2 * n * maxw floats, grown on demand and kept for the next call.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "linscope/model.h"
#include "base/util.h"

const char *
ls_layer_kind_name(enum ls_layer_kind k)
{
	static const char *names[] = { "affine", "relu", "leaky_relu", "tanh",
				       "sigmoid", "identity" };

	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void
layers_free(struct ls_layer *layers, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(layers[i].w);
		free(layers[i].b);
		free(layers[i].name);
	}
	free(layers);
}

/* Gives leading activations the width of the first affine layer and checks
 * that every boundary chains. */
static enum ls_status
net_chain(struct ls_layer *l, int n, char *err)
{
	int i, first = -1, w;

	for (i = 0; i < n && first < 0; i++)
		if (l[i].kind == LS_LAYER_AFFINE)
			first = i;
	if (first < 0)
		return ls_err(err, LS_EINVAL, "the program has no affine layer");
	w = l[first].in;
	for (i = 0; i < n; i++) {
		if (l[i].kind != LS_LAYER_AFFINE) {
			l[i].in = l[i].out = w;
			continue;
		}
		if (l[i].in != w)
			return ls_err(err, LS_EINVAL,
				      "layer %d (%s) takes %d inputs but the layer before gives %d",
				      i + 1, l[i].name, l[i].in, w);
		w = l[i].out;
	}
	return LS_OK;
}

enum ls_status
ls_net_create(struct ls_layer *layers, int n, struct ls_net **out, char *err)
{
	struct ls_net *net;
	enum ls_status st;
	int i;

	*out = NULL;
	if (n <= 0 || n > LS_MAX_LAYERS) {
		layers_free(layers, n > 0 ? n : 0);
		return ls_err(err, LS_EINVAL, "a program needs 1 to %d layers", LS_MAX_LAYERS);
	}
	if ((st = net_chain(layers, n, err)) != LS_OK) {
		layers_free(layers, n);
		return st;
	}
	net = xcalloc(1, sizeof *net);
	net->layers = layers;
	net->nlayers = n;
	net->in = layers[0].in;
	net->out = layers[n - 1].out;
	for (i = 0; i < n; i++)
		if (layers[i].out > net->maxw || layers[i].in > net->maxw)
			net->maxw = layers[i].out > layers[i].in ? layers[i].out : layers[i].in;
	*out = net;
	return LS_OK;
}

void
ls_net_free(struct ls_net *net)
{
	if (!net)
		return;
	layers_free(net->layers, net->nlayers);
	free(net->scratch);
	free(net);
}

long
ls_net_params(const struct ls_net *net)
{
	long p = 0;
	int i;

	for (i = 0; i < net->nlayers; i++)
		if (net->layers[i].kind == LS_LAYER_AFFINE)
			p += (long)net->layers[i].in * net->layers[i].out +
			     (net->layers[i].b ? net->layers[i].out : 0);
	return p;
}

int
ls_net_is_pl(const struct ls_net *net)
{
	int i;

	for (i = 0; i < net->nlayers; i++) {
		enum ls_layer_kind k = net->layers[i].kind;
		if (k == LS_LAYER_TANH || k == LS_LAYER_SIGMOID)
			return 0;
	}
	return 1;
}

/* y (n, out) = x (n, in) W^T + b, one GEMM. */
static void
affine_forward(const struct ls_layer *l, const float *x, long n, float *y)
{
	long i;

	if (l->b) {
		for (i = 0; i < n; i++)
			memcpy(y + i * l->out, l->b, (size_t)l->out * sizeof *y);
	}
	ls_sgemm((int)n, l->out, l->in, 1.0f, x, l->w, 1, l->b ? 1.0f : 0.0f, y);
}

/* Applies an activation in place to m values. */
static void
act_forward(const struct ls_layer *l, float *v, long m)
{
	long i;
	float s = l->slope;

	switch (l->kind) {
	case LS_LAYER_RELU:
		for (i = 0; i < m; i++)
			v[i] = v[i] > 0 ? v[i] : 0;
		break;
	case LS_LAYER_LEAKY_RELU:
		for (i = 0; i < m; i++)
			v[i] = v[i] > 0 ? v[i] : s * v[i];
		break;
	case LS_LAYER_TANH:
		for (i = 0; i < m; i++)
			v[i] = tanhf(v[i]);
		break;
	case LS_LAYER_SIGMOID:
		for (i = 0; i < m; i++)
			v[i] = 1.0f / (1.0f + expf(-v[i]));
		break;
	default:
		break;
	}
}

/* Ensures 2 * n * maxw floats of scratch. */
static void
net_scratch(struct ls_net *net, long n)
{
	long need = 2 * n * (long)net->maxw;

	if (need > net->scratch_n) {
		free(net->scratch);
		net->scratch = xreallocarray(NULL, (size_t)need, sizeof(float));
		net->scratch_n = need;
	}
}

/* Scratch budget of one forward call: a wide net runs its batch in chunks
 * of rows so that 2 * chunk * maxw floats stay under it. */
#define NET_SCRATCH_MAX (256L << 20)

/* Layer by layer; activations run in place, except on the caller's input. */
static void
net_forward_batch(struct ls_net *net, const float *x, long n, float *y)
{
	const float *cur = x;
	float *buf[2], *dst;
	int i, k = 0;

	if (n <= 0)
		return;
	net_scratch(net, n);
	buf[0] = net->scratch;
	buf[1] = net->scratch + n * (long)net->maxw;
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		int last = i == net->nlayers - 1;
		if (l->kind == LS_LAYER_AFFINE) {
			dst = last ? y : buf[k];
			affine_forward(l, cur, n, dst);
			k ^= 1;
			cur = dst;
			continue;
		}
		if (cur == x || (last && cur != y)) {
			dst = last ? y : buf[k];
			memcpy(dst, cur, (size_t)(n * l->out) * sizeof *dst);
			k ^= 1;
			cur = dst;
		}
		act_forward(l, (float *)cur, n * l->out);
	}
}

void
ls_net_forward(struct ls_net *net, const float *x, long n, float *y)
{
	long chunk = NET_SCRATCH_MAX / (2 * (long)sizeof(float) * (net->maxw > 0 ? net->maxw : 1)), i;

	if (chunk < 1)
		chunk = 1;
	for (i = 0; i < n; i += chunk)
		net_forward_batch(net, x + i * (long)net->in, n - i < chunk ? n - i : chunk,
				  y + i * (long)net->out);
}
