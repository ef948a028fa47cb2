/*
 * bench-batch.c [MODEL [THREADS]]: the time of a batch of 256 latents
 * through the model's decoder (default: the bundled digits model in
 * $LINSCOPE_DATADIR; best of several runs, milliseconds); bench-batch.sh
 * runs it in interleaved rounds with single-threaded PyTorch on the same
 * weights and prints the ratio.
 */
#include <stdio.h>
#include <stdlib.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

#define BATCH 256
#define REPS 200

int
main(int argc, char **argv)
{
	char err[LS_ERR_MAX], *def = NULL;
	const char *path = argc > 1 ? argv[1] : NULL;
	struct ls_model *m;
	const struct ls_net *net;
	float *x, *y;
	double b = 1e30, t;
	long i;
	int r;

	if (!path)
		path = def = xasprintf("%s/digits.safetensors",
				       getenv("LINSCOPE_DATADIR") ? getenv("LINSCOPE_DATADIR") : "assets");
	ls_blas_init(argc > 2 ? atoi(argv[2]) : 0);
	if (ls_model_open(path, &m, err) != LS_OK) {
		fprintf(stderr, "bench-batch: %s\n", err);
		free(def);
		return 1;
	}
	free(def);
	net = ls_model_decoder(m);
	x = xmalloc((size_t)BATCH * net->in * sizeof *x);
	y = xmalloc((size_t)BATCH * net->out * sizeof *y);
	for (i = 0; i < BATCH * net->in; i++)
		x[i] = (float)((i * 2654435761u) % 1000) / 500.0f - 1.0f;
	ls_net_forward(net, x, BATCH, y);
	for (r = 0; r < REPS; r++) {
		t = ls_now();
		ls_net_forward(net, x, BATCH, y);
		t = ls_now() - t;
		b = t < b ? t : b;
	}
	printf("linscope_b256_ms %.4f\n", 1000 * b);
	free(x), free(y);
	ls_model_free(m);
	return 0;
}
