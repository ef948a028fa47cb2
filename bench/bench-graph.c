/*
 * bench-graph.c: decode time of an ONNX decoder (argv[1]): one latent and a
 * batch of 256, best of several runs, in milliseconds; bench-graph.sh runs
 * it beside PyTorch on the same exported model and prints the ratios.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/blas.h"
#include "base/util.h"
#include "linscope/model.h"
#include "linscope/onnx.h"

static double
best(const struct ls_net *net, long n, int reps)
{
	float *x = xcalloc((size_t)n * net->in, sizeof *x), *y = xmalloc((size_t)n * net->out * sizeof *y);
	double b = 1e30, t;
	long i;
	int r;

	for (i = 0; i < n * net->in; i++)
		x[i] = (float)((i * 2654435761u) % 1000) / 500.0f - 1.0f;
	ls_net_forward(net, x, n, y);
	for (r = 0; r < reps; r++) {
		t = ls_now();
		ls_net_forward(net, x, n, y);
		t = ls_now() - t;
		b = t < b ? t : b;
	}
	free(x), free(y);
	return 1000 * b;
}

int
main(int argc, char **argv)
{
	char err[LS_ERR_MAX];
	struct ls_onnx *o;
	struct ls_net *net;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-graph MODEL.onnx [THREADS]\n");
		return 2;
	}
	ls_blas_init(argc > 2 ? atoi(argv[2]) : 1);
	if (ls_onnx_open(argv[1], &o, err) != LS_OK || ls_onnx_net(o, &net, err) != LS_OK) {
		fprintf(stderr, "bench-graph: %s\n", err);
		return 1;
	}
	ls_onnx_free(o);
	printf("linscope_b1_ms %.4f\n", best(net, 1, 30));
	printf("linscope_b256_ms %.4f\n", best(net, 256, 3));
	ls_net_free(net);
	return 0;
}
