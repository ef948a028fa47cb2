/*
 * test-model.c: the forward pass against PyTorch (fixtures made by
 * tools/make_fixtures.py), the layer-program parser, and model errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

	l[0] = (struct ls_layer){ LS_LAYER_AFFINE, 2, 2, xmalloc(16), NULL, 0, xstrdup("a"), 0 };
	memcpy(l[0].w, (float[]){ 1, -1, 2, 1 }, 16);
	l[1] = (struct ls_layer){ LS_LAYER_RELU, 0, 0, NULL, NULL, 0, xstrdup("relu"), 0 };
	l[2] = (struct ls_layer){ LS_LAYER_AFFINE, 2, 1, xmalloc(8), xmalloc(4), 0, xstrdup("b"), 0 };
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

/* Decodes 16 fixed latents with m into a malloc'd array. */
static float *
decode16(struct ls_model *m)
{
	int d = ls_model_dim(m), i;
	float *z = xmalloc(16 * (size_t)d * sizeof *z);
	float *y = xmalloc(16 * (size_t)ls_model_out_dim(m) * sizeof *y);

	for (i = 0; i < 16 * d; i++)
		z[i] = (float)((i * 37 % 101) - 50) / 25.0f;
	ls_model_decode(m, z, 16, y);
	free(z);
	return y;
}

/* A copy of file src whose data section starts one byte later (the header
 * gets one more trailing space): its float32 weights are unaligned. */
static void
shift_copy(const char *src, const char *dst)
{
	FILE *f = fopen(src, "rb"), *g = fopen(dst, "wb");
	unsigned char pre[8], buf[4096];
	uint64_t n = 0;
	size_t k;
	int i;

	if (!f || !g || fread(pre, 1, 8, f) != 8)
		abort();
	for (i = 7; i >= 0; i--)
		n = n << 8 | pre[i];
	for (i = 0; i < 8; i++)
		pre[i] = (unsigned char)((n + 1) >> (8 * i));
	fwrite(pre, 1, 8, g);
	for (k = 0; k < n; k++)
		fputc(fgetc(f), g);
	fputc(' ', g);
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, k, g);
	fclose(f), fclose(g);
}

/* Aligned F32 weights are used in place; lazy, eager and copied (unaligned)
 * opens decode bit-identically; lazy skips only the NaN scan. */
static void
check_in_place(void)
{
	char err[LS_ERR_MAX], path[512];
	const char *src = fixture("fwd-relu.safetensors");
	struct ls_model_opts o = { 0 };
	struct ls_model *e = NULL, *l = NULL, *c = NULL, *h = NULL;
	const struct ls_net *dec;
	float *ye, *yl, *yc;
	long n;
	int i, mapped = 0, affine = 0;

	snprintf(path, sizeof path, "%s/shifted.safetensors", tmpdir());
	shift_copy(src, path);
	o.lazy = 1;
	if (!ok(ls_model_open(src, &e, err) == LS_OK && ls_model_open_opts(src, &o, &l, err) == LS_OK &&
		ls_model_open(path, &c, err) == LS_OK, "eager, lazy and shifted opens: %s", err))
		return;
	dec = ls_model_decoder(e);
	for (i = 0; i < dec->nlayers; i++)
		if (dec->layers[i].kind == LS_LAYER_AFFINE)
			affine++, mapped += (dec->layers[i].mapped & LS_MAPPED_W) != 0;
	ok(affine > 0 && mapped == affine, "aligned F32: %d of %d weights used in place", mapped, affine);
	dec = ls_model_decoder(c);
	for (i = 0, mapped = 0; i < dec->nlayers; i++)
		mapped += dec->layers[i].mapped != 0;
	ok(mapped == 0, "unaligned F32: copied (%d in place)", mapped);
	n = 16L * ls_model_out_dim(e);
	ye = decode16(e), yl = decode16(l), yc = decode16(c);
	ok(!memcmp(ye, yl, (size_t)n * sizeof *ye), "lazy open decodes bit-identically to the eager one");
	ok(!memcmp(ye, yc, (size_t)n * sizeof *ye), "in place decodes bit-identically to a copy");
	free(ye), free(yl), free(yc);
	ls_model_free(e), ls_model_free(l), ls_model_free(c);
	unlink(path);

	/* NaN in an in-place weight: refused eagerly, not scanned lazily. */
	{
		float w[6] = { NAN, 2, 3, 4, 5, 6 };
		struct ls_st_out t[1] = { { "a.weight", 2, { 2, 3 }, w } };
		const char *meta[] = { "linscope.decoder", "a", "linscope.image", "1x2x1" };

		snprintf(path, sizeof path, "%s/nan.safetensors", tmpdir());
		ok(ls_st_write(path, t, 1, meta, 2, err) == LS_OK, "NaN fixture written");
		ok(ls_model_open(path, &e, err) == LS_EFORMAT && strstr(err, "non-finite"),
		   "eager open refuses a NaN used in place: %s", err);
		ok(ls_model_open_opts(path, &o, &h, err) == LS_OK && ls_model_dim(h) == 3,
		   "lazy open (info) reads the header without scanning the values");
		ls_model_free(h);
		unlink(path);
	}
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
	check_in_place();
	rmdir(tmpdir());
	return done_testing();
}
