/*
 * bench-decode.c: decode speed against OpenBLAS's own sgemm peak and the
 * machine's memory bandwidth (a STREAM-style triad on every core), both
 * measured in the same run. Prints, for the bundled model, synthetic 20M and
 * 70M-parameter MLP decoders and any model files given as arguments:
 * single-latent latency and the weight bytes it streams per second against
 * the read bandwidth (one latent is memory-bound and only reads; the triad,
 * which also writes, is printed beside it), and batch-256 throughput in
 * GFLOP/s (2 * weights * batch per pass) against sgemm peak.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#define TRIAD_N (16L << 20)   /* floats per array: 3 x 64 MB, far above cache */
#define TRIAD_MAXT 64

struct triad_part {
	float *a, *b, *c;
	long lo, hi;
	int read;               /* read b only (xor of its words) */
	uint64_t x;
};

static void *
triad_run(void *arg)
{
	struct triad_part *p = arg;
	const uint64_t *u = (const uint64_t *)p->b;
	uint64_t x[8] = { 0 };
	long i;
	int k;

	if (!p->read) {
		for (i = p->lo; i < p->hi; i++)
			p->a[i] = p->b[i] + 3.0f * p->c[i];
		return NULL;
	}
	for (i = p->lo / 2; i + 8 <= p->hi / 2; i += 8)
		for (k = 0; k < 8; k++)
			x[k] ^= u[i + k];
	p->x = x[0] ^ x[1] ^ x[2] ^ x[3] ^ x[4] ^ x[5] ^ x[6] ^ x[7];
	return NULL;
}

/* Best GB/s, on one core or every online core, of the triad a[i] = b[i] + s c[i]
 * (3 x 4 bytes per element), or (read) of reading b once (a xor pass and
 * OpenBLAS's b . b): the roof of a one-latent decode, which only reads its
 * weights. */
static double
triad_bw(int read)
{
	long nt = sysconf(_SC_NPROCESSORS_ONLN), i, t;
	float *a = xmalloc(TRIAD_N * 4), *b = xmalloc(TRIAD_N * 4), *c = xmalloc(TRIAD_N * 4);
	struct triad_part part[TRIAD_MAXT];
	pthread_t th[TRIAD_MAXT];
	double best = 0;
	int r;

	nt = nt < 1 ? 1 : nt > TRIAD_MAXT ? TRIAD_MAXT : nt;
	for (i = 0; i < TRIAD_N; i++)
		a[i] = 0, b[i] = 1, c[i] = 2;
	for (t = 0; t < nt; t++)
		part[t] = (struct triad_part){ a, b, c, TRIAD_N * t / nt, TRIAD_N * (t + 1) / nt, read, 0 };
	for (r = 0; read && r < 12; r++) {     /* OpenBLAS's sdot of b with itself */
		double t0 = ls_now();
		volatile float d = ls_sdot((int)TRIAD_N, b, b);
		(void)d;
		t0 = ls_now() - t0;
		if (4.0 * TRIAD_N / t0 / 1e9 > best)
			best = 4.0 * TRIAD_N / t0 / 1e9;
	}
	for (r = 0; r < 12; r++) {     /* alternately every core and one (a loaded machine) */
		int use = r % 2 ? (int)nt : 1;
		double t0 = ls_now();
		for (t = 0; t < nt; t++) {
			part[t].lo = TRIAD_N * t / use;
			part[t].hi = t < use ? TRIAD_N * (t + 1) / use : part[t].lo;
		}
		for (t = 1; t < use; t++)
			pthread_create(&th[t], NULL, triad_run, &part[t]);
		triad_run(&part[0]);
		for (t = 1; t < use; t++)
			pthread_join(th[t], NULL);
		t0 = ls_now() - t0;
		if ((read ? 4.0 : 12.0) * TRIAD_N / t0 / 1e9 > best)
			best = (read ? 4.0 : 12.0) * TRIAD_N / t0 / 1e9;
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
report(const char *name, struct ls_net *net, double peak, double bw, double wbytes)
{
	long p = ls_net_params(net);
	float *x = xmalloc((size_t)BATCH * net->in * 4), *y = xmalloc((size_t)BATCH * net->out * 4);
	unsigned s = 3;
	double t1, tb, gf;
	long i;

	for (i = 0; i < (long)BATCH * net->in; i++)
		x[i] = frand(&s);
	t1 = time_forward(net, x, 1, y, p > 5000000 ? 30 : 200);
	tb = time_forward(net, x, BATCH, y, p > 5000000 ? 3 : 20);
	gf = 2.0 * p * BATCH / tb / 1e9;
	printf("%-20s %9ld params  single %8.1f us %6.1f GB/s %5.1f%% of read  batch-%d %8.2f ms %6.1f GFLOP/s %5.1f%% of sgemm peak\n",
	       name, p, t1 * 1e6, p * wbytes / t1 / 1e9, 100 * p * wbytes / t1 / 1e9 / bw, BATCH,
	       tb * 1e3, gf, 100 * gf / peak);
	free(x), free(y);
}

int
main(int argc, char **argv)
{
	static const int big[] = { 1024, 2048, 4096, 2048, 1024 };
	static const int huge[] = { 64, 4096, 8192, 4096, 784 };
	char err[LS_ERR_MAX], *path = ls_asset_path("digits.safetensors");
	struct ls_model *m;
	struct ls_net *net;
	double peak, bw, triad;
	int i;

	ls_blas_init(0);
	peak = sgemm_peak(2048);
	triad = triad_bw(0);
	bw = triad_bw(1);
	printf("sgemm peak (2048^3): %.1f GFLOP/s; memory (%ld threads): triad %.1f GB/s, read %.1f GB/s\n",
	       peak, sysconf(_SC_NPROCESSORS_ONLN), triad, bw);
	if (path && ls_model_open(path, &m, err) == LS_OK) {
		report("bundled digits", ls_model_decoder(m), peak, bw, 4);
		ls_model_free(m);
	} else {
		printf("bundled model not found (set LINSCOPE_DATADIR)\n");
	}
	free(path);
	if (argc > 1) {         /* model files: bench-bigdata.sh */
		for (i = 1; i < argc; i++) {
			if (ls_model_open(argv[i], &m, err) != LS_OK)
				ls_fatal("%s", err);
			report(strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
			       ls_model_decoder(m), peak, bw, 4);   /* float32 in memory */
			ls_model_free(m);
		}
		return 0;
	}
	net = synthetic(big, 5);
	report("synthetic 20M MLP", net, peak, bw, 4);
	ls_net_free(net);
	net = synthetic(huge, 5);
	report("synthetic 70M MLP", net, peak, bw, 4);
	ls_net_free(net);
	return 0;
}
