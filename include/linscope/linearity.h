/*
 * linearity.h: how linear the decoder is around a latent, how far a latent
 * is from the data, the exact Jacobian, and paint-to-direction.
 *
 * Conventions: g is the decoder (the whole net, smooth activations
 * included). Steps are raw latent distances: the callers turn slider units
 * into them (alpha sigma units along u is a step of alpha * sigma_u, sigma_u
 * = ls_bank_sigma(bank, u)). Directions are used as given (pass unit
 * vectors). Double accumulation throughout.
 */
#ifndef LINSCOPE_LINEARITY_H
#define LINSCOPE_LINEARITY_H

#include <stdint.h>

#include "linscope/status.h"

struct ls_net;
struct ls_model;
struct ls_bank;

/* ---- Jacobian -------------------------------------------------------- */

/* J (net->out, net->in), row-major, of net at z: exact inside the region
 * of a piecewise-linear net (relu'(0) = 0, leaky_relu'(0) = slope); the
 * analytic derivative of sigmoid and tanh. Forward mode, one GEMM per
 * affine layer. */
void ls_jacobian(struct ls_net *net, const float *z, double *J);
/* Jacobian-vector product: jv (net->out) = J(z) u, without forming J. */
void ls_jvp(struct ls_net *net, const float *z, const float *u, double *jv);

/* ---- linearity meter --------------------------------------------------- */

struct ls_linearity {
	/* |g(z+2hu) - g(z) - 2(g(z+hu) - g(z))| / |2(g(z+hu) - g(z))| */
	double homogeneity;
	/* |g(z+hu+kv) - g(z+hu) - g(z+kv) + g(z)| /
	 * (|g(z+hu) - g(z)| + |g(z+kv) - g(z)|); NAN when v is NULL */
	double additivity;
	/* share of |D|^2, D = g(z+hu) - g(z), explained by the first-order term
	 * L = J(z) h u: 1 - |D - L|^2 / |D|^2, clipped to [0, 1] */
	double first_order;
};

/* Meter at z along u (step h) and optionally v (step k; v may be NULL).
 * A ratio whose denominator is 0 (the decoder does not move) is NAN. An
 * affine decoder gives 0, 0 and 1 (up to rounding). */
void ls_linearity_at(struct ls_net *net, const float *z, const float *u, double h,
		     const float *v, double k, struct ls_linearity *out);
/* The meter at n latents z (n, net->in) into out[n]: the same numbers as
 * ls_linearity_at() row by row (up to GEMM rounding), but all rows' points
 * go through a few batched double passes (one GEMM per affine layer per
 * 128 latents) with the Jacobian-vector product as extra tangent rows. */
void ls_linearity_batch(struct ls_net *net, const float *z, long n, const float *u,
			double h, const float *v, double k, struct ls_linearity *out);
/* Summary of the finite values among v[n] (reordered in place): q[0] the
 * mean, q[1] the median, q[2] the 90th percentile, both by linear
 * interpolation between order statistics (numpy's default: the q-quantile
 * of sorted x[0..m-1] is x[i] + f (x[i+1] - x[i]), i + f = q (m - 1)).
 * Returns the number m of finite values (0: q is all NAN). */
long ls_summary(double *v, long n, double q[3]);

/* ---- off-manifold gauges ------------------------------------------------ */

/* Bank statistics for the gauges: mean, covariance (regularised by 1e-9 *
 * trace / d on the diagonal) over every row up to LS_STATS_ROWS rows, else
 * over LS_STATS_ROWS evenly spaced ones (rows i * n / S: a 1M-row bank's
 * gauges open in a fraction of a second; ls_bankstats_rows says how many
 * were used), sorted norms and sorted
 * Mahalanobis distances of the bank's own rows: all of them up to
 * LS_KNN_REF rows, else LS_KNN_REF evenly spaced ones (rows i * n / R), so
 * a percentile of a large bank is estimated on 50,000 rows. Needs a bank of >= 1 row; never fails. Free
 * with ls_bankstats_free(). */
#define LS_STATS_ROWS (1L << 18)
struct ls_bankstats;
struct ls_bankstats *ls_bankstats_create(const struct ls_bank *b);
/* Rows the mean and covariance were computed over (n, at most LS_STATS_ROWS). */
long ls_bankstats_rows(const struct ls_bankstats *s);
void ls_bankstats_free(struct ls_bankstats *s);
/* Mahalanobis distance sqrt((z - mu)^T C^-1 (z - mu)). */
double ls_bankstats_mahalanobis(const struct ls_bankstats *s, const float *z);
/* Percentile (0..100) of x among the bank's Mahalanobis distances / norms:
 * the share of bank rows with a value <= x, times 100. */
double ls_bankstats_mahal_pct(const struct ls_bankstats *s, double x);
double ls_bankstats_norm_pct(const struct ls_bankstats *s, double norm);
/* Quantile q (0..1) of the bank's Mahalanobis distances (q = 0.99: the
 * edge of the data that the slider shades beyond). */
double ls_bankstats_mahal_quantile(const struct ls_bankstats *s, double q);

struct ls_offmanifold {
	double mahalanobis, mahal_pct;   /* distance and its percentile */
	double norm, norm_pct;           /* |z| and its percentile */
	double drift;                    /* |enc(dec(z)) - z|, NAN without encoder */
};
/* All gauges at z (m's latent dimension; m may be NULL: no drift). */
void ls_offmanifold(struct ls_model *m, const struct ls_bankstats *s, const float *z,
		    struct ls_offmanifold *o);
/* Round-trip drift |enc(dec(z)) - z| (the encoder's mean), NAN if m has no
 * encoder or is NULL. */
double ls_round_trip_drift(struct ls_model *m, const float *z);

/* ---- nearest bank latents ------------------------------------------------ */

/* k-NN gauge of a bank: the mean distance from a latent to its k nearest
 * reference rows, and its percentile among the reference rows' own k-NN
 * mean distances (each against the reference set without itself),
 * estimated on a seeded sample of min(sample, reference rows) of them
 * (sample <= 0: every one). The reference set is the whole bank when it has
 * at most ref_max rows (ref_max <= 0: no limit), else a seeded sample of
 * ref_max distinct rows: an approximation that overstates every distance
 * alike (a sparser set is farther), so the percentile stays comparable.
 * Holds a double copy of the reference rows (nr x d doubles) plus
 * 64 x nr doubles of scratch during the build, and a pointer to b (keep b
 * alive). LS_EINVAL unless 1 <= k <= reference rows - 1.
 *
 * ls_knn_begin() only allocates; ls_knn_step() builds for about seconds
 * (< 0: to the end) and returns the progress 0..1 (1: ready). Before it is
 * ready ls_knn_pct() and ls_knn_quantile() give NAN, and ls_knn_dist() NAN
 * until the reference rows are copied. ls_knn_create() is begin with
 * ref_max LS_KNN_REF and a step to the end; for the bundled bank (10,000 x
 * 16, sample 2000) it takes tens of milliseconds. Free with ls_knn_free(). */
#define LS_KNN_REF 50000
struct ls_knn;
enum ls_status ls_knn_begin(const struct ls_bank *b, int k, long sample, long ref_max,
			    uint64_t seed, struct ls_knn **kn, char *err);
double ls_knn_step(struct ls_knn *kn, double seconds);
double ls_knn_progress(const struct ls_knn *kn);
int ls_knn_ready(const struct ls_knn *kn);
enum ls_status ls_knn_create(const struct ls_bank *b, int k, long sample, uint64_t seed,
			     struct ls_knn **kn, char *err);
void ls_knn_free(struct ls_knn *kn);
int ls_knn_k(const struct ls_knn *kn);
long ls_knn_sample(const struct ls_knn *kn);   /* rows in the own sample */
long ls_knn_ref(const struct ls_knn *kn);      /* rows in the reference set */
/* Mean Euclidean distance from z to its k nearest reference rows other
 * than bank row skip (-1: none). One GEMV against the reference rows; uses kn's scratch (not
 * reentrant). The k are picked from the expanded form |x|^2 + |z|^2 -
 * 2 x.z and their distances recomputed directly. */
double ls_knn_dist(struct ls_knn *kn, const float *z, long skip);
/* Percentile (0..100) of a k-NN distance: 100 * the share of sampled bank
 * rows whose own k-NN distance is <= dist. */
double ls_knn_pct(const struct ls_knn *kn, double dist);
/* Quantile q (0..1) of the sampled own k-NN distances (nearest rank). */
double ls_knn_quantile(const struct ls_knn *kn, double q);

/* All "how far from the data" gauges at z (the TUI calls this per frame
 * with s and kn made once per bank): k-NN distance (skipping bank row skip,
 * -1: none) and its percentile, Mahalanobis distance and its percentile,
 * norm and its percentile, round-trip drift (NAN without an encoder). */
struct ls_where {
	double knn, knn_pct;
	struct ls_offmanifold off;
};
void ls_where_at(struct ls_model *m, const struct ls_bankstats *s, struct ls_knn *kn,
		 const float *z, long skip, struct ls_where *w);

/* ---- paint-to-direction -------------------------------------------------- */

/* The unit latent direction u (m's d values) that changes the pixels of
 * the rectangle x0 <= x < x1, y0 <= y < y1 (image coordinates, all
 * channels; half-open) the most at z: the top right singular vector of the
 * Jacobian's rows of those pixels (exact inside z's region). Sign: the one
 * that increases the sum of the masked pixels (ties: first nonzero
 * component positive). *gain (may be NULL) gets the top singular value.
 * LS_EINVAL if the rectangle is empty or outside the image, or the masked
 * Jacobian is zero. */
enum ls_status ls_paint_direction(struct ls_model *m, const float *z, int x0, int y0,
				  int x1, int y1, float *u, double *gain, char *err);

#endif
