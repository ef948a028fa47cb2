/*
 * graph.c: the node-kind table, graph construction (shape inference, float64
 * weight copies, the buffer plan) and the executors written once against the
 * table: the float forward, the float64 forward keeping every value, and the
 * local linear map applied to direction vectors.
 *
 * Buffer plan: a value lives in a slot of scratch (per-sample size slotn,
 * offset sloto; a batch of n uses n * sloto[s] as the slot's base). A view
 * shares its source's slot; an element-wise node whose input dies there
 * writes in place; other slots are reused once their last reader has run.
 * The network input is never written.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "graph.h"

const struct gkind_ops *const gkind_table[GK_COUNT] = {
	[GK_AFFINE] = &gk_affine, [GK_CONV] = &gk_conv,     [GK_CONVT] = &gk_convt,
	[GK_CHAN] = &gk_chan,     [GK_CONST] = &gk_const,   [GK_BINARY] = &gk_binary,
	[GK_ACT] = &gk_act,       [GK_POOL] = &gk_pool,     [GK_RESIZE] = &gk_resize,
	[GK_PAD] = &gk_pad,       [GK_VIEW] = &gk_view,     [GK_SLICE] = &gk_slice,
	[GK_CONCAT] = &gk_concat, [GK_REDUCE] = &gk_reduce, [GK_NORM] = &gk_norm,
};
_Static_assert(sizeof gkind_table / sizeof gkind_table[0] == GK_COUNT && GK_COUNT == 15,
	       "every node kind has an entry in gkind_table");

long
gshape_numel(const struct gshape *s)
{
	long n = 1;
	int i;

	for (i = 0; i < s->nd; i++)
		n *= (long)s->d[i];
	return n;
}

const char *
gshape_str(const struct gshape *s, char *buf, int len)
{
	int i, o = 0;

	buf[0] = 0;
	for (i = 0; i < s->nd && o < len; i++)
		o += snprintf(buf + o, (size_t)(len - o), "%s%lld", i ? "x" : "", (long long)s->d[i]);
	if (s->nd == 0)
		snprintf(buf, (size_t)len, "1");
	return buf;
}

void
gnode_clear(struct gnode *n)
{
	int i;

	if (!n->borrowed) {
		free(n->w);
		free(n->b);
	}
	free(n->wd);
	free(n->bd);
	for (i = 0; i < G_MAXIN; i++)
		free(n->map[i]);
	free(n->name);
	free(n->opname);
	memset(n, 0, sizeof *n);
}

void
graph_free(struct ls_graph *g)
{
	int i;

	if (!g)
		return;
	for (i = 0; i < g->nnodes; i++)
		gnode_clear(&g->nodes[i]);
	free(g->nodes);
	free(g->slot);
	free(g->slotn);
	free(g->sloto);
	free(g);
}

const struct gshape *
graph_vshape(const struct ls_graph *g, int v)
{
	return v == 0 ? &g->insh : &g->nodes[v - 1].osh;
}

long
graph_vnumel(const struct ls_graph *g, int v)
{
	return gshape_numel(graph_vshape(g, v));
}

static double *
to_double(const float *x, long n)
{
	double *d;
	long i;

	if (!x)
		return NULL;
	d = xreallocarray(NULL, (size_t)(n ? n : 1), sizeof *d);
	for (i = 0; i < n; i++)
		d[i] = x[i];
	return d;
}

/* Shapes of node i's inputs from the values before it, then its infer. */
static enum ls_status
node_infer(struct ls_graph *g, int i, char *err)
{
	struct gnode *n = &g->nodes[i];
	char msg[LS_ERR_MAX];
	enum ls_status s;
	int k;

	for (k = 0; k < n->nin; k++) {
		if (n->in[k] < 0 || n->in[k] > i)
			return ls_err(err, LS_EFORMAT, "node %s (%s): input %d is not computed before it",
				      n->name, n->opname, k + 1);
		n->ish[k] = *graph_vshape(g, n->in[k]);
		n->inn[k] = gshape_numel(&n->ish[k]);
	}
	if ((s = gkind_table[n->kind]->infer(n, msg)) != LS_OK)
		return ls_err(err, s, "node %s (%s): %s", n->name, n->opname, msg);
	n->outn = gshape_numel(&n->osh);
	if (n->outn < 1 || n->outn > LS_MAX_WIDTH)
		return ls_err(err, LS_EFORMAT, "node %s (%s): %ld values per sample (limit %d)",
			      n->name, n->opname, n->outn, LS_MAX_WIDTH);
	if (!n->wd_exact) {     /* w or b may have changed: graph_need64 redoes them */
		free(n->wd), free(n->bd);
		n->wd = n->bd = NULL;
	}
	return LS_OK;
}

/* One lock for every graph: taken once per graph (the flag is read first),
 * so contention does not matter. */
static pthread_mutex_t need64_lock = PTHREAD_MUTEX_INITIALIZER;

void
graph_need64(const struct ls_graph *cg)
{
	struct ls_graph *g = (struct ls_graph *)cg;   /* lazily made state, not the graph's value */
	int i;

	if (__atomic_load_n(&g->have64, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&need64_lock);
	if (!g->have64) {
		for (i = 0; i < g->nnodes; i++) {
			struct gnode *n = &g->nodes[i];
			if (n->wd_exact || n->wd || n->bd)
				continue;
			n->wd = to_double(n->w, n->nw);
			n->bd = to_double(n->b, n->nb);
		}
		__atomic_store_n(&g->have64, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&need64_lock);
}

enum ls_status
graph_infer_node(struct ls_graph *g, int i, char *err)
{
	return node_infer(g, i, err);
}

static int
in_place_ok(const struct gnode *n)
{
	switch (n->kind) {
	case GK_ACT: case GK_CHAN: return 1;
	case GK_CONST: return n->map[0] == NULL;
	default: return 0;
	}
}

/* Root value (through views) of every value, and each root's last reader. */
static void
plan_lifetimes(const struct ls_graph *g, int *root, int *last)
{
	int v, i, k, nv = g->nnodes + 1;

	for (v = 0; v < nv; v++) {
		root[v] = v;
		last[v] = -1;
	}
	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i].kind == GK_VIEW)
			root[i + 1] = root[g->nodes[i].in[0]];
	for (i = 0; i < g->nnodes; i++)
		for (k = 0; k < g->nodes[i].nin; k++)
			last[root[g->nodes[i].in[k]]] = i;
	last[root[g->outv]] = g->nnodes;
}

/* A free slot (grown to size), or a new one. */
static int
slot_take(struct ls_graph *g, int *busy, long size)
{
	int s;

	for (s = 0; s < g->nslots; s++)
		if (!busy[s])
			break;
	if (s == g->nslots) {
		g->slotn = xreallocarray(g->slotn, (size_t)s + 1, sizeof *g->slotn);
		g->slotn[s] = 0;
		g->nslots++;
	}
	busy[s] = 1;
	if (size > g->slotn[s])
		g->slotn[s] = size;
	return s;
}

static void
graph_plan(struct ls_graph *g)
{
	int nv = g->nnodes + 1, i, k, v;
	int *root = xcalloc((size_t)nv, sizeof *root), *last = xcalloc((size_t)nv, sizeof *last);
	int *busy = xcalloc((size_t)nv + 1, sizeof *busy);

	plan_lifetimes(g, root, last);
	g->slot = xcalloc((size_t)nv, sizeof *g->slot);
	g->slot[0] = -1;
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		int src = root[n->in[0]];
		v = i + 1;
		if (n->kind == GK_VIEW)
			g->slot[v] = g->slot[n->in[0]];
		else if (in_place_ok(n) && src != 0 && last[src] == i)
			g->slot[v] = g->slot[src];
		else
			g->slot[v] = slot_take(g, busy, n->outn);
		for (k = 0; k < n->nin; k++) {
			int r = root[n->in[k]];
			if (last[r] == i && r != 0 && g->slot[r] != g->slot[v])
				busy[g->slot[r]] = 0;
		}
	}
	g->sloto = xcalloc((size_t)g->nslots + 1, sizeof *g->sloto);
	for (k = 0; k < g->nslots; k++)
		g->sloto[k + 1] = g->sloto[k] + g->slotn[k];
	g->slot_total = g->sloto[g->nslots];
	free(root), free(last), free(busy);
}

enum ls_status
graph_create(struct gnode *nodes, int n, const struct gshape *in, int outv, struct ls_graph **out,
	     char *err)
{
	struct ls_graph *g = xcalloc(1, sizeof *g);
	enum ls_status s = LS_OK;
	int i;

	*out = NULL;
	g->nodes = nodes;
	g->nnodes = n;
	g->insh = *in;
	g->inn = gshape_numel(in);
	g->outv = outv;
	if (outv < 0 || outv > n)
		s = ls_err(err, LS_EINVAL, "the output is not a value of the graph");
	for (i = 0; s == LS_OK && i < n; i++)
		s = node_infer(g, i, err);
	if (s != LS_OK) {
		graph_free(g);
		return s;
	}
	graph_plan(g);
	*out = g;
	return LS_OK;
}

static long
node_tmp(const struct gnode *n, long batch)
{
	const struct gkind_ops *k = gkind_table[n->kind];

	return k->tmp_need ? k->tmp_need(n, batch) : 0;
}

long
graph_fwd_need(const struct ls_graph *g, long batch)
{
	long t = 0, m;
	int i;

	for (i = 0; i < g->nnodes; i++)
		if ((m = node_tmp(&g->nodes[i], batch)) > t)
			t = m;
	return g->slot_total * batch + t;
}

/* The buffer of value v in a float forward of batch rows. */
static float *
vbuf(const struct ls_graph *g, int v, const float *x, float *scratch, long batch)
{
	return g->slot[v] < 0 ? (float *)x : scratch + g->sloto[g->slot[v]] * batch;
}

void
graph_forward(const struct ls_graph *g, const float *x, long batch, float *y, float *scratch)
{
	float *tmp = scratch + g->slot_total * batch;
	const float *xin[G_MAXIN];
	int i, k;

	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		float *dst = vbuf(g, i + 1, x, scratch, batch);
		if (n->kind == GK_VIEW)
			continue;
		for (k = 0; k < n->nin; k++)
			xin[k] = vbuf(g, n->in[k], x, scratch, batch);
		gkind_table[n->kind]->fwd(n, xin, batch, dst, tmp);
	}
	memcpy(y, vbuf(g, g->outv, x, scratch, batch),
	       (size_t)(batch * graph_vnumel(g, g->outv)) * sizeof *y);
}

/* The buffer of value v in a float64 forward of batch rows. */
static double *
vbuf64(const struct ls_graph *g, int v, const double *x, double *scratch, long batch)
{
	return g->slot[v] < 0 ? (double *)x : scratch + g->sloto[g->slot[v]] * batch;
}

void
graph_forward64_to(const struct ls_graph *g, const double *x, long batch, int v, double *y,
		   double *scratch)
{
	double *tmp = scratch + g->slot_total * batch;
	const double *xin[G_MAXIN];
	int i, k;

	graph_need64(g);
	for (i = 0; i < v; i++) {
		const struct gnode *n = &g->nodes[i];
		if (n->kind == GK_VIEW)
			continue;
		for (k = 0; k < n->nin; k++)
			xin[k] = vbuf64(g, n->in[k], x, scratch, batch);
		gkind_table[n->kind]->fwd64(n, xin, batch, vbuf64(g, i + 1, x, scratch, batch), tmp);
	}
	memcpy(y, vbuf64(g, v, x, scratch, batch), (size_t)(batch * graph_vnumel(g, v)) * sizeof *y);
}

void
graph_tail_apply(const struct ls_graph *g, int head, const float *xh, long batch, float *y)
{
	long n = batch * graph_vnumel(g, head);
	int v = g->outv;

	if (y != xh)
		memcpy(y, xh, (size_t)n * sizeof *y);
	while (v > head) {   /* views and the one activation of graph_tail() */
		const struct gnode *nd = &g->nodes[v - 1];
		if (nd->kind != GK_VIEW) {
			const float *in = y;
			gkind_table[nd->kind]->fwd(nd, &in, batch, y, NULL);
		}
		v = nd->in[0];
	}
}

double *
graph_forward64_all(const struct ls_graph *g, const double *x, long batch, double ***vals)
{
	int nv = g->nnodes + 1, v, i, k;
	long total = 0, t = 0, m;
	double **p = xcalloc((size_t)nv, sizeof *p), *block, *tmp;
	const double *xin[G_MAXIN];

	graph_need64(g);
	for (v = 0; v < nv; v++)
		total += graph_vnumel(g, v) * batch;
	for (i = 0; i < g->nnodes; i++)
		if ((m = node_tmp(&g->nodes[i], batch)) > t)
			t = m;
	block = xreallocarray(NULL, (size_t)(total + t + 1), sizeof *block);
	for (v = 0, total = 0; v < nv; v++) {
		p[v] = block + total;
		total += graph_vnumel(g, v) * batch;
	}
	tmp = block + total;
	memcpy(p[0], x, (size_t)(g->inn * batch) * sizeof *x);
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		for (k = 0; k < n->nin; k++)
			xin[k] = p[n->in[k]];
		gkind_table[n->kind]->fwd64(n, xin, batch, p[i + 1], tmp);
	}
	*vals = p;
	return block;
}

enum ls_status
graph_lin_all(const struct ls_graph *g, const double *x, const double *dx, long k,
	      struct gvals *out, char *err)
{
	int nv = g->nnodes + 1, v, i, j;
	long total = 0, t = 0, m;
	const double *xin[G_MAXIN], *din[G_MAXIN];
	double *tmp;

	out->pblk = graph_forward64_all(g, x, 1, &out->pv);
	out->dv = xcalloc((size_t)nv, sizeof *out->dv);
	for (v = 0; v < nv; v++)
		total += graph_vnumel(g, v) * k;
	for (i = 0; i < g->nnodes; i++)
		if ((m = node_tmp(&g->nodes[i], k)) > t)
			t = m;
	out->dblk = xreallocarray(NULL, (size_t)(total + t + 1), sizeof *out->dblk);
	for (v = 0, total = 0; v < nv; v++) {
		out->dv[v] = out->dblk + total;
		total += graph_vnumel(g, v) * k;
	}
	tmp = out->dblk + total;
	memcpy(out->dv[0], dx, (size_t)(g->inn * k) * sizeof *dx);
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		if (!gkind_table[n->kind]->lin) {
			gvals_free(out);
			return ls_err(err, LS_EINVAL, "node %s (%s) has no linear part", n->name, n->opname);
		}
		for (j = 0; j < n->nin; j++) {
			xin[j] = out->pv[n->in[j]];
			din[j] = out->dv[n->in[j]];
		}
		gkind_table[n->kind]->lin(n, xin, din, k, out->dv[i + 1], tmp);
	}
	return LS_OK;
}

void
gvals_free(struct gvals *v)
{
	free(v->pblk), free(v->pv), free(v->dblk), free(v->dv);
	memset(v, 0, sizeof *v);
}

enum ls_status
graph_lin(const struct ls_graph *g, const double *x, const double *dx, long k, double *y,
	  double *dy, char *err)
{
	struct gvals v;
	enum ls_status s;

	if ((s = graph_lin_all(g, x, dx, k, &v, err)) != LS_OK)
		return s;
	if (y)
		memcpy(y, v.pv[g->outv], (size_t)graph_vnumel(g, g->outv) * sizeof *y);
	memcpy(dy, v.dv[g->outv], (size_t)(graph_vnumel(g, g->outv) * k) * sizeof *dy);
	gvals_free(&v);
	return LS_OK;
}

enum gpl
graph_pl(const struct ls_graph *g)
{
	enum gpl w = GPL_LINEAR, p;
	int i;

	for (i = 0; i < g->nnodes; i++) {
		const struct gkind_ops *k = gkind_table[g->nodes[i].kind];
		p = k->pl ? k->pl(&g->nodes[i]) : GPL_LINEAR;
		if (p > w)
			w = p;
	}
	return w;
}

long
graph_params(const struct ls_graph *g)
{
	long p = 0;
	int i;

	for (i = 0; i < g->nnodes; i++) {
		const struct gkind_ops *k = gkind_table[g->nodes[i].kind];
		if (k->params)
			p += k->params(&g->nodes[i]);
	}
	return p;
}

int
graph_tail(const struct ls_graph *g, int *act)
{
	int v = g->outv;

	*act = -1;
	while (v > 0 && g->nodes[v - 1].kind == GK_VIEW)
		v = g->nodes[v - 1].in[0];
	if (v > 0 && g->nodes[v - 1].kind == GK_ACT &&
	    (g->nodes[v - 1].op == GA_SIGMOID || g->nodes[v - 1].op == GA_TANH)) {
		*act = g->nodes[v - 1].op;
		return g->nodes[v - 1].in[0];
	}
	return g->outv;
}

enum gpl
graph_pl_head(const struct ls_graph *g, int *head, int *act)
{
	enum gpl w = GPL_LINEAR, p;
	int i, h = graph_tail(g, act);

	if (head)
		*head = h;
	for (i = 0; i < h; i++) {
		const struct gkind_ops *k = gkind_table[g->nodes[i].kind];
		p = k->pl ? k->pl(&g->nodes[i]) : GPL_LINEAR;
		if (p > w)
			w = p;
	}
	return w;
}

enum ls_status
graph_first_linear(const struct ls_graph *g, double **m, long *out, const char **name, char *err)
{
	struct ls_graph part;
	int i, d = (int)g->inn;
	double *eye, *dy;
	enum ls_status s;

	graph_need64(g);        /* before the copy: part then has them too */
	part = *g;
	for (i = 0; i < g->nnodes; i++) {
		const struct gnode *n = &g->nodes[i];
		const struct gkind_ops *k = gkind_table[n->kind];
		if ((k->pl ? k->pl(n) : GPL_LINEAR) != GPL_LINEAR)
			break;
		if (n->kind == GK_AFFINE || n->kind == GK_CONV || n->kind == GK_CONVT)
			break;
	}
	if (i == g->nnodes || (g->nodes[i].kind != GK_AFFINE && g->nodes[i].kind != GK_CONV &&
			       g->nodes[i].kind != GK_CONVT))
		return ls_err(err, LS_EINVAL, "no linear layer (Gemm, Conv, ConvTranspose) reads the latent directly");
	part.nnodes = i + 1;
	part.outv = i + 1;
	*out = g->nodes[i].outn;
	*name = g->nodes[i].name;
	eye = xcalloc((size_t)d * (size_t)(d + 1), sizeof *eye);
	for (i = 0; i < d; i++)
		eye[(long)(i + 1) * d + i] = 1;
	dy = xreallocarray(NULL, (size_t)d * (size_t)*out, sizeof *dy);
	s = graph_lin(&part, eye, eye + d, d, NULL, dy, err);
	free(eye);
	if (s != LS_OK) {
		free(dy);
		return s;
	}
	*m = dy;
	return LS_OK;
}
