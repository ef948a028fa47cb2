/*
 * dirs_learn.c: directions learned from labels: selecting row sets, mean
 * difference, logistic-regression probe, Fisher LDA.
 *
 * Every learned direction points from the negative set to the positive
 * one. The probe minimises scikit-learn's objective for
 * LogisticRegression(C): 0.5 |w|^2 + C sum logloss, intercept unpenalised,
 * by damped Newton steps in double; the Hessian X~^T S X~ (X~ = [X, 1]) is
 * accumulated a block of rows at a time with one SYRK per block.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/blas.h"
#include "linscope/dir.h"
#include "linscope/dirs.h"
#include "linscope/util.h"
#include "dirs_int.h"

/* The probe keeps its rows in double when they take at most this. */
#define DIRS_CACHE_BYTES (256.0 * 1024 * 1024)

/* Marks rows whose label equals value; returns how many. */
static long
mark_label(const struct ls_labels *l, const char *value, unsigned char *mask)
{
	long i, n = ls_labels_count(l), c = 0;

	for (i = 0; i < n; i++)
		if (strcmp(ls_labels_get(l, i), value) == 0) {
			c += !mask[i];
			mask[i] = 1;
		}
	return c;
}

enum ls_status
ls_dirs_select(const struct ls_labels *l, const char *set, const char *what,
	       unsigned char *mask, long *count, char *err)
{
	char *copy = xstrdup(set ? set : ""), *p = copy, *tok;
	enum ls_status s = LS_OK;
	long c = 0;

	memset(mask, 0, (size_t)ls_labels_count(l));
	while (s == LS_OK && (tok = strsep(&p, ",")) != NULL) {
		long got = mark_label(l, tok, mask);
		if (!tok[0])
			s = ls_err(err, LS_EINVAL, "%s '%s': empty label in the set", what, set);
		else if (got == 0 && ls_labels_count(l) > 0)
			s = ls_err(err, LS_EINVAL, "%s %s: no row has the label '%s'", what, set, tok);
		c += got;
	}
	free(copy);
	if (count)
		*count = c;
	return s;
}

enum ls_status
ls_dirs_check_pair(const unsigned char *pos, const unsigned char *neg, long n, char *err)
{
	long i, np = 0, nn = 0;

	for (i = 0; i < n; i++) {
		if (pos[i] && neg[i])
			return ls_err(err, LS_EINVAL, "--pos/--neg: the sets overlap (row %ld is in both sets)", i);
		np += pos[i] != 0;
		nn += neg[i] != 0;
	}
	if (!np || !nn)
		return ls_err(err, LS_EINVAL, "--%s: the class is empty", np ? "neg" : "pos");
	return LS_OK;
}

enum ls_status
ls_dirs_mean_diff(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
		  float *u, char *err)
{
	int d = ls_bank_dim(b), k;
	double *mp = xmalloc((size_t)d * sizeof *mp), *mn = xmalloc((size_t)d * sizeof *mn);
	enum ls_status s;

	if ((s = ls_dirs_check_pair(pos, neg, ls_bank_rows(b), err)) == LS_OK &&
	    (s = ls_dirs_mean(b, pos, mp, NULL, err)) == LS_OK &&
	    (s = ls_dirs_mean(b, neg, mn, NULL, err)) == LS_OK)
		for (k = 0; k < d; k++)
			u[k] = (float)(mp[k] - mn[k]);
	free(mp);
	free(mn);
	return s;
}

/* ---- logistic regression ----------------------------------------------- */

void
ls_probe_opts_default(struct ls_probe_opts *o)
{
	o->C = 1.0;
	o->holdout = 0.2;
	o->seed = 0;
	o->max_iter = 100;
	o->tol = 1e-10;
}

/* The rows of a fit: indices into the bank and their 0/1 targets. */
struct fitset {
	long n;
	long *row;            /* (n) */
	unsigned char *y;     /* (n) */
};

/* Splits pos and neg rows into train and test: per class, a seeded
 * shuffle picks round(holdout * count) rows to hold out. Both sets list
 * their rows in bank order (sequential access when fitting). */
static enum ls_status
split_rows(const unsigned char *pos, const unsigned char *neg, long n,
	   const struct ls_probe_opts *o, struct fitset *tr, struct fitset *te, char *err)
{
	struct dirs_rng r;
	long *idx = xreallocarray(NULL, (size_t)n + 1, sizeof *idx), i, c, cls;
	unsigned char *held = xcalloc((size_t)n + 1, 1);

	dirs_rng_seed(&r, o->seed);
	for (cls = 1; cls >= 0; cls--) {
		const unsigned char *m = cls ? pos : neg;
		long nt;
		for (i = c = 0; i < n; i++)
			if (m[i])
				idx[c++] = i;
		for (i = c - 1; i > 0; i--) {   /* Fisher-Yates */
			long j = (long)(dirs_rng_next(&r) % (uint64_t)(i + 1)), t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
		}
		nt = (long)floor(o->holdout * (double)c + 0.5);
		for (i = 0; i < nt && i < c - 1; i++)
			held[idx[i]] = 1;
	}
	tr->row = xreallocarray(NULL, (size_t)n + 1, sizeof *tr->row);
	te->row = xreallocarray(NULL, (size_t)n + 1, sizeof *te->row);
	tr->y = xmalloc((size_t)n + 1);
	te->y = xmalloc((size_t)n + 1);
	tr->n = te->n = 0;
	for (i = 0; i < n; i++)
		if (pos[i] || neg[i]) {
			struct fitset *f = held[i] ? te : tr;
			f->row[f->n] = i;
			f->y[f->n++] = pos[i] != 0;
		}
	free(idx);
	free(held);
	return tr->n > 0 ? LS_OK : ls_err(err, LS_EINVAL, "probe: no rows to fit");
}

static void
fitset_free(struct fitset *f)
{
	free(f->row);
	free(f->y);
}

/* log(1 + exp(z)), stable. */
static double
softplus(double z)
{
	return (z > 0 ? z : 0) + log1p(exp(-fabs(z)));
}

/* Linear score w.x + b of bank row i, theta = (w, b). */
static double
score(const struct ls_bank *b, long i, const double *theta, int d)
{
	const float *z = ls_bank_row(b, i);
	double s = theta[d];
	int k;

	for (k = 0; k < d; k++)
		s += theta[k] * z[k];
	return s;
}

/* The state of a fit: theta = (w, b) (e = d + 1), the margins
 * z_i = theta . x~_i of the rows, the Newton step and its margins. */
struct newton {
	const struct ls_bank *b;
	const struct fitset *f;
	double C;
	int d, e;
	double *theta, *z;   /* (e), (n) */
	double *g, *h;       /* gradient (e) then step; Hessian (e, e) */
	double *zs;          /* (n): X~ step */
	double *xall;        /* (n, e): all rows [x, 1] when small enough, else NULL */
	double *blk, *sblk;  /* (DIRS_BLOCK, e) scratch: rows, scaled rows */
	double *r;           /* (DIRS_BLOCK) scratch */
};

/* Copies rows [i0, i0 + m) of the fit set into out as [x, 1] in double. */
static void
fill_rows(const struct newton *nt, long i0, long m, double *out)
{
	long j;
	int k;

	for (j = 0; j < m; j++) {
		const float *x = ls_bank_row(nt->b, nt->f->row[i0 + j]);
		double *o = out + j * nt->e;
		for (k = 0; k < nt->d; k++)
			o[k] = x[k];
		o[nt->d] = 1;
	}
}

/* Rows [i0, i0 + m) as [x, 1]: from the cache, or converted into blk. */
static const double *
block(const struct newton *nt, long i0, int m)
{
	if (nt->xall)
		return nt->xall + i0 * nt->e;
	fill_rows(nt, i0, m, nt->blk);
	return nt->blk;
}

/* The gradient at the current margins: g = (w, 0) + C X~^T (p - y). */
static void
gradient(struct newton *nt)
{
	long i0, n = nt->f->n;
	int j, k;

	for (k = 0; k < nt->e; k++)
		nt->g[k] = k < nt->d ? nt->theta[k] : 0;
	for (i0 = 0; i0 < n; i0 += DIRS_BLOCK) {
		int m = n - i0 < DIRS_BLOCK ? (int)(n - i0) : DIRS_BLOCK;
		for (j = 0; j < m; j++)
			nt->r[j] = nt->C * (1.0 / (1.0 + exp(-nt->z[i0 + j])) - nt->f->y[i0 + j]);
		ls_dgemv(1, m, nt->e, 1.0, block(nt, i0, m), nt->r, 1.0, nt->g);
	}
}

/* The Hessian H = diag(1, .., 1, 0) + C X~^T S X~, S = diag(p (1 - p)),
 * one SYRK per block of scaled rows. */
static void
hessian(struct newton *nt)
{
	long i0, n = nt->f->n;
	int e = nt->e, j, k;

	memset(nt->h, 0, (size_t)e * (size_t)e * sizeof *nt->h);
	for (i0 = 0; i0 < n; i0 += DIRS_BLOCK) {
		int m = n - i0 < DIRS_BLOCK ? (int)(n - i0) : DIRS_BLOCK;
		const double *x = block(nt, i0, m);
		for (j = 0; j < m; j++) {
			double p = 1.0 / (1.0 + exp(-nt->z[i0 + j])), sq = sqrt(nt->C * p * (1 - p));
			for (k = 0; k < e; k++)
				nt->sblk[(long)j * e + k] = sq * x[(long)j * e + k];
		}
		ls_dsyrk_t(e, m, 1.0, nt->sblk, 1.0, nt->h);
	}
	for (k = 0; k < nt->d; k++)
		nt->h[(long)k * e + k] += 1.0;
	dirs_symmetrize(nt->h, e);
}

/* zs = X~ step (the step is in nt->g). */
static void
step_margins(struct newton *nt)
{
	long i0, n = nt->f->n;

	for (i0 = 0; i0 < n; i0 += DIRS_BLOCK) {
		int m = n - i0 < DIRS_BLOCK ? (int)(n - i0) : DIRS_BLOCK;
		ls_dgemv(0, m, nt->e, 1.0, block(nt, i0, m), nt->g, 0.0, nt->zs + i0);
	}
}

/* The objective at theta - t step, from the margins (no pass over X). */
static double
objective_at(const struct newton *nt, double t)
{
	double reg = 0, loss = 0;
	long i;
	int k;

	for (k = 0; k < nt->d; k++) {
		double w = nt->theta[k] - t * nt->g[k];
		reg += w * w;
	}
	for (i = 0; i < nt->f->n; i++) {
		double z = nt->z[i] - t * nt->zs[i];
		loss += softplus(z) - (nt->f->y[i] ? z : 0);
	}
	return 0.5 * reg + nt->C * loss;
}

/* One damped Newton step; returns the max |change| of theta, or -1 if the
 * Hessian cannot be factored. */
static double
newton_step(struct newton *nt)
{
	double f0, t = 1, mx = 0;
	long i;
	int k;

	gradient(nt);
	hessian(nt);
	if (ls_dposv(nt->e, 1, nt->h, nt->g) != 0)
		return -1;
	step_margins(nt);
	f0 = objective_at(nt, 0);
	while (t > 1e-10 && objective_at(nt, t) > f0 + 1e-14 * fabs(f0))
		t *= 0.5;
	for (k = 0; k < nt->e; k++) {
		mx = fmax(mx, fabs(t * nt->g[k]));
		nt->theta[k] -= t * nt->g[k];
	}
	for (i = 0; i < nt->f->n; i++)
		nt->z[i] -= t * nt->zs[i];
	return mx;
}

/* Accuracy of theta on f (NAN for an empty set). */
static double
accuracy(const struct ls_bank *b, const struct fitset *f, const double *theta)
{
	long i, good = 0;

	for (i = 0; i < f->n; i++)
		good += (score(b, f->row[i], theta, ls_bank_dim(b)) > 0) == (f->y[i] != 0);
	return f->n ? (double)good / (double)f->n : NAN;
}

/* Fits theta (d+1) on f from 0; returns the iterations used or -1. */
static int
logreg_fit(const struct ls_bank *b, const struct fitset *f, const struct ls_probe_opts *o,
	   double *theta)
{
	struct newton nt = { .b = b, .f = f, .C = o->C, .d = ls_bank_dim(b),
			     .e = ls_bank_dim(b) + 1, .theta = theta };
	size_t e = (size_t)nt.e, n = (size_t)f->n + 1;
	double mx = 0;
	int it;

	nt.z = xcalloc(n, sizeof *nt.z);
	nt.zs = xcalloc(n, sizeof *nt.zs);
	nt.g = xmalloc(e * sizeof *nt.g);
	nt.h = xmalloc(e * e * sizeof *nt.h);
	nt.blk = xmalloc((size_t)DIRS_BLOCK * e * sizeof *nt.blk);
	nt.sblk = xmalloc((size_t)DIRS_BLOCK * e * sizeof *nt.sblk);
	if ((double)f->n * (double)e * sizeof(double) <= DIRS_CACHE_BYTES) {
		nt.xall = xreallocarray(NULL, n * e, sizeof *nt.xall);
		fill_rows(&nt, 0, f->n, nt.xall);
	}
	nt.r = xmalloc((size_t)DIRS_BLOCK * sizeof *nt.r);
	memset(theta, 0, e * sizeof *theta);
	for (it = 0; it < o->max_iter; it++) {
		double scale = 1;
		int k;
		if ((mx = newton_step(&nt)) < 0)
			break;
		for (k = 0; k < nt.e; k++)
			scale = fmax(scale, fabs(theta[k]));
		if (mx <= o->tol * scale)
			break;
	}
	free(nt.z);
	free(nt.zs);
	free(nt.g);
	free(nt.h);
	free(nt.blk);
	free(nt.sblk);
	free(nt.xall);
	free(nt.r);
	return mx < 0 ? -1 : it + 1;
}

/* Checks the probe's arguments. */
static enum ls_status
probe_check(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	    const struct ls_probe_opts *o, char *err)
{
	if (!(o->C > 0) || !isfinite(o->C))
		return ls_err(err, LS_EINVAL, "--C %g: want a positive number", o->C);
	if (!(o->holdout >= 0 && o->holdout <= 0.9))
		return ls_err(err, LS_EINVAL, "--holdout %g: want 0 <= share <= 0.9", o->holdout);
	if (o->max_iter < 1)
		return ls_err(err, LS_EINVAL, "probe: max_iter must be >= 1");
	return ls_dirs_check_pair(pos, neg, ls_bank_rows(b), err);
}

/* Fills the result and the unit direction from theta. */
static enum ls_status
probe_finish(const struct ls_bank *b, const struct fitset *tr, const struct fitset *te,
	     const double *theta, int iters, float *u, double *w_raw, struct ls_probe_result *r,
	     char *err)
{
	int d = ls_bank_dim(b), k;
	double n = 0;

	for (k = 0; k < d; k++)
		n += theta[k] * theta[k];
	if (!(n > 0) || !isfinite(n))
		return ls_err(err, LS_EINVAL, "probe: the classes are not separable at all (w = 0)");
	n = sqrt(n);
	for (k = 0; k < d; k++) {
		u[k] = (float)(theta[k] / n);
		if (w_raw)
			w_raw[k] = theta[k];
	}
	if (r) {
		r->intercept = theta[d];
		r->wnorm = n;
		r->train_acc = accuracy(b, tr, theta);
		r->test_acc = accuracy(b, te, theta);
		r->n_train = tr->n;
		r->n_test = te->n;
		r->iters = iters;
	}
	return LS_OK;
}

enum ls_status
ls_dirs_probe(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	      const struct ls_probe_opts *o, float *u, double *w_raw,
	      struct ls_probe_result *r, char *err)
{
	struct fitset tr = { 0 }, te = { 0 };
	double *theta = xcalloc((size_t)ls_bank_dim(b) + 1, sizeof *theta);
	enum ls_status s;
	int iters = 0;

	if ((s = probe_check(b, pos, neg, o, err)) != LS_OK ||
	    (s = split_rows(pos, neg, ls_bank_rows(b), o, &tr, &te, err)) != LS_OK)
		goto out;
	if ((iters = logreg_fit(b, &tr, o, theta)) < 0) {
		s = ls_err(err, LS_EINTERNAL, "probe: the Newton system is singular");
		goto out;
	}
	s = probe_finish(b, &tr, &te, theta, iters, u, w_raw, r, err);
out:
	fitset_free(&tr);
	fitset_free(&te);
	free(theta);
	return s;
}

/* ---- Fisher LDA -------------------------------------------------------- */

/* Pooled within-class covariance of pos and neg, shrunk towards
 * (tr / d) I by shrink, into a (d, d); mean difference into diff (d). */
static enum ls_status
lda_system(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	   double shrink, double *a, double *diff, char *err)
{
	int d = ls_bank_dim(b), k;
	double *mp = xmalloc((size_t)d * sizeof *mp), *mn = xmalloc((size_t)d * sizeof *mn);
	double tr = 0, dof;
	enum ls_status s;
	long np, nn;

	if ((s = ls_dirs_mean(b, pos, mp, &np, err)) != LS_OK ||
	    (s = ls_dirs_mean(b, neg, mn, &nn, err)) != LS_OK)
		goto out;
	dof = np + nn > 2 ? (double)(np + nn - 2) : 1.0;
	memset(a, 0, (size_t)d * (size_t)d * sizeof *a);
	dirs_scatter_add(b, pos, mp, 1.0 / dof, a);
	dirs_scatter_add(b, neg, mn, 1.0 / dof, a);
	for (k = 0; k < d; k++)
		tr += a[(long)k * d + k];
	for (k = 0; k < d * d; k++)
		a[k] *= 1 - shrink;
	for (k = 0; k < d; k++) {
		a[(long)k * d + k] += shrink * tr / d;
		diff[k] = mp[k] - mn[k];
	}
out:
	free(mp);
	free(mn);
	return s;
}

enum ls_status
ls_dirs_lda(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	    double shrink, float *u, char *err)
{
	int d = ls_bank_dim(b), k;
	double *a = xmalloc((size_t)d * (size_t)d * sizeof *a), *x = xmalloc((size_t)d * sizeof *x);
	enum ls_status s;

	if (!(shrink >= 0 && shrink <= 1)) {
		s = ls_err(err, LS_EINVAL, "--shrink %g: want 0 <= shrinkage <= 1", shrink);
		goto out;
	}
	if ((s = ls_dirs_check_pair(pos, neg, ls_bank_rows(b), err)) != LS_OK ||
	    (s = lda_system(b, pos, neg, shrink, a, x, err)) != LS_OK)
		goto out;
	if (ls_dposv(d, 1, a, x) != 0) {
		s = ls_err(err, LS_EINVAL,
			   "lda: the within-class covariance is singular (raise --shrink)");
		goto out;
	}
	for (k = 0; k < d; k++)
		u[k] = (float)x[k];
	s = ls_dir_normalize(u, d, "lda", err);
out:
	free(a);
	free(x);
	return s;
}
