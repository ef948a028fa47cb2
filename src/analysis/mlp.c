/*
 * mlp.c: the plain float64 MLP the tropical form and the whole-space
 * regions work on, the one adapter from a decoder (ls_mlp_from_net()),
 * its forward pass, patterns and the affine forms of a pattern.
 *
 * Invariants: layer widths chain (l[i].out == l[i + 1].in, l[0].in == d);
 * units are the outputs of relu / leaky layers, numbered in layer order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/blas.h"
#include "base/util.h"
#include "linscope/model.h"
#include "linscope/regions.h"
#include "trop_priv.h"

static const char not_mlp[] =
	"tropical form needs an MLP of affine and ReLU/LeakyReLU layers";

/* Appends a dense layer copied from an affine ls_layer (identity act). */
static void
push_affine(struct ls_dense *l, int *n, const struct ls_layer *a)
{
	struct ls_dense *o = &l[(*n)++];
	long k, nw = (long)a->in * a->out;

	memset(o, 0, sizeof *o);
	o->in = a->in, o->out = a->out;
	o->w = xmalloc((size_t)nw * sizeof *o->w);
	o->b = xcalloc((size_t)a->out, sizeof *o->b);
	for (k = 0; k < nw; k++)
		o->w[k] = a->w[k];
	for (k = 0; a->b && k < a->out; k++)
		o->b[k] = a->b[k];
}

/* Appends an identity dense layer of width w (an activation with no
 * affine layer before it). */
static void
push_eye(struct ls_dense *l, int *n, int w)
{
	struct ls_dense *o = &l[(*n)++];
	int k;

	memset(o, 0, sizeof *o);
	o->in = o->out = w;
	o->w = xcalloc((size_t)w * w, sizeof *o->w);
	o->b = xcalloc((size_t)w, sizeof *o->b);
	for (k = 0; k < w; k++)
		o->w[(long)k * w + k] = 1;
}

static void
dense_free(struct ls_dense *l, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(l[i].w);
		free(l[i].b);
	}
	free(l);
}

/* Drops the layers after the one holding hidden layer nhidden + 1's
 * pre-activation; 1 if the net has fewer hidden layers. */
static int
truncate_hidden(struct ls_dense *l, int *n, int nhidden)
{
	int i, h = 0;

	for (i = 0; i < *n; i++) {
		if (h == nhidden) {
			l[i].act = LS_ACT_IDENTITY;
			for (int j = i + 1; j < *n; j++)
				free(l[j].w), free(l[j].b);
			*n = i + 1;
			return 0;
		}
		h += l[i].act != LS_ACT_IDENTITY;
	}
	return 1;
}

enum ls_status
ls_mlp_from_net(const struct ls_net *net, int nhidden, struct ls_mlp **m, char *err)
{
	struct ls_dense *l = xcalloc((size_t)net->nlayers + 1, sizeof *l);
	enum ls_status s = LS_OK;
	int i, n = 0, nl, w = net->in, open = 0;

	*m = NULL;
	if (ls_net_pl_kind(net, &nl) == LS_PL_NO) {
		s = ls_err(err, LS_EINVAL, "the decoder is not piecewise linear: %s", not_mlp);
		goto out;
	}
	for (i = 0; i < nl; i++) {
		const struct ls_layer *a = &net->layers[i];
		if (a->kind == LS_LAYER_AFFINE) {
			push_affine(l, &n, a);
			open = 1;
		} else if (a->kind == LS_LAYER_RELU || a->kind == LS_LAYER_LEAKY_RELU) {
			if (!open)
				push_eye(l, &n, w);
			l[n - 1].act = a->kind == LS_LAYER_RELU ? LS_ACT_RELU : LS_ACT_LEAKY;
			l[n - 1].slope = a->slope;
			open = 0;
		} else if (a->kind != LS_LAYER_IDENTITY) {
			s = ls_err(err, LS_EINVAL, "layer %s: %s", a->name, not_mlp);
			goto out;
		}
		w = a->out;
	}
	if (!n)
		push_eye(l, &n, w);
	if (nhidden > 0 && truncate_hidden(l, &n, nhidden)) {
		s = ls_err(err, LS_EINVAL, "the decoder has fewer than %d hidden layers followed by an affine layer", nhidden);
		goto out;
	}
	s = ls_mlp_create(l, n, m, err);
out:
	dense_free(l, n);
	return s;
}

static int
all_finite(const double *x, long n)
{
	for (long k = 0; k < n; k++)
		if (!isfinite(x[k]))
			return 0;
	return 1;
}

enum ls_status
ls_mlp_create(const struct ls_dense *l, int n, struct ls_mlp **m, char *err)
{
	struct ls_mlp *o;
	int i;

	if (n < 1)
		return ls_err(err, LS_EINVAL, "an MLP needs at least one layer");
	for (i = 1; i < n; i++)
		if (l[i].in != l[i - 1].out)
			return ls_err(err, LS_EINVAL, "layer %d: input width %d, previous output %d", i, l[i].in, l[i - 1].out);
	for (i = 0; i < n; i++)
		if (!all_finite(l[i].w, (long)l[i].in * l[i].out) || !all_finite(l[i].b, l[i].out) ||
		    !isfinite(l[i].slope))
			return ls_err(err, LS_EINVAL, "layer %d: a weight is not finite (NaN or infinity)", i);
	o = xcalloc(1, sizeof *o);
	o->nl = n, o->d = l[0].in, o->out = l[n - 1].out;
	o->l = xcalloc((size_t)n, sizeof *o->l);
	for (i = 0; i < n; i++) {
		o->l[i] = l[i];
		o->l[i].w = xmalloc((size_t)l[i].in * l[i].out * sizeof *l[i].w);
		o->l[i].b = xmalloc((size_t)l[i].out * sizeof *l[i].b);
		memcpy(o->l[i].w, l[i].w, (size_t)l[i].in * l[i].out * sizeof *l[i].w);
		memcpy(o->l[i].b, l[i].b, (size_t)l[i].out * sizeof *l[i].b);
		if (l[i].act != LS_ACT_IDENTITY)
			o->units += l[i].out;
	}
	*m = o;
	return LS_OK;
}

void
ls_mlp_free(struct ls_mlp *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nl; i++)
		free(m->l[i].w), free(m->l[i].b);
	free(m->l);
	free(m);
}

static int
mlp_maxw(const struct ls_mlp *m)
{
	int i, w = m->d;

	for (i = 0; i < m->nl; i++)
		w = m->l[i].out > w ? m->l[i].out : w;
	return w;
}

/* Forward pass; bits (may be NULL) get the pattern; returns min |pre|. */
static double
forward(const struct ls_mlp *m, const double *z, double *y, uint8_t *bits)
{
	int mw = mlp_maxw(m), i, j, k, u = 0;
	double *a = xmalloc((size_t)mw * sizeof *a), *b = xmalloc((size_t)mw * sizeof *b), *t;
	double mn = HUGE_VAL;

	memcpy(a, z, (size_t)m->d * sizeof *a);
	for (i = 0; i < m->nl; i++) {
		const struct ls_dense *l = &m->l[i];
		for (j = 0; j < l->out; j++) {
			double s = l->b[j];
			for (k = 0; k < l->in; k++)
				s += l->w[(long)j * l->in + k] * a[k];
			if (l->act != LS_ACT_IDENTITY) {
				mn = fabs(s) < mn ? fabs(s) : mn;
				if (bits)
					bit_set(bits, u, s > 0);
				u++;
				if (!(s > 0))
					s *= l->act == LS_ACT_LEAKY ? l->slope : 0;
			}
			b[j] = s;
		}
		t = a, a = b, b = t;
	}
	if (y)
		memcpy(y, a, (size_t)m->out * sizeof *y);
	free(a);
	free(b);
	return mn;
}

void
ls_mlp_forward(const struct ls_mlp *m, const double *z, double *y)
{
	forward(m, z, y, NULL);
}

double
ls_mlp_pattern(const struct ls_mlp *m, const double *z, uint8_t *bits)
{
	return forward(m, z, NULL, bits);
}

void
mlp_forms(const struct ls_mlp *m, const uint8_t *bits, double *rows, double *out)
{
	int d = m->d, r = d + 1, mw = mlp_maxw(m), i, j, q, u = 0;
	double *x = xcalloc((size_t)r * mw, sizeof *x), *y = xmalloc((size_t)r * mw * sizeof *y), *t;

	for (q = 0; q < d; q++)
		x[(long)(q + 1) * d + q] = 1;   /* (r, d): constant row 0, then I */
	for (i = 0; i < m->nl; i++) {
		const struct ls_dense *l = &m->l[i];
		ls_dgemm(r, l->out, l->in, 1.0, x, 0, l->w, 1, 0.0, y);
		for (j = 0; j < l->out; j++)
			y[j] += l->b[j];
		for (j = 0; l->act != LS_ACT_IDENTITY && j < l->out; j++, u++) {
			double f = bit_get(bits, u) ? 1 : l->act == LS_ACT_LEAKY ? l->slope : 0;
			for (q = 0; rows && q < d; q++)
				rows[(long)u * r + q] = y[(long)(q + 1) * l->out + j];
			if (rows)
				rows[(long)u * r + d] = y[j];
			for (q = 0; q < r; q++)
				y[(long)q * l->out + j] *= f;
		}
		t = x, x = y, y = t;
	}
	if (out)
		memcpy(out, x, (size_t)r * m->out * sizeof *out);
	free(x);
	free(y);
}

/* F, G (d + 1 each, gradient then constant) of the n units of one layer
 * from those of its inputs, then through the activation under bits. */
static void
fg_layer(const struct ls_dense *l, const uint8_t *bits, int *u, int d, const double *fi,
	 const double *gi, double *fo, double *go)
{
	int j, i, q, r = d + 1;

	for (j = 0; j < l->out; j++) {
		double *f = fo + (long)j * r, *g = go + (long)j * r;
		memset(f, 0, (size_t)r * sizeof *f);
		memset(g, 0, (size_t)r * sizeof *g);
		f[d] = l->b[j];
		for (i = 0; i < l->in; i++) {
			double w = l->w[(long)j * l->in + i], wp = w > 0 ? w : 0, wn = w < 0 ? -w : 0;
			for (q = 0; q < r; q++) {
				f[q] += wp * fi[(long)i * r + q] + wn * gi[(long)i * r + q];
				g[q] += wp * gi[(long)i * r + q] + wn * fi[(long)i * r + q];
			}
		}
		if (l->act == LS_ACT_IDENTITY)
			continue;
		if (!bit_get(bits, (*u)++)) {
			double s = l->act == LS_ACT_LEAKY ? l->slope : 0;
			for (q = 0; q < r; q++)
				f[q] = s * f[q] + (1 - s) * g[q];
		}
	}
}

void
mlp_fg_forms(const struct ls_mlp *m, const uint8_t *bits, int k, double *f, double *g)
{
	int d = m->d, r = d + 1, mw = mlp_maxw(m), i, u = 0;
	double *fa = xcalloc((size_t)r * mw, sizeof *fa), *ga = xcalloc((size_t)r * mw, sizeof *ga);
	double *fb = xmalloc((size_t)r * mw * sizeof *fb), *gb = xmalloc((size_t)r * mw * sizeof *gb), *t;

	for (i = 0; i < d; i++)
		fa[(long)i * r + i] = 1;
	for (i = 0; i < m->nl; i++) {
		fg_layer(&m->l[i], bits, &u, d, fa, ga, fb, gb);
		t = fa, fa = fb, fb = t;
		t = ga, ga = gb, gb = t;
	}
	memcpy(f, fa + (long)k * r, (size_t)r * sizeof *f);
	memcpy(g, ga + (long)k * r, (size_t)r * sizeof *g);
	free(fa), free(ga), free(fb), free(gb);
}

double
ls_mlp_bound(const struct ls_mlp *m)
{
	double r = 1;
	int i, k;

	for (i = 0; i < m->nl; i++) {
		double s = 1, c = 1;
		if (m->l[i].act == LS_ACT_IDENTITY)
			continue;
		for (k = 1; k <= m->d && k <= m->l[i].out; k++) {
			c = c * (m->l[i].out - k + 1) / k;
			s += c;
		}
		r *= s;
	}
	return r;
}
