/*
 * test-model.c: the forward pass against PyTorch (fixtures made by
 * tools/make_fixtures.py), the layer-program parser, and model errors.
 */
#include <stdint.h>

#include "linscope/linscope.h"
#include "base/util.h"
#include "../lib/tap.h"

/* Loads a float .npy fixture into a malloc'd array; returns numel. */
static long
load_npy(const char *name, float **out)
{
	char err[LS_ERR_MAX];
	struct ls_npy *npy;
	long n;

	if (ls_npy_open(fixture(name), &npy, err) != LS_OK) {
		diag("%s", err);
		*out = NULL;
		return -1;
	}
	n = (long)npy->numel;
	*out = xmalloc((size_t)n * sizeof **out);
	ls_npy_read_f32(npy, 0, n, *out);
	ls_npy_free(npy);
	return n;
}

/* Decodes fwd-NAME-z.npy and compares with fwd-NAME-y.npy. */
static void
check_forward(const char *name, double tol)
{
	char err[LS_ERR_MAX], path[256];
	struct ls_model *m;
	float *z, *y, *got;
	long nz, ny, n;

	snprintf(path, sizeof path, "fwd-%s.safetensors", name);
	if (!ok(ls_model_open(fixture(path), &m, err) == LS_OK, "open %s", path)) {
		diag("%s", err);
		return;
	}
	snprintf(path, sizeof path, "fwd-%s-z.npy", name);
	nz = load_npy(path, &z);
	snprintf(path, sizeof path, "fwd-%s-y.npy", name);
	ny = load_npy(path, &y);
	n = nz / ls_model_dim(m);
	ok(n > 0 && ny == n * ls_model_out_dim(m), "%s: fixture shapes agree with the model", name);
	got = xcalloc((size_t)ny, sizeof *got);
	ls_model_decode(m, z, n, got);
	snprintf(path, sizeof path, "%s: batch decode equals PyTorch", name);
	ok_maxdiff(got, y, ny, tol, path);
	/* one latent is a batch of one: same numbers row by row */
	ls_model_decode(m, z + (n - 1) * ls_model_dim(m), 1, got);
	snprintf(path, sizeof path, "%s: single decode equals PyTorch", name);
	ok_maxdiff(got, y + (n - 1) * ls_model_out_dim(m), ls_model_out_dim(m), tol, path);
	free(z);
	free(y);
	free(got);
	ls_model_free(m);
}

static void
check_encoder(void)
{
	char err[LS_ERR_MAX];
	struct ls_model *m;
	float *x, *want, *got;
	long nx, nz, n;

	if (ls_model_open(fixture("fwd-relu.safetensors"), &m, err) != LS_OK)
		return;
	nx = load_npy("fwd-relu-x.npy", &x);
	nz = load_npy("fwd-relu-zenc.npy", &want);
	n = nx / ls_model_out_dim(m);
	ok(ls_model_encoder(m) && ls_model_encoder_vae(m), "relu fixture has a VAE encoder");
	got = xcalloc((size_t)nz, sizeof *got);
	ok(ls_model_encode(m, x, n, got, err) == LS_OK, "encode runs");
	ok_maxdiff(got, want, nz, 1e-5, "encoder mean equals PyTorch");
	free(x);
	free(want);
	free(got);
	ls_model_free(m);
}

/* Builds an in-memory safetensors with one 2x3 layer and a program. */
static enum ls_status
try_program(const char *program, const char *image, float w00, char *err)
{
	float w[6] = { w00, 2, 3, 4, 5, 6 }, b[2] = { 0.5f, -0.5f };
	struct ls_st_out t[2] = { { "a.weight", 2, { 2, 3 }, w }, { "a.bias", 1, { 2 }, b } };
	const char *meta[] = { "linscope.decoder", program, "linscope.image", image };
	char path[512];
	struct ls_model *m = NULL;
	enum ls_status s;

	snprintf(path, sizeof path, "%s/prog.safetensors", tmpdir());
	if ((s = ls_st_write(path, t, 2, meta, 2, err)) != LS_OK)
		return s;
	s = ls_model_open(path, &m, err);
	ls_model_free(m);
	unlink(path);
	return s;
}

static void
check_programs(void)
{
	char err[LS_ERR_MAX] = "";

	ok(try_program("a relu", "1x2x1", 1, err) == LS_OK, "valid program loads");
	ok(try_program("a leaky_relu:0.2 sigmoid", "2x1x1", 1, err) == LS_OK, "leaky_relu:SLOPE loads");
	ok(try_program("a swish", "1x2x1", 1, err) == LS_EFORMAT && strstr(err, "swish"),
	   "unknown token named: %s", err);
	ok(try_program("a leaky_relu:x", "1x2x1", 1, err) == LS_EFORMAT, "bad slope: %s", err);
	ok(try_program("b relu", "1x2x1", 1, err) == LS_EFORMAT && strstr(err, "b.weight"),
	   "missing tensor named: %s", err);
	ok(try_program("a a", "1x2x1", 1, err) == LS_EFORMAT && strstr(err, "takes 3"),
	   "widths that do not chain: %s", err);
	ok(try_program("a", "2x2x1", 1, err) == LS_EFORMAT && strstr(err, "needs 4"),
	   "image shape mismatch: %s", err);
	ok(try_program("a", "2 by 1", 1, err) == LS_EFORMAT && strstr(err, "linscope.image"),
	   "bad image metadata: %s", err);
	ok(try_program("a", "1x2x1", NAN, err) == LS_EFORMAT && strstr(err, "non-finite"),
	   "NaN in weights: %s", err);
	ok(try_program("", "1x2x1", 1, err) == LS_EFORMAT, "empty program: %s", err);
}

/* A 2-layer net built by hand: y = relu(W1 x + b1) summed, a closed form. */
static void
check_handmade(void)
{
	char err[LS_ERR_MAX];
	struct ls_layer *l = xcalloc(3, sizeof *l);
	struct ls_net *net;
	float x[4] = { 1, 2, -3, 0.5f }, y[2];

	l[0] = (struct ls_layer){ LS_LAYER_AFFINE, 2, 2, xmalloc(16), NULL, 0, xstrdup("a") };
	memcpy(l[0].w, (float[]){ 1, -1, 2, 1 }, 16);
	l[1] = (struct ls_layer){ LS_LAYER_RELU, 0, 0, NULL, NULL, 0, xstrdup("relu") };
	l[2] = (struct ls_layer){ LS_LAYER_AFFINE, 2, 1, xmalloc(8), xmalloc(4), 0, xstrdup("b") };
	memcpy(l[2].w, (float[]){ 1, 1 }, 8);
	l[2].b[0] = 10;
	ok(ls_net_create(l, 3, &net, err) == LS_OK, "hand-built net");
	ls_net_forward(net, x, 2, y);
	/* x1=(1,2): h=(relu(-1), relu(4)) = (0,4) -> 14; x2=(-3,.5): (relu(-3.5), relu(-5.5)) -> 10 */
	ok_close(y[0], 14, 1e-6, "hand-computed output 1");
	ok_close(y[1], 10, 1e-6, "hand-computed output 2");
	ok(ls_net_params(net) == 4 + 2 + 1, "parameter count");
	ls_net_free(net);
}

int
main(void)
{
	check_forward("relu", 1e-5);
	check_forward("leaky", 1e-5);
	check_forward("deep", 1e-5);
	check_forward("f64", 1e-5);
	check_forward("relu-f16", 1e-5);
	check_forward("relu-bf16", 1e-5);
	check_encoder();
	check_programs();
	check_handmade();
	rmdir(tmpdir());
	return done_testing();
}
