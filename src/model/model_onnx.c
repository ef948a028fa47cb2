/*
 * model_onnx.c: ONNX decoders and encoders as models (the contract in
 * linscope-files(5)).
 *
 * Decoder: one input (batch, d) or (batch, d, 1, 1); an output (batch, C, H,
 * W) gives the image; a flat output (batch, K) takes --image, else the
 * metadata_props key linscope.image, else a square grey image when K is a
 * perfect square. Range: --range, else linscope.range, else [-1, 1] when
 * the graph ends in Tanh, else [0, 1]. Encoder: input (batch, C, H, W) or
 * flat with C*H*W values; the first d values of its first output are the
 * latent (one mu || logvar output, or mu first of two outputs).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "graph.h"
#include "linscope/onnx.h"
#include "model_impl.h"

int
ls_model_parse_image(const char *s, struct ls_model_opts *o)
{
	char tail;

	if (sscanf(s, "%dx%dx%d%c", &o->h, &o->w, &o->c, &tail) != 3 || o->h < 1 || o->w < 1 ||
	    o->c < 1 || o->h > 16384 || o->w > 16384 || o->c > 4) {
		o->c = o->h = o->w = 0;
		return -1;
	}
	return 0;
}

int
ls_model_parse_range(const char *s, struct ls_model_opts *o)
{
	double lo, hi;
	char tail;

	if (sscanf(s, "%lf,%lf%c", &lo, &hi, &tail) != 2 || !isfinite(lo) || !isfinite(hi) || !(lo < hi))
		return -1;
	o->lo = (float)lo, o->hi = (float)hi, o->has_range = 1;
	return 0;
}

static enum ls_status
onnx_net_open(const char *path, struct ls_net **net, struct ls_onnx **keep, char *err)
{
	struct ls_onnx *o;
	enum ls_status s;

	if ((s = ls_onnx_open(path, &o, err)) != LS_OK)
		return s;
	s = ls_onnx_net(o, net, err);
	*keep = o;
	return s;
}

/* The image shape of a decoder output from the graph, the options, the
 * metadata, or a square. */
static enum ls_status
onnx_image(const struct ls_onnx *o, const struct ls_model_opts *op, struct ls_model *m,
	   char *err)
{
	const struct gshape *s = graph_vshape(ls_net_graph(m->dec), ls_net_graph(m->dec)->outv);
	struct ls_model_opts im = { 0 };
	long k = m->dec->out, r = (long)floor(sqrt((double)k) + 0.5);
	const char *meta = ls_onnx_prop(o, "linscope.image");

	if (s->nd == 3 && s->d[0] <= 4) {
		m->c = (int)s->d[0], m->h = (int)s->d[1], m->w = (int)s->d[2];
		if (op->c && (op->c != m->c || op->h != m->h || op->w != m->w))
			return ls_err(err, LS_EINVAL, "%s: --image %dx%dx%d but the decoder gives %dx%dx%d images",
				      m->path, op->h, op->w, op->c, m->h, m->w, m->c);
		return LS_OK;
	}
	if (op->c)
		im = *op;
	else if (meta && ls_model_parse_image(meta, &im))
		return ls_err(err, LS_EFORMAT, "%s: metadata 'linscope.image' is '%s', want HxWxC (e.g. 28x28x1, C <= 4)",
			      m->path, meta);
	else if (!meta && r * r == k)
		im.c = 1, im.h = im.w = (int)r;
	if (!im.c)
		return ls_err(err, LS_EINVAL, "%s: the decoder gives %ld values per image and no image shape: pass --image HxWxC (or set metadata 'linscope.image')",
			      m->path, k);
	if ((long)im.c * im.h * im.w != k)
		return ls_err(err, LS_EINVAL, "%s: image %dx%dx%d has %d values but the decoder gives %ld",
			      m->path, im.h, im.w, im.c, im.c * im.h * im.w, k);
	m->c = im.c, m->h = im.h, m->w = im.w;
	return LS_OK;
}

static enum ls_status
onnx_range(const struct ls_onnx *o, const struct ls_model_opts *op, struct ls_model *m, char *err)
{
	const char *meta = ls_onnx_prop(o, "linscope.range");
	struct ls_model_opts r = { 0 };
	int act;

	graph_tail(ls_net_graph(m->dec), &act);
	m->lo = act == GA_TANH ? -1 : 0;
	m->hi = 1;
	if (op->has_range)
		r = *op;
	else if (meta && ls_model_parse_range(meta, &r))
		return ls_err(err, LS_EFORMAT, "%s: metadata 'linscope.range' is '%s', want lo,hi with lo < hi",
			      m->path, meta);
	if (r.has_range)
		m->lo = r.lo, m->hi = r.hi;
	return LS_OK;
}

static enum ls_status
file_hash(const char *path, char hash[17], char *err)
{
	const void *base;
	size_t len;
	enum ls_status s;

	if ((s = ls_map_file(path, &base, &len, err)) != LS_OK)
		return s;
	ls_hash_file(base, len, hash);   /* header and sampled blocks */
	ls_unmap(base, len);
	return LS_OK;
}

static int
onnx_decoder_input_ok(const struct ls_net *dec)
{
	const struct gshape *s = &ls_net_graph(dec)->insh;

	return s->nd == 1 || (s->nd == 3 && s->d[1] == 1 && s->d[2] == 1);
}

enum ls_status
model_open_onnx(const char *path, const struct ls_model_opts *op, struct ls_model *m, char *err)
{
	struct ls_onnx *o = NULL;
	enum ls_status s;

	if ((s = onnx_net_open(path, &m->dec, &o, err)) != LS_OK)
		goto out;
	if ((s = file_hash(path, m->hash, err)) != LS_OK)
		goto out;
	snprintf(m->dtype, sizeof m->dtype, "%s", o->ninits && o->inits[0].dtype == LS_ONNX_FLOAT16 ? "F16" : "F32");
	if (!onnx_decoder_input_ok(m->dec)) {
		s = ls_err(err, LS_EFORMAT, "%s: the decoder input must be (batch, d) or (batch, d, 1, 1)", path);
		goto out;
	}
	if ((s = onnx_image(o, op, m, err)) == LS_OK)
		s = onnx_range(o, op, m, err);
out:
	ls_onnx_free(o);
	return s;
}

enum ls_status
model_onnx_encoder(const char *path, struct ls_model *m, char *err)
{
	struct ls_onnx *o = NULL;
	struct ls_net *enc = NULL;
	enum ls_status s;
	int d = m->dec->in, img = m->c * m->h * m->w;

	if ((s = onnx_net_open(path, &enc, &o, err)) != LS_OK)
		goto out;
	if (enc->in != img) {
		s = ls_err(err, LS_EINVAL, "%s: the encoder takes %d values but the decoder's images have %d (%dx%dx%d)",
			   path, enc->in, img, m->h, m->w, m->c);
		goto out;
	}
	if (enc->out < d) {
		s = ls_err(err, LS_EINVAL, "%s: the encoder gives %d values; the latent has d = %d", path,
			   enc->out, d);
		goto out;
	}
	ls_net_free(m->enc);
	m->enc = enc;
	enc = NULL;
	m->vae = m->enc->out == 2 * d;
out:
	ls_net_free(enc);
	ls_onnx_free(o);
	return s;
}
