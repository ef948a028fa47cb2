/*
 * onnx_net.c: an ONNX graph (struct ls_onnx, as torch.onnx.export writes
 * it) turned into a network of node kinds.
 *
 * The nodes are visited in file (topological) order. A node whose inputs
 * are all constants is folded (onnx_fold.c); otherwise its operator maps to
 * one node kind (or two: Gather of one index is a slice and a view), and
 * the node's shape is inferred at once from its input shapes and
 * attributes: recorded shapes are never trusted, so fixed-batch exports and
 * symbolic dimensions work, and Shape() of a runtime value folds. The batch
 * is the leading ONNX axis of every runtime value and no operator may mix
 * it with the others. An Add of a constant bias right after a bias-less
 * affine node (MatMul + Add) becomes that node's bias.
 *
 * Errors: "FILE: node NAME (OP): what", LS_EFORMAT.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "onnx_impl.h"

/* ---- building nodes -------------------------------------------------------- */

static struct gnode *
node_new(struct bld *b, enum gkind kind, int op)
{
	struct ls_graph *g = &b->part;
	struct gnode *n;

	if (g->nnodes == b->ncap) {
		b->ncap = b->ncap ? 2 * b->ncap : 64;
		g->nodes = xreallocarray(g->nodes, (size_t)b->ncap, sizeof *g->nodes);
	}
	n = &g->nodes[g->nnodes++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->op = op;
	n->name = xstrdup(b->cur->name[0] ? b->cur->name : b->cur->out[0]);
	n->opname = xstrdup(b->cur->op);
	return n;
}

/* Infers the last node and binds output k of the ONNX node to it (k < 0:
 * bind nothing). */
static enum ls_status
node_done(struct bld *b, int k)
{
	struct ls_graph *g = &b->part;
	enum ls_status s;
	char msg[LS_ERR_MAX];
	struct ent *e;

	if ((s = graph_infer_node(g, g->nnodes - 1, msg)) != LS_OK) {
		const char *m = strstr(msg, "): ");
		return bld_fail(b, "%s", m ? m + 3 : msg);
	}
	if (k >= 0 && k < b->cur->nout) {
		e = bld_ent(b, b->cur->out[k], 1);
		e->kind = ENT_RUNTIME;
		e->v = g->nnodes;
	}
	return LS_OK;
}

/* Runtime input k: its value id. */
static enum ls_status
in_rt(struct bld *b, int k, int *v)
{
	struct ent *e = k < b->cur->nin && b->cur->in[k][0] ? bld_ent(b, b->cur->in[k], 0) : NULL;

	if (!e || e->kind != ENT_RUNTIME)
		return bld_fail(b, "input %d must depend on the network input", k + 1);
	*v = e->v;
	return LS_OK;
}

static const struct gshape *
vshape(struct bld *b, int v)
{
	return graph_vshape(&b->part, v);
}

static float *
ct_floats(const struct ct *c)
{
	float *f = xreallocarray(NULL, (size_t)c->n + 1, sizeof *f);
	long i;

	for (i = 0; i < c->n; i++)
		f[i] = (float)ct_f(c, i);
	return f;
}

/* A required constant input. */
static enum ls_status
need_ct(struct bld *b, int k, const struct ct **c)
{
	if (!(*c = bld_in_ct(b, k))) {
		struct ent *e = k < b->cur->nin ? bld_ent(b, b->cur->in[k], 0) : NULL;
		if (e && e->kind == ENT_RUNTIME)
			return bld_fail(b, "input %d must be a constant (an initializer)", k + 1);
		return bld_fail(b, "input %d ('%s') is missing: no initializer or node gives it",
				k + 1, k < b->cur->nin ? b->cur->in[k] : "");
	}
	return LS_OK;
}

/* A full-rank ONNX axis of a runtime value as a per-sample axis (-1: batch). */
static int
ps_axis(int64_t a, const struct gshape *s)
{
	int r = s->nd + 1;

	a = a < 0 ? a + r : a;
	return a < 0 || a >= r ? -2 : (int)a - 1;
}

/* The per-sample shape of a constant that broadcasts against a runtime
 * value of per-sample rank nd. */
static enum ls_status
ct_psshape(struct bld *b, const struct ct *c, int nd, struct gshape *s)
{
	int k, off = 0;

	if (c->nd > nd + 1 || (c->nd == nd + 1 && c->d[0] != 1))
		return bld_fail(b, "a constant of rank %d would broadcast over the batch", c->nd);
	if (c->nd == nd + 1)
		off = 1;
	s->nd = c->nd - off;
	for (k = 0; k < s->nd; k++)
		s->d[k] = c->d[k + off];
	return LS_OK;
}

/* ---- affine ---------------------------------------------------------------- */

static enum ls_status
op_gemm(struct bld *b)
{
	const struct ct *w, *c = bld_in_ct(b, 2);
	int v, tb = (int)bld_attr_i(b->cur, "transB", 0), mm = !strcmp(b->cur->op, "MatMul");
	double alpha = mm ? 1 : bld_attr_f(b->cur, "alpha", 1), beta = mm ? 1 : bld_attr_f(b->cur, "beta", 1);
	struct gnode *n;
	long in, out, i, j;
	enum ls_status s;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &w)))
		return s;
	if (!mm && bld_attr_i(b->cur, "transA", 0))
		return bld_fail(b, "transA=1 is not supported");
	if (w->nd != 2 || vshape(b, v)->nd != 1)
		return bld_fail(b, "wants a (batch, K) input and a 2-D weight");
	out = tb ? w->d[0] : w->d[1], in = tb ? w->d[1] : w->d[0];
	if (c && c->n != out && c->n != 1)
		return bld_fail(b, "bias of %ld values for %ld outputs", c->n, out);
	n = node_new(b, GK_AFFINE, 0);
	n->nin = 1, n->in[0] = v;
	n->win.cin = (int)in, n->win.cout = (int)out;
	n->w = xreallocarray(NULL, (size_t)(in * out), sizeof *n->w);
	n->nw = in * out;
	for (i = 0; i < out; i++)
		for (j = 0; j < in; j++)
			n->w[i * in + j] = (float)(alpha * ct_f(w, tb ? i * in + j : j * out + i));
	if (c) {
		n->b = xreallocarray(NULL, (size_t)out, sizeof *n->b);
		n->nb = out;
		for (i = 0; i < out; i++)
			n->b[i] = (float)(beta * ct_f(c, c->n == 1 ? 0 : i));
	}
	return node_done(b, 0);
}

/* Add of a constant to a bias-less affine output read only here: the bias. */
static int
bias_fuse(struct bld *b, int v, const struct ct *c)
{
	struct ent *e = bld_ent(b, b->cur->in[0], 0);
	struct gnode *n;
	long i;

	if (v < 1 || !e || e->uses != 1 || strcmp(b->cur->op, "Add"))
		return 0;
	n = &b->part.nodes[v - 1];
	if (n->kind != GK_AFFINE || n->b || c->n != n->win.cout || (c->nd == 2 && c->d[0] != 1) ||
	    c->nd > 2)
		return 0;
	n->b = ct_floats(c);
	n->nb = c->n;
	for (i = 0; i < c->n; i++)
		n->b[i] = (float)ct_f(c, i);
	if (graph_infer_node(&b->part, v - 1, b->err) != LS_OK)
		return 0;
	e = bld_ent(b, b->cur->out[0], 1);
	e->kind = ENT_RUNTIME;
	e->v = v;
	return 1;
}

/* ---- conv ------------------------------------------------------------------ */

static enum ls_status
win_attrs(struct bld *b, struct gwin *w, int pool)
{
	int64_t a[8];
	const char *ap = bld_attr_s(b->cur, "auto_pad", "NOTSET");

	if (strcmp(ap, "NOTSET") && strcmp(ap, "VALID"))
		return bld_fail(b, "auto_pad %s is not supported (export with explicit pads)", ap);
	w->sh = w->sw = w->dh = w->dw = 1;
	if (bld_attr_ints(b->cur, "kernel_shape", a, 8) == 2)
		w->kh = (int)a[0], w->kw = (int)a[1];
	else if (pool)
		return bld_fail(b, "wants a 2-D kernel_shape");
	if (bld_attr_ints(b->cur, "strides", a, 8) == 2)
		w->sh = (int)a[0], w->sw = (int)a[1];
	if (bld_attr_ints(b->cur, "dilations", a, 8) == 2)
		w->dh = (int)a[0], w->dw = (int)a[1];
	if (bld_attr_ints(b->cur, "pads", a, 8) == 4)
		w->pt = (int)a[0], w->pl = (int)a[1], w->pb = (int)a[2], w->pr = (int)a[3];
	if (bld_attr_ints(b->cur, "output_padding", a, 8) == 2)
		w->oph = (int)a[0], w->opw = (int)a[1];
	w->group = (int)bld_attr_i(b->cur, "group", 1);
	w->ceil = (int)bld_attr_i(b->cur, "ceil_mode", 0);
	if (w->pt < 0 || w->pl < 0 || w->pb < 0 || w->pr < 0 || w->oph < 0 || w->opw < 0)
		return bld_fail(b, "negative pads");
	return LS_OK;
}

static enum ls_status
op_conv(struct bld *b)
{
	const struct ct *w, *bias = bld_in_ct(b, 2);
	int v, t = !strcmp(b->cur->op, "ConvTranspose");
	struct gnode *n;
	struct gwin win = { 0 };
	enum ls_status s;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &w)) || (s = win_attrs(b, &win, 0)))
		return s;
	if (w->nd != 4)
		return bld_fail(b, "only 2-D convolutions are supported (weight of rank %d)", w->nd);
	if (ls_onnx_attr(b->cur, "output_shape"))
		return bld_fail(b, "output_shape is not supported (export with output_padding)");
	if (win.kh && (win.kh != w->d[2] || win.kw != w->d[3]))
		return bld_fail(b, "kernel_shape does not match the weight");
	win.kh = (int)w->d[2], win.kw = (int)w->d[3];
	win.cin = (int)(t ? w->d[0] : w->d[1] * win.group);
	win.cout = (int)(t ? w->d[1] * win.group : w->d[0]);
	if (bias && bias->n != win.cout)
		return bld_fail(b, "bias of %ld values for %d channels", bias->n, win.cout);
	n = node_new(b, t ? GK_CONVT : GK_CONV, 0);
	n->nin = 1, n->in[0] = v;
	n->win = win;
	n->w = ct_floats(w), n->nw = w->n;
	if (bias)
		n->b = ct_floats(bias), n->nb = bias->n;
	return node_done(b, 0);
}

static enum ls_status
op_bn(struct bld *b)
{
	const struct ct *c[4];
	double eps = bld_attr_f(b->cur, "epsilon", 1e-5);
	struct gnode *n;
	enum ls_status s;
	int v, k;
	long i, C;

	if ((s = in_rt(b, 0, &v)))
		return s;
	for (k = 0; k < 4; k++)
		if ((s = need_ct(b, k + 1, &c[k])))
			return s;
	if (bld_attr_i(b->cur, "training_mode", 0))
		return bld_fail(b, "training_mode=1: export the model in eval mode");
	C = c[0]->n;
	for (k = 1; k < 4; k++)
		if (c[k]->n != C)
			return bld_fail(b, "scale, bias, mean and variance differ in size");
	n = node_new(b, GK_CHAN, 0);
	n->nin = 1, n->in[0] = v;
	n->w = xreallocarray(NULL, (size_t)C, sizeof *n->w);
	n->b = xreallocarray(NULL, (size_t)C, sizeof *n->b);
	n->nw = n->nb = C;
	n->wd = xreallocarray(NULL, (size_t)C, sizeof *n->wd);
	n->bd = xreallocarray(NULL, (size_t)C, sizeof *n->bd);
	for (i = 0; i < C; i++) {   /* float64 from the file's values: exact analyses */
		n->wd[i] = ct_f(c[0], i) / sqrt(ct_f(c[3], i) + eps);
		n->bd[i] = ct_f(c[1], i) - ct_f(c[2], i) * n->wd[i];
		n->w[i] = (float)n->wd[i];
		n->b[i] = (float)n->bd[i];
	}
	n->wd_exact = 1;
	return node_done(b, 0);
}

/* ---- activations and arithmetic ------------------------------------------- */

static const struct { const char *op; enum gact a; } act_ops[] = {
	{ "Relu", GA_RELU }, { "Sigmoid", GA_SIGMOID }, { "Tanh", GA_TANH },
	{ "Elu", GA_ELU }, { "Softplus", GA_SOFTPLUS }, { "Sqrt", GA_SQRT },
	{ "Erf", GA_ERF }, { "Exp", GA_EXP }, { "Neg", GA_NEG }, { "LeakyRelu", GA_LEAKY },
	{ "Clip", GA_CLIP },
};

static enum ls_status
op_act(struct bld *b)
{
	struct gnode *n;
	enum ls_status s;
	const struct ct *lo, *hi;
	size_t i;
	int v;

	if ((s = in_rt(b, 0, &v)))
		return s;
	for (i = 0; strcmp(act_ops[i].op, b->cur->op); i++)
		;
	n = node_new(b, GK_ACT, act_ops[i].a);
	n->nin = 1, n->in[0] = v;
	n->alpha = bld_attr_f(b->cur, "alpha", n->op == GA_LEAKY ? 0.01 : 1.0);
	if (n->op == GA_CLIP) {
		lo = bld_in_ct(b, 1), hi = bld_in_ct(b, 2);
		n->alpha = lo ? ct_f(lo, 0) : bld_attr_f(b->cur, "min", -INFINITY);
		n->beta = hi ? ct_f(hi, 0) : bld_attr_f(b->cur, "max", INFINITY);
	}
	return node_done(b, 0);
}

static enum ls_status
op_prelu(struct bld *b)
{
	const struct ct *sl;
	struct gshape ps;
	struct gnode *n;
	enum ls_status s;
	long *map, i;
	int v;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &sl)) ||
	    (s = ct_psshape(b, sl, vshape(b, v)->nd, &ps)))
		return s;
	n = node_new(b, GK_ACT, sl->n == 1 ? GA_LEAKY : GA_PRELU);
	n->nin = 1, n->in[0] = v;
	n->alpha = ct_f(sl, 0);
	n->nb = sl->n;
	if (sl->n > 1) {
		struct gshape o;
		if (gshape_broadcast(vshape(b, v), &ps, &o, b->err) != LS_OK ||
		    gshape_numel(&o) != gshape_numel(vshape(b, v)))
			return bld_fail(b, "the slope does not broadcast to the input");
		map = gshape_bcast_map(vshape(b, v), &ps);
		n->nw = gshape_numel(vshape(b, v));
		n->w = xreallocarray(NULL, (size_t)n->nw, sizeof *n->w);
		for (i = 0; i < n->nw; i++)
			n->w[i] = (float)ct_f(sl, map ? map[i] : i);
		free(map);
	}
	return node_done(b, 0);
}

static enum ls_status
op_arith(struct bld *b)
{
	static const char *ops[] = { "Add", "Sub", "Mul", "Div", "Pow" };
	const struct ct *c0 = bld_in_ct(b, 0), *c1 = bld_in_ct(b, 1), *c = c0 ? c0 : c1;
	int op = 0, v0, v1;
	struct gnode *n;
	enum ls_status s;

	while (strcmp(ops[op], b->cur->op))
		op++;
	if (!c) {
		if ((s = in_rt(b, 0, &v0)) || (s = in_rt(b, 1, &v1)))
			return s;
		n = node_new(b, GK_BINARY, op);
		n->nin = 2, n->in[0] = v0, n->in[1] = v1;
		return node_done(b, 0);
	}
	if ((s = in_rt(b, c0 ? 1 : 0, &v0)))
		return s;
	if (!c0 && bias_fuse(b, v0, c))
		return LS_OK;
	n = node_new(b, GK_CONST, op);
	n->nin = 1, n->in[0] = v0;
	n->cfirst = c0 != NULL;
	if ((s = ct_psshape(b, c, vshape(b, v0)->nd, &n->csh)))
		return s;
	n->w = ct_floats(c), n->nw = c->n;
	return node_done(b, 0);
}

/* ---- views ------------------------------------------------------------------ */

static enum ls_status
view_to(struct bld *b, int v, const struct gshape *to)
{
	struct gnode *n = node_new(b, GK_VIEW, 0);
	int k;

	n->nin = 1, n->in[0] = v;
	n->ntarget = to->nd + 1;
	n->target[0] = 0;
	for (k = 0; k < to->nd; k++)
		n->target[k + 1] = to->d[k];
	return node_done(b, 0);
}

static enum ls_status
op_identity(struct bld *b)
{
	enum ls_status s;
	int v;

	if ((s = in_rt(b, 0, &v)))
		return s;
	if (!strcmp(b->cur->op, "Cast") && bld_attr_i(b->cur, "to", 1) != LS_ONNX_FLOAT)
		return bld_fail(b, "a runtime Cast to a type other than float");
	return view_to(b, v, vshape(b, v));
}

static enum ls_status
op_reshape(struct bld *b)
{
	const struct ct *sh;
	struct gnode *n;
	enum ls_status s;
	int v, k;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &sh)))
		return s;
	if (sh->n < 1 || sh->n > G_MAXD + 1)
		return bld_fail(b, "target shape of rank %ld", sh->n);
	n = node_new(b, GK_VIEW, 0);
	n->nin = 1, n->in[0] = v;
	n->ntarget = (int)sh->n;
	for (k = 0; k < sh->n; k++)
		n->target[k] = ct_i(sh, k);
	return node_done(b, 0);
}

static enum ls_status
op_flatten(struct bld *b)
{
	enum ls_status s;
	struct gshape to = { 1, { 0 } };
	int v;

	if ((s = in_rt(b, 0, &v)))
		return s;
	if (ps_axis(bld_attr_i(b->cur, "axis", 1), vshape(b, v)) != 0)
		return bld_fail(b, "only Flatten(axis=1) keeps the batch");
	to.d[0] = gshape_numel(vshape(b, v));
	return view_to(b, v, &to);
}

static enum ls_status
op_squeeze(struct bld *b)
{
	const struct gshape *in;
	struct gshape to = { 0 };
	int64_t ax[G_MAXD + 1];
	const struct ct *c = bld_in_ct(b, 1);
	int v, k, na, j, sq = !strcmp(b->cur->op, "Squeeze"), hit[G_MAXD + 1] = { 0 };
	enum ls_status s;

	if ((s = in_rt(b, 0, &v)))
		return s;
	in = vshape(b, v);
	na = c ? (int)c->n : bld_attr_ints(b->cur, "axes", ax, G_MAXD + 1);
	for (k = 0; c && k < na && k <= G_MAXD; k++)
		ax[k] = ct_i(c, k);
	if (na > G_MAXD)
		return bld_fail(b, "too many axes");
	for (k = 0; k < na; k++) {
		int r = sq ? in->nd + 1 : in->nd + 1 + na;
		int a = (int)(ax[k] < 0 ? ax[k] + r : ax[k]);
		if (a <= 0 || a >= r)
			return bld_fail(b, "axis %lld would move the batch", (long long)ax[k]);
		hit[a - 1] = 1;
	}
	if (sq) {
		for (k = 0; k < in->nd; k++)
			if (!(na < 0 ? in->d[k] == 1 : hit[k]))
				to.d[to.nd++] = in->d[k];
	} else {
		if (in->nd + na > G_MAXD)
			return bld_fail(b, "rank above %d", G_MAXD + 1);
		for (k = 0, j = 0; k < in->nd + na; k++)
			to.d[to.nd++] = hit[k] ? 1 : in->d[j++];
	}
	return view_to(b, v, &to);
}

static enum ls_status
op_slice(struct bld *b)
{
	const struct ct *st, *en, *ax = bld_in_ct(b, 3), *sp = bld_in_ct(b, 4);
	struct gnode *n;
	enum ls_status s;
	int v, k;
	long i;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &st)) || (s = need_ct(b, 2, &en)))
		return s;
	n = node_new(b, GK_SLICE, 0);
	n->nin = 1, n->in[0] = v;
	for (k = 0; k < G_MAXD; k++)
		n->ends[k] = INT64_MAX, n->steps[k] = 1;
	for (i = 0; i < st->n && i < en->n; i++) {
		int a = ps_axis(ax ? ct_i(ax, i) : i, vshape(b, v));
		if (a == -1 && ct_i(st, i) == 0 && ct_i(en, i) >= (1LL << 31) && (!sp || ct_i(sp, i) == 1))
			continue;
		if (a < 0)
			return bld_fail(b, "slices the batch axis");
		n->starts[a] = ct_i(st, i), n->ends[a] = ct_i(en, i);
		n->steps[a] = sp ? ct_i(sp, i) : 1;
		if (!n->steps[a])
			return bld_fail(b, "step 0");
	}
	return node_done(b, 0);
}

static enum ls_status
op_gather(struct bld *b)
{
	const struct ct *ix;
	struct gnode *n;
	struct gshape to;
	enum ls_status s;
	int v, a, k;
	int64_t i;

	if ((s = in_rt(b, 0, &v)) || (s = need_ct(b, 1, &ix)))
		return s;
	a = ps_axis(bld_attr_i(b->cur, "axis", 0), vshape(b, v));
	if (a < 0 || ix->n != 1 || ix->nd > 1)
		return bld_fail(b, "gathers one index along a non-batch axis only");
	i = ct_i(ix, 0);
	n = node_new(b, GK_SLICE, 0);
	n->nin = 1, n->in[0] = v;
	for (k = 0; k < G_MAXD; k++)
		n->ends[k] = INT64_MAX, n->steps[k] = 1;
	n->starts[a] = i, n->ends[a] = i < 0 ? (i == -1 ? INT64_MAX : i + 1) : i + 1;
	if ((s = node_done(b, ix->nd ? 0 : -1)) || ix->nd)
		return s;
	to = *vshape(b, b->part.nnodes);
	for (k = a; k + 1 < to.nd; k++)
		to.d[k] = to.d[k + 1];
	to.nd--;
	return view_to(b, b->part.nnodes, &to);
}

static enum ls_status
op_concat(struct bld *b)
{
	struct gnode *n;
	enum ls_status s;
	int v, k;

	if (b->cur->nin > G_MAXIN)
		return bld_fail(b, "more than %d inputs", G_MAXIN);
	if ((s = in_rt(b, 0, &v)))
		return s;
	n = node_new(b, GK_CONCAT, 0);
	n->nin = b->cur->nin;
	n->in[0] = v;
	for (k = 1; k < b->cur->nin; k++)
		if ((s = in_rt(b, k, &n->in[k])))
			return s;
	n = &b->part.nodes[b->part.nnodes - 1];
	n->axis = ps_axis(bld_attr_i(b->cur, "axis", 0), vshape(b, v));
	if (n->axis < 0)
		return bld_fail(b, "concatenates along the batch axis");
	return node_done(b, 0);
}

/* ---- resampling, pooling, padding ------------------------------------------ */

static enum ls_status
resize_mode(struct bld *b, struct gnode *n)
{
	static const char *coords[] = { "half_pixel", "pytorch_half_pixel", "align_corners",
					"asymmetric" };
	static const char *nm[] = { "round_prefer_floor", "round_prefer_ceil", "floor", "ceil" };
	const char *mode = bld_attr_s(b->cur, "mode", "nearest");
	const char *c = bld_attr_s(b->cur, "coordinate_transformation_mode",
				   b->cur->op[0] == 'U' ? "asymmetric" : "half_pixel");
	const char *r = bld_attr_s(b->cur, "nearest_mode", b->cur->op[0] == 'U' ? "floor" : "round_prefer_floor");
	int k;

	if (strcmp(mode, "nearest") && strcmp(mode, "linear") && strcmp(mode, "bilinear"))
		return bld_fail(b, "mode %s is not supported (nearest, linear)", mode);
	n->op = strcmp(mode, "nearest") ? GR_LINEAR : GR_NEAREST;
	for (n->coord = -1, k = 0; k < 4; k++)
		if (!strcmp(c, coords[k]))
			n->coord = k;
	for (n->nearest_mode = -1, k = 0; k < 4; k++)
		if (!strcmp(r, nm[k]))
			n->nearest_mode = k;
	if (n->coord < 0 || n->nearest_mode < 0)
		return bld_fail(b, "coordinate_transformation_mode %s / nearest_mode %s is not supported", c, r);
	return LS_OK;
}

static enum ls_status
op_resize(struct bld *b)
{
	const struct ct *sc = bld_in_ct(b, b->cur->op[0] == 'U' ? 1 : 2), *sz = bld_in_ct(b, 3);
	struct gnode *n;
	enum ls_status s;
	int v;

	if ((s = in_rt(b, 0, &v)))
		return s;
	if (vshape(b, v)->nd != 3)
		return bld_fail(b, "resizes (batch, C, H, W) tensors only");
	n = node_new(b, GK_RESIZE, 0);
	n->nin = 1, n->in[0] = v;
	if ((s = resize_mode(b, n)))
		return s;
	if (sc && sc->n == 4) {
		if (ct_f(sc, 0) != 1 || ct_f(sc, 1) != 1)
			return bld_fail(b, "scales the batch or channel axis");
		n->scale[0] = ct_f(sc, 2), n->scale[1] = ct_f(sc, 3);
	} else if (sz && sz->n == 4) {
		if (ct_i(sz, 1) != vshape(b, v)->d[0])
			return bld_fail(b, "resizes the channel axis");
		n->target[1] = ct_i(sz, 2), n->target[2] = ct_i(sz, 3);
	} else {
		return bld_fail(b, "wants constant scales or sizes for (N, C, H, W)");
	}
	return node_done(b, 0);
}

static enum ls_status
op_pool(struct bld *b)
{
	int v, glob = !strncmp(b->cur->op, "Global", 6), mx = strstr(b->cur->op, "Max") != NULL;
	struct gnode *n;
	enum ls_status s;
	struct gwin w = { 0 };

	if ((s = in_rt(b, 0, &v)))
		return s;
	if (b->cur->nout > 1 && b->cur->out[1][0] && bld_ent(b, b->cur->out[1], 0) &&
	    bld_ent(b, b->cur->out[1], 0)->uses)
		return bld_fail(b, "the Indices output is not supported");
	if (vshape(b, v)->nd != 3)
		return bld_fail(b, "pools (batch, C, H, W) tensors only");
	if (glob) {
		w.sh = w.sw = w.dh = w.dw = 1;
		w.kh = (int)vshape(b, v)->d[1], w.kw = (int)vshape(b, v)->d[2];
	} else if ((s = win_attrs(b, &w, 1))) {
		return s;
	}
	w.count_pad = (int)bld_attr_i(b->cur, "count_include_pad", 0);
	n = node_new(b, GK_POOL, mx ? GP_MAX : GP_AVG);
	n->nin = 1, n->in[0] = v;
	n->win = w;
	return node_done(b, 0);
}

static enum ls_status
op_pad(struct bld *b)
{
	const struct ct *p = bld_in_ct(b, 1), *cv = bld_in_ct(b, 2);
	const char *mode = bld_attr_s(b->cur, "mode", "constant");
	int64_t pa[2 * (G_MAXD + 1)];
	struct gnode *n;
	enum ls_status s;
	int v, r, k, np;

	if ((s = in_rt(b, 0, &v)))
		return s;
	r = vshape(b, v)->nd + 1;
	np = p ? (int)p->n : bld_attr_ints(b->cur, "pads", pa, 2 * (G_MAXD + 1));
	for (k = 0; p && k < np && k < 2 * r; k++)
		pa[k] = ct_i(p, k);
	if (np != 2 * r)
		return bld_fail(b, "wants %d pads", 2 * r);
	if (pa[0] || pa[r])
		return bld_fail(b, "pads the batch axis");
	n = node_new(b, GK_PAD, !strcmp(mode, "reflect") ? GD_REFLECT : !strcmp(mode, "edge") ? GD_EDGE : GD_CONSTANT);
	if (strcmp(mode, "constant") && strcmp(mode, "reflect") && strcmp(mode, "edge"))
		return bld_fail(b, "mode %s is not supported", mode);
	n->nin = 1, n->in[0] = v;
	for (k = 1; k < r; k++)
		n->pads[k - 1] = pa[k], n->pads[r - 1 + k - 1] = pa[r + k];
	n->pad_value = cv ? ct_f(cv, 0) : bld_attr_f(b->cur, "value", 0);
	return node_done(b, 0);
}

/* ---- reductions and norms --------------------------------------------------- */

static enum ls_status
op_reduce(struct bld *b)
{
	const struct ct *c = bld_in_ct(b, 1);
	int64_t ax[G_MAXD + 1];
	int na, v, k, lo = 99, cnt[G_MAXD + 1] = { 0 };
	struct gnode *n;
	enum ls_status s;

	if ((s = in_rt(b, 0, &v)))
		return s;
	na = c ? (int)c->n : bld_attr_ints(b->cur, "axes", ax, G_MAXD + 1);
	for (k = 0; c && k < na && k <= G_MAXD; k++)
		ax[k] = ct_i(c, k);
	if (na < 1 || na > G_MAXD)
		return bld_fail(b, "reduces the batch axis");
	for (k = 0; k < na; k++) {
		int a = ps_axis(ax[k], vshape(b, v));
		if (a < 0)
			return bld_fail(b, "reduces the batch axis");
		cnt[a]++;
		lo = a < lo ? a : lo;
	}
	for (k = lo; k < vshape(b, v)->nd; k++)
		if (cnt[k] != 1)
			return bld_fail(b, "reduces over trailing axes only");
	n = node_new(b, GK_REDUCE, (int)bld_attr_i(b->cur, "keepdims", 1));
	n->nin = 1, n->in[0] = v;
	n->axis = lo;
	return node_done(b, 0);
}

static enum ls_status
op_norm(struct bld *b)
{
	const struct ct *sc = bld_in_ct(b, 1), *bi = bld_in_ct(b, 2);
	int inst = b->cur->op[0] == 'I', v;
	struct gnode *n;
	enum ls_status s;

	if ((s = in_rt(b, 0, &v)))
		return s;
	if (!sc && inst)
		return need_ct(b, 1, &sc);
	n = node_new(b, GK_NORM, inst ? GN_INSTANCE : GN_LAYER);
	n->nin = 1, n->in[0] = v;
	n->alpha = bld_attr_f(b->cur, "epsilon", 1e-5);
	n->axis = inst ? 1 : ps_axis(bld_attr_i(b->cur, "axis", -1), vshape(b, v));
	if (n->axis < 0)
		return bld_fail(b, "normalises over the batch axis");
	if (sc)
		n->w = ct_floats(sc), n->nw = sc->n;
	if (bi)
		n->b = ct_floats(bi), n->nb = bi->n;
	return node_done(b, 0);
}

/* ---- the driver -------------------------------------------------------------- */

static const struct {
	const char *op;
	enum ls_status (*fn)(struct bld *b);
} ops[] = {
	{ "Gemm", op_gemm }, { "MatMul", op_gemm }, { "Conv", op_conv },
	{ "ConvTranspose", op_conv }, { "BatchNormalization", op_bn },
	{ "Relu", op_act }, { "LeakyRelu", op_act }, { "Clip", op_act }, { "Sigmoid", op_act },
	{ "Tanh", op_act }, { "Elu", op_act }, { "Softplus", op_act }, { "Sqrt", op_act },
	{ "Erf", op_act }, { "Exp", op_act }, { "Neg", op_act }, { "PRelu", op_prelu },
	{ "Add", op_arith }, { "Sub", op_arith }, { "Mul", op_arith }, { "Div", op_arith },
	{ "Pow", op_arith }, { "Identity", op_identity }, { "Dropout", op_identity },
	{ "Cast", op_identity }, { "Reshape", op_reshape }, { "Flatten", op_flatten },
	{ "Squeeze", op_squeeze }, { "Unsqueeze", op_squeeze }, { "Slice", op_slice },
	{ "Gather", op_gather }, { "Concat", op_concat }, { "Resize", op_resize },
	{ "Upsample", op_resize }, { "MaxPool", op_pool }, { "AveragePool", op_pool },
	{ "GlobalAveragePool", op_pool }, { "GlobalMaxPool", op_pool }, { "Pad", op_pad },
	{ "ReduceMean", op_reduce }, { "LayerNormalization", op_norm },
	{ "InstanceNormalization", op_norm },
};

static enum ls_status
bld_node(struct bld *b, const struct ls_onnx_node *n)
{
	size_t i;
	int f;

	b->cur = n;
	if (n->domain[0] && strcmp(n->domain, "ai.onnx"))
		return bld_fail(b, "operator domain '%s' is not supported", n->domain);
	if ((f = bld_fold(b)) != 0)
		return f < 0 ? LS_EFORMAT : LS_OK;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(ops[i].op, n->op))
			return ops[i].fn(b);
	return bld_fail(b, "unsupported operator %s", n->op);
}

/* Binds initializers and the input, and counts readers of every name. */
static enum ls_status
bld_start(struct bld *b, struct gshape *insh)
{
	const struct ls_onnx *o = b->o;
	const struct ls_onnx_value *in;
	struct ent *e;
	int i, k;

	for (i = 0; i < o->ninits; i++) {
		e = bld_ent(b, o->inits[i].name, 1);
		e->kind = ENT_CONST;
		e->raw = &o->inits[i];
	}
	if (o->ninputs != 1)
		return bld_fail(b, "the graph has %d inputs; a decoder or encoder has one", o->ninputs);
	if (o->noutputs < 1)
		return bld_fail(b, "the graph has no output");
	in = &o->inputs[0];
	if (in->ndim < 2 || in->ndim > G_MAXD + 1)
		return bld_fail(b, "input '%s' must have a batch axis and 1 to %d more", in->name, G_MAXD);
	insh->nd = in->ndim - 1;
	for (k = 1; k < in->ndim; k++) {
		if (in->dims[k] < 1)
			return bld_fail(b, "input '%s' has a symbolic dimension %d: only the batch may be", in->name, k);
		insh->d[k - 1] = in->dims[k];
	}
	e = bld_ent(b, in->name, 1);
	e->kind = ENT_RUNTIME;
	e->v = 0;
	for (i = 0; i < o->nnodes; i++)
		for (k = 0; k < o->nodes[i].nin; k++)
			if (o->nodes[i].in[k][0])
				bld_ent(b, o->nodes[i].in[k], 1)->uses++;
	for (i = 0; i < o->noutputs; i++)
		bld_ent(b, o->outputs[i].name, 1)->uses++;
	return LS_OK;
}

static void
bld_free(struct bld *b)
{
	size_t i;
	int k;

	for (i = 0; i < b->cap; i++)
		if (b->ents[i].have_ct)
			ct_free(&b->ents[i].c);
	free(b->ents);
	for (k = 0; k < b->part.nnodes; k++)
		gnode_clear(&b->part.nodes[k]);
	free(b->part.nodes);
}

enum ls_status
ls_onnx_net(const struct ls_onnx *o, struct ls_net **net, char *err)
{
	struct bld b = { 0 };
	struct ls_graph *g;
	enum ls_status s;
	struct ent *e;
	int i;

	*net = NULL;
	b.o = o;
	b.err = err;
	if ((s = bld_start(&b, &b.part.insh)))
		goto out;
	b.part.inn = gshape_numel(&b.part.insh);
	for (i = 0; i < o->nnodes && s == LS_OK; i++)
		s = bld_node(&b, &o->nodes[i]);
	if (s)
		goto out;
	b.cur = NULL;
	e = bld_ent(&b, o->outputs[0].name, 0);
	if (!e || e->kind != ENT_RUNTIME) {
		s = bld_fail(&b, "output '%s' does not depend on the input", o->outputs[0].name);
		goto out;
	}
	if ((s = graph_create(b.part.nodes, b.part.nnodes, &b.part.insh, e->v, &g, err)) == LS_OK)
		*net = ls_net_from_graph(g);
	else
		s = bld_fail(&b, "%s", err);
	b.part.nodes = NULL, b.part.nnodes = 0;
out:
	bld_free(&b);
	return s;
}
