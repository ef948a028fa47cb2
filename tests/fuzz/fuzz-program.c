/*
 * fuzz-program.c: libFuzzer harness for the layer program parser,
 * ls_net_parse(), over safetensors images held in memory (ls_st_open_mem).
 *
 * First byte < 0x80: the rest is a program run against a fixed image with
 * good and bad tensors (F32/F16/BF16/I32 weights, a missing and a
 * mismatched bias, a 1-D weight, a zero width, a NaN). Otherwise the rest
 * is a whole safetensors image whose __metadata__ linscope.decoder and
 * linscope.encoder programs are parsed against it. A net that parses runs
 * one forward pass on a batch of two.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/model.h"
#include "base/util.h"
#include "linscope/st.h"
#include "fuzz.h"

struct fx_tensor {
	const char *name, *dtype;
	int ndim;
	int shape[2];
	int esize;
	int nan;      /* the first element is NaN */
};

static const struct fx_tensor fx[] = {
	{ "a.weight", "F32", 2, { 3, 2 }, 4, 0 },  { "a.bias", "F32", 1, { 3 }, 4, 0 },
	{ "b.weight", "F32", 2, { 2, 3 }, 4, 0 },  { "c.weight", "F16", 2, { 2, 2 }, 2, 0 },
	{ "c.bias", "F16", 1, { 2 }, 2, 0 },       { "e.weight", "BF16", 2, { 3, 3 }, 2, 0 },
	{ "i.weight", "I32", 2, { 2, 2 }, 4, 0 },  { "n.weight", "F32", 2, { 2, 2 }, 4, 1 },
	{ "bad.weight", "F32", 1, { 2 }, 4, 0 },   { "mm.weight", "F32", 2, { 2, 2 }, 4, 0 },
	{ "mm.bias", "F32", 1, { 3 }, 4, 0 },      { "z.weight", "F32", 2, { 2, 0 }, 4, 0 },
	{ "x:y.weight", "F32", 2, { 2, 2 }, 4, 0 }, { "relu.weight", "F32", 2, { 2, 2 }, 4, 0 },
};

static uint8_t *fx_buf;
static size_t fx_len;

/* Fills a tensor's bytes with small values (0x3c00 = 1.0 in F16). */
static void
fx_fill(const struct fx_tensor *t, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i % 7 == 3 ? 0x3c : (i * 37) & 0x1f);
	if (t->nan && t->esize == 4)
		memcpy(p, "\x00\x00\xc0\x7f", 4);
}

/* Builds the fixed safetensors image once. */
static void
fx_build(void)
{
	char hdr[4096], *h = hdr;
	size_t off = 0, sz[sizeof fx / sizeof fx[0]], k, hl;
	uint8_t *p;

	h += sprintf(h, "{\"__metadata__\":{\"note\":\"fuzz\"}");
	for (k = 0; k < sizeof fx / sizeof fx[0]; k++) {
		sz[k] = (size_t)fx[k].esize * (size_t)fx[k].shape[0] *
			(size_t)(fx[k].ndim == 2 ? fx[k].shape[1] : 1);
		h += sprintf(h, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[%d", fx[k].name,
			     fx[k].dtype, fx[k].shape[0]);
		if (fx[k].ndim == 2)
			h += sprintf(h, ",%d", fx[k].shape[1]);
		h += sprintf(h, "],\"data_offsets\":[%zu,%zu]}", off, off + sz[k]);
		off += sz[k];
	}
	h += sprintf(h, "}");
	hl = (size_t)(h - hdr);
	fx_len = 8 + hl + off;
	fx_buf = p = calloc(1, fx_len);
	for (k = 0; k < 8; k++)
		p[k] = (uint8_t)(hl >> (8 * k));
	memcpy(p + 8, hdr, hl);
	p += 8 + hl;
	for (k = 0; k < sizeof fx / sizeof fx[0]; k++) {
		fx_fill(&fx[k], p, sz[k]);
		p += sz[k];
	}
}

/* Parses program against st; runs a net that parses on two inputs. */
static void
program_try(const struct ls_st *st, const char *program)
{
	struct ls_net *net = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s;
	float *x, *y;

	s = ls_net_parse(st, program, "fuzz.program", &net, err);
	fuzz_check_err(s, err);
	if (s != LS_OK)
		return;
	if (net->nlayers < 1 || net->in < 1 || net->out < 1 || net->maxw < net->in)
		abort();
	(void)ls_net_params(net);
	(void)ls_net_is_pl(net);
	if ((long)net->in * net->maxw < (1L << 20)) {
		x = calloc(2 * (size_t)net->in, sizeof *x);
		y = calloc(2 * (size_t)net->out, sizeof *y);
		x[0] = 1.0f;
		ls_net_forward(net, x, 2, y);
		free(x);
		free(y);
	}
	ls_net_free(net);
}

/* Mode 0: data is a program against the fixed image. */
static void
fixed_image(const uint8_t *data, size_t size)
{
	struct ls_st *st;
	char err[LS_ERR_MAX], *prog;

	if (!fx_buf)
		fx_build();
	if (ls_st_open_mem(fx_buf, fx_len, "fixed.safetensors", &st, err) != LS_OK) {
		fprintf(stderr, "fuzz-program: fixed image: %s\n", err);
		abort();
	}
	prog = malloc(size + 1);
	memcpy(prog, data, size);
	prog[size] = 0;
	program_try(st, prog);
	free(prog);
	ls_st_free(st);
}

/* Mode 1: data is a whole image carrying its own programs. */
static void
own_image(const uint8_t *data, size_t size)
{
	struct ls_st *st;
	char err[LS_ERR_MAX] = "";
	const char *p;
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	if (ls_st_open_mem(buf, size, "fuzz.safetensors", &st, err) == LS_OK) {
		if ((p = ls_st_meta(st, "linscope.decoder")))
			program_try(st, p);
		if ((p = ls_st_meta(st, "linscope.encoder")))
			program_try(st, p);
		ls_st_free(st);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] < 0x80)
		fixed_image(data + 1, size - 1);
	else
		own_image(data + 1, size - 1);
	return 0;
}
