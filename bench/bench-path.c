/*
 * bench-path.c: the exact path of a slider (path.h) against direct
 * decodes, measured in the same run. For a synthetic ~109M-parameter MLP
 * decoder (64 -> 2048 -> 4096 -> 6144 -> 64x64x3, ReLU between, Sigmoid
 * tail, He-scaled random weights) and the bundled faces decoder (ONNX
 * conv, 64x64x3, Sigmoid tail): the path's build time over t in [-3, 3]
 * along a random unit direction (pieces, then the batched forward), its
 * points and memory, exact frames/s (the decode part: ls_path_frame at
 * random t), direct single-latent decodes/s, and their ratio.
 *
 * Usage: bench-path [mlp|faces] (default: all). LINSCOPE_BENCH_RANGE
 * sets the half range (default 3).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"

static double
urand(unsigned long long *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return (double)(*s >> 11) / 9007199254740992.0;
}

static double
nrand(unsigned long long *s)
{
	return sqrt(-2 * log(urand(s) + 1e-300)) * cos(6.283185307179586 * urand(s));
}

/* The synthetic MLP decoder: widths w (n), ReLU between, Sigmoid last. */
static struct ls_net *
synthetic(const int *w, int n)
{
	struct ls_layer *l = xcalloc((size_t)(2 * n - 2), sizeof *l);
	unsigned long long s = 7;
	struct ls_net *net;
	char err[LS_ERR_MAX];
	int i, k = 0;
	long j;

	for (i = 0; i + 1 < n; i++) {
		float sc = (float)(sqrt(6.0 / w[i]) * 2);   /* uniform(-0.5, 0.5): He variance */
		l[k].kind = LS_LAYER_AFFINE;
		l[k].in = w[i], l[k].out = w[i + 1];
		l[k].w = xmalloc((size_t)w[i] * w[i + 1] * 4);
		l[k].b = xmalloc((size_t)w[i + 1] * 4);
		for (j = 0; j < (long)w[i] * w[i + 1]; j++)
			l[k].w[j] = (float)(urand(&s) - 0.5) * sc;
		for (j = 0; j < w[i + 1]; j++)
			l[k].b[j] = (float)(0.1 * (urand(&s) - 0.5));
		l[k++].name = xasprintf("l%d", i);
		l[k].kind = i + 2 < n ? LS_LAYER_RELU : LS_LAYER_SIGMOID;
		l[k++].name = xstrdup(i + 2 < n ? "relu" : "sigmoid");
	}
	if (ls_net_create(l, k, &net, err) != LS_OK)
		ls_fatal("%s", err);
	return net;
}

/* Direct single-latent decodes per second along the path (at least 1 s). */
static double
direct_fps(struct ls_net *net, const float *z0, const float *u, double r, float *y)
{
	unsigned long long s = 11;
	float *z = xmalloc((size_t)net->in * sizeof *z);
	double t0 = ls_now(), el;
	long n = 0;
	int i;

	do {
		double t = -r + 2 * r * urand(&s);
		for (i = 0; i < net->in; i++)
			z[i] = (float)(z0[i] + t * u[i]);
		ls_net_forward(net, z, 1, y);
		n++;
	} while ((el = ls_now() - t0) < 1.0 || n < 3);
	free(z);
	return n / el;
}

/* Exact frames per second at random t (at least 1 s). */
static double
path_fps(const struct ls_path *p, double r, float *y)
{
	unsigned long long s = 13;
	double t0 = ls_now(), el;
	long n = 0;

	do {
		ls_path_frame(p, -r + 2 * r * urand(&s), y);
		n++;
	} while ((el = ls_now() - t0) < 1.0);
	return n / el;
}

static void
report(const char *name, struct ls_net *net)
{
	const char *rs = getenv("LINSCOPE_BENCH_RANGE");
	double r = rs ? atof(rs) : 3, nrm = 0, tp, tf, fe, fd;
	float *z0 = xmalloc((size_t)net->in * 4), *u = xmalloc((size_t)net->in * 4);
	float *y = xmalloc((size_t)net->out * 4);
	unsigned long long s = 5;
	struct ls_path *p;
	char err[LS_ERR_MAX];
	double t0;
	int i;

	for (i = 0; i < net->in; i++) {
		z0[i] = (float)nrand(&s);
		u[i] = (float)nrand(&s);
		nrm += (double)u[i] * u[i];
	}
	for (i = 0; i < net->in; i++)
		u[i] = (float)(u[i] / sqrt(nrm));
	printf("%-20s %10ld params, out %d\n", name, ls_net_params(net), net->out);
	fflush(stdout);
	t0 = ls_now();
	if (ls_path_create(net, z0, u, -r, r, 0, &p, err) != LS_OK) {
		printf("  path refused after %.2f s: %s\n", ls_now() - t0, err);
		goto out;
	}
	ls_path_times(p, &tp, &tf);
	printf("  path over t in [-%g, %g]: %ld points, %.1f MB, build %.2f s (pieces %.2f s, "
	       "forward %.2f s)\n", r, r, ls_path_npoints(p), ls_path_bytes(p) / 1048576.0, tp + tf,
	       tp, tf);
	fe = path_fps(p, r, y);
	fd = direct_fps(net, z0, u, r, y);
	printf("  exact frames/s %.0f   direct decodes/s %.1f   ratio %.0fx\n", fe, fd, fe / fd);
	ls_path_free(p);
out:
	fflush(stdout);
	free(z0), free(u), free(y);
}

static void
report_file(const char *name, const char *file)
{
	char err[LS_ERR_MAX], *path = ls_asset_path(file);
	struct ls_model *m;

	if (!path || ls_model_open(path, &m, err) != LS_OK) {
		printf("%s: %s not found (set LINSCOPE_DATADIR)\n", name, file);
		free(path);
		return;
	}
	report(name, ls_model_decoder(m));
	ls_model_free(m);
	free(path);
}

int
main(int argc, char **argv)
{
	static const int big[] = { 64, 2048, 4096, 6144, 12288 };
	const char *only = argc > 1 ? argv[1] : NULL;
	struct ls_net *net;

	ls_blas_init(0);
	if (!only || !strcmp(only, "faces"))
		report_file("faces decoder", "faces-decoder.onnx");
	if (!only || !strcmp(only, "mlp")) {
		net = synthetic(big, 5);
		report("synthetic 109M MLP", net);
		ls_net_free(net);
	}
	return 0;
}
