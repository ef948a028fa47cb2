/*
 * session_analysis.c: what the explorer measures about the current state:
 * the linear region of z and the ReLUs flipped since z0 (regions.h), the
 * linearity meter and the off-data gauges (linearity.h), readouts of a
 * direction over the bank (dirs.h: histogram, cosines, percentiles, the
 * quality figures of learned directions), and the slider units.
 * Paint-to-direction and the region map of a plane are in
 * session_plane.c.
 *
 * Invariants: every cache in struct analysis records the state it was
 * computed for (the session's version or z0_version, the selection and
 * meter step, or the direction's vector); session_analysis_reset() drops
 * them all whenever the model, the bank or the labels change. Nothing here
 * changes z, the directions or the undo stack.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/linearity.h"
#include "linscope/model.h"
#include "linscope/regions.h"
#include "base/util.h"
#include "session_impl.h"

struct analysis {
	/* the region: activation patterns of z0 and z */
	uint8_t *b0, *b;
	int nbytes, units, have0, have;
	unsigned long v0, v;          /* z0_version of b0, version of b */
	uint64_t id;
	/* the linearity meter */
	int lin_ok, lin_sel, lin_vi;
	unsigned long lin_v;
	double lin_alpha;
	struct ls_linearity lin;
	/* the data */
	struct ls_bankstats *bs;
	double edge;
	struct ls_knn *kn;            /* NULL when the bank is too small */
	int off_ok;
	unsigned long off_v;
	struct ls_where off;
	/* the histogram of one direction */
	float *hu;                    /* (d) the direction it is for */
	int hbins;
	struct ls_hist *hist;
	/* the percentile scale of one direction */
	float *su;                    /* (d) */
	int have_scale;
	struct ls_dirscale scale;
};

/* The caches, created on first use. */
static struct analysis *
an_get(struct ls_session *s)
{
	if (!s->an)
		s->an = xcalloc(1, sizeof *s->an);
	return s->an;
}

void
session_analysis_reset(struct ls_session *s)
{
	struct analysis *a = s->an;

	if (!a)
		return;
	free(a->b0);
	free(a->b);
	ls_bankstats_free(a->bs);
	ls_knn_free(a->kn);
	free(a->hu);
	ls_hist_free(a->hist);
	free(a->su);
	if (a->have_scale)
		ls_dirscale_free(&a->scale);
	free(a);
	s->an = NULL;
}

void
session_quality_init(const struct ls_session *s, struct sdir *d)
{
	d->accuracy = d->auc = NAN;
	d->var_share = s->bank ? ls_dirs_var_share(s->bank, d->u) : NAN;
	session_truth(s, d);
}

int
ls_session_analysis_live(const struct ls_session *s)
{
	return ls_net_params(ls_model_decoder(s->model)) <= LS_SESSION_LIVE_PARAMS;
}

/* ---- the region of z -------------------------------------------------- */

/* Checks that the decoder is piecewise linear (the region is defined). */
static enum ls_status
pl_check(const struct ls_session *s, const char *what, char *err)
{
	if (ls_net_pl_kind(ls_model_decoder(s->model), NULL) != LS_PL_NO)
		return LS_OK;
	return ls_err(err, LS_EINVAL, "%s: the decoder is " LS_NOT_PL_TEXT,
		      what);
}

/* Brings the patterns of z0 and z (and z's id) up to date. */
static void
region_update(struct ls_session *s, struct analysis *a)
{
	struct ls_net *dec = ls_model_decoder(s->model);

	if (!a->b0) {
		a->units = ls_net_units(dec);
		a->nbytes = (a->units + 7) / 8;
		a->b0 = xcalloc((size_t)a->nbytes + 1, 1);
		a->b = xcalloc((size_t)a->nbytes + 1, 1);
	}
	if (!a->have0 || a->v0 != s->z0_version) {
		ls_net_pattern(dec, s->z0, a->b0);
		a->v0 = s->z0_version;
		a->have0 = 1;
	}
	if (!a->have || a->v != s->version) {
		ls_net_pattern(dec, s->z, a->b);
		a->id = ls_region_id(dec, s->z);
		a->v = s->version;
		a->have = 1;
	}
}

enum ls_status
ls_session_region(struct ls_session *s, uint64_t *id, int *flips, int *units, char *err)
{
	struct analysis *a;
	enum ls_status st;
	int k, n = 0;

	if ((st = pl_check(s, "region", err)) != LS_OK)
		return st;
	a = an_get(s);
	region_update(s, a);
	for (k = 0; k < a->nbytes; k++)
		n += __builtin_popcount((unsigned)(a->b0[k] ^ a->b[k]));
	if (id)
		*id = a->id;
	if (flips)
		*flips = n;
	if (units)
		*units = a->units;
	return LS_OK;
}

/* ---- the linearity meter ---------------------------------------------- */

/* The first active direction other than i, or -1. */
static int
other_active(const struct ls_session *s, int i)
{
	int j;

	for (j = 0; j < s->ndirs; j++)
		if (j != i && s->dirs[j].active)
			return j;
	return -1;
}

enum ls_status
ls_session_linearity(struct ls_session *s, double alpha, struct ls_linearity *l, int *vi,
		     char *err)
{
	const struct sdir *u, *v;
	struct analysis *a;
	int j;

	if (s->sel < 0)
		return ls_err(err, LS_EINVAL, "linearity: no direction selected (make one with dir, diff or pca)");
	if (!isfinite(alpha) || fabs(alpha) > 1e6)
		return ls_err(err, LS_EINVAL, "linearity %g: want a finite step within +-1e6", alpha);
	a = an_get(s);
	if (!(a->lin_ok && a->lin_v == s->version && a->lin_sel == s->sel && a->lin_alpha == alpha)) {
		j = other_active(s, s->sel);
		u = &s->dirs[s->sel];
		v = j >= 0 ? &s->dirs[j] : NULL;
		ls_linearity_at(ls_model_decoder(s->model), s->z, u->u, alpha * u->sigma,
				v ? v->u : NULL, v ? alpha * v->sigma : 0, &a->lin);
		a->lin_ok = 1, a->lin_v = s->version, a->lin_sel = s->sel;
		a->lin_alpha = alpha, a->lin_vi = j;
	}
	*l = a->lin;
	if (vi)
		*vi = a->lin_vi;
	return LS_OK;
}

/* ---- the data ----------------------------------------------------------- */

/* The bank statistics (made once per bank) and the k-NN gauge (begun
 * then, built by knn_finish() or in steps by ls_session_gauges_step()), or
 * NULL without a bank. */
static struct ls_bankstats *
bankstats(struct ls_session *s)
{
	struct analysis *a;

	if (!s->bank || ls_bank_rows(s->bank) < 1)
		return NULL;
	a = an_get(s);
	if (!a->bs) {
		a->bs = ls_bankstats_create(s->bank);
		a->edge = ls_bankstats_mahal_quantile(a->bs, LS_SESSION_DATA_Q);
		if (ls_knn_begin(s->bank, LS_SESSION_KNN_K, LS_SESSION_KNN_SAMPLE, LS_KNN_REF, 1,
				 &a->kn, NULL) != LS_OK)
			a->kn = NULL;
	}
	return a->bs;
}

/* Builds the rest of the k-NN gauge now, unless it is built in the
 * background. */
static void
knn_finish(struct ls_session *s)
{
	struct analysis *a = s->an;

	if (a && a->kn && !s->background && !ls_knn_ready(a->kn))
		ls_knn_step(a->kn, -1);
}

void
ls_session_set_background(struct ls_session *s, int on)
{
	s->background = on;
}

double
ls_session_gauges_progress(struct ls_session *s)
{
	if (!bankstats(s) || !s->an->kn)
		return -1;
	return ls_knn_progress(s->an->kn);
}

double
ls_session_gauges_step(struct ls_session *s, double seconds)
{
	struct analysis *a;
	double p = ls_session_gauges_progress(s);

	if (p < 0 || p >= 1)
		return p;
	a = s->an;
	p = ls_knn_step(a->kn, seconds);
	if (p >= 1)
		a->off_ok = 0;   /* the cached gauges lack the k-NN */
	return p;
}

/* The bank row z is (z0's row when every direction adds nothing), or -1:
 * the row the k-NN distance leaves out, as `linscope where --row I`. */
static long
z_row(const struct ls_session *s)
{
	return s->row >= 0 && !memcmp(s->z, s->z0, (size_t)s->d * sizeof *s->z) ? s->row : -1;
}

enum ls_status
ls_session_where(struct ls_session *s, struct ls_where *w, char *err)
{
	struct ls_bankstats *bs = bankstats(s);
	struct analysis *a;

	if (!bs)
		return ls_err(err, LS_EINVAL, "where: needs a bank (bank FILE)");
	knn_finish(s);
	a = an_get(s);
	if (!(a->off_ok && a->off_v == s->version)) {
		if (a->kn) {
			ls_where_at(s->model, bs, a->kn, s->z, z_row(s), &a->off);
		} else {
			ls_offmanifold(s->model, bs, s->z, &a->off.off);
			a->off.knn = a->off.knn_pct = NAN;
		}
		a->off_ok = 1;
		a->off_v = s->version;
	}
	*w = a->off;
	return LS_OK;
}

double
ls_session_data_edge(struct ls_session *s)
{
	return bankstats(s) ? s->an->edge : NAN;
}

/* Squared Mahalanobis distance of zb + t u (t a raw distance). */
static double
mahal2_at(const struct ls_session *s, const struct ls_bankstats *bs, const double *zb,
	  const float *u, double t, float *z)
{
	double m;
	int k;

	for (k = 0; k < s->d; k++)
		z[k] = (float)(zb[k] + t * u[k]);
	m = ls_bankstats_mahalanobis(bs, z);
	return m * m;
}

/* Roots of q(a) = c2 a^2 + c1 a + c0 - e2 <= 0: 1 with [*a1, *a2], else 0. */
static int
quad_interval(double c2, double c1, double c0, double e2, double *a1, double *a2)
{
	double disc, r, q;

	if (!(c2 > 0))   /* flat along u: all or nothing */
		return c0 <= e2 ? (*a1 = -INFINITY, *a2 = INFINITY, 1) : 0;
	disc = c1 * c1 - 4 * c2 * (c0 - e2);
	if (disc < 0)
		return 0;
	r = sqrt(disc);
	q = -0.5 * (c1 + (c1 >= 0 ? r : -r));   /* no cancellation */
	*a1 = q / c2;
	*a2 = q != 0 ? (c0 - e2) / q : -*a1;
	if (*a1 > *a2) {
		double t = *a1;
		*a1 = *a2, *a2 = t;
	}
	return 1;
}

int
ls_session_data_interval(struct ls_session *s, int i, double *a1, double *a2)
{
	struct ls_bankstats *bs = bankstats(s);
	const struct sdir *d;
	double *zb, f0, fp, fm;
	float *z;
	int k, r;

	if (!bs || i < 0 || i >= s->ndirs)
		return -1;
	d = &s->dirs[i];
	zb = xmalloc((size_t)s->d * sizeof *zb);
	z = xmalloc((size_t)s->d * sizeof *z);
	for (k = 0; k < s->d; k++)   /* z without direction i */
		zb[k] = s->z[k] - (d->active ? d->alpha * d->sigma * d->u[k] : 0);
	f0 = mahal2_at(s, bs, zb, d->u, 0, z);
	fp = mahal2_at(s, bs, zb, d->u, d->sigma, z);
	fm = mahal2_at(s, bs, zb, d->u, -d->sigma, z);
	r = quad_interval(0.5 * (fp + fm) - f0, 0.5 * (fp - fm), f0, s->an->edge * s->an->edge, a1, a2);
	free(zb);
	free(z);
	return r;
}

/* ---- readouts of directions -------------------------------------------- */

/* Does cache vector c (d) hold u? */
static int
same_vec(const float *c, const float *u, int d)
{
	return c && !memcmp(c, u, (size_t)d * sizeof *u);
}

/* Remembers u (d) in *c. */
static void
keep_vec(float **c, const float *u, int d)
{
	*c = xreallocarray(*c, (size_t)d, sizeof **c);
	memcpy(*c, u, (size_t)d * sizeof **c);
}

/* z . u / |u| (the projection ls_dirs_project computes for bank rows). */
static double
z_proj(const struct ls_session *s, const float *u)
{
	double zu = 0, uu = 0;
	int k;

	for (k = 0; k < s->d; k++) {
		zu += (double)s->z[k] * u[k];
		uu += (double)u[k] * u[k];
	}
	return uu > 0 ? zu / sqrt(uu) : 0;
}

enum ls_status
ls_session_hist(struct ls_session *s, int i, int nbins, const struct ls_hist **h, double *zp,
		char *err)
{
	struct analysis *a;
	const float *u;
	double *p;
	long n;

	*h = NULL;
	if (!s->bank || ls_bank_rows(s->bank) < 1)
		return ls_err(err, LS_EINVAL, "hist: needs a bank (bank FILE)");
	if (i < 0 || i >= s->ndirs)
		return ls_err(err, LS_EINVAL, "hist: no such direction");
	if (nbins < 1 || nbins > 1024)
		return ls_err(err, LS_EINVAL, "hist %d: want 1..1024 bins", nbins);
	a = an_get(s);
	u = s->dirs[i].u;
	if (!a->hist || a->hbins != nbins || !same_vec(a->hu, u, s->d)) {
		n = ls_bank_rows(s->bank);
		p = xmalloc((size_t)n * sizeof *p);
		ls_dirs_project(s->bank, u, p);
		ls_hist_free(a->hist);
		a->hist = ls_dirs_hist(p, n, s->labels, nbins);
		a->hbins = nbins;
		keep_vec(&a->hu, u, s->d);
		free(p);
	}
	if (zp)
		*zp = z_proj(s, u);
	*h = a->hist;
	return LS_OK;
}

int
ls_session_cosines(const struct ls_session *s, int *m, int *idx, double *cos, int *wi, int *wj)
{
	float *v = xmalloc(((size_t)s->ndirs * (size_t)s->d + 1) * sizeof *v);
	int i, n = 0, pi = -1, pj = -1, c;

	for (i = 0; i < s->ndirs; i++)
		if (s->dirs[i].active) {
			memcpy(v + (long)n * s->d, s->dirs[i].u, (size_t)s->d * sizeof *v);
			idx[n++] = i;
		}
	c = ls_dirs_cosines(v, n, s->d, cos, LS_DIRS_PARALLEL, &pi, &pj);
	*m = n;
	if (wi)
		*wi = c > 0 ? idx[pi] : -1;
	if (wj)
		*wj = c > 0 ? idx[pj] : -1;
	free(v);
	return c;
}

enum ls_status
ls_session_set_quality(struct ls_session *s, int i, double accuracy, double auc, char *err)
{
	if (i < 0 || i >= s->ndirs)
		return ls_err(err, LS_EINVAL, "direction %d: out of range", i);
	s->dirs[i].accuracy = accuracy;
	s->dirs[i].auc = auc;
	return LS_OK;
}

/* ---- slider units ------------------------------------------------------- */

enum ls_units ls_session_units(const struct ls_session *s) { return (enum ls_units)s->units; }
void ls_session_set_units(struct ls_session *s, enum ls_units u) { s->units = (int)u; }

/* The percentile scale of u over the bank (made when u changes). */
static const struct ls_dirscale *
dirscale(struct ls_session *s, const float *u)
{
	struct analysis *a = an_get(s);

	if (!a->have_scale || !same_vec(a->su, u, s->d)) {
		if (a->have_scale)
			ls_dirscale_free(&a->scale);
		ls_dirscale_init(&a->scale, s->bank, u);
		keep_vec(&a->su, u, s->d);
		a->have_scale = 1;
	}
	return &a->scale;
}

double
ls_session_in_units(struct ls_session *s, int i, double alpha)
{
	const struct sdir *d;
	double cur, uu = 0;
	int k;

	if (i < 0 || i >= s->ndirs)
		return NAN;
	d = &s->dirs[i];
	if (s->units == LS_UNITS_SIGMA)
		return alpha;
	if (s->units == LS_UNITS_RAW)
		return alpha * d->sigma;
	if (!s->bank || ls_bank_rows(s->bank) < 1)
		return NAN;
	for (k = 0; k < s->d; k++)
		uu += (double)d->u[k] * d->u[k];
	cur = z_proj(s, d->u) + (alpha - (d->active ? d->alpha : 0)) * d->sigma * sqrt(uu);
	return ls_dirscale_rank(dirscale(s, d->u), cur);
}
