/*
 * bench-regions.c: exact 1D pieces against dense sampling (pattern changes
 * over 10^6 samples) on the bundled model, same segment, with both answers
 * and the time ratio; the exact 2D map of the bundled model over a
 * 6 sigma x 6 sigma plane: time, regions, regions per second.
 * Targets: 1D >= 100x faster than sampling and under 5 ms; 2D > 100,000
 * regions/s.
 *
 * With an ONNX decoder as argv[1] (bench-graph.sh passes a 32x32x3 DCGAN
 * exported by PyTorch): exact 1D pieces along a +-3 sigma segment of the
 * N(0, I) prior (target < 0.5 s) and the exact 2D map of a small plane,
 * both through the node table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"
#include "linscope/dir.h"
#include "linscope/onnx.h"

#define NS 1000000L
#define BATCH 4096

/* Pattern changes between consecutive samples of z0 + t u, t in [a, b]. */
static long
sample_changes(struct ls_net *net, const float *z0, const float *u, double a, double b)
{
	int d = net->in, mw = net->maxw, i, k, L = ls_net_units(net);
	float *x = malloc((size_t)BATCH * mw * sizeof *x), *y = malloc((size_t)BATCH * mw * sizeof *y), *t;
	unsigned char *p = malloc((size_t)(BATCH + 1) * L), *prev = p;
	long n, changes = 0, first = 1;

	for (n = 0; n < NS; n += BATCH) {
		int m = NS - n < BATCH ? (int)(NS - n) : BATCH, w = d, u0 = 0;
		for (k = 0; k < m; k++)
			for (i = 0; i < d; i++)
				x[k * d + i] = (float)(z0[i] + (a + (b - a) * (n + k) / (NS - 1)) * u[i]);
		for (i = 0; i < net->nlayers && u0 < L; i++) {
			const struct ls_layer *l = &net->layers[i];
			if (l->kind == LS_LAYER_AFFINE) {
				for (k = 0; k < m; k++)
					memcpy(y + k * l->out, l->b, (size_t)l->out * sizeof *y);
				ls_sgemm(m, l->out, l->in, 1, x, l->w, 1, 1, y);
				t = x, x = y, y = t;
				w = l->out;
			} else if (l->kind == LS_LAYER_RELU) {
				for (k = 0; k < m; k++)
					for (int j = 0; j < w; j++) {
						p[(size_t)(k + 1) * L + u0 + j] = x[k * w + j] > 0;
						if (!(x[k * w + j] > 0))
							x[k * w + j] = 0;
					}
				u0 += w;
			}
		}
		for (k = 0; k < m; k++) {
			if (!first && memcmp(p + (size_t)k * L, p + (size_t)(k + 1) * L, (size_t)L))
				changes++;
			first = 0;
		}
		memcpy(p, p + (size_t)m * L, (size_t)L);
	}
	(void)prev;
	free(x), free(y), free(p);
	return changes;
}

static void
bench_1d(struct ls_model *m, struct ls_bank *bank)
{
	struct ls_net *net = ls_model_decoder(m);
	int d = ls_model_dim(m), i, reps = 50, seg;
	float *u = malloc((size_t)d * sizeof *u);
	char err[LS_ERR_MAX];
	struct ls_pieces p;
	double t0, te = 0, ts, sig;
	long ch;

	for (seg = 0; seg < 3; seg++) {
		const float *a = ls_bank_row(bank, seg), *b = ls_bank_row(bank, seg + 1);
		for (i = 0; i < d; i++)
			u[i] = b[i] - a[i];
		ls_dir_normalize(u, d, "u", err);
		sig = ls_bank_sigma(bank, u);
		ls_regions_1d(net, a, u, -3 * sig, 3 * sig, &p, err);   /* warm-up */
		ls_pieces_free(&p);
		t0 = ls_now();
		for (i = 0; i < reps; i++) {
			ls_regions_1d(net, a, u, -3 * sig, 3 * sig, &p, err);
			if (i + 1 < reps)
				ls_pieces_free(&p);
		}
		te = (ls_now() - t0) / reps;
		t0 = ls_now();
		ch = sample_changes(net, a, u, -3 * sig, 3 * sig);
		ts = ls_now() - t0;
		printf("1D segment %d (rows %d->%d, +-3 sigma): exact %d pieces (%d linear) in %.3f ms; "
		       "sampling 10^6 points: %ld changes -> %ld pieces in %.1f ms; exact is %.0fx faster%s\n",
		       seg, seg, seg + 1, p.npieces, p.nlinear, 1e3 * te, ch, ch + 1, 1e3 * ts, ts / te,
		       te < 5e-3 ? "" : " (over the 5 ms target)");
		ls_pieces_free(&p);
	}
	free(u);
}

static void
bench_2d(struct ls_model *m, struct ls_bank *bank)
{
	struct ls_net *net = ls_model_decoder(m);
	int d = ls_model_dim(m), i;
	float *u = calloc((size_t)d, sizeof *u), *v = calloc((size_t)d, sizeof *v);
	struct ls_regionmap *rm;
	char err[LS_ERR_MAX];
	double box[4], t0, dt, su, sv;
	double *mean = malloc((size_t)d * sizeof *mean);
	float *z0 = malloc((size_t)d * sizeof *z0);

	ls_bank_mean(bank, mean);
	for (i = 0; i < d; i++)
		z0[i] = (float)mean[i];
	u[0] = 1;
	v[1] = 1;
	su = ls_bank_sigma(bank, u);
	sv = ls_bank_sigma(bank, v);
	box[0] = -3 * su, box[1] = 3 * su, box[2] = -3 * sv, box[3] = 3 * sv;
	t0 = ls_now();
	if (ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK) {
		printf("2D: %s\n", err);
		return;
	}
	dt = ls_now() - t0;
	printf("2D plane (bank mean, axes 0 and 1, 6 sigma x 6 sigma): %ld regions (%ld linear) in %.3f s: "
	       "%.0f regions/s (target 100000)\n", ls_regionmap_count(rm), ls_regionmap_linear_count(rm),
	       dt, ls_regionmap_count(rm) / dt);
	ls_regionmap_free(rm);
	free(u), free(v), free(mean), free(z0);
}

/* A seeded standard normal vector, or a unit one. */
static void
randn(float *x, int d, unsigned *seed, int unit)
{
	double n = 0;
	int i;

	for (i = 0; i < d; i++) {
		double a = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0), b = rand_r(seed) / (RAND_MAX + 1.0);
		x[i] = (float)(sqrt(-2 * log(a)) * cos(2 * M_PI * b));
		n += (double)x[i] * x[i];
	}
	for (i = 0; unit && i < d; i++)
		x[i] = (float)(x[i] / sqrt(n));
}

static int
bench_graph(const char *path)
{
	char err[LS_ERR_MAX];
	struct ls_onnx *o;
	struct ls_net *net;
	struct ls_pieces p;
	struct ls_regionmap *rm;
	unsigned seed = 3;
	float *z0, *u, *v;
	double t0, dt, best = 1e30, box[4];
	int d, r, seg;

	if (ls_onnx_open(path, &o, err) != LS_OK || ls_onnx_net(o, &net, err) != LS_OK) {
		fprintf(stderr, "bench-regions: %s\n", err);
		return 1;
	}
	ls_onnx_free(o);
	d = net->in;
	z0 = malloc(3 * (size_t)d * sizeof *z0), u = z0 + d, v = u + d;
	printf("%s: d = %d, %ld parameters, %d units\n", path, d, ls_net_params(net), ls_net_units(net));
	for (seg = 0; seg < 2; seg++) {
		randn(z0, d, &seed, 0);
		randn(u, d, &seed, 1);
		for (r = 0, best = 1e30; r < 1; r++) {
			t0 = ls_now();
			if (ls_regions_1d(net, z0, u, -3, 3, &p, err) != LS_OK) {
				fprintf(stderr, "bench-regions: %s\n", err);
				return 1;
			}
			dt = ls_now() - t0;
			best = dt < best ? dt : best;
			if (r < 0)
				ls_pieces_free(&p);
		}
		printf("1D segment %d (z0 ~ N(0, I), unit u, t in [-3, 3]): %d pieces (%d linear) in %.3f s "
		       "(target < 0.5 s: %s)\n", seg, p.npieces, p.nlinear, best, best < 0.5 ? "met" : "MISSED");
		ls_pieces_free(&p);
	}
	randn(v, d, &seed, 1);
	for (r = 0; r < 1; r++) {
		double h = 0.1;
		box[0] = box[2] = -h, box[1] = box[3] = h;
		t0 = ls_now();
		if (ls_regions_2d(net, z0, u, v, box, 0, &rm, err) != LS_OK) {
			printf("2D: %s\n", err);
			break;
		}
		dt = ls_now() - t0;
		printf("2D plane (unit u, v; s, t in [-%.1f, %.1f]): %ld regions (%ld linear) in %.3f s: "
		       "%.0f regions/s\n", h, h, ls_regionmap_count(rm), ls_regionmap_linear_count(rm), dt,
		       ls_regionmap_count(rm) / dt);
		ls_regionmap_free(rm);
	}
	free(z0);
	ls_net_free(net);
	return 0;
}

int
main(int argc, char **argv)
{
	char *mp = ls_asset_path("digits.safetensors"), *bp = ls_asset_path("digits.npy");
	char err[LS_ERR_MAX];
	struct ls_model *m;
	struct ls_bank *b;

	ls_blas_init(1);
	if (argc > 1) {
		free(mp), free(bp);
		return bench_graph(argv[1]);
	}
	if (!mp || !bp || ls_model_open(mp, &m, err) != LS_OK || ls_bank_open(bp, &b, err) != LS_OK) {
		fprintf(stderr, "bench-regions: the bundled digits model and bank are needed\n");
		return 77;
	}
	bench_1d(m, b);
	bench_2d(m, b);
	ls_model_free(m);
	ls_bank_free(b);
	free(mp);
	free(bp);
	return 0;
}
