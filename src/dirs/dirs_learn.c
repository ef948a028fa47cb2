/*
 * dirs_learn.c: directions learned from labels: selecting row sets, mean
 * difference, logistic-regression probe, Fisher LDA.
 *
 * Every learned direction points from the negative set to the positive
 * one. The probe minimises scikit-learn's objective for
 * LogisticRegression(C): 0.5 |w|^2 + C sum logloss, intercept unpenalised,
 * by damped Newton steps. Each step is one pass over the rows in blocks of
 * PROBE_BLOCK: margins, objective and gradient in double (so the optimum
 * reached is the exact one), the Hessian X~^T S X~ by one float32 SYRK per
 * block summed in double (it only sets the speed of convergence), and only
 * while the steps are large. Large fits start from the fit of a random
 * eighth of their rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/blas.h"
#include "linscope/dir.h"
#include "linscope/dirs.h"
#include "linscope/progress.h"
#include "base/util.h"
#include "dirs_int.h"

/* Rows per block of a pass of the probe (the block in double: 512 KiB
 * at d = 64, cache-resident between its BLAS calls). */
#define PROBE_BLOCK 1024
/* Fits of at least WARM_MIN rows start from the fit of one row in
 * WARM_STRIDE (recursively). */
#define WARM_MIN 16384
#define WARM_STRIDE 8

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
			return ls_err(err, LS_EINVAL, "the two label sets overlap (row %ld is in both sets)", i);
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
	o->progress = NULL;
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

static int logreg_fit(const struct ls_bank *b, const struct fitset *f,
		      const struct ls_probe_opts *o, double *theta);

static void
fitset_free(struct fitset *f)
{
	free(f->row);
	free(f->y);
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

/* The state of a fit: theta = (w, b) (e = d + 1) and, from the last pass
 * over the rows, the objective, the gradient and the Hessian there. */
struct newton {
	const struct ls_bank *b;
	const struct fitset *f;
	double C;
	int d, e;
	double obj;          /* objective at the last pass */
	double *g;           /* (e) gradient */
	double *h;           /* (e, e) Hessian (from the last pass that built it) */
	double *hwb;         /* (d) X^T S 1: the Hessian's w-b column */
	float *fblk, *sblk;  /* (PROBE_BLOCK, d): gathered rows, scaled rows */
	double *dblk;        /* (PROBE_BLOCK, d): rows in double */
	double *z, *r, *s;   /* (PROBE_BLOCK): margins, residuals, weights */
	float *t;            /* (d, d) one block's SYRK */
};

/* Float32 rows [i0, i0 + m) of the fit set: straight from the bank when
 * they are consecutive there (fit sets list rows in increasing order),
 * else gathered into fblk. */
static const float *
rows_f32(struct newton *nt, long i0, int m)
{
	const long *row = nt->f->row + i0;
	int j;

	if (row[m - 1] - row[0] == m - 1)
		return ls_bank_data(nt->b) + row[0] * nt->d;
	for (j = 0; j < m; j++)
		memcpy(nt->fblk + (long)j * nt->d, ls_bank_row(nt->b, row[j]),
		       (size_t)nt->d * sizeof *nt->fblk);
	return nt->fblk;
}

/* out (n) = x in double. Eight at a time with a constant inner count,
 * which the compiler turns into vector conversions at -O2. */
static void
to_double(const float *x, long n, double *out)
{
	long i = 0;
	int q;

	for (; i + 8 <= n; i += 8)
		for (q = 0; q < 8; q++)
			out[i + q] = x[i + q];
	for (; i < n; i++)
		out[i] = x[i];
}

/* out (n) = a x, eight at a time as in to_double. */
static void
scale_f32(const float *x, int n, float a, float *out)
{
	int i = 0, q;

	for (; i + 8 <= n; i += 8)
		for (q = 0; q < 8; q++)
			out[i + q] = a * x[i + q];
	for (; i < n; i++)
		out[i] = a * x[i];
}

/* Margins z = X w + b of a block, then per row the loss (returned),
 * residual r = C (p - y) and weight s = C p (1 - p). The log1p terms of
 * the loss are summed as the log of their product (one log per 256 rows;
 * each factor is in (1, 2], so the product stays finite). */
static double
block_terms(struct newton *nt, const double *theta, long i0, int m)
{
	double loss = 0, prod = 1;
	int j;

	ls_dgemv(0, m, nt->d, 1.0, nt->dblk, theta, 0.0, nt->z);
	for (j = 0; j < m; j++) {
		double z = nt->z[j] + theta[nt->d], e = exp(-fabs(z)), q = 1 / (1 + e);
		int y = nt->f->y[i0 + j];
		loss += (z > 0 ? z : 0) - (y ? z : 0);
		prod *= 1 + e;
		if ((j & 255) == 255) {
			loss += log(prod);
			prod = 1;
		}
		nt->r[j] = nt->C * ((z >= 0 ? q : e * q) - y);
		nt->s[j] = nt->C * e * q * q;
	}
	return loss + log(prod);
}

/* The Hessian's share of a block: float32 SYRK of the rows scaled by
 * sqrt(s), added in double, and X^T s for the intercept column. */
static void
block_hessian(struct newton *nt, const float *xf, int m)
{
	int d = nt->d, j, k;

	for (j = 0; j < m; j++)
		scale_f32(xf + (long)j * d, d, (float)sqrt(nt->s[j]), nt->sblk + (long)j * d);
	ls_ssyrk_t(d, m, 1.0f, nt->sblk, 0.0f, nt->t);
	for (j = 0; j < d; j++)
		for (k = j; k < d; k++)
			nt->h[(long)j * nt->e + k] += nt->t[(long)j * d + k];
	ls_dgemv(1, m, d, 1.0, nt->dblk, nt->s, 1.0, nt->hwb);
	for (j = 0; j < m; j++)
		nt->h[(long)d * nt->e + d] += nt->s[j];
}

/* One pass over the rows at theta: the objective 0.5 |w|^2 + C sum
 * logloss, the gradient (w, 0) + X~^T r and, if need_h, the Hessian
 * diag(1, .., 1, 0) + X~^T S X~. Margins, gradient and objective are
 * computed in double (the fixed point is exact); the Hessian, which only
 * sets the speed of convergence, by a float32 SYRK. */
static void
eval(struct newton *nt, const double *theta, int need_h)
{
	long i0, n = nt->f->n, j;
	int d = nt->d, e = nt->e, k;
	double loss = 0;

	nt->obj = 0;
	for (k = 0; k < e; k++) {
		nt->g[k] = k < d ? theta[k] : 0;
		nt->obj += k < d ? 0.5 * theta[k] * theta[k] : 0;
	}
	if (need_h) {
		memset(nt->h, 0, (size_t)e * (size_t)e * sizeof *nt->h);
		memset(nt->hwb, 0, (size_t)d * sizeof *nt->hwb);
	}
	for (i0 = 0; i0 < n; i0 += PROBE_BLOCK) {
		int m = n - i0 < PROBE_BLOCK ? (int)(n - i0) : PROBE_BLOCK;
		const float *xf = rows_f32(nt, i0, m);
		to_double(xf, (long)m * d, nt->dblk);
		loss += block_terms(nt, theta, i0, m);
		ls_dgemv(1, m, d, 1.0, nt->dblk, nt->r, 1.0, nt->g);
		for (j = 0; j < m; j++)
			nt->g[d] += nt->r[j];
		if (need_h)
			block_hessian(nt, xf, m);
	}
	nt->obj += nt->C * loss;
	if (need_h) {
		for (k = 0; k < d; k++) {
			nt->h[(long)k * e + k] += 1.0;
			nt->h[(long)k * e + d] = nt->hwb[k];
		}
		dirs_symmetrize(nt->h, e);
	}
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

static void
newton_alloc(struct newton *nt)
{
	size_t e = (size_t)nt->e, d = (size_t)nt->d, pb = PROBE_BLOCK;

	nt->g = xmalloc(e * sizeof *nt->g);
	nt->h = xmalloc(e * e * sizeof *nt->h);
	nt->hwb = xmalloc(d * sizeof *nt->hwb);
	nt->fblk = xreallocarray(NULL, pb * d, sizeof *nt->fblk);
	nt->sblk = xreallocarray(NULL, pb * d, sizeof *nt->sblk);
	nt->dblk = xreallocarray(NULL, pb * d, sizeof *nt->dblk);
	nt->z = xmalloc(pb * sizeof *nt->z);
	nt->r = xmalloc(pb * sizeof *nt->r);
	nt->s = xmalloc(pb * sizeof *nt->s);
	nt->t = xreallocarray(NULL, d * d, sizeof *nt->t);
}

static void
newton_free(struct newton *nt)
{
	free(nt->g);
	free(nt->h);
	free(nt->hwb);
	free(nt->fblk);
	free(nt->sblk);
	free(nt->dblk);
	free(nt->z);
	free(nt->r);
	free(nt->s);
	free(nt->t);
}

/* Moves theta to theta_old - t step with the largest t in 1, 1/2, ..
 * (down to 1e-10) that does not raise the objective, evaluating there
 * (with the Hessian if need_h); f0 is the objective at theta_old. */
static void
line_search(struct newton *nt, double *theta, const double *old, const double *step,
	    double f0, int need_h)
{
	double t = 1;
	int k;

	for (;;) {
		for (k = 0; k < nt->e; k++)
			theta[k] = old[k] - t * step[k];
		eval(nt, theta, need_h);
		if (nt->obj <= f0 + 1e-14 * fabs(f0) || t <= 1e-10)
			break;
		t *= 0.5;
	}
}

/* A start for a large fit: the fit (to 1e-4) of one row drawn at random
 * from each run of WARM_STRIDE rows, with C scaled so that its objective
 * estimates the full one. Leaves theta at 0 when the set is small. */
static void
warm_start(const struct ls_bank *b, const struct fitset *f, const struct ls_probe_opts *o,
	   double *theta)
{
	struct fitset sub = { 0 };
	struct ls_probe_opts so = *o;
	struct dirs_rng r;
	long i;

	memset(theta, 0, (size_t)(ls_bank_dim(b) + 1) * sizeof *theta);
	if (f->n < WARM_MIN)
		return;
	dirs_rng_seed(&r, 0x9e3779b97f4a7c15ULL);
	sub.row = xreallocarray(NULL, (size_t)(f->n / WARM_STRIDE), sizeof *sub.row);
	sub.y = xmalloc((size_t)(f->n / WARM_STRIDE));
	for (i = 0; i + WARM_STRIDE <= f->n; i += WARM_STRIDE) {
		long j = i + (long)(dirs_rng_next(&r) % WARM_STRIDE);
		sub.row[sub.n] = f->row[j];
		sub.y[sub.n++] = f->y[j];
	}
	so.C = o->C * (double)f->n / (double)sub.n;
	so.tol = fmax(o->tol, 1e-4);
	so.progress = NULL;
	if (logreg_fit(b, &sub, &so, theta) < 0)
		memset(theta, 0, (size_t)(ls_bank_dim(b) + 1) * sizeof *theta);
	fitset_free(&sub);
}

/* Reports the digits the relative step rel has gained from the first's,
 * rel0, out of those down to tol (the largest share so far); nonzero to
 * stop. */
static int
fit_report(const struct ls_progress *p, double rel0, double rel, double tol, double *best)
{
	double f = rel0 > tol && rel > 0 ? log(rel0 / rel) / log(rel0 / tol) : 0;

	*best = fmax(*best, fmin(fmax(f, 0), 1));
	return ls_progress_report(p, *best, 1.0);
}

/* Fits theta (d+1) on f by damped Newton steps; the Hessian is rebuilt
 * while the steps are large (> 1e-3 relative) and reused after that, when
 * it is already within that of the optimum's (chord steps: each still
 * gains about three digits). Returns the steps taken, -1 (singular) or -2
 * (o->progress asked to stop). */
static int
logreg_fit(const struct ls_bank *b, const struct fitset *f, const struct ls_probe_opts *o,
	   double *theta)
{
	struct newton nt = { .b = b, .f = f, .C = o->C, .d = ls_bank_dim(b),
			     .e = ls_bank_dim(b) + 1 };
	size_t e = (size_t)nt.e;
	double *hc = xmalloc(e * e * sizeof *hc), *step = xmalloc(e * sizeof *step);
	double *old = xmalloc(e * sizeof *old), rel0 = 0, best = 0;
	int it, k, r = -1;

	warm_start(b, f, o, theta);
	newton_alloc(&nt);
	eval(&nt, theta, 1);
	for (it = 0; it < o->max_iter; it++) {
		double mx = 0, scale = 1;
		memcpy(hc, nt.h, e * e * sizeof *hc);
		memcpy(step, nt.g, e * sizeof *step);
		if (ls_dposv(nt.e, 1, hc, step) != 0)
			goto out;
		for (k = 0; k < nt.e; k++) {
			mx = fmax(mx, fabs(step[k]));
			scale = fmax(scale, fabs(theta[k]));
		}
		if (mx <= o->tol * scale) {   /* converged: take the last tiny step */
			for (k = 0; k < nt.e; k++)
				theta[k] -= step[k];
			break;
		}
		if (!it)
			rel0 = mx / scale;
		if (fit_report(o->progress, rel0, mx / scale, o->tol, &best)) {
			r = -2;
			goto out;
		}
		memcpy(old, theta, e * sizeof *old);
		line_search(&nt, theta, old, step, nt.obj, mx > 1e-3 * scale);
	}
	r = it < o->max_iter ? it + 1 : it;
out:
	newton_free(&nt);
	free(hc);
	free(step);
	free(old);
	return r;
}

/* Checks the probe's arguments. */
static enum ls_status
probe_check(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	    const struct ls_probe_opts *o, char *err)
{
	if (!(o->C > 0) || !isfinite(o->C))
		return ls_err(err, LS_EINVAL, "--C %g: want a positive number", o->C);
	if (!(o->holdout >= 0 && o->holdout <= 0.9))
		return ls_err(err, LS_EINVAL, "held-out share %g: want 0 <= share <= 0.9", o->holdout);
	if (o->max_iter < 1)
		return ls_err(err, LS_EINVAL, "probe: max_iter must be >= 1");
	return ls_dirs_check_pair(pos, neg, ls_bank_rows(b), err);
}

/* A fitted probe: the two row sets, theta (d + 1: w, then b), iterations. */
struct fit {
	struct fitset tr, te;
	double *theta;
	int iters;
};

/* Fills the result and the unit direction from the fit. */
static enum ls_status
probe_finish(const struct ls_bank *b, const struct fit *f, float *u, struct ls_probe_result *r,
	     char *err)
{
	const double *theta = f->theta;
	int d = ls_bank_dim(b), k;
	double n = 0;

	for (k = 0; k < d; k++)
		n += theta[k] * theta[k];
	if (!(n > 0) || !isfinite(n))
		return ls_err(err, LS_EINVAL, "probe: the classes are not separable at all (w = 0)");
	n = sqrt(n);
	for (k = 0; k < d; k++) {
		u[k] = (float)(theta[k] / n);
		if (r && r->w_raw)
			r->w_raw[k] = theta[k];
	}
	if (r) {
		r->intercept = theta[d];
		r->wnorm = n;
		r->train_acc = accuracy(b, &f->tr, theta);
		r->test_acc = accuracy(b, &f->te, theta);
		r->n_train = f->tr.n;
		r->n_test = f->te.n;
		r->iters = f->iters;
	}
	return LS_OK;
}

enum ls_status
ls_dirs_probe(const struct ls_bank *b, const unsigned char *pos, const unsigned char *neg,
	      const struct ls_probe_opts *o, float *u, struct ls_probe_result *r, char *err)
{
	struct fit f = { { 0 }, { 0 }, NULL, 0 };
	enum ls_status s;

	f.theta = xcalloc((size_t)ls_bank_dim(b) + 1, sizeof *f.theta);
	if ((s = probe_check(b, pos, neg, o, err)) != LS_OK ||
	    (s = split_rows(pos, neg, ls_bank_rows(b), o, &f.tr, &f.te, err)) != LS_OK)
		goto out;
	if ((f.iters = logreg_fit(b, &f.tr, o, f.theta)) < 0) {
		s = f.iters == -2 ? ls_err(err, LS_ENOMEM, "probe: stopped")
			: ls_err(err, LS_EINTERNAL, "probe: the Newton system is singular");
		goto out;
	}
	s = probe_finish(b, &f, u, r, err);
out:
	fitset_free(&f.tr);
	fitset_free(&f.te);
	free(f.theta);
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
		s = ls_err(err, LS_EINVAL, "shrinkage %g: want 0 <= shrinkage <= 1", shrink);
		goto out;
	}
	if ((s = ls_dirs_check_pair(pos, neg, ls_bank_rows(b), err)) != LS_OK ||
	    (s = lda_system(b, pos, neg, shrink, a, x, err)) != LS_OK)
		goto out;
	if (ls_dposv(d, 1, a, x) != 0) {
		s = ls_err(err, LS_EINVAL,
			   "lda: the within-class covariance is singular (raise the shrinkage)");
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
