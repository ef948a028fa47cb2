/*
 * test-regions-net.h: building small networks in memory for the region
 * tests (header only), and a seeded RNG.
 */
#ifndef TEST_REGIONS_NET_H
#define TEST_REGIONS_NET_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

static uint64_t rng_state = 88172645463325252ULL;

static double __attribute__((unused))
rng_uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double __attribute__((unused))
rng_normal(void)
{
	double u = rng_uniform() + 1e-300, v = rng_uniform();

	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* An affine layer from w (out, in) and b (out) (copied; b may be NULL). */
static struct ls_layer __attribute__((unused))
layer_affine(int in, int out, const float *w, const float *b)
{
	struct ls_layer l;

	memset(&l, 0, sizeof l);
	l.kind = LS_LAYER_AFFINE;
	l.in = in;
	l.out = out;
	l.w = xmalloc((size_t)in * out * sizeof *l.w);
	memcpy(l.w, w, (size_t)in * out * sizeof *l.w);
	if (b) {
		l.b = xmalloc((size_t)out * sizeof *l.b);
		memcpy(l.b, b, (size_t)out * sizeof *l.b);
	}
	l.name = xasprintf("fc%d", out);
	return l;
}

static struct ls_layer __attribute__((unused))
layer_act(enum ls_layer_kind k, float slope)
{
	struct ls_layer l;

	memset(&l, 0, sizeof l);
	l.kind = k;
	l.slope = slope;
	l.name = xstrdup(ls_layer_kind_name(k));
	return l;
}

/* A random relu net with widths w[0] (input) .. w[n] (output), relu after
 * every affine layer but the last; weights N(0, 1/in), biases N(0, 0.5).
 * tail: a final activation kind added (LS_LAYER_IDENTITY: none). */
__attribute__((unused)) static struct ls_net *
net_random(const int *w, int n, enum ls_layer_kind hidden, enum ls_layer_kind tail)
{
	struct ls_layer *l = xcalloc((size_t)(2 * n + 1), sizeof *l);
	struct ls_net *net;
	char err[LS_ERR_MAX];
	int i, k = 0, j;

	for (i = 0; i < n; i++) {
		float *W = xmalloc((size_t)w[i] * w[i + 1] * sizeof *W), *B = xmalloc((size_t)w[i + 1] * sizeof *B);
		for (j = 0; j < w[i] * w[i + 1]; j++)
			W[j] = (float)(rng_normal() / sqrt(w[i]));
		for (j = 0; j < w[i + 1]; j++)
			B[j] = (float)(0.5 * rng_normal());
		l[k++] = layer_affine(w[i], w[i + 1], W, B);
		free(W);
		free(B);
		if (i + 1 < n)
			l[k++] = layer_act(hidden, hidden == LS_LAYER_LEAKY_RELU ? 0.1f : 0);
	}
	if (tail != LS_LAYER_IDENTITY)
		l[k++] = layer_act(tail, 0);
	if (ls_net_create(l, k, &net, err) != LS_OK) {
		fprintf(stderr, "net_random: %s\n", err);
		exit(99);
	}
	return net;
}

/* The triangle wave relu(x+1) - 2 relu(x) + relu(x-1) on a 1-D latent. */
__attribute__((unused)) static struct ls_net *
net_triangle(void)
{
	static const float w1[3] = { 1, 1, 1 }, b1[3] = { 1, 0, -1 }, w2[3] = { 1, -2, 1 };
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_net *net;
	char err[LS_ERR_MAX];

	l[0] = layer_affine(1, 3, w1, b1);
	l[1] = layer_act(LS_LAYER_RELU, 0);
	l[2] = layer_affine(3, 1, w2, NULL);
	if (ls_net_create(l, 3, &net, err) != LS_OK)
		exit(99);
	return net;
}

/* Pattern of z as a malloc'd bit string. */
__attribute__((unused)) static uint8_t *
pattern_of(struct ls_net *net, const float *z)
{
	uint8_t *b = xcalloc((size_t)(ls_net_units(net) + 8) / 8, 1);

	ls_net_pattern(net, z, b);
	return b;
}

/* Reference forward pass in double, straight from the float layers:
 * y (out) and the on/off bits of every relu / leaky_relu input (layer
 * order; bits may be NULL). Stops before a trailing smooth activation when
 * stop_smooth is set. Independent of the library's region code. */
static void __attribute__((unused))
fwd_d(const struct ls_net *net, const double *z, double *y, uint8_t *bits, int stop_smooth)
{
	double *a = xmalloc((size_t)net->maxw * sizeof *a), *b = xmalloc((size_t)net->maxw * sizeof *b);
	int i, j, k, w = net->in, u = 0;

	memcpy(a, z, (size_t)w * sizeof *a);
	for (i = 0; i < net->nlayers; i++) {
		const struct ls_layer *l = &net->layers[i];
		if (l->kind == LS_LAYER_AFFINE) {
			for (j = 0; j < l->out; j++) {
				double s = l->b ? l->b[j] : 0;
				for (k = 0; k < l->in; k++)
					s += (double)l->w[j * l->in + k] * a[k];
				b[j] = s;
			}
			memcpy(a, b, (size_t)l->out * sizeof *a);
			w = l->out;
		} else if (l->kind == LS_LAYER_RELU || l->kind == LS_LAYER_LEAKY_RELU) {
			for (j = 0; j < w; j++, u++) {
				int on = a[j] > 0;
				if (bits && on)
					bits[u / 8] |= (uint8_t)(1 << (u % 8));
				else if (bits)
					bits[u / 8] &= (uint8_t)~(1 << (u % 8));
				if (!on)
					a[j] *= l->kind == LS_LAYER_RELU ? 0 : l->slope;
			}
		} else if (l->kind == LS_LAYER_SIGMOID || l->kind == LS_LAYER_TANH) {
			if (stop_smooth)
				break;
			for (j = 0; j < w; j++)
				a[j] = l->kind == LS_LAYER_TANH ? tanh(a[j]) : 1 / (1 + exp(-a[j]));
		}
	}
	memcpy(y, a, (size_t)w * sizeof *y);
	free(a);
	free(b);
}

#endif
