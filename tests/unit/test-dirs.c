/*
 * test-dirs.c: directions against closed forms and fixtures.
 *
 * PCA on a bank built to have an exact, known covariance; probe and LDA on
 * Gaussian classes with a shared covariance (the true boundary normal is
 * Sigma^-1 (mu_pos - mu_neg)); SeFa against numpy's eigh and the probe
 * against scikit-learn (fixtures from tools/make_dir_fixtures.py);
 * erasure, orthogonalisation, slerp, AUC, percentiles by hand.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"
#include "linscope/dir.h"
#include "linscope/progress.h"
#include "../lib/tap.h"

static uint64_t rng_state = 88172645463325252ULL;

/* xorshift64 and Box-Muller: the test's own generator. */
static double
unif(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ((double)(rng_state >> 11) + 0.5) * 0x1.0p-53;
}

static double
gauss(void)
{
	return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif());
}

static double
dotf(const float *a, const float *b, int d)
{
	double s = 0;
	int k;

	for (k = 0; k < d; k++)
		s += (double)a[k] * b[k];
	return s;
}

static double
cosf_(const float *a, const float *b, int d)
{
	return dotf(a, b, d) / sqrt(dotf(a, a, d) * dotf(b, b, d));
}

/* A random orthonormal basis q (d, d) by Gram-Schmidt. */
static void
random_basis(float *q, int d)
{
	int i, j, k;

	for (i = 0; i < d * d; i++)
		q[i] = (float)gauss();
	for (i = 0; i < d; i++) {
		for (j = 0; j < i; j++) {
			double c = dotf(q + i * d, q + j * d, d);
			for (k = 0; k < d; k++)
				q[i * d + k] -= (float)(c * q[j * d + k]);
		}
		ls_dir_normalize(q + i * d, d, "q", NULL);
	}
}

/* Rows mu +- sqrt(d lambda_i) q_i have covariance sum lambda_i q_i q_i^T. */
static void
test_pca(void)
{
	enum { D = 5 };
	const double lam[D] = { 4.0, 2.5, 1.0, 0.5, 0.1 };
	const double mu[D] = { 1, -2, 3, 0.5, 0 };
	float q[D * D], rows[2 * D * D], u[3 * D];
	double var[3], ratio[3];
	char err[LS_ERR_MAX];
	struct ls_bank *b;
	int i, k, signok = 1;

	random_basis(q, D);
	for (i = 0; i < D; i++)
		for (k = 0; k < D; k++) {
			double c = sqrt(D * lam[i]) * q[i * D + k];
			rows[(2 * i) * D + k] = (float)(mu[k] + c);
			rows[(2 * i + 1) * D + k] = (float)(mu[k] - c);
		}
	b = ls_bank_from_rows(rows, 2 * D, D);
	ok(ls_dirs_pca(b, NULL, 3, u, var, ratio, err) == LS_OK, "pca runs");
	for (i = 0; i < 3; i++) {
		int at = 0;
		ok_close(fabs(cosf_(u + i * D, q + i * D, D)), 1.0, 1e-5, "pca recovers eigenvector");
		ok_close(var[i], lam[i], 1e-4, "pca variance");
		ok_close(ratio[i], lam[i] / 8.1, 1e-5, "pca variance ratio");
		ok_close(dotf(u + i * D, u + i * D, D), 1.0, 1e-6, "pca unit length");
		for (k = 1; k < D; k++)
			if (fabsf(u[i * D + k]) > fabsf(u[i * D + at]))
				at = k;
		signok &= u[i * D + at] > 0;
	}
	ok(signok, "pca sign: largest component positive");
	ok(ls_dirs_pca(b, NULL, D + 1, u, NULL, NULL, err) == LS_EINVAL && strstr(err, "-k"),
	   "pca k > d refused: %s", err);
	ls_bank_free(b);
}

/* Two Gaussian classes with covariance diag(s) and means +-delta/2. */
static struct ls_bank *
gauss_classes(long n, int d, const double *s, const double *delta, unsigned char *pos,
	      unsigned char *neg)
{
	float *rows = malloc((size_t)(2 * n * d) * sizeof *rows);
	struct ls_bank *b;
	long i;
	int k;

	for (i = 0; i < 2 * n; i++) {
		int p = i % 2 == 0;
		pos[i] = (unsigned char)p;
		neg[i] = (unsigned char)!p;
		for (k = 0; k < d; k++)
			rows[i * d + k] = (float)(sqrt(s[k]) * gauss() + (p ? 0.5 : -0.5) * delta[k] + 0.3);
	}
	b = ls_bank_from_rows(rows, 2 * n, d);
	free(rows);
	return b;
}

static void
test_learn(void)
{
	enum { D = 4, N = 20000 };
	const double s[D] = { 4.0, 1.0, 0.25, 2.0 }, delta[D] = { 1.0, 0.5, 0.5, -1.0 };
	unsigned char *pos = malloc(2 * N), *neg = malloc(2 * N);
	float want[D], md[D], u[D], del[D];
	struct ls_probe_opts o;
	struct ls_probe_result r = { 0 };
	char err[LS_ERR_MAX];
	struct ls_bank *b = gauss_classes(N, D, s, delta, pos, neg);
	int k;

	for (k = 0; k < D; k++) {
		want[k] = (float)(delta[k] / s[k]);   /* Sigma^-1 delta */
		del[k] = (float)delta[k];
	}
	ok(ls_dirs_mean_diff(b, pos, neg, md, err) == LS_OK, "mean-diff runs");
	ok(cosf_(md, del, D) > 0.995, "mean-diff ~ delta (cos %.5f)", cosf_(md, del, D));
	ok(cosf_(md, want, D) < 0.9, "delta and the normal differ (cos %.3f)", cosf_(md, want, D));
	ls_probe_opts_default(&o);
	ok(ls_dirs_probe(b, pos, neg, &o, u, &r, err) == LS_OK, "probe runs");
	ok(cosf_(u, want, D) > 0.995, "probe recovers Sigma^-1 delta (cos %.5f)", cosf_(u, want, D));
	ok_close(dotf(u, u, D), 1, 1e-6, "probe unit length");
	ok(r.n_test == 8000 && r.n_train == 32000, "probe holdout split 20%% (%ld/%ld)", r.n_train,
	   r.n_test);
	ok(r.test_acc > 0.6 && r.test_acc < 1, "probe held-out accuracy %.3f", r.test_acc);
	ok(ls_dirs_lda(b, pos, neg, 0.0, u, err) == LS_OK, "lda runs");
	ok(cosf_(u, want, D) > 0.995, "lda recovers Sigma^-1 delta (cos %.5f)", cosf_(u, want, D));
	ok(ls_dirs_lda(b, neg, pos, 0.01, u, err) == LS_OK && cosf_(u, want, D) < -0.99,
	   "lda points towards pos (swapped classes flip it)");
	memset(neg, 0, 2 * N);
	ok(ls_dirs_probe(b, pos, neg, &o, u, NULL, err) == LS_EINVAL && strstr(err, "empty"),
	   "empty class refused: %s", err);
	ls_bank_free(b);
	free(pos);
	free(neg);
}

/* scikit-learn LogisticRegression(C=0.5) on the fixture. */
static void
test_sklearn(void)
{
	struct ls_bank *b = NULL;
	struct ls_labels *l = NULL;
	struct ls_npy *coef = NULL;
	struct ls_probe_opts o;
	struct ls_probe_result r = { 0 };
	char err[LS_ERR_MAX];
	unsigned char pos[300], neg[300];
	double w[5];
	float u[5], wf[5], cf[6];
	long np = 0;
	int k;

	if (!ok(ls_bank_open(fixture("dir-logreg-x.npy"), &b, err) == LS_OK &&
		ls_labels_open(fixture("dir-logreg-y.txt"), 300, &l, err) == LS_OK &&
		ls_npy_open(fixture("dir-logreg-coef.npy"), &coef, err) == LS_OK, "fixtures load"))
		goto out;
	ok(ls_dirs_select(l, "a", "--pos", pos, &np, err) == LS_OK && np == 150, "select a");
	ok(ls_dirs_select(l, "b", "--neg", neg, NULL, err) == LS_OK, "select b");
	ok(ls_dirs_select(l, "a,zz", "--pos", pos, NULL, err) == LS_EINVAL && strstr(err, "zz"),
	   "unknown label refused: %s", err);
	ls_dirs_select(l, "a", "--pos", pos, NULL, err);
	ls_probe_opts_default(&o);
	o.C = 0.5;
	o.holdout = 0;
	r.w_raw = w;
	ok(ls_dirs_probe(b, pos, neg, &o, u, &r, err) == LS_OK, "probe on fixture");
	ls_npy_read_f32(coef, 0, 6, cf);
	for (k = 0; k < 5; k++)
		wf[k] = (float)w[k];
	ok(cosf_(wf, cf, 5) > 0.999, "probe vs scikit-learn: cos %.8f", cosf_(wf, cf, 5));
	ok_maxdiff(wf, cf, 5, 1e-4, "probe coef_ vs scikit-learn");
	ok_close(r.intercept, cf[5], 1e-4, "probe intercept vs scikit-learn");
	ok(isnan(r.test_acc) && r.n_test == 0, "no holdout: no test accuracy");
out:
	ls_npy_free(coef);
	ls_labels_free(l);
	ls_bank_free(b);
}

static void
test_sefa(void)
{
	struct ls_model *m = NULL;
	struct ls_npy *eig = NULL;
	char err[LS_ERR_MAX];
	float u[3 * 6], want[3 * 7];
	double ev[3];
	int i;

	if (!ok(ls_model_open(fixture("dir-sefa.safetensors"), &m, err) == LS_OK &&
		ls_npy_open(fixture("dir-sefa-eig.npy"), &eig, err) == LS_OK, "sefa fixtures load"))
		goto out;
	ok(ls_dirs_sefa(ls_model_decoder(m), 3, u, ev, err) == LS_OK, "sefa runs");
	ls_npy_read_f32(eig, 0, 21, want);
	for (i = 0; i < 3; i++) {
		ok_maxdiff(u + i * 6, want + i * 7, 6, 1e-5, "sefa eigenvector vs numpy eigh");
		ok_close(ev[i] / want[i * 7 + 6], 1.0, 1e-5, "sefa eigenvalue vs numpy");
	}
	ok(ls_dirs_sefa(ls_model_decoder(m), 7, u, ev, err) == LS_EINVAL, "sefa k > d refused");
out:
	ls_npy_free(eig);
	ls_model_free(m);
}

static void
test_combine(void)
{
	enum { D = 6, M = 2, N = 5 };
	float dirs[M * D], z[N * D], z0[N * D], u[D], a[D], bb[D], out[D], q[3 * D];
	double cov[D * D], mean[D], w[2] = { 2.0, -0.5 }, maxp = 0, maxw = 0, maxs = 0;
	char err[LS_ERR_MAX];
	int i, j, k;

	for (i = 0; i < M * D; i++)
		dirs[i] = (float)gauss();
	for (i = 0; i < N * D; i++)
		z0[i] = z[i] = (float)gauss();
	for (k = 0; k < D; k++) {
		mean[k] = 0.1 * k;
		u[k] = (float)gauss();
	}
	ls_dirs_combine(dirs, w, M, D, out);
	ok_close(out[3], 2.0 * dirs[3] - 0.5 * dirs[D + 3], 1e-6, "combine weighted sum");
	ok(ls_dirs_orthogonalize(u, dirs, M, D, err) == LS_OK, "orthogonalize runs");
	ok(fabs(dotf(u, dirs, D)) < 1e-5 && fabs(dotf(u, dirs + D, D)) < 1e-5,
	   "orthogonalize: zero dot products (%.2g, %.2g)", dotf(u, dirs, D), dotf(u, dirs + D, D));
	memcpy(u, out, sizeof u);
	ok(ls_dirs_orthogonalize(u, dirs, M, D, err) == LS_EINVAL, "a vector in the span refused");
	memcpy(q, dirs, sizeof dirs);
	memcpy(q + 2 * D, out, sizeof out);
	ok(ls_dirs_orthonormal(q, 3, D, q) == 2, "orthonormal basis: rank 2 of 3");
	ls_dirs_erase(z, N, dirs, M, D, mean);
	for (i = 0; i < N; i++)
		for (j = 0; j < M; j++) {
			double p = 0;
			for (k = 0; k < D; k++)
				p += (z[i * D + k] - mean[k]) * dirs[j * D + k];
			maxp = fmax(maxp, fabs(p));
		}
	ok(maxp < 1e-5, "erase leaves zero projection (max %.2g)", maxp);
	/* whitened: cov = I + 0.3 A^T A, A (D, D) random */
	{
		double am[D * D];
		for (i = 0; i < D * D; i++)
			am[i] = gauss();
		for (i = 0; i < D; i++)
			for (j = 0; j < D; j++) {
				double s = i == j;
				for (k = 0; k < D; k++)
					s += 0.3 * am[k * D + i] * am[k * D + j];
				cov[i * D + j] = s;
			}
	}
	memcpy(z, z0, sizeof z);
	{
		struct ls_subspace sp = { dirs, M, D, mean };
		ok(ls_dirs_erase_whitened(z, N, &sp, cov, err) == LS_OK, "whitened erase runs");
	}
	{
		double ci[D * D];
		memcpy(ci, cov, sizeof ci);
		for (i = 0; i < N; i++) {
			double x[D];
			float dz[D];
			memcpy(ci, cov, sizeof ci);
			for (k = 0; k < D; k++)
				x[k] = z[i * D + k] - mean[k];
			ls_dposv(D, 1, ci, x);   /* x = C^-1 (z' - mean) */
			for (j = 0; j < M; j++) {
				double p = 0;
				for (k = 0; k < D; k++)
					p += dirs[j * D + k] * x[k];
				maxw = fmax(maxw, fabs(p));
			}
			for (k = 0; k < D; k++)
				dz[k] = z[i * D + k] - z0[i * D + k];
			if (ls_dirs_orthogonalize(dz, dirs, M, D, NULL) == LS_OK)   /* must lie in the span */
				maxs = fmax(maxs, sqrt(dotf(dz, dz, D)));
		}
	}
	ok(maxw < 1e-4, "whitened erase: U^T C^-1 (z - mean) = 0 (max %.2g)", maxw);
	ok(maxs < 1e-4, "whitened erase moves only along the directions (%.2g)", maxs);
	for (k = 0; k < D; k++) {
		a[k] = (float)gauss();
		bb[k] = (float)gauss();
	}
	ls_dir_normalize(a, D, "a", NULL);
	ls_dir_normalize(bb, D, "b", NULL);
	for (k = 0; k < D; k++) {
		a[k] *= 3;
		bb[k] *= 3;
	}
	for (i = 0, maxs = 0; i <= 10; i++) {
		ls_dirs_slerp(a, bb, i / 10.0, D, out, err);
		maxs = fmax(maxs, fabs(sqrt(dotf(out, out, D)) - 3));
	}
	ok(maxs < 1e-5, "slerp keeps norms (max dev %.2g)", maxs);
	ls_dirs_slerp(a, bb, 0.25, D, out, err);
	ok_close(acos(cosf_(out, a, D)), 0.25 * acos(cosf_(a, bb, D)), 1e-4, "slerp angle linear in t");
	ls_dirs_lerp(a, bb, 0.25, D, out);
	ok_close(out[2], 0.75 * a[2] + 0.25 * bb[2], 1e-6, "lerp");
	for (k = 0; k < D; k++)
		bb[k] = -a[k];
	ok(ls_dirs_slerp(a, bb, 0.5, D, out, err) == LS_EINVAL, "slerp of opposite latents refused");
}

static void
test_readout(void)
{
	const double p[7] = { 1, 2, 2, 3, 0, 2, 2 };
	const unsigned char pos[7] = { 1, 1, 1, 1, 0, 0, 0 }, neg[7] = { 0, 0, 0, 0, 1, 1, 1 };
	float dirs[3 * 3] = { 1, 0, 0, 0.99f, 0.1f, 0, 0, 0, 1 };
	float rows[10 * 2], u[2] = { 3, 4 };
	double auc = 0, cos[9];
	struct ls_dirscale sc;
	struct ls_hist *h;
	struct ls_bank *b;
	char err[LS_ERR_MAX];
	int i, wi = -1, wj = -1;
	long tot = 0;

	ok(ls_dirs_auc(p, pos, neg, 7, &auc, err) == LS_OK, "auc runs");
	ok_close(auc, 8.0 / 12.0, 1e-12, "auc with ties (hand count 8/12)");
	ok(ls_dirs_cosines(dirs, 3, 3, cos, LS_DIRS_PARALLEL, &wi, &wj) == 1 && wi == 0 && wj == 1,
	   "cosines: one near-parallel pair (0, 1)");
	ok_close(cos[2], 0, 1e-12, "cosine of orthogonal pair");
	for (i = 0; i < 10; i++) {   /* projections on (3,4)/5 are 0..9 */
		rows[2 * i] = (float)(0.6 * i);
		rows[2 * i + 1] = (float)(0.8 * i);
	}
	b = ls_bank_from_rows(rows, 10, 2);
	ls_dirscale_init(&sc, b, u);
	ok_close(ls_dirscale_percentile(&sc, 25), 2.25, 1e-5, "percentile 25 (numpy linear)");
	ok_close(ls_dirscale_rank(&sc, 2.25), 25, 1e-4, "percentile rank");
	ok_close(sc.sigma, sqrt(8.25), 1e-5, "sigma of projections");
	ok_close(ls_dirscale_from_raw(&sc, LS_UNITS_SIGMA, ls_dirscale_to_raw(&sc, LS_UNITS_SIGMA, 1.5, 0), 0),
		 1.5, 1e-12, "sigma units round trip");
	ok_close(ls_dirscale_to_raw(&sc, LS_UNITS_PERCENTILE, 50, 1.0), 3.5, 1e-5,
		 "percentile units: distance to the median");
	ok_close(ls_dirs_var_share(b, u), 1.0, 1e-5, "variance share of the only axis of spread");
	ls_dirscale_free(&sc);
	{
		double pr[10];
		ls_dirs_project(b, u, pr);
		h = ls_dirs_hist(pr, 10, NULL, 3);
		for (i = 0; i < 3; i++)
			tot += h->count[i];
		ok(tot == 10 && h->count[0] == 3 && h->count[2] == 4, "histogram counts (3, 3, 4)");
		ls_hist_free(h);
	}
	ls_bank_free(b);
}

static void
test_random(void)
{
	float a[7], b[7];

	ls_dirs_random(42, 7, a);
	ls_dirs_random(42, 7, b);
	ok_close(dotf(a, a, 7), 1, 1e-6, "random: unit length");
	ok(memcmp(a, b, sizeof a) == 0, "random: same seed, same direction");
	ls_dirs_random(43, 7, b);
	ok(memcmp(a, b, sizeof a) != 0, "random: another seed, another direction");
}

/* A progress that records its reports and asks to stop at report stop_at. */
struct rec {
	int n, stop_at, grows;
	double last, total;
};

static int
rec_fn(void *ctx, double done, double total)
{
	struct rec *r = ctx;

	r->grows &= r->n == 0 || done >= r->last;
	r->last = done;
	r->total = total;
	return ++r->n == r->stop_at;
}

/* PCA and probe with progress: the same answer as without, reports that
 * grow up to the total, and a stop request honoured. */
static void
test_progress(void)
{
	enum { N = 10000, D = 8 };
	float *rows = malloc((size_t)N * D * sizeof *rows), u[3 * D], u2[3 * D];
	double var[3], var2[3], s[D], delta[D];
	unsigned char *pos = malloc(2 * N), *neg = malloc(2 * N);
	struct rec r = { 0, 0, 1, 0, 0 };
	struct ls_progress p = { rec_fn, &r };
	struct ls_probe_opts o;
	char err[LS_ERR_MAX];
	struct ls_bank *b;
	long i;

	for (i = 0; i < (long)N * D; i++)
		rows[i] = (float)(gauss() * (1 + i % D));
	b = ls_bank_from_rows(rows, N, D);
	ok(ls_dirs_pca(b, NULL, 3, u, var, NULL, err) == LS_OK, "pca without progress");
	ok(ls_dirs_pca_progress(b, NULL, 3, u2, var2, NULL, &p, err) == LS_OK, "pca with progress");
	ok(!memcmp(u, u2, sizeof u) && !memcmp(var, var2, sizeof var), "... the same directions and variances");
	ok(r.n == 5 && r.grows && r.last == N && r.total == N,
	   "... %d reports (blocks of 2048 rows), growing, ending at %g of %g", r.n, r.last, r.total);
	r = (struct rec){ 0, 2, 1, 0, 0 };
	ok(ls_dirs_pca_progress(b, NULL, 3, u2, var2, NULL, &p, err) == LS_ENOMEM && strstr(err, "stopped"),
	   "pca: a stop request ends it: %s", err);
	ls_bank_free(b);
	free(rows);

	for (i = 0; i < D; i++)
		s[i] = 1 + 0.5 * (double)i, delta[i] = i < 2 ? 1.0 : 0.0;
	b = gauss_classes(N, D, s, delta, pos, neg);
	ls_probe_opts_default(&o);
	ok(ls_dirs_probe(b, pos, neg, &o, u, NULL, err) == LS_OK, "probe without progress");
	r = (struct rec){ 0, 0, 1, 0, 0 };
	o.progress = &p;
	ok(ls_dirs_probe(b, pos, neg, &o, u2, NULL, err) == LS_OK, "probe with progress");
	ok(!memcmp(u, u2, D * sizeof *u), "... the same direction");
	ok(r.n >= 2 && r.grows && r.last > 0 && r.last <= 1 && r.total == 1,
	   "... %d reports, growing, the last %g (of 1)", r.n, r.last);
	r = (struct rec){ 0, 1, 1, 0, 0 };
	ok(ls_dirs_probe(b, pos, neg, &o, u2, NULL, err) == LS_ENOMEM && strstr(err, "stopped"),
	   "probe: a stop request ends it: %s", err);
	ls_bank_free(b);
	free(pos);
	free(neg);
}

int
main(void)
{
	test_pca();
	test_learn();
	test_sklearn();
	test_sefa();
	test_combine();
	test_readout();
	test_random();
	test_progress();
	return done_testing();
}
