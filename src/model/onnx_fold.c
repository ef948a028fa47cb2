/*
 * onnx_fold.c: constants of the ONNX builder and the folding of shape
 * subgraphs at load (Constant, ConstantOfShape, Shape of a runtime value,
 * Gather, Unsqueeze, Squeeze, Concat, Slice, Reshape, Transpose, Cast,
 * Identity and arithmetic between constants).
 *
 * The batch: Shape(x) of a runtime value gives the batch as 1 (the value a
 * fixed-batch export records); a Reshape reads the leading entry of its
 * target as the batch whatever it is, so the fold stays right for any batch.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/util.h"
#include "onnx_impl.h"

#define CT_MAXN (1L << 26)   /* values in one folded constant */

void
ct_free(struct ct *c)
{
	free(c->i);
	free(c->f);
	memset(c, 0, sizeof *c);
}

enum ls_status
bld_fail(struct bld *b, const char *fmt, ...)
{
	char msg[LS_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (b->cur)
		return ls_err(b->err, LS_EFORMAT, "%s: node %s (%s): %s", b->o->path,
			      b->cur->name[0] ? b->cur->name : "(unnamed)", b->cur->op, msg);
	return ls_err(b->err, LS_EFORMAT, "%s: %s", b->o->path, msg);
}

static uint64_t
name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void
ents_grow(struct bld *b)
{
	struct ent *old = b->ents;
	size_t oc = b->cap, i;

	b->cap = oc ? 2 * oc : 256;
	b->ents = xcalloc(b->cap, sizeof *b->ents);
	b->count = 0;
	for (i = 0; i < oc; i++) {
		if (!old[i].name)
			continue;
		*bld_ent(b, old[i].name, 1) = old[i];
	}
	free(old);
}

struct ent *
bld_ent(struct bld *b, const char *name, int create)
{
	size_t i;

	if (create && (b->count + 1) * 2 > b->cap)
		ents_grow(b);
	if (!b->cap)
		return NULL;
	for (i = name_hash(name) & (b->cap - 1);; i = (i + 1) & (b->cap - 1)) {
		if (!b->ents[i].name) {
			if (!create)
				return NULL;
			b->ents[i].name = name;
			b->count++;
			return &b->ents[i];
		}
		if (!strcmp(b->ents[i].name, name))
			return &b->ents[i];
	}
}

double
ct_f(const struct ct *c, long i)
{
	return c->isint ? (double)c->i[i] : c->f[i];
}

int64_t
ct_i(const struct ct *c, long i)
{
	return c->isint ? c->i[i] : (int64_t)c->f[i];
}

static void
ct_alloc(struct ct *c, int isint, int nd, const int64_t *d)
{
	int k;

	memset(c, 0, sizeof *c);
	c->isint = isint;
	c->nd = nd;
	c->n = 1;
	for (k = 0; k < nd; k++) {
		c->d[k] = d[k];
		if (d[k] < 0 || (d[k] > 0 && c->n > CT_MAXN / d[k])) {
			c->bad = 1;   /* too large or negative: an empty constant */
			c->n = 0;
			break;
		}
		c->n *= (long)d[k];
	}
	if (isint)
		c->i = xcalloc((size_t)c->n + 1, sizeof *c->i);
	else
		c->f = xcalloc((size_t)c->n + 1, sizeof *c->f);
}

/* Element i of a raw tensor as double / int64 (little-endian, unaligned). */
static double
raw_f(const struct ls_onnx_tensor *t, long i)
{
	const unsigned char *p = t->data;
	uint32_t u;
	uint64_t q;
	float f;
	double d;

	switch (t->dtype) {
	case LS_ONNX_FLOAT:
		u = (uint32_t)ls_load_le(p + 4 * i, 4);
		memcpy(&f, &u, 4);
		return f;
	case LS_ONNX_DOUBLE:
		q = ls_load_le(p + 8 * i, 8);
		memcpy(&d, &q, 8);
		return d;
	case LS_ONNX_FLOAT16: return ls_f16_to_f32((uint16_t)ls_load_le(p + 2 * i, 2));
	case LS_ONNX_BFLOAT16: return ls_bf16_to_f32((uint16_t)ls_load_le(p + 2 * i, 2));
	case LS_ONNX_INT64: return (double)ls_load_sint(p + 8 * i, 8);
	case LS_ONNX_INT32: return (double)ls_load_sint(p + 4 * i, 4);
	default: return p[i] != 0;
	}
}

static int
dtype_int(enum ls_onnx_dtype t)
{
	return t == LS_ONNX_INT64 || t == LS_ONNX_INT32 || t == LS_ONNX_BOOL;
}

static int
dtype_ok(enum ls_onnx_dtype t)
{
	return dtype_int(t) || t == LS_ONNX_FLOAT || t == LS_ONNX_DOUBLE ||
	       t == LS_ONNX_FLOAT16 || t == LS_ONNX_BFLOAT16;
}

/* A constant from a tensor proto. */
static enum ls_status
ct_from_raw(struct bld *b, const struct ls_onnx_tensor *t, struct ct *c)
{
	long i;

	if (!dtype_ok(t->dtype))
		return bld_fail(b, "tensor '%s' has an unsupported data type %d", t->name, (int)t->dtype);
	if (t->nelem > CT_MAXN || t->ndim > CT_MAXD)
		return bld_fail(b, "tensor '%s' is too large", t->name);
	ct_alloc(c, dtype_int(t->dtype), t->ndim, t->dims);
	if (c->bad || c->n != t->nelem) {
		ct_free(c);
		return bld_fail(b, "tensor '%s': dims and element count disagree", t->name);
	}
	for (i = 0; i < c->n; i++) {
		if (c->isint)
			c->i[i] = t->dtype == LS_ONNX_BOOL ? ((const unsigned char *)t->data)[i] != 0
			  : ls_load_sint((const unsigned char *)t->data + (t->dtype == LS_ONNX_INT64 ? 8 : 4) * i,
					 t->dtype == LS_ONNX_INT64 ? 8 : 4);
		else
			c->f[i] = raw_f(t, i);
	}
	return LS_OK;
}

const struct ct *
bld_ct(struct bld *b, struct ent *e)
{
	if (!e || e->kind != ENT_CONST)
		return NULL;
	if (!e->have_ct) {
		if (ct_from_raw(b, e->raw, &e->c) != LS_OK)
			return NULL;
		e->have_ct = 1;
	}
	return &e->c;
}

const struct ct *
bld_in_ct(struct bld *b, int k)
{
	struct ent *e;

	if (k >= b->cur->nin || !b->cur->in[k][0])
		return NULL;
	e = bld_ent(b, b->cur->in[k], 0);
	return bld_ct(b, e);
}

void
bld_set_ct(struct bld *b, int k, struct ct *c)
{
	struct ent *e = bld_ent(b, b->cur->out[k], 1);

	if (e->have_ct)
		ct_free(&e->c);
	e->kind = ENT_CONST;
	e->raw = NULL;
	e->c = *c;
	e->have_ct = 1;
	memset(c, 0, sizeof *c);
}

/* ---- attributes ----------------------------------------------------------- */

int64_t
bld_attr_i(const struct ls_onnx_node *n, const char *name, int64_t def)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(n, name);

	return a && a->type == LS_ONNX_ATTR_INT ? a->i : def;
}

double
bld_attr_f(const struct ls_onnx_node *n, const char *name, double def)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(n, name);

	if (a && a->type == LS_ONNX_ATTR_FLOAT)
		return a->f;
	return a && a->type == LS_ONNX_ATTR_INT ? (double)a->i : def;
}

const char *
bld_attr_s(const struct ls_onnx_node *n, const char *name, const char *def)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(n, name);

	return a && a->type == LS_ONNX_ATTR_STRING && a->s ? a->s : def;
}

int
bld_attr_ints(const struct ls_onnx_node *n, const char *name, int64_t *out, int max)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(n, name);
	int i;

	if (!a || a->type != LS_ONNX_ATTR_INTS)
		return -1;
	for (i = 0; i < a->n && i < max; i++)
		out[i] = a->ints[i];
	return a->n;
}

/* ---- folding ------------------------------------------------------------- */

static int
axis_norm(int64_t a, int nd)
{
	return (int)(a < 0 ? a + nd : a);
}

static void
ct_copy(struct ct *dst, const struct ct *src)
{
	long i;

	ct_alloc(dst, src->isint, src->nd, src->d);
	for (i = 0; i < src->n; i++) {
		if (src->isint)
			dst->i[i] = src->i[i];
		else
			dst->f[i] = src->f[i];
	}
}

static void
ct_put(struct ct *c, long i, const struct ct *src, long j)
{
	if (c->isint)
		c->i[i] = ct_i(src, j);
	else
		c->f[i] = ct_f(src, j);
}

static int
fold_constant(struct bld *b, struct ct *r)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(b->cur, "value");
	int i;

	if (a && a->type == LS_ONNX_ATTR_TENSOR)
		return ct_from_raw(b, a->t, r) == LS_OK ? 1 : -1;
	if ((a = ls_onnx_attr(b->cur, "value_float"))) {
		ct_alloc(r, 0, 0, NULL);
		r->f[0] = a->f;
		return 1;
	}
	if ((a = ls_onnx_attr(b->cur, "value_int"))) {
		ct_alloc(r, 1, 0, NULL);
		r->i[0] = a->i;
		return 1;
	}
	if ((a = ls_onnx_attr(b->cur, "value_ints")) || (a = ls_onnx_attr(b->cur, "value_floats"))) {
		int64_t d = a->n;
		ct_alloc(r, a->type == LS_ONNX_ATTR_INTS, 1, &d);
		for (i = 0; i < a->n; i++) {
			if (r->isint)
				r->i[i] = a->ints[i];
			else
				r->f[i] = a->floats[i];
		}
		return 1;
	}
	bld_fail(b, "a Constant without a supported value");
	return -1;
}

static int
fold_cofs(struct bld *b, const struct ct *shape, struct ct *r)
{
	const struct ls_onnx_attr *a = ls_onnx_attr(b->cur, "value");
	int64_t d[CT_MAXD];
	long i, n = 1;
	struct ct v = { 0 };

	if (shape->n > CT_MAXD)
		return bld_fail(b, "shape of rank %ld", shape->n), -1;
	for (i = 0; i < shape->n; i++) {
		d[i] = ct_i(shape, i);
		if (d[i] < 0 || (n *= (long)(d[i] ? d[i] : 1)) > CT_MAXN)
			return bld_fail(b, "bad shape"), -1;
	}
	if (a && a->type == LS_ONNX_ATTR_TENSOR && ct_from_raw(b, a->t, &v) != LS_OK)
		return -1;
	ct_alloc(r, a ? v.isint : 0, (int)shape->n, d);
	for (i = 0; i < r->n; i++)
		if (a && v.n)
			ct_put(r, i, &v, 0);
	ct_free(&v);
	return 1;
}

/* Shape of a runtime value: (1, per-sample dims...). */
static int
fold_shape(struct bld *b, int v, struct ct *r)
{
	const struct gshape *s = graph_vshape(&b->part, v);
	int64_t nd = s->nd + 1, st = bld_attr_i(b->cur, "start", 0), en = bld_attr_i(b->cur, "end", nd);
	int64_t d;
	long i;

	st = st < 0 ? st + nd : st, en = en < 0 ? en + nd : en;
	st = st < 0 ? 0 : st > nd ? nd : st, en = en < st ? st : en > nd ? nd : en;
	d = en - st;
	ct_alloc(r, 1, 1, &d);
	for (i = 0; i < d; i++)
		r->i[i] = st + i == 0 ? 1 : s->d[st + i - 1];
	return 1;
}

static int
fold_gather(struct bld *b, const struct ct *x, const struct ct *idx, struct ct *r)
{
	int axis = axis_norm(bld_attr_i(b->cur, "axis", 0), x->nd), k;
	int64_t d[CT_MAXD];
	long outer = 1, inner = 1, o, j, q, m = 0;

	if (axis < 0 || axis >= x->nd || x->nd - 1 + idx->nd > CT_MAXD)
		return bld_fail(b, "bad axis"), -1;
	for (k = 0; k < axis; k++)
		outer *= (long)x->d[k], d[m++] = x->d[k];
	for (k = 0; k < idx->nd; k++)
		d[m++] = idx->d[k];
	for (k = axis + 1; k < x->nd; k++)
		inner *= (long)x->d[k], d[m++] = x->d[k];
	ct_alloc(r, x->isint, (int)m, d);
	for (o = 0; o < outer; o++)
		for (j = 0; j < idx->n; j++) {
			int64_t ix = ct_i(idx, j);
			ix = ix < 0 ? ix + x->d[axis] : ix;
			if (ix < 0 || ix >= x->d[axis])
				return ct_free(r), bld_fail(b, "index out of range"), -1;
			for (q = 0; q < inner; q++)
				ct_put(r, (o * idx->n + j) * inner + q, x, (o * x->d[axis] + ix) * inner + q);
		}
	return 1;
}

/* Unsqueeze / Squeeze / Reshape / Flatten of a constant: same data. */
static int
fold_reshape(struct bld *b, const struct ct *x, const int64_t *d, int nd, struct ct *r)
{
	long n = 1;
	int k, neg = -1;
	int64_t dd[CT_MAXD];

	if (nd > CT_MAXD)
		return bld_fail(b, "rank %d", nd), -1;
	for (k = 0; k < nd; k++) {
		dd[k] = d[k] == 0 && k < x->nd ? x->d[k] : d[k];
		if (dd[k] == -1)
			neg = k;
		else
			n *= (long)dd[k];
	}
	if (neg >= 0)
		dd[neg] = n ? x->n / n : 0;
	for (k = 0, n = 1; k < nd; k++)
		n *= (long)dd[k];
	if (n != x->n)
		return bld_fail(b, "cannot reshape %ld values", x->n), -1;
	ct_copy(r, x);
	r->nd = nd;
	memcpy(r->d, dd, sizeof(int64_t) * (size_t)nd);
	return 1;
}

/* Axes of Squeeze / Unsqueeze: input 1 (opset 13) or attribute. */
static int
axes_of(struct bld *b, int64_t *ax, int max)
{
	const struct ct *c = bld_in_ct(b, 1);
	int n, i;

	if (c) {
		for (i = 0; i < c->n && i < max; i++)
			ax[i] = ct_i(c, i);
		return (int)c->n;
	}
	n = bld_attr_ints(b->cur, "axes", ax, max);
	return n;
}

static int
fold_unsqueeze(struct bld *b, const struct ct *x, int sq, struct ct *r)
{
	int64_t ax[CT_MAXD], d[CT_MAXD];
	int na = axes_of(b, ax, CT_MAXD), nd = sq ? x->nd - (na < 0 ? 0 : na) : x->nd + na, k, j, m = 0;

	if (sq && na < 0) {
		for (k = 0; k < x->nd; k++)
			if (x->d[k] != 1)
				d[m++] = x->d[k];
		return fold_reshape(b, x, d, m, r);
	}
	if (na < 0 || nd < 0 || nd > CT_MAXD)
		return bld_fail(b, "bad axes"), -1;
	for (k = 0, j = 0; k < (sq ? x->nd : nd); k++) {
		int hit = 0, a;
		for (a = 0; a < na; a++)
			hit |= axis_norm(ax[a], sq ? x->nd : nd) == k;
		if (sq && !hit)
			d[m++] = x->d[k];
		else if (!sq)
			d[m++] = hit ? 1 : x->d[j++];
	}
	return fold_reshape(b, x, d, m, r);
}

static int
fold_concat(struct bld *b, struct ct *r)
{
	const struct ct *c0 = bld_in_ct(b, 0), *c;
	int axis = axis_norm(bld_attr_i(b->cur, "axis", 0), c0->nd), k, i;
	int64_t d[CT_MAXD];
	long outer = 1, inner = 1, o, q, pos = 0;

	if (axis < 0 || axis >= c0->nd)
		return bld_fail(b, "bad axis"), -1;
	memcpy(d, c0->d, sizeof d);
	for (i = 1; i < b->cur->nin; i++)
		d[axis] += bld_in_ct(b, i)->d[axis];
	for (k = 0; k < axis; k++)
		outer *= (long)d[k];
	for (k = axis + 1; k < c0->nd; k++)
		inner *= (long)d[k];
	ct_alloc(r, c0->isint, c0->nd, d);
	for (o = 0; o < outer; o++)
		for (i = 0; i < b->cur->nin; i++) {
			c = bld_in_ct(b, i);
			for (q = 0; q < c->d[axis] * inner; q++)
				ct_put(r, pos++, c, o * c->d[axis] * inner + q);
		}
	return 1;
}

/* One axis of a slice: normalised start and output length. */
static int64_t
slice_axis(int64_t dim, int64_t *s, int64_t e, int64_t p)
{
	*s = *s < 0 ? *s + dim : *s, e = e < 0 ? e + dim : e;
	if (p > 0) {
		*s = *s < 0 ? 0 : *s > dim ? dim : *s, e = e < 0 ? 0 : e > dim ? dim : e;
		return e > *s ? (e - *s + p - 1) / p : 0;
	}
	*s = *s < 0 ? 0 : *s > dim - 1 ? dim - 1 : *s, e = e < -1 ? -1 : e > dim - 1 ? dim - 1 : e;
	return *s > e ? (*s - e - p - 1) / -p : 0;
}

static int
fold_slice(struct bld *b, const struct ct *x, struct ct *r)
{
	const struct ct *st = bld_in_ct(b, 1), *en = bld_in_ct(b, 2), *ax = bld_in_ct(b, 3),
			*sp = bld_in_ct(b, 4);
	int64_t a0[CT_MAXD] = { 0 }, stp[CT_MAXD], d[CT_MAXD], xs[CT_MAXD];
	long i, o;
	int k;

	if (!st || !en)
		return bld_fail(b, "wants constant starts and ends"), -1;
	for (k = x->nd - 1, o = 1; k >= 0; k--)
		stp[k] = 1, d[k] = x->d[k], xs[k] = o, o *= (long)x->d[k];
	for (i = 0; i < st->n && i < en->n; i++) {
		int a = ax ? axis_norm(ct_i(ax, i), x->nd) : (int)i;
		int64_t s0 = ct_i(st, i), p = sp ? ct_i(sp, i) : 1;
		if (a < 0 || a >= x->nd || p == 0)
			return bld_fail(b, "bad slice"), -1;
		d[a] = slice_axis(x->d[a], &s0, ct_i(en, i), p);
		a0[a] = s0, stp[a] = p;
	}
	ct_alloc(r, x->isint, x->nd, d);
	for (o = 0; o < r->n; o++) {
		long rem = o, src = 0;
		for (k = x->nd - 1; k >= 0; k--) {
			src += (a0[k] + (rem % d[k]) * stp[k]) * xs[k];
			rem /= (long)d[k];
		}
		ct_put(r, o, x, src);
	}
	return 1;
}

static int
fold_transpose(struct bld *b, const struct ct *x, struct ct *r)
{
	int64_t perm[CT_MAXD], d[CT_MAXD], st[CT_MAXD];
	int np = bld_attr_ints(b->cur, "perm", perm, CT_MAXD), k;
	long o;

	if (np < 0)
		for (k = 0, np = x->nd; k < np; k++)
			perm[k] = np - 1 - k;
	if (np != x->nd)
		return bld_fail(b, "perm does not match the rank"), -1;
	for (k = x->nd - 1, o = 1; k >= 0; k--)
		st[k] = o, o *= (long)x->d[k];
	for (k = 0; k < np; k++)
		d[k] = x->d[perm[k]];
	ct_alloc(r, x->isint, np, d);
	for (o = 0; o < r->n; o++) {
		long rem = o, src = 0;
		for (k = np - 1; k >= 0; k--) {
			src += (rem % d[k]) * st[perm[k]];
			rem /= (long)d[k];
		}
		ct_put(r, o, x, src);
	}
	return 1;
}

static int
fold_arith(struct bld *b, const struct ct *x, const struct ct *y, struct ct *r)
{
	const char *op = b->cur->op;
	const struct ct *big = x->n >= y->n ? x : y;
	long i;

	if (x->n != y->n && x->n != 1 && y->n != 1)
		return 0;
	ct_alloc(r, x->isint && y->isint, big->nd, big->d);
	for (i = 0; i < r->n; i++) {
		double a = ct_f(x, x->n == 1 ? 0 : i), c = ct_f(y, y->n == 1 ? 0 : i), v;
		v = !strcmp(op, "Add") ? a + c : !strcmp(op, "Sub") ? a - c : !strcmp(op, "Mul") ? a * c
		  : !strcmp(op, "Div") ? (r->isint ? (c ? trunc(a / c) : 0) : a / c)
		  : !strcmp(op, "Equal") ? a == c : pow(a, c);
		if (r->isint)
			r->i[i] = (int64_t)v;
		else
			r->f[i] = v;
	}
	if (!strcmp(op, "Equal"))
		r->isint = 1, r->i = r->i ? r->i : xcalloc((size_t)r->n + 1, sizeof *r->i);
	return 1;
}

static int
fold_cast(struct bld *b, const struct ct *x, struct ct *r)
{
	int64_t to = bld_attr_i(b->cur, "to", LS_ONNX_FLOAT);
	long i;

	ct_alloc(r, dtype_int((enum ls_onnx_dtype)to), x->nd, x->d);
	for (i = 0; i < x->n; i++)
		ct_put(r, i, x, i);
	return 1;
}

/* Folds when every given input is constant (Shape: the runtime one). */
static int
fold_dispatch(struct bld *b, const char *op, struct ct *r)
{
	const struct ct *x = bld_in_ct(b, 0), *y = bld_in_ct(b, 1);
	int64_t d[CT_MAXD];
	int nd;

	if (!strcmp(op, "Constant"))
		return fold_constant(b, r);
	if (!x)
		return 0;
	if (!strcmp(op, "ConstantOfShape"))
		return fold_cofs(b, x, r);
	if (!strcmp(op, "Identity") || !strcmp(op, "Dropout"))
		return ct_copy(r, x), 1;
	if (!strcmp(op, "Cast"))
		return fold_cast(b, x, r);
	if (!strcmp(op, "Gather") && y)
		return fold_gather(b, x, y, r);
	if (!strcmp(op, "Unsqueeze") || !strcmp(op, "Squeeze"))
		return fold_unsqueeze(b, x, op[0] == 'S', r);
	if (!strcmp(op, "Reshape") && y) {
		nd = (int)(y->n > CT_MAXD ? CT_MAXD + 1 : y->n);
		for (int k = 0; k < nd && k < CT_MAXD; k++)
			d[k] = ct_i(y, k);
		return fold_reshape(b, x, d, nd, r);
	}
	if (!strcmp(op, "Concat"))
		return fold_concat(b, r);
	if (!strcmp(op, "Slice"))
		return fold_slice(b, x, r);
	if (!strcmp(op, "Transpose"))
		return fold_transpose(b, x, r);
	if (y && (!strcmp(op, "Add") || !strcmp(op, "Sub") || !strcmp(op, "Mul") ||
		  !strcmp(op, "Div") || !strcmp(op, "Pow") || !strcmp(op, "Equal")))
		return fold_arith(b, x, y, r);
	return 0;
}

int
bld_fold(struct bld *b)
{
	const struct ls_onnx_node *n = b->cur;
	struct ct r = { 0 };
	struct ent *e;
	int k, rc;

	for (k = 0; k < n->nin; k++) {
		if (!n->in[k][0])
			continue;
		e = bld_ent(b, n->in[k], 0);
		if (!e || e->kind == ENT_NONE)
			return bld_fail(b, "input '%s' is neither an initializer nor computed before", n->in[k]), -1;
		if (e->kind == ENT_RUNTIME) {
			if (strcmp(n->op, "Shape") || k)
				return 0;
			if (fold_shape(b, e->v, &r) < 0)
				return -1;
			bld_set_ct(b, 0, &r);
			return 1;
		}
		if (!bld_ct(b, e))
			return -1;
	}
	if ((rc = fold_dispatch(b, n->op, &r)) <= 0)
		return rc;
	if (r.bad) {
		ct_free(&r);
		return bld_fail(b, "a folded constant is too large (over %ld values)", CT_MAXN), -1;
	}
	if (n->nout < 1)
		return ct_free(&r), 1;
	bld_set_ct(b, 0, &r);
	return 1;
}
