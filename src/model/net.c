/*
 * net.c: the public network (struct ls_net) over a graph of node kinds:
 * layer programs (lists of affine and activation layers) become chains of
 * affine and activation nodes; the forward pass runs the graph with scratch
 * from a per-thread arena, in chunks of the batch that keep it bounded.
 *
 * Invariants after ls_net_create(): layer i's out equals layer i+1's in;
 * activations have in == out; the graph's node i is layer i, its weights
 * borrowed from the layer (the layers own them).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "graph.h"
#include "linscope/model.h"

#define NET_SCRATCH_CAP (64L << 20)   /* floats of scratch per chunk */

const char *
ls_layer_kind_name(enum ls_layer_kind k)
{
	static const char *names[] = { "affine", "relu", "leaky_relu", "tanh",
				       "sigmoid", "identity" };

	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void
ls_layers_free(struct ls_layer *layers, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!(layers[i].mapped & LS_MAPPED_W))
			free(layers[i].w);
		if (!(layers[i].mapped & LS_MAPPED_B))
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

/* The node of layer l, reading value i (weights borrowed). */
static void
layer_node(const struct ls_layer *l, int i, struct gnode *n)
{
	static const int acts[] = { [LS_LAYER_RELU] = GA_RELU, [LS_LAYER_LEAKY_RELU] = GA_LEAKY,
				    [LS_LAYER_TANH] = GA_TANH, [LS_LAYER_SIGMOID] = GA_SIGMOID,
				    [LS_LAYER_IDENTITY] = GA_IDENTITY };

	memset(n, 0, sizeof *n);
	n->nin = 1;
	n->in[0] = i;
	n->name = xstrdup(l->name ? l->name : "");
	n->opname = xstrdup(ls_layer_kind_name(l->kind));
	if (l->kind == LS_LAYER_AFFINE) {
		n->kind = GK_AFFINE;
		n->win.cin = l->in, n->win.cout = l->out;
		n->w = l->w, n->nw = (long)l->in * l->out;
		n->b = l->b, n->nb = l->b ? l->out : 0;
		n->borrowed = 1;
		return;
	}
	n->kind = GK_ACT;
	n->op = acts[l->kind];
	n->alpha = l->slope;
}

/* Widest value of the graph. */
static int
graph_maxw(const struct ls_graph *g)
{
	long m = g->inn;
	int i;

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i].outn > m)
			m = g->nodes[i].outn;
	return (int)m;
}

/* A graph that is a chain of affine and activation nodes gets the layer
 * view (the layers take over the weights). */
static void
net_layer_view(struct ls_net *net)
{
	static const int kinds[GA_COUNT] = { [GA_IDENTITY] = LS_LAYER_IDENTITY, [GA_RELU] = LS_LAYER_RELU,
					     [GA_LEAKY] = LS_LAYER_LEAKY_RELU, [GA_SIGMOID] = LS_LAYER_SIGMOID,
					     [GA_TANH] = LS_LAYER_TANH, [GA_PRELU] = -1 };
	struct ls_graph *g = net->graph;
	struct ls_layer *l;
	int i;

	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		if (n->nin != 1 || n->in[0] != i || (n->kind != GK_AFFINE && n->kind != GK_ACT) ||
		    (n->kind == GK_ACT && (n->op > GA_TANH || n->op == GA_PRELU || n->op == GA_CLIP)))
			return;
	}
	if (g->nnodes == 0 || g->nodes[0].kind != GK_AFFINE || g->outv != g->nnodes)
		return;
	l = xcalloc((size_t)g->nnodes, sizeof *l);
	for (i = 0; i < g->nnodes; i++) {
		struct gnode *n = &g->nodes[i];
		l[i].name = xstrdup(n->name);
		l[i].in = (int)n->inn[0], l[i].out = (int)n->outn;
		if (n->kind == GK_AFFINE) {
			l[i].kind = LS_LAYER_AFFINE;
			l[i].w = n->w, l[i].b = n->b;
			n->borrowed = 1;
			continue;
		}
		l[i].kind = (enum ls_layer_kind)kinds[n->op];
		l[i].slope = (float)n->alpha;
	}
	net->layers = l;
	net->nlayers = g->nnodes;
}

struct ls_net *
ls_net_from_graph(struct ls_graph *g)
{
	struct ls_net *net = xcalloc(1, sizeof *net);

	net->graph = g;
	net->in = (int)g->inn;
	net->out = (int)graph_vnumel(g, g->outv);
	net->maxw = graph_maxw(g);
	if (!g->from_layers)
		net_layer_view(net);
	return net;
}

struct ls_graph *
ls_net_graph(const struct ls_net *net)
{
	return net->graph;
}

enum ls_status
ls_net_create(struct ls_layer *layers, int n, struct ls_net **out, char *err)
{
	struct ls_graph *g;
	struct gnode *nodes;
	struct gshape in = { 1, { 0 } };
	enum ls_status st;
	int i;

	*out = NULL;
	if (n <= 0 || n > LS_MAX_LAYERS) {
		ls_layers_free(layers, n > 0 ? n : 0);
		return ls_err(err, LS_EINVAL, "a program needs 1 to %d layers", LS_MAX_LAYERS);
	}
	if ((st = net_chain(layers, n, err)) != LS_OK) {
		ls_layers_free(layers, n);
		return st;
	}
	nodes = xcalloc((size_t)n, sizeof *nodes);
	for (i = 0; i < n; i++)
		layer_node(&layers[i], i, &nodes[i]);
	in.d[0] = layers[0].in;
	if ((st = graph_create(nodes, n, &in, n, &g, err)) != LS_OK) {
		ls_layers_free(layers, n);
		return st;
	}
	g->from_layers = 1;
	*out = ls_net_from_graph(g);
	(*out)->layers = layers;
	(*out)->nlayers = n;
	return LS_OK;
}

void
ls_net_free(struct ls_net *net)
{
	if (!net)
		return;
	graph_free(net->graph);
	ls_layers_free(net->layers, net->nlayers);
	free(net);
}

long
ls_net_params(const struct ls_net *net)
{
	return graph_params(net->graph);
}

int
ls_net_is_pl(const struct ls_net *net)
{
	return graph_pl(net->graph) != GPL_SMOOTH;
}

/* The calling thread's scratch, grown to n floats and kept. */
static float *
tls_scratch(long n)
{
	static _Thread_local float *buf;
	static _Thread_local long cap;

	if (n > cap) {
		free(buf);
		buf = xreallocarray(NULL, (size_t)n, sizeof *buf);
		cap = n;
	}
	return buf;
}

void
ls_net_forward(const struct ls_net *net, const float *x, long n, float *y)
{
	const struct ls_graph *g = net->graph;
	long per = graph_fwd_need(g, 1), chunk, r;

	if (n <= 0)
		return;
	chunk = per > 0 ? NET_SCRATCH_CAP / per : n;
	chunk = chunk < 1 ? 1 : chunk > n ? n : chunk;
	for (r = 0; r < n; r += chunk) {
		long m = n - r < chunk ? n - r : chunk;
		graph_forward(g, x + r * net->in, m, y + r * net->out,
			      tls_scratch(graph_fwd_need(g, m)));
	}
}

int
ls_net_nodes(const struct ls_net *net)
{
	return net->graph->nnodes;
}

void
ls_net_node_text(const struct ls_net *net, int i, char *buf, size_t n)
{
	const struct ls_graph *g = net->graph;
	const struct gnode *nd = &g->nodes[i];
	char a[64], b[64];
	long p = gkind_table[nd->kind]->params ? gkind_table[nd->kind]->params(nd) : 0;

	snprintf(buf, n, "%-24s %-20s %s -> %s%s%.0ld%s", nd->name, nd->opname,
		 gshape_str(&nd->ish[0], a, sizeof a), gshape_str(&nd->osh, b, sizeof b),
		 p ? " (" : "", p, p ? " parameters)" : "");
}

const char *
ls_net_pl_text(const struct ls_net *net)
{
	int act;
	enum gpl p = graph_pl_head(net->graph, NULL, &act);

	if (p == GPL_SMOOTH)
		return LS_NOT_PL_TEXT;
	return act >= 0 ? "piecewise linear up to the final smooth activation" : "piecewise linear";
}
