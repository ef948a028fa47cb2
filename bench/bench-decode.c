/*
 * bench-decode.c: decode speed against OpenBLAS's own sgemm peak, measured
 * in the same run. Prints, for the bundled model and a synthetic
 * 20M-parameter MLP decoder: single-latent latency, batch-256 throughput in
 * GFLOP/s (2 * weights * batch per pass), and its ratio to sgemm peak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

#define BATCH 256

static float
frand(unsigned *s)
{
	*s = *s * 1664525u + 1013904223u;
	return ((*s >> 8) / 16777216.0f) - 0.5f;
}

/* Best GFLOP/s of n x n x n sgemm over a few runs. */
static double
sgemm_peak(int n)
{
	float *a = xmalloc((size_t)n * n * 4), *b = xmalloc((size_t)n * n * 4),
	      *c = xmalloc((size_t)n * n * 4);
	unsigned s = 1;
	double best = 0;
	long i;
	int r;

	for (i = 0; i < (long)n * n; i++)
		a[i] = frand(&s), b[i] = frand(&s);
	for (r = 0; r < 10; r++) {
		double t = ls_now();
		ls_sgemm(n, n, n, 1, a, b, 1, 0, c);
		t = ls_now() - t;
		if (2.0 * n * n * n / t / 1e9 > best)
			best = 2.0 * n * n * n / t / 1e9;
	}
	free(a), free(b), free(c);
	return best;
}

/* An MLP decoder with the given widths, relu between, random weights. */
static struct ls_net *
synthetic(const int *w, int n)
{
	struct ls_layer *l = xcalloc((size_t)(2 * n - 3), sizeof *l);
	struct ls_net *net;
	char err[LS_ERR_MAX];
	unsigned s = 7;
	int i, k = 0;
	long j;

	for (i = 0; i + 1 < n; i++) {
		l[k].kind = LS_LAYER_AFFINE;
		l[k].in = w[i];
		l[k].out = w[i + 1];
		l[k].w = xmalloc((size_t)w[i] * w[i + 1] * 4);
		l[k].b = xcalloc((size_t)w[i + 1], 4);
		for (j = 0; j < (long)w[i] * w[i + 1]; j++)
			l[k].w[j] = frand(&s) * 0.05f;
		l[k++].name = xasprintf("l%d", i);
		if (i + 2 < n)
			l[k].kind = LS_LAYER_RELU, l[k++].name = xstrdup("relu");
	}
	if (ls_net_create(l, k, &net, err) != LS_OK)
		ls_fatal("%s", err);
	return net;
}

/* Median-free simple timing: best of reps, seconds per call. */
static double
time_forward(struct ls_net *net, const float *x, long n, float *y, int reps)
{
	double best = 1e30;
	int r;

	ls_net_forward(net, x, n, y); /* warm: scratch, caches */
	for (r = 0; r < reps; r++) {
		double t = ls_now();
		ls_net_forward(net, x, n, y);
		t = ls_now() - t;
		if (t < best)
			best = t;
	}
	return best;
}

static void
report(const char *name, struct ls_net *net, double peak)
{
	long p = ls_net_params(net);
	float *x = xmalloc((size_t)BATCH * net->in * 4), *y = xmalloc((size_t)BATCH * net->out * 4);
	unsigned s = 3;
	double t1, tb, gf;
	long i;

	for (i = 0; i < (long)BATCH * net->in; i++)
		x[i] = frand(&s);
	t1 = time_forward(net, x, 1, y, 200);
	tb = time_forward(net, x, BATCH, y, 20);
	gf = 2.0 * p * BATCH / tb / 1e9;
	printf("%-22s %10ld params  single %8.1f us  batch-%d %8.2f ms  %7.1f GFLOP/s  %5.1f%% of sgemm peak\n",
	       name, p, t1 * 1e6, BATCH, tb * 1e3, gf, 100 * gf / peak);
	free(x), free(y);
}

int
main(int argc, char **argv)
{
	static const int big[] = { 1024, 2048, 4096, 2048, 1024 };
	char err[LS_ERR_MAX], *path = ls_asset_path("digits.safetensors");
	struct ls_model *m;
	struct ls_net *net;
	double peak;

	(void)argc, (void)argv;
	ls_blas_init(0);
	peak = sgemm_peak(2048);
	printf("sgemm peak (2048^3): %.1f GFLOP/s\n", peak);
	if (path && ls_model_open(path, &m, err) == LS_OK) {
		report("bundled digits", ls_model_decoder(m), peak);
		ls_model_free(m);
	} else {
		printf("bundled model not found (set LINSCOPE_DATADIR)\n");
	}
	free(path);
	net = synthetic(big, 5);
	report("synthetic 20M MLP", net, peak);
	ls_net_free(net);
	return 0;
}
