/*
 * plnet.c: the double-precision view of a piecewise-linear net shared by the
 * region code, activation patterns (region ids, flips) and the
 * Zhang-Naitzat-Lim bound.
 *
 * A unit is one input of a relu / leaky_relu layer among the analysed
 * layers; it is on when its pre-activation is > 0. The analysed layers are
 * all layers for a piecewise-linear net, and the layers before the smooth
 * tail (trailing sigmoid / tanh / identity) otherwise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "model/graph.h"
#include "regions_priv.h"

/* ---- graph networks (no layer view) -------------------------------------- */

static enum ls_pl_kind
graph_pl_kind(const struct ls_net *net)
{
	int act;
	enum gpl p = graph_pl_head(ls_net_graph(net), NULL, &act);

	return p == GPL_SMOOTH ? LS_PL_NO : act >= 0 ? LS_PL_TAIL : LS_PL_YES;
}

static long
node_units(const struct gnode *n)
{
	const struct gkind_ops *k = gkind_table[n->kind];

	return k->units ? k->units(n) : 0;
}

/* Units of the PL nodes before the smooth tail. */
static int
graph_units(const struct ls_net *net)
{
	const struct ls_graph *g = ls_net_graph(net);
	int i, head, act;
	long u = 0;

	graph_pl_head(g, &head, &act);
	for (i = 0; i < head; i++)
		u += node_units(&g->nodes[i]);
	return (int)u;
}

/* The pattern of z over the PL nodes before the tail. */
static void
graph_pattern(const struct ls_net *net, const float *z, uint8_t *bits)
{
	const struct ls_graph *g = ls_net_graph(net);
	double *x = xmalloc((size_t)net->in * sizeof *x), **vals, *blk;
	const double *xin[G_MAXIN];
	int i, k, head, act;
	long off = 0;

	for (i = 0; i < net->in; i++)
		x[i] = z[i];
	graph_pl_head(g, &head, &act);
	blk = graph_forward64_all(g, x, 1, &vals);
	for (i = 0; i < head; i++) {
		const struct gnode *n = &g->nodes[i];
		if (!node_units(n))
			continue;
		for (k = 0; k < n->nin; k++)
			xin[k] = vals[n->in[k]];
		gkind_table[n->kind]->pattern(n, xin, bits, off);
		off += node_units(n);
	}
	free(blk), free(vals), free(x);
}

/* The bound over a chain of relu-like nodes (NAN when the graph is not a
 * chain or pools: the bound does not apply). */
static double
graph_bound(const struct ls_net *net, int d, double (*bsum)(int, int))
{
	const struct ls_graph *g = ls_net_graph(net);
	int i, head, act;
	double r = 1;

	graph_pl_head(g, &head, &act);
	for (i = 0; i < head; i++) {
		const struct gnode *n = &g->nodes[i];
		if (n->nin != 1 || n->in[0] != i)
			return NAN;
		if (!node_units(n))
			continue;
		if (n->kind != GK_ACT || n->op == GA_CLIP)
			return NAN;
		r *= bsum((int)n->outn, d);
	}
	return r;
}

static int
is_smooth(enum ls_layer_kind k)
{
	return k == LS_LAYER_TANH || k == LS_LAYER_SIGMOID;
}

static int
is_unit_layer(enum ls_layer_kind k)
{
	return k == LS_LAYER_RELU || k == LS_LAYER_LEAKY_RELU;
}

/* Leading layers to analyse: everything before the trailing run of smooth
 * and identity layers that contains a smooth one. */
enum ls_pl_kind
ls_net_pl_kind(const struct ls_net *net, int *nlayers_pl)
{
	int i, n = net->nlayers, tail = 0;

	if (!net->layers) {
		if (nlayers_pl)
			*nlayers_pl = 0;
		return graph_pl_kind(net);
	}
	while (n > 0 && (is_smooth(net->layers[n - 1].kind) ||
			 net->layers[n - 1].kind == LS_LAYER_IDENTITY)) {
		tail |= is_smooth(net->layers[n - 1].kind);
		n--;
	}
	if (!tail)
		n = net->nlayers;
	if (nlayers_pl)
		*nlayers_pl = n;
	for (i = 0; i < n; i++)
		if (is_smooth(net->layers[i].kind))
			return LS_PL_NO;
	return tail ? LS_PL_TAIL : LS_PL_YES;
}

const char *
ls_pl_kind_text(const struct ls_net *net)
{
	switch (ls_net_pl_kind(net, NULL)) {
	case LS_PL_YES: return "piecewise linear";
	case LS_PL_TAIL: return "piecewise linear up to the final smooth activation";
	default: return LS_NOT_PL_TEXT;
	}
}

int
ls_net_units(const struct ls_net *net)
{
	int i, n, u = 0;

	if (!net->layers)
		return graph_units(net);
	ls_net_pl_kind(net, &n);
	for (i = 0; i < n; i++)
		if (is_unit_layer(net->layers[i].kind))
			u += net->layers[i].out;
	return u;
}

/* Converts n floats to a malloc'd double array (NULL stays NULL). */
static double *
to_double(const float *x, long n)
{
	double *d;
	long i;

	if (!x)
		return NULL;
	d = xreallocarray(NULL, (size_t)n, sizeof *d);
	for (i = 0; i < n; i++)
		d[i] = x[i];
	return d;
}

enum ls_status
pl_net_init(struct pl_net *p, struct ls_net *net, char *err)
{
	int i, u = 0;

	memset(p, 0, sizeof *p);
	p->net = net;
	p->kind = ls_net_pl_kind(net, &p->nl);
	if (p->kind == LS_PL_NO)
		return ls_err(err, LS_EINVAL, "the decoder is " LS_NOT_PL_TEXT ": no exact regions");
	if (!net->layers)
		return ls_err(err, LS_EINVAL, "exact regions of this network (%d nodes: convolutions, pools, branches) are not implemented yet; only chains of affine and relu-like layers",
			      ls_net_nodes(net));
	p->uoff = xcalloc((size_t)p->nl + 1, sizeof *p->uoff);
	p->w = xcalloc((size_t)p->nl + 1, sizeof *p->w);
	p->b = xcalloc((size_t)p->nl + 1, sizeof *p->b);
	p->maxw = net->in;
	for (i = 0; i < p->nl; i++) {
		const struct ls_layer *l = &net->layers[i];
		p->uoff[i] = -1;
		if (l->kind == LS_LAYER_AFFINE) {
			p->w[i] = to_double(l->w, (long)l->out * l->in);
			p->b[i] = to_double(l->b, l->out);
		} else if (is_unit_layer(l->kind)) {
			p->uoff[i] = u;
			u += l->out;
			p->nl_act = i + 1;
		}
		if (l->out > p->maxw)
			p->maxw = l->out;
	}
	p->units = u;
	p->nbytes = (u + 7) / 8;
	p->out = p->nl ? net->layers[p->nl - 1].out : net->in;
	return LS_OK;
}

void
pl_net_free(struct pl_net *p)
{
	int i;

	if (!p->w)
		return;
	for (i = 0; i < p->nl; i++) {
		free(p->w[i]);
		free(p->b[i]);
	}
	free(p->w);
	free(p->b);
	free(p->uoff);
	memset(p, 0, sizeof *p);
}

void
pl_affine(const struct pl_net *p, int i, const double *x, long g, int r, double *y)
{
	const struct ls_layer *l = &p->net->layers[i];
	long k;

	ls_dgemm((int)(g * r), l->out, l->in, 1.0, x, 0, p->w[i], 1, 0.0, y);
	if (p->b[i])
		for (k = 0; k < g; k++) {
			double *row = y + k * r * l->out;
			int j;
			for (j = 0; j < l->out; j++)
				row[j] += p->b[i][j];
		}
}

void
pl_signs(const struct pl_net *p, int i, const double *v, uint8_t *bits)
{
	int j, n = p->net->layers[i].out, u0 = p->uoff[i];

	for (j = 0; j < n; j++) {
		int k = u0 + j;
		if (v[j] > 0)
			bits[k >> 3] |= (uint8_t)(1u << (k & 7));
		else
			bits[k >> 3] &= (uint8_t)~(1u << (k & 7));
	}
}

void
pl_mask(const struct pl_net *p, int i, double *x, int r, const uint8_t *bits)
{
	const struct ls_layer *l = &p->net->layers[i];
	double off = l->kind == LS_LAYER_LEAKY_RELU ? (double)l->slope : 0.0;
	int j, q, n = l->out, u0 = p->uoff[i];

	for (j = 0; j < n; j++) {
		int k = u0 + j;
		if (bits[k >> 3] >> (k & 7) & 1)
			continue;
		for (q = 0; q < r; q++)
			x[(long)q * n + j] *= off;
	}
}

double *
pl_forward_groups(const struct pl_net *p, const double *x, long g, int r, int nl,
		  uint8_t *bits)
{
	size_t rows = (size_t)(g * r), w = (size_t)p->maxw;
	double *a = xreallocarray(NULL, rows * w, sizeof *a);
	double *b = xreallocarray(NULL, rows * w, sizeof *b), *t;
	uint8_t *tmp = xcalloc((size_t)p->nbytes + 1, 1);
	long k;
	int i;

	memcpy(a, x, rows * (size_t)p->net->in * sizeof *a);
	for (i = 0; i < nl; i++) {
		const struct ls_layer *l = &p->net->layers[i];
		if (l->kind == LS_LAYER_AFFINE) {
			pl_affine(p, i, a, g, r, b);
			t = a, a = b, b = t;
		} else if (p->uoff[i] >= 0) {
			for (k = 0; k < g; k++) {
				uint8_t *bk = bits ? bits + k * p->nbytes : tmp;
				double *xk = a + k * r * l->out;
				pl_signs(p, i, xk, bk);
				pl_mask(p, i, xk, r, bk);
			}
		}
	}
	free(b);
	free(tmp);
	return a;
}

int
pl_bits_diff(const uint8_t *a, const uint8_t *b, int nbytes)
{
	int i, n = 0;

	for (i = 0; i < nbytes; i++)
		n += __builtin_popcount((unsigned)(a[i] ^ b[i]));
	return n;
}

uint64_t
pl_hash(const uint8_t *bits, int nbytes)
{
	uint64_t h = 1469598103934665603ULL;
	int i;

	for (i = 0; i < nbytes; i++) {
		h ^= bits[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Random projection R (out, RM_K) of the analysed output, folded into the
 * last affine layer when the analysed layers end with one. */
double *
pl_projection(const struct pl_net *pl, int *nstop, double **pb)
{
	int last = pl->nl - 1, wo = pl->out, win, i, k;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	double *R = xmalloc((size_t)wo * RM_K * sizeof *R), *proj;

	for (i = 0; i < wo * RM_K; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		R[i] = (double)(x >> 11) / 9007199254740992.0 - 0.5;
	}
	*pb = xcalloc(RM_K, sizeof **pb);
	*nstop = pl->nl;
	if (last < 0 || pl->net->layers[last].kind != LS_LAYER_AFFINE)
		return R;
	win = pl->net->layers[last].in;
	*nstop = last;
	proj = xmalloc((size_t)win * RM_K * sizeof *proj);
	ls_dgemm(win, RM_K, wo, 1.0, pl->w[last], 1, R, 0, 0.0, proj);
	for (k = 0; k < RM_K; k++)
		for (i = 0; pl->b[last] && i < wo; i++)
			(*pb)[k] += pl->b[last][i] * R[i * RM_K + k];
	free(R);
	return proj;
}

/* ---- patterns of single latents ---------------------------------------- */

/* Pattern bits of z; a net that is not piecewise linear gets all bits
 * cleared. */
void
ls_net_pattern(struct ls_net *net, const float *z, uint8_t *bits)
{
	struct pl_net p;
	double *x, *y;
	int i;

	memset(bits, 0, (size_t)(ls_net_units(net) + 7) / 8);
	if (!net->layers && ls_net_pl_kind(net, NULL) != LS_PL_NO) {
		graph_pattern(net, z, bits);
		return;
	}
	if (pl_net_init(&p, net, NULL) != LS_OK)
		return;
	x = xreallocarray(NULL, (size_t)net->in, sizeof *x);
	for (i = 0; i < net->in; i++)
		x[i] = z[i];
	memset(bits, 0, (size_t)p.nbytes);
	y = pl_forward_groups(&p, x, 1, 1, p.nl_act, bits);
	free(x);
	free(y);
	pl_net_free(&p);
}

uint64_t
ls_region_id(struct ls_net *net, const float *z)
{
	int nb = (ls_net_units(net) + 7) / 8;
	uint8_t *bits = xcalloc((size_t)nb + 1, 1);
	uint64_t h;

	ls_net_pattern(net, z, bits);
	h = pl_hash(bits, nb);
	free(bits);
	return h;
}

int
ls_region_flips(struct ls_net *net, const float *z1, const float *z2)
{
	int nb = (ls_net_units(net) + 7) / 8, n;
	uint8_t *a = xcalloc((size_t)nb + 1, 1), *b = xcalloc((size_t)nb + 1, 1);

	ls_net_pattern(net, z1, a);
	ls_net_pattern(net, z2, b);
	n = pl_bits_diff(a, b, nb);
	free(a);
	free(b);
	return n;
}

/* ---- the bound --------------------------------------------------------- */

/* sum_{i=0..d} C(n, i) in double. */
static double
binom_sum(int n, int d)
{
	double s = 1, c = 1;
	int i;

	for (i = 1; i <= d && i <= n; i++) {
		c = c * (n - i + 1) / i;
		s += c;
	}
	return s;
}

double
ls_regions_bound(const struct ls_net *net, int d)
{
	double r = 1;
	int i, n;

	if (!net->layers)
		return graph_bound(net, d, binom_sum);
	ls_net_pl_kind(net, &n);
	for (i = 0; i < n; i++)
		if (is_unit_layer(net->layers[i].kind))
			r *= binom_sum(net->layers[i].out, d);
	return r;
}
