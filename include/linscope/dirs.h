/*
 * dirs.h: obtaining latent directions and reading them out.
 *
 *   pick     row differences, set means, PCA of the bank (GANSpace), SeFa
 *            (eigenvectors of W^T W of the decoder's first affine layer), a
 *            seeded random unit direction
 *   learn    mean difference, logistic-regression probe, Fisher LDA
 *   combine  weighted sums, orthogonalisation, erasure (plain and whitened),
 *            lerp, slerp
 *   readout  projections, per-label histograms, ROC AUC, cosine matrix,
 *            share of variance, slider units (sigma, raw, percentiles)
 *
 * Conventions: a bank is (N, d) float32; directions are float32 (d) or,
 * for sets, (m, d) row-major; statistics accumulate in double. Rows are
 * selected with masks: unsigned char (N), nonzero = in the set; a NULL
 * mask means every row. Polarity: learned directions point from the
 * negative set to the positive one; PCA and SeFa directions are signed so
 * that their component of largest magnitude is positive. Functions that
 * can fail return enum ls_status and fill err; the others cannot fail on
 * valid arguments (caller-checked shapes).
 */
#ifndef LINSCOPE_DIRS_H
#define LINSCOPE_DIRS_H

#include <stdint.h>

#include "linscope/status.h"

struct ls_bank;
struct ls_factors;
struct ls_labels;
struct ls_net;

/* Cosine above which two directions are reported as nearly parallel. */
#define LS_DIRS_PARALLEL 0.9
/* Factor columns a score holds (= LS_FACTORS_MAX). */
#define LS_SCORE_MAX 256

/* ---- row sets ---------------------------------------------------------- */

/* Marks in mask (N = ls_labels_count) the rows whose label is one of the
 * comma-separated values in set ("1" or "1,7"); *count gets the number of
 * rows marked. A value that no row has, or an empty set, is LS_EINVAL
 * naming the value (what names the option, e.g. "--pos"). */
enum ls_status ls_dirs_select(const struct ls_labels *l, const char *set, const char *what,
			      unsigned char *mask, long *count, char *err);
/* Checks a pos/neg pair: both non-empty and disjoint. */
enum ls_status ls_dirs_check_pair(const unsigned char *pos, const unsigned char *neg,
				  long n, char *err);

/* ---- pick -------------------------------------------------------------- */

/* Mean (d) of the masked rows in double; LS_EINVAL if none is selected. */
enum ls_status ls_dirs_mean(const struct ls_bank *b, const unsigned char *mask,
			    double *mean, long *count, char *err);
/* Covariance (d, d) (population, divided by count) and mean (d) of the
 * masked rows. */
enum ls_status ls_dirs_cov(const struct ls_bank *b, const unsigned char *mask,
			   double *mean, double *cov, char *err);
/* u = bank[j] - bank[i] (from row i towards row j). */
enum ls_status ls_dirs_row_diff(const struct ls_bank *b, long i, long j, float *u,
				char *err);
/* Top-k principal directions of the masked rows: u (k, d) unit rows, in
 * decreasing variance; var (k) their variances (eigenvalues of the
 * population covariance) and ratio (k) the share of the total variance
 * (either may be NULL). 1 <= k <= d. */
enum ls_status ls_dirs_pca(const struct ls_bank *b, const unsigned char *mask, int k,
			   float *u, double *var, double *ratio, char *err);
/* The same with progress (may be NULL): rows of the bank's pass done out
 * of its rows; a nonzero return stops the work with LS_ENOMEM ("stopped"). */
struct ls_progress;
enum ls_status ls_dirs_pca_progress(const struct ls_bank *b, const unsigned char *mask, int k,
				    float *u, double *var, double *ratio,
				    const struct ls_progress *p, char *err);
/* Top-k eigenvectors of W^T W for W (out, in) the first affine layer of
 * dec (SeFa): u (k, in) unit rows, ev (k) eigenvalues (may be NULL).
 * 1 <= k <= in. */
enum ls_status ls_dirs_sefa(const struct ls_net *dec, int k, float *u, double *ev,
			    char *err);
/* A unit direction drawn uniformly on the sphere from seed (reproducible
 * across platforms: xoshiro256** and Box-Muller). */
void ls_dirs_random(uint64_t seed, int d, float *u);
/* Flips u (d) so that its component of largest magnitude is positive. */
void ls_dirs_fix_sign(float *u, int d);

/* ---- learn ------------------------------------------------------------- */

/* u = mean(pos) - mean(neg), not normalised. */
enum ls_status ls_dirs_mean_diff(const struct ls_bank *b, const unsigned char *pos,
				 const unsigned char *neg, float *u, char *err);

struct ls_probe_opts {
	double C;         /* inverse regularisation, scikit-learn's C (> 0); 1 */
	double holdout;   /* share of rows held out for accuracy, [0, 0.9]; 0.2 */
	uint64_t seed;    /* the split's seed; 0 */
	int max_iter;     /* Newton iterations; 100 */
	double tol;       /* stop when the step's max |change| < tol; 1e-10 */
	/* NULL, or progress: the digits the Newton step has gained towards tol
	 * (out of those it needs; only grows); a nonzero return stops the fit
	 * with LS_ENOMEM ("stopped"). NULL */
	const struct ls_progress *progress;
};
/* Defaults as commented above. */
void ls_probe_opts_default(struct ls_probe_opts *o);

struct ls_probe_result {
	double *w_raw;        /* in: a (d) buffer that gets w itself, or NULL */
	double intercept;     /* b of the fitted w.x + b (w not normalised) */
	double wnorm;         /* |w| */
	double train_acc;     /* accuracy on the rows it was fitted on */
	double test_acc;      /* on the held-out rows; NAN when holdout = 0 */
	long n_train, n_test;
	int iters;            /* Newton iterations used */
};

/* Logistic regression of pos (y = 1) vs neg (y = 0) minimising
 * 0.5 |w|^2 + C * sum_i logloss(y_i, w.x_i + b) (b not penalised: the
 * objective of scikit-learn's LogisticRegression(C=C)), by Newton's method
 * in double, fitted on a seeded split (held-out share o->holdout of each
 * class). u (d) gets w / |w|, pointing towards pos; r (may be NULL) the
 * fit's figures, and w itself in r->w_raw when the caller sets it. */
enum ls_status ls_dirs_probe(const struct ls_bank *b, const unsigned char *pos,
			     const unsigned char *neg, const struct ls_probe_opts *o,
			     float *u, struct ls_probe_result *r, char *err);

/* Fisher LDA: u = normalised x solving ((1 - s) S_w + s (tr S_w / d) I) x =
 * mean(pos) - mean(neg), S_w the pooled within-class covariance, s the
 * shrinkage in [0, 1] (0.01 is a good default). Points towards pos. */
enum ls_status ls_dirs_lda(const struct ls_bank *b, const unsigned char *pos,
			   const unsigned char *neg, double shrink, float *u, char *err);

/* ---- combine ----------------------------------------------------------- */

/* out (d) = sum_i w[i] * dirs[i] over m directions (m, d). */
void ls_dirs_combine(const float *dirs, const double *w, int m, int d, float *out);
/* Makes u orthogonal to the span of others (m, d) (Gram-Schmidt in double,
 * dependent others are skipped). LS_EINVAL if u lies in that span. u keeps
 * its length scale (not normalised). */
enum ls_status ls_dirs_orthogonalize(float *u, const float *others, int m, int d,
				     char *err);
/* Orthonormal basis of the span of dirs (m, d) into q (m, d); returns the
 * rank r (the first r rows of q are valid). */
int ls_dirs_orthonormal(const float *dirs, int m, int d, float *q);
/* Erases the span of dirs (m, d) from n latents z (n, d) in place by
 * orthogonal projection about the point mean (d; NULL: the origin):
 * z <- z - P (z - mean). Afterwards every z - mean is orthogonal to dirs. */
void ls_dirs_erase(float *z, long n, const float *dirs, int m, int d, const double *mean);
/* Whitened erasure (LEACE for a linear concept): with cov (d, d) the bank
 * covariance and U = dirs^T, z <- z - U (U^T C^-1 U)^-1 U^T C^-1 (z - mean).
 * Moves z only along dirs; afterwards U^T C^-1 (z - mean) = 0. cov must be
 * positive definite (LS_EINVAL otherwise; add a ridge). */
struct ls_subspace {
	const float *dirs;    /* (m, d), row-major: the directions U^T */
	int m, d;
	const double *mean;   /* (d): the point erased about; NULL: the origin */
};
enum ls_status ls_dirs_erase_whitened(float *z, long n, const struct ls_subspace *sp,
				      const double *cov, char *err);
/* out = (1 - t) a + t b. */
void ls_dirs_lerp(const float *a, const float *b, double t, int d, float *out);
/* Spherical interpolation: the direction turns along the great circle
 * from a/|a| to b/|b| and the norm goes linearly from |a| to |b| (so with
 * |a| = |b| the norm is kept). Falls back to lerp when a or b is zero or
 * they are parallel; LS_EINVAL when they are opposite (no unique circle). */
enum ls_status ls_dirs_slerp(const float *a, const float *b, double t, int d, float *out,
			     char *err);

/* ---- read out ---------------------------------------------------------- */

/* p (N) = z_i . u / |u| for every bank row (|u| > 0). */
void ls_dirs_project(const struct ls_bank *b, const float *u, double *p);

/* Histogram of projections per label class. */
struct ls_hist {
	int nbins, nclasses;      /* nclasses = 1 when there are no labels */
	double lo, hi;            /* bin k covers [lo + k w, lo + (k+1) w) */
	long *count;              /* (nclasses, nbins), row-major */
	long *total;              /* (nclasses) */
	const char **names;       /* (nclasses), borrowed from the labels; NULL
	                             when there are no labels */
};
/* Bins p (n) into nbins over [min, max] of p (classes from l, may be
 * NULL). Free with ls_hist_free(). */
struct ls_hist *ls_dirs_hist(const double *p, long n, const struct ls_labels *l, int nbins);
void ls_hist_free(struct ls_hist *h);
/* Bin of value v (clamped to 0..nbins-1). */
int ls_hist_bin(const struct ls_hist *h, double v);

/* ROC AUC of scores p for pos vs neg rows (masks over n): the probability
 * that a random pos row scores above a random neg row, ties counting one
 * half (Mann-Whitney with mid-ranks). LS_EINVAL if either set is empty. */
enum ls_status ls_dirs_auc(const double *p, const unsigned char *pos,
			   const unsigned char *neg, long n, double *auc, char *err);

/* cos (m, m) = cosine of every pair of directions (m, d) (0 for zero
 * vectors). Returns the number of pairs i < j with |cos| >= thresh; *wi,
 * *wj (may be NULL) get the most parallel such pair. */
int ls_dirs_cosines(const float *dirs, int m, int d, double *cos, double thresh, int *wi,
		    int *wj);

/* Share of the bank's total variance (trace of the covariance) that lies
 * along u: var(z.u/|u|) / tr(Cov). */
double ls_dirs_var_share(const struct ls_bank *b, const float *u);

/* Slider units. */
enum ls_units { LS_UNITS_SIGMA, LS_UNITS_RAW, LS_UNITS_PERCENTILE };
/* Name ("sigma", "raw", "percentile") and parse (-1 if unknown). */
const char *ls_units_name(enum ls_units u);
int ls_units_parse(const char *s);

/* The scale of one direction over a bank: mean and sigma of the
 * projections on u/|u| and their sorted values (for percentiles). */
struct ls_dirscale {
	double mean, sigma;
	long n;
	double *sorted;   /* (n), ascending; owned */
};
/* Fills s from b and u (|u| > 0). Free with ls_dirscale_free(). */
void ls_dirscale_init(struct ls_dirscale *s, const struct ls_bank *b, const float *u);
void ls_dirscale_free(struct ls_dirscale *s);
/* The q-th percentile (0..100) of the projections (linear interpolation,
 * numpy's default). */
double ls_dirscale_percentile(const struct ls_dirscale *s, double q);
/* Percentile rank (0..100) of a projection value. */
double ls_dirscale_rank(const struct ls_dirscale *s, double v);
/* Converts a slider value in units u to a latent distance along u/|u|
 * from a latent whose projection is cur: sigma: value * sigma; raw:
 * value; percentile: percentile(value) - cur (moves to that percentile). */
double ls_dirscale_to_raw(const struct ls_dirscale *s, enum ls_units u, double value,
			  double cur);
/* The inverse: the slider value for a latent distance t from cur. */
double ls_dirscale_from_raw(const struct ls_dirscale *s, enum ls_units u, double t,
			    double cur);

/* ---- score against ground truth (dirs_score.c) ------------------------- */

/* Pearson correlation of x and y (n values), in double; NAN when either
 * is constant. */
double ls_dirs_pearson(const double *x, const double *y, long n);

/* How a direction relates to ground-truth factors (factors.h). */
struct ls_score {
	int k;                          /* factor columns */
	double r[LS_SCORE_MAX];         /* (k) Pearson r of the projection with
					   each column (NAN: constant column) */
	int order[LS_SCORE_MAX];        /* columns by decreasing |r|, NAN last */
	double leak;                    /* sqrt(sum of r^2 over every column but
					   the first in order): what else it moves */
};
/* Scores u (d, |u| > 0) over bank b against f: r[j] = corr(z . u / |u|,
 * factor j) over the bank's rows. LS_EINVAL (naming the factors file)
 * when f's rows are not the bank's. */
enum ls_status ls_dirs_score(const struct ls_bank *b, const float *u,
			     const struct ls_factors *f, struct ls_score *sc, char *err);

#endif
