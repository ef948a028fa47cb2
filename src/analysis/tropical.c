/*
 * tropical.c: F and G of one output unit of an MLP, composed layer by layer
 * (Zhang, Naitzat & Lim 2018, section 5; see tropical.h for the rules).
 *
 * Invariants: unit i of the current layer is F_i - G_i, with F_i and G_i
 * pruned after every product and maximum (when pruning is on); the naive
 * counts are those of the same composition without any pruning or
 * merging, as doubles (they grow like 2^width).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "trop_priv.h"
#include "tpoly_impl.h"

#define DEFAULT_MAX_CAND 1000000L

/* One unit: F - G and the naive monomial counts. */
struct fg {
	struct ls_tpoly f, g;
	double fn, gn;
	long fc, gc;   /* candidates before the last pruning */
};

/* The composition's state. */
struct tctx {
	int d, prune;
	long max_cand, peak, last_cand;
	char *err;
};

static void
fg_free(struct fg *u, int n)
{
	for (int i = 0; u && i < n; i++) {
		ls_tpoly_free(&u[i].f);
		ls_tpoly_free(&u[i].g);
	}
	free(u);
}

/* One monomial: a = 0, b. */
static void
tp_const(struct ls_tpoly *p, int d, double b)
{
	double *row = xcalloc((size_t)d + 1, sizeof *row);

	tp_init(p, d);
	row[d] = b;
	tp_push(p, row);
	free(row);
}

/* Prunes o if asked, tracking the candidate counts. */
static void
tc_prune(struct tctx *c, struct ls_tpoly *o)
{
	c->last_cand = o->n;
	if (o->n > c->peak)
		c->peak = o->n;
	if (c->prune)
		ls_tpoly_prune(o);
}

/* *acc = *acc (x) (s * q), pruned; LS_ENOMEM past the budget. */
static enum ls_status
mul_into(struct tctx *c, struct ls_tpoly *acc, const struct ls_tpoly *q, double s, long *cand)
{
	struct ls_tpoly sq, o;

	if ((double)acc->n * (double)q->n > (double)c->max_cand)
		return ls_err(c->err, LS_ENOMEM, "tropical form: more than %ld candidate monomials (%ld x %ld); analyse a sub-network (--layers N) or raise --max-monomials",
			      c->max_cand, acc->n, q->n);
	tp_copy(&sq, q);
	tp_scale(&sq, s);
	tp_mul(&o, acc, &sq);
	ls_tpoly_free(&sq);
	ls_tpoly_free(acc);
	*acc = o;
	tc_prune(c, acc);
	*cand = c->last_cand;
	return LS_OK;
}

/* The affine part of output j of layer l: H and G from the inputs. */
static enum ls_status
affine_unit(struct tctx *c, const struct ls_dense *l, int j, const struct fg *in, struct fg *o)
{
	enum ls_status s = LS_OK;
	int i;

	tp_const(&o->f, c->d, l->b[j]);
	tp_const(&o->g, c->d, 0);
	o->fn = o->gn = 1;
	o->fc = o->gc = 1;
	for (i = 0; s == LS_OK && i < l->in; i++) {
		double w = l->w[(long)j * l->in + i];
		const struct fg *x = &in[i];
		if (w == 0)
			continue;
		s = mul_into(c, &o->f, w > 0 ? &x->f : &x->g, fabs(w), &o->fc);
		if (s == LS_OK)
			s = mul_into(c, &o->g, w > 0 ? &x->g : &x->f, fabs(w), &o->gc);
		o->fn *= w > 0 ? x->fn : x->gn;
		o->gn *= w > 0 ? x->gn : x->fn;
	}
	return s;
}

/* The activation of unit o: F' = s H + (1 - s) max(H, G), G' = G. */
static enum ls_status
activate(struct tctx *c, const struct ls_dense *l, struct fg *o)
{
	double sl = l->act == LS_ACT_LEAKY ? l->slope : 0;
	struct ls_tpoly m;
	enum ls_status s = LS_OK;

	if (l->act == LS_ACT_IDENTITY)
		return LS_OK;
	tp_union(&m, &o->f, &o->g);
	tc_prune(c, &m);
	o->fc = c->last_cand;
	if (sl != 0) {
		tp_scale(&m, 1 - sl);
		s = mul_into(c, &m, &o->f, sl, &o->fc);
		o->fn = o->fn * (o->fn + o->gn);
	} else {
		o->fn = o->fn + o->gn;
	}
	ls_tpoly_free(&o->f);
	o->f = m;
	return s;
}

/* Layer l from in to *out (only unit k when k >= 0). */
static enum ls_status
layer(struct tctx *c, const struct ls_dense *l, const struct fg *in, int k, struct fg **out)
{
	int j, j0 = k >= 0 ? k : 0, j1 = k >= 0 ? k + 1 : l->out;
	struct fg *o = xcalloc((size_t)l->out, sizeof *o);
	enum ls_status s = LS_OK;

	for (j = 0; j < l->out; j++)
		tp_init(&o[j].f, c->d), tp_init(&o[j].g, c->d);
	for (j = j0; s == LS_OK && j < j1; j++)
		if ((s = affine_unit(c, l, j, in, &o[j])) == LS_OK)
			s = activate(c, l, &o[j]);
	*out = o;
	return s;
}

/* The input units z_i = z_i - 0. */
static struct fg *
input_units(int d)
{
	struct fg *u = xcalloc((size_t)d, sizeof *u);
	int i;

	for (i = 0; i < d; i++) {
		tp_const(&u[i].f, d, 0);
		u[i].f.c[i] = 1;
		tp_const(&u[i].g, d, 0);
		u[i].fn = u[i].gn = 1;
	}
	return u;
}

/* Moves unit k's result into t, with the counts. */
static void
take(struct tctx *c, struct fg *u, struct ls_tropical *t)
{
	t->f = u->f, t->g = u->g;
	t->f_naive = u->fn, t->g_naive = u->gn;
	t->f_cand = u->fc, t->g_cand = u->gc;
	u->f.c = u->g.c = NULL;
	u->f.n = u->g.n = 0;
	t->peak = c->peak;
}

enum ls_status
ls_tropical_form(const struct ls_mlp *m, int k, long max_cand, int prune, struct ls_tropical *t,
		 char *err)
{
	struct tctx c = { m->d, prune, max_cand > 0 ? max_cand : DEFAULT_MAX_CAND, 0, 0, err };
	double t0 = ls_now();
	struct fg *u, *v = NULL;
	enum ls_status s = LS_OK;
	int i, w = m->d;

	memset(t, 0, sizeof *t);
	if (k < 0 || k >= m->out)
		return ls_err(err, LS_EINVAL, "output %d out of range (the network has %d outputs)", k, m->out);
	u = input_units(m->d);
	for (i = 0; s == LS_OK && i < m->nl; i++) {
		s = layer(&c, &m->l[i], u, i + 1 == m->nl ? k : -1, &v);
		fg_free(u, w);
		u = v, w = m->l[i].out;
	}
	if (s == LS_OK) {
		take(&c, &u[k], t);
		t->seconds = ls_now() - t0;
	}
	fg_free(u, w);
	return s;
}

void
ls_tropical_free(struct ls_tropical *t)
{
	ls_tpoly_free(&t->f);
	ls_tpoly_free(&t->g);
}
