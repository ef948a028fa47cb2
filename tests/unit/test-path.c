/*
 * test-path.c: the exact path of a slider (path.h) against two independent
 * decodes at the same t: the float64 forward of the whole graph (the
 * exact value) and the float32 forward ls_model_decode() runs.
 *
 * Tolerances. Against the float64 forward: a path frame is a cached row
 * (the float64 value rounded once to float32) or a float32 interpolation
 * of two of them, then the tail in float32: at most a few float32 ulps of
 * the pre-tail scale S = max(1, max |pre-tail value|) along the path, so
 * the test allows 8 FLT_EPSILON S. Against the float32 decode: that decode
 * carries its own accumulation error (dot products of K terms, each
 * rounded; bounded by K eps S in the worst case, about sqrt(K) eps S in
 * practice) and its latent is z(t) rounded to float32; the test allows
 * 1e-5 S (about 84 ulps) and prints the largest difference seen.
 *
 * The nets: the bundled digits MLP (vertex insertion), ONNX conv decoders
 * (dcgan64: ConvTranspose+BN+ReLU with a Tanh tail; convvae-dec: Gemm,
 * ConvTranspose, Sigmoid tail), a decoder with a residual Add (upres:
 * Upsample, residual block, bilinear Resize, Sigmoid), the op fixture
 * residual (no tail) and the bundled faces decoder (64x64x3, Sigmoid).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "linscope/model.h"
#include "linscope/onnx.h"
#include "linscope/path.h"
#include "linscope/regions.h"
#include "model/graph.h"
#include "../lib/tap.h"
#include "../lib/test-regions-net.h"

#define NRANDOM 64

static struct ls_net *
onnx_net(const char *path, char *err)
{
	struct ls_onnx *o;
	struct ls_net *net = NULL;

	if (ls_onnx_open(path, &o, err) != LS_OK)
		return NULL;
	ls_onnx_net(o, &net, err);
	ls_onnx_free(o);
	return net;
}

/* The float64 forward of the whole graph at z0 + t u: out (net->out) and
 * the largest |pre-tail value| into *scale (kept if larger). */
static void
exact64(const struct ls_net *net, const float *z0, const float *u, double t, double *out,
	double *scale)
{
	const struct ls_graph *g = ls_net_graph(net);
	double *x = xmalloc((size_t)net->in * sizeof *x), **vals, *blk;
	int act, head = graph_tail(g, &act), i;
	long hn = graph_vnumel(g, head);

	for (i = 0; i < net->in; i++)
		x[i] = (double)z0[i] + t * (double)u[i];
	blk = graph_forward64_all(g, x, 1, &vals);
	memcpy(out, vals[g->outv], (size_t)net->out * sizeof *out);
	for (i = 0; i < hn; i++)
		if (fabs(vals[head][i]) > *scale)
			*scale = fabs(vals[head][i]);
	free(blk), free(vals), free(x);
}

struct diffs {
	double ex, dec;   /* max |path - exact64|, max |path - float decode| */
	long n;
};

/* One t: the path frame against both decodes. */
static void
check_t(const struct ls_net *net, const struct ls_path *p, const float *z0, const float *u,
	double t, double *scale, struct diffs *dv)
{
	float *f = xmalloc((size_t)net->out * sizeof *f), *dec = xmalloc((size_t)net->out * sizeof *dec);
	float *z = xmalloc((size_t)net->in * sizeof *z);
	double *ex = xmalloc((size_t)net->out * sizeof *ex);
	int i;

	if (ls_path_frame(p, t, f) != 0)
		dv->ex = dv->dec = INFINITY;
	for (i = 0; i < net->in; i++)
		z[i] = (float)((double)z0[i] + t * (double)u[i]);
	ls_net_forward(net, z, 1, dec);
	exact64(net, z0, u, t, ex, scale);
	for (i = 0; i < net->out; i++) {
		double a = fabs((double)f[i] - ex[i]), b = fabs((double)f[i] - (double)dec[i]);
		dv->ex = a > dv->ex || isnan(a) ? (isnan(a) ? INFINITY : a) : dv->ex;
		dv->dec = b > dv->dec || isnan(b) ? (isnan(b) ? INFINITY : b) : dv->dec;
	}
	dv->n++;
	free(f), free(dec), free(z), free(ex);
}

/* Path of net over [a, b] from a random z0 along a random unit u (times
 * len), checked at both ends, at every breakpoint (at most 40, evenly
 * picked), just beside them and at NRANDOM random t. min_points: the path
 * must have at least that many points (so that interpolation across
 * pieces is really tested). */
static void
check_net(const char *what, struct ls_net *net, double a, double b, double len, long min_points)
{
	float *z0 = xmalloc((size_t)net->in * sizeof *z0), *u = xmalloc((size_t)net->in * sizeof *u);
	struct diffs dv = { 0, 0, 0 };
	double nrm = 0, scale = 1;
	struct ls_path *p;
	char err[LS_ERR_MAX];
	const double *t;
	long n, k, step;
	int i;

	for (i = 0; i < net->in; i++) {
		z0[i] = (float)rng_normal();
		u[i] = (float)rng_normal();
		nrm += (double)u[i] * u[i];
	}
	for (i = 0; i < net->in; i++)
		u[i] = (float)(u[i] / sqrt(nrm) * len);
	if (!ok(ls_path_create(net, z0, u, a, b, 0, &p, err) == LS_OK, "%s: path built", what)) {
		diag("%s", err);
		goto out;
	}
	n = ls_path_npoints(p);
	t = ls_path_points(p);
	ok(n >= min_points && t[0] == a && t[n - 1] == b, "%s: %ld points from %g to %g (want >= %ld)",
	   what, n, t[0], t[n - 1], min_points);
	step = n > 40 ? n / 40 : 1;
	for (k = 0; k < n; k += step) {
		check_t(net, p, z0, u, t[k], &scale, &dv);
		if (k + 1 < n)   /* just past the breakpoint, and just before the next */
			check_t(net, p, z0, u, t[k] + 1e-7 * (t[k + 1] - t[k]), &scale, &dv);
	}
	check_t(net, p, z0, u, b, &scale, &dv);
	for (k = 0; k < NRANDOM; k++)
		check_t(net, p, z0, u, a + (b - a) * rng_uniform(), &scale, &dv);
	ok(dv.ex <= 8 * FLT_EPSILON * scale, "%s: %ld frames within 8 float32 eps of the float64 "
	   "forward (max %.3g, scale %.3g)", what, dv.n, dv.ex, scale);
	ok(dv.dec <= 1e-5 * scale, "%s: and within 1e-5 S of the float32 decode (max %.3g = %.1f ulps)",
	   what, dv.dec, dv.dec / (FLT_EPSILON * scale));
	ok(ls_path_frame(p, b + 1e-9 * (b - a), (float *)z0) == -1 && ls_path_frame(p, NAN, u) == -1,
	   "%s: t outside [a, b] has no frame", what);
	ls_path_free(p);
out:
	free(z0), free(u);
}

/* A file of the tree (assets/...) through the fixture path. */
static const char *
src_file(const char *rel)
{
	static char buf[512];

	snprintf(buf, sizeof buf, "../../%s", rel);
	return fixture(buf);
}

static void
check_model(const char *rel, double a, double b, double len, long min_points)
{
	struct ls_model *m;
	char err[LS_ERR_MAX];

	if (ls_model_open(src_file(rel), &m, err) != LS_OK) {
		ok(0, "%s opens: %s", rel, err);
		return;
	}
	check_net(rel, ls_model_decoder(m), a, b, len, min_points);
	ls_model_free(m);
}

static void
check_onnx(const char *name, double a, double b, double len, long min_points)
{
	char err[LS_ERR_MAX], rel[256];
	struct ls_net *net;

	snprintf(rel, sizeof rel, "onnx/%s.onnx", name);
	if (!(net = onnx_net(fixture(rel), err))) {
		ok(0, "%s opens: %s", rel, err);
		return;
	}
	check_net(name, net, a, b, len, min_points);
	ls_net_free(net);
}

/* The budget, a cancelled build and the refusal of smooth nets. */
static void
test_refusals(void)
{
	char err[LS_ERR_MAX], rel[] = "onnx/gelu.onnx";
	struct ls_net *net;
	struct ls_path *p = (struct ls_path *)&p;
	struct ls_model *m;
	float z0[64] = { 0 }, u[64] = { 0 };
	atomic_int cancel = 0;

	u[0] = 1;
	if (ls_model_open(src_file("assets/digits.safetensors"), &m, err) != LS_OK)
		exit(99);
	ok(ls_path_create(ls_model_decoder(m), z0, u, -3, 3, 1000, &p, err) == LS_ENOMEM && !p &&
	   strstr(err, "budget"), "a path over the budget: LS_ENOMEM (%s)", err);
	ok(ls_path_create(ls_model_decoder(m), z0, u, 3, -3, 0, &p, err) == LS_EINVAL && !p,
	   "a reversed range is refused (%s)", err);
	atomic_store(&cancel, 1);
	ok(ls_path_create_cancel(ls_model_decoder(m), z0, u, -3, 3, 0, &cancel, &p, err) == LS_EINVAL &&
	   !p && !strcmp(err, "cancelled"), "a cancelled build (layers): no path, '%s'", err);
	ls_model_free(m);
	if (!(net = onnx_net(fixture("onnx/dcgan64.onnx"), err)))
		exit(99);
	ok(ls_path_create_cancel(net, z0, u, -3, 3, 0, &cancel, &p, err) == LS_EINVAL && !p &&
	   !strcmp(err, "cancelled"), "a cancelled build (graph walk): no path, '%s'", err);
	ls_net_free(net);
	if (!(net = onnx_net(fixture(rel), err)))
		exit(99);
	ok(ls_path_create(net, z0, u, -3, 3, 0, &p, err) == LS_EINVAL && !p &&
	   !strcmp(err, LS_NOT_PL_TEXT), "GELU: refused, '%s'", err);
	ls_net_free(net);
	ls_path_free(NULL);
}

int
main(void)
{
	check_model("assets/digits.safetensors", -3, 3, 1, 10);
	check_onnx("dcgan64", -3, 3, 1, 10);
	check_onnx("convvae-dec", -3, 3, 1, 4);
	check_onnx("upres", -3, 3, 1, 10);
	check_onnx("residual", -2, 2, 1, 1);
	check_onnx("mlpflat", -3, 3, 1, 10);
	check_model("assets/faces-decoder.onnx", -1, 1, 1, 10);
	test_refusals();
	return done_testing();
}
