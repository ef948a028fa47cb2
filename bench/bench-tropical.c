/*
 * bench-tropical.c: the tropical form and the whole-space regions of random
 * ReLU MLPs, d = 2..4, hidden widths 8..64, depth 1..3 (every hidden layer
 * the same width, one output, weights N(0, 1/in), biases N(0, 0.5), seeded).
 *
 * Per net: every region of the whole latent space (count, unbounded,
 * time, regions/s); the tropical form of output 0 by composition
 * (monomials of F and G, the largest candidate set, time) when the net is
 * small enough (at most MAX_COMPOSE regions with one hidden layer,
 * MAX_COMPOSE_DEEP deeper), and the same monomials read
 * off the regions; the ratio compose time / regions time is the figure
 * of merit (both exact; they must agree, and the bench says so).
 * Usage: bench-tropical [MAX_REGIONS [D]] (default 200000, d = 2..4; D: only
 * that latent dimension).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "linscope/tropical.h"
#include "base/blas.h"
#include "base/util.h"

#define MAX_COMPOSE 3000  /* regions, one hidden layer */
#define MAX_COMPOSE_DEEP 150  /* regions, deeper nets */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double
normal(void)
{
	double u, v;

	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	u = ((double)(rng >> 11) + 1) / 9007199254740993.0;
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	v = (double)(rng >> 11) / 9007199254740992.0;
	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static struct ls_mlp *
random_mlp(int d, int width, int depth)
{
	struct ls_dense l[4];
	struct ls_mlp *m;
	int i, j, in = d;

	for (i = 0; i <= depth; i++) {
		int out = i < depth ? width : 1;
		l[i].in = in, l[i].out = out;
		l[i].w = xmalloc((size_t)in * out * sizeof *l[i].w);
		l[i].b = xmalloc((size_t)out * sizeof *l[i].b);
		for (j = 0; j < in * out; j++)
			l[i].w[j] = normal() / sqrt(in);
		for (j = 0; j < out; j++)
			l[i].b[j] = 0.5 * normal();
		l[i].act = i < depth ? LS_ACT_RELU : LS_ACT_IDENTITY;
		l[i].slope = 0;
		in = out;
	}
	if (ls_mlp_create(l, depth + 1, &m, NULL) != LS_OK)
		exit(99);
	for (i = 0; i <= depth; i++)
		free(l[i].w), free(l[i].b);
	return m;
}

/* The tropical columns: by composition (if small) and from the regions. */
static void
tropical_cols(const struct ls_mlp *m, const struct ls_rall *r)
{
	struct ls_tpoly f, g;
	struct ls_tropical t;
	char err[LS_ERR_MAX];
	double t0 = ls_now(), tr;

	ls_rall_tropical(r, 0, 0, &f);
	ls_rall_tropical(r, 0, 1, &g);
	tr = ls_now() - t0 + ls_rall_seconds(r);
	printf(" %6ld %6ld %8.3f", f.n, g.n, tr);
	if (ls_rall_count(r) > (m->nl > 2 ? MAX_COMPOSE_DEEP : MAX_COMPOSE)) {
		printf("  (compose skipped)\n");
	} else if (ls_tropical_form(m, 0, 2000000, 1, &t, err) != LS_OK) {
		printf("  (compose: %s)\n", err);
	} else {
		printf(" %8ld %8.3f %7.1fx %s\n", t.peak, t.seconds, t.seconds / tr,
		       t.f.n == f.n && t.g.n == g.n ? "agree" : "DISAGREE");
		ls_tropical_free(&t);
	}
	ls_tpoly_free(&f);
	ls_tpoly_free(&g);
}

int
main(int argc, char **argv)
{
	static const int widths[4] = { 8, 16, 32, 64 };
	long maxr = argc > 1 ? atol(argv[1]) : 200000;
	int dlo = argc > 2 ? atoi(argv[2]) : 2, dhi = argc > 2 ? dlo : 4;
	char err[LS_ERR_MAX];
	int d, wi, depth;

	ls_blas_init(1);
	printf("%-2s %-5s %-5s %8s %6s %8s %10s | %6s %6s %8s | %8s %8s %8s\n", "d", "width", "depth",
	       "regions", "unb", "time", "regions/s", "F", "G", "t_reg", "peak", "t_comp", "ratio");
	for (d = dlo; d <= dhi; d++)
		for (depth = 1; depth <= 3; depth++)
			for (wi = 0; wi < 4; wi++) {
				struct ls_mlp *m = random_mlp(d, widths[wi], depth);
				struct ls_rall *r;
				printf("%-2d %-5d %-5d ", d, widths[wi], depth);
				fflush(stdout);
				if (ls_regions_all(m, NULL, maxr, &r, err) != LS_OK) {
					printf("(%s)\n", err);
					ls_mlp_free(m);
					break;   /* wider nets of this shape only grow */
				}
				printf("%8ld %6ld %8.3f %10.0f |", ls_rall_count(r), ls_rall_unbounded(r),
				       ls_rall_seconds(r), ls_rall_count(r) / fmax(ls_rall_seconds(r), 1e-9));
				tropical_cols(m, r);
				fflush(stdout);
				ls_rall_free(r);
				ls_mlp_free(m);
			}
	return 0;
}
