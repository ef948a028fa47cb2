/*
 * bench-dirs.c: times PCA and the logistic-regression probe on a
 * 100,000 x 64 bank (two Gaussian classes, seeded).
 *
 *   bench-dirs          prints linscope's times and the ratio of PCA
 *                       against a naive double loop over the rows
 *   bench-dirs DIR      also writes DIR/bank.npy and DIR/labels.txt (the
 *                       same data) for bench/bench_dirs.py, linscope's
 *                       answers DIR/ls-pca.npy (K, D) and DIR/ls-probe.npy
 *                       (D + 1: w, b), and prints "pca SECONDS" and
 *                       "probe SECONDS" lines
 * Both sides fit every row (no held-out split), C = 1, K = 8; times are the
 * best of REPS runs and exclude writing the files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

enum { N = 100000, D = 64, K = 8, REPS = 5 };

static uint64_t st = 0x2545F4914F6CDD1DULL;

static double
gauss(void)
{
	double u, v;

	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	u = ((double)(st >> 11) + 0.5) * 0x1.0p-53;
	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	v = ((double)(st >> 11) + 0.5) * 0x1.0p-53;
	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* Rows: class i % 2, mean +-0.25 * (1, 1/2, 1/3, ...), scales 1 + k/16. */
static float *
make_bank(unsigned char *pos, unsigned char *neg)
{
	float *z = malloc((size_t)N * D * sizeof *z);
	long i;
	int k;

	for (i = 0; i < N; i++) {
		pos[i] = (unsigned char)(i % 2);
		neg[i] = (unsigned char)!(i % 2);
		for (k = 0; k < D; k++)
			z[i * D + k] = (float)((1 + k / 16.0) * gauss() + (pos[i] ? 0.25 : -0.25) / (k + 1));
	}
	return z;
}

/* The reference for the standalone run: covariance by a plain loop. */
static double
naive_cov(const float *z, double *cov)
{
	double t0 = ls_now(), mean[D] = { 0 };
	long i;
	int a, b;

	for (i = 0; i < N; i++)
		for (a = 0; a < D; a++)
			mean[a] += z[i * D + a] / (double)N;
	memset(cov, 0, sizeof(double) * D * D);
	for (i = 0; i < N; i++)
		for (a = 0; a < D; a++)
			for (b = 0; b < D; b++)
				cov[a * D + b] += (z[i * D + a] - mean[a]) * (z[i * D + b] - mean[b]);
	return ls_now() - t0;
}

static int
write_files(const char *dir, const float *z, const unsigned char *pos, char *err)
{
	int64_t shape[2] = { N, D };
	char *p = xasprintf("%s/bank.npy", dir);
	FILE *f;
	long i;

	if (ls_npy_write_f32(p, z, 2, shape, err) != LS_OK)
		return -1;
	free(p);
	p = xasprintf("%s/labels.txt", dir);
	if (!(f = fopen(p, "w")))
		return -1;
	for (i = 0; i < N; i++)
		fputs(pos[i] ? "a\n" : "b\n", f);
	free(p);
	return fclose(f);
}

/* Writes linscope's PCA directions and probe (w, b) for the comparison. */
static int
write_answers(const char *dir, const float *u, const double *w, double b0, char *err)
{
	int64_t su[2] = { K, D }, sw[1] = { D + 1 };
	float wf[D + 1];
	char *p = xasprintf("%s/ls-pca.npy", dir);
	int k, r = ls_npy_write_f32(p, u, 2, su, err) == LS_OK ? 0 : -1;

	free(p);
	for (k = 0; k < D; k++)
		wf[k] = (float)w[k];
	wf[D] = (float)b0;
	p = xasprintf("%s/ls-probe.npy", dir);
	if (r == 0 && ls_npy_write_f32(p, wf, 1, sw, err) != LS_OK)
		r = -1;
	free(p);
	return r;
}

int
main(int argc, char **argv)
{
	unsigned char *pos = malloc(N), *neg = malloc(N);
	float *z = make_bank(pos, neg), u[K * D], w[D];
	double wraw[D];
	struct ls_probe_result res = { 0 };
	struct ls_bank *b = ls_bank_from_rows(z, N, D);
	struct ls_probe_opts o;
	char err[LS_ERR_MAX];
	double tp = 1e9, tl = 1e9, t0, cov[D * D];
	int r;

	ls_blas_init(0);
	if (argc > 1 && write_files(argv[1], z, pos, err) != 0) {
		fprintf(stderr, "bench-dirs: %s: cannot write the bank\n", argv[1]);
		return 1;
	}
	ls_probe_opts_default(&o);
	o.holdout = 0;
	for (r = 0; r < REPS; r++) {
		t0 = ls_now();
		ls_dirs_pca(b, NULL, K, u, NULL, NULL, err);
		tp = fmin(tp, ls_now() - t0);
		t0 = ls_now();
		res.w_raw = wraw;
		ls_dirs_probe(b, pos, neg, &o, w, &res, err);
		tl = fmin(tl, ls_now() - t0);
	}
	if (argc > 1) {
		if (write_answers(argv[1], u, wraw, res.intercept, err) != 0) {
			fprintf(stderr, "bench-dirs: %s\n", err);
			return 1;
		}
		printf("pca %.6f\nprobe %.6f\nprobe_iters %d\n", tp, tl, res.iters);
	} else {
		double tn = naive_cov(z, cov);
		printf("bank %d x %d: linscope pca %.4f s (naive covariance loop %.4f s: %.1fx), probe %.4f s\n",
		       N, D, tp, tn, tn / tp, tl);
	}
	ls_bank_free(b);
	free(z);
	free(pos);
	free(neg);
	return 0;
}
