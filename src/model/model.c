/*
 * model.c: reading a model from safetensors: the layer programs of
 * linscope.decoder / linscope.encoder, the image shape and output range
 * (the contract in linscope-files(5)), and decode/encode of batches.
 *
 * F32 weights that are 4-byte aligned in the mapping are used in place (no
 * copy; the model keeps the file mapped), other dtypes are widened into
 * malloc'd float32. Either way every value is checked finite at open, in the
 * pass that widens or, in place, one read-only pass (opts.lazy skips that
 * pass for in-place weights: 'info' then reads only the header).
 * Invariant: decoder->in == d, decoder->out == C*H*W, encoder->in == C*H*W
 * and encoder->out is d or 2d.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/model.h"
#include "linscope/sniff.h"
#include "linscope/st.h"
#include "base/util.h"

#include "model_impl.h"

/* The index of the first non-finite float32 of v (n values), or -1: exponent
 * bits all ones, tested on the bits in blocks the compiler vectorises. */
static int64_t
first_nonfinite(const float *v, int64_t n)
{
	const uint32_t *u = (const uint32_t *)v;
	int64_t i, j;

	for (i = 0; i < n; i += 1024) {
		int64_t e = n - i < 1024 ? n : i + 1024;
		uint32_t any = 0;
		for (j = i; j < e; j++)
			any |= (uint32_t)((u[j] & 0x7f800000u) == 0x7f800000u);
		if (!any)
			continue;
		for (j = i; j < e; j++)
			if (!isfinite(v[j]))
				return j;
	}
	return -1;
}

static int
in_place_ok(const struct ls_tensor *t)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return t->dtype == LS_F32 && ((uintptr_t)t->data & 3) == 0;
#else
	(void)t;
	return 0;
#endif
}

/* Tensor t as float32, refusing NaN and infinity: in place (sets flag in
 * *mapped) when in_place_ok, else a new buffer. lazy: in-place values are
 * not scanned. */
static enum ls_status
tensor_load(const struct ls_st *st, const struct ls_tensor *t, int lazy, float **out,
	    int *mapped, int flag, char *err)
{
	int place = in_place_ok(t);
	float *v = place ? (float *)t->data : xreallocarray(NULL, (size_t)t->numel, sizeof *v);
	int64_t i = -1;

	if (!place)
		ls_tensor_to_f32(t, v);
	if (!place || !lazy)
		i = first_nonfinite(v, t->numel);
	if (i >= 0) {
		double bad = v[i];

		if (!place)
			free(v);
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' has a non-finite value (%g) at index %lld",
			      ls_st_path(st), t->name, bad, (long long)i);
	}
	if (place)
		*mapped |= flag;
	*out = v;
	return LS_OK;
}

/* An affine layer from PREFIX.weight (out, in) and optional PREFIX.bias. */
static enum ls_status
affine_load(const struct ls_st *st, const char *prefix, int lazy, struct ls_layer *l, char *err)
{
	char name[512];
	const struct ls_tensor *w, *b;
	enum ls_status s;

	snprintf(name, sizeof name, "%s.weight", prefix);
	if (!(w = ls_st_find(st, name)))
		return ls_err(err, LS_EFORMAT, "%s: the program names '%s' but there is no tensor '%s'",
			      ls_st_path(st), prefix, name);
	if (w->ndim != 2 || w->shape[0] < 1 || w->shape[1] < 1 ||
	    w->shape[0] > LS_MAX_WIDTH || w->shape[1] > LS_MAX_WIDTH)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' must have shape [out, in] (2 dimensions, 1..%d)",
			      ls_st_path(st), name, LS_MAX_WIDTH);
	l->kind = LS_LAYER_AFFINE;
	l->out = (int)w->shape[0];
	l->in = (int)w->shape[1];
	if ((s = tensor_load(st, w, lazy, &l->w, &l->mapped, LS_MAPPED_W, err)) != LS_OK)
		return s;
	snprintf(name, sizeof name, "%s.bias", prefix);
	if (!(b = ls_st_find(st, name)))
		return LS_OK;
	if (b->ndim != 1 || b->shape[0] != l->out)
		return ls_err(err, LS_EFORMAT, "%s: tensor '%s' must have shape [%d] to match '%s.weight'",
			      ls_st_path(st), name, l->out, prefix);
	return tensor_load(st, b, lazy, &l->b, &l->mapped, LS_MAPPED_B, err);
}

/* Parses an activation token; 1 if it is one, 0 if not, -1 if malformed. */
static int
act_parse(const char *tok, struct ls_layer *l)
{
	static const struct { const char *name; enum ls_layer_kind kind; } acts[] = {
		{ "relu", LS_LAYER_RELU }, { "tanh", LS_LAYER_TANH },
		{ "sigmoid", LS_LAYER_SIGMOID }, { "identity", LS_LAYER_IDENTITY },
		{ "leaky_relu", LS_LAYER_LEAKY_RELU },
	};
	size_t i;
	double s;

	for (i = 0; i < sizeof acts / sizeof acts[0]; i++) {
		if (strcmp(tok, acts[i].name) == 0) {
			l->kind = acts[i].kind;
			l->slope = 0.01f;
			return 1;
		}
	}
	if (strncmp(tok, "leaky_relu:", 11) == 0) {
		if (ls_parse_double(tok + 11, &s) || fabs(s) > 1e6)
			return -1;
		l->kind = LS_LAYER_LEAKY_RELU;
		l->slope = (float)s;
		return 1;
	}
	return 0;
}

/* One token: an activation or an affine layer named by a tensor prefix. */
static enum ls_status
token_load(const struct ls_st *st, const char *tok, const char *what, int lazy,
	   struct ls_layer *l, char *err)
{
	char pfx[512];
	int a;

	l->name = xstrdup(tok);
	if ((a = act_parse(tok, l)) > 0)
		return LS_OK;
	if (a < 0)
		return ls_err(err, LS_EFORMAT, "%s: %s: bad layer token '%s' (want leaky_relu:SLOPE)",
			      ls_st_path(st), what, tok);
	snprintf(pfx, sizeof pfx, "%s.weight", tok);
	if (!ls_st_find(st, pfx) && strchr(tok, ':'))
		return ls_err(err, LS_EFORMAT, "%s: %s: unknown layer token '%s'",
			      ls_st_path(st), what, tok);
	if (!ls_st_find(st, pfx))
		return ls_err(err, LS_EFORMAT, "%s: %s: '%s' is neither an activation (relu, leaky_relu:SLOPE, tanh, sigmoid, identity) nor a tensor prefix ('%s' is missing)",
			      ls_st_path(st), what, tok, pfx);
	return affine_load(st, tok, lazy, l, err);
}

static enum ls_status
net_parse(const struct ls_st *st, const char *program, const char *what, int lazy,
	  struct ls_net **net, char *err)
{
	struct ls_layer *layers = NULL;
	enum ls_status s = LS_OK;
	char *copy, *tok, *save = NULL;
	int n = 0;

	*net = NULL;
	if (strlen(program) > LS_MAX_PROGRAM)
		return ls_err(err, LS_EFORMAT, "%s: %s: layer program longer than %d bytes",
			      ls_st_path(st), what, LS_MAX_PROGRAM);
	copy = xstrdup(program);
	for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (n == LS_MAX_LAYERS) {
			s = ls_err(err, LS_EFORMAT, "%s: %s: more than %d layers",
				   ls_st_path(st), what, LS_MAX_LAYERS);
			break;
		}
		layers = xreallocarray(layers, (size_t)n + 1, sizeof *layers);
		memset(&layers[n], 0, sizeof *layers);
		if ((s = token_load(st, tok, what, lazy, &layers[n++], err)) != LS_OK)
			break;
	}
	free(copy);
	if (s == LS_OK && n == 0)
		s = ls_err(err, LS_EFORMAT, "%s: %s: empty layer program", ls_st_path(st), what);
	if (s != LS_OK) {
		ls_layers_free(layers, n);
		return s;
	}
	if ((s = ls_net_create(layers, n, net, err)) != LS_OK) {
		char tmp[LS_ERR_MAX];
		snprintf(tmp, sizeof tmp, "%s", err ? err : "");
		ls_err(err, LS_EFORMAT, "%s: %s: %s", ls_st_path(st), what, tmp);
		return LS_EFORMAT;
	}
	return LS_OK;
}

enum ls_status
ls_net_parse(const struct ls_st *st, const char *program, const char *what,
	     struct ls_net **net, char *err)
{
	return net_parse(st, program, what, 0, net, err);
}

/* "HxWxC" */
static enum ls_status
image_parse(const struct ls_st *st, struct ls_model *m, char *err)
{
	const char *v = ls_st_meta(st, "linscope.image");
	char tail;

	if (!v)
		return ls_err(err, LS_EFORMAT, "%s: metadata 'linscope.image' (HxWxC) is missing",
			      ls_st_path(st));
	if (sscanf(v, "%dx%dx%d%c", &m->h, &m->w, &m->c, &tail) != 3 ||
	    m->h < 1 || m->w < 1 || m->c < 1 || m->h > 16384 || m->w > 16384 || m->c > 4)
		return ls_err(err, LS_EFORMAT, "%s: metadata 'linscope.image' is '%s', want HxWxC (e.g. 28x28x1, C <= 4)",
			      ls_st_path(st), v);
	return LS_OK;
}

/* "lo,hi", default 0,1. */
static enum ls_status
range_parse(const struct ls_st *st, struct ls_model *m, char *err)
{
	const char *v = ls_st_meta(st, "linscope.range");
	double lo, hi;
	char tail;

	m->lo = 0;
	m->hi = 1;
	if (!v)
		return LS_OK;
	if (sscanf(v, "%lf,%lf%c", &lo, &hi, &tail) != 2 || !isfinite(lo) ||
	    !isfinite(hi) || !(lo < hi))
		return ls_err(err, LS_EFORMAT, "%s: metadata 'linscope.range' is '%s', want lo,hi with lo < hi",
			      ls_st_path(st), v);
	m->lo = (float)lo;
	m->hi = (float)hi;
	return LS_OK;
}

/* The dtype of the decoder's first weight, or "mixed". */
static void
dtype_note(const struct ls_st *st, struct ls_model *m)
{
	const char *first = NULL;
	int i, n = ls_st_count(st);

	for (i = 0; i < n; i++) {
		const struct ls_tensor *t = ls_st_tensor(st, i);
		if (!first)
			first = t->dtype_name;
		else if (strcmp(first, t->dtype_name) != 0)
			first = "mixed";
	}
	snprintf(m->dtype, sizeof m->dtype, "%s", first ? first : "none");
}

/* Checks the shapes of decoder, image and encoder against each other. */
static enum ls_status
model_check(const struct ls_st *st, struct ls_model *m, char *err)
{
	int out = m->c * m->h * m->w, d = m->dec->in;

	if (m->dec->out != out)
		return ls_err(err, LS_EFORMAT, "%s: the decoder gives %d values but linscope.image %dx%dx%d needs %d",
			      ls_st_path(st), m->dec->out, m->h, m->w, m->c, out);
	if (!m->enc)
		return LS_OK;
	if (m->enc->in != out)
		return ls_err(err, LS_EFORMAT, "%s: the encoder takes %d values but images have %d",
			      ls_st_path(st), m->enc->in, out);
	if (m->enc->out != d && m->enc->out != 2 * d)
		return ls_err(err, LS_EFORMAT, "%s: the encoder gives %d values; want d = %d or 2d (a VAE's mean and log-variance)",
			      ls_st_path(st), m->enc->out, d);
	m->vae = m->enc->out == 2 * d;
	return LS_OK;
}

/* A safetensors file without a layer program (a plain state_dict): say
 * what to add, with the file's own layer names. */
static enum ls_status
no_program(const struct ls_st *st, char *err)
{
	char layers[160];

	ls_sniff_st_layers(st, layers, sizeof layers);
	return ls_err(err, LS_EFORMAT,
		      "%s: no layer program (a plain state_dict?): add the metadata 'linscope.decoder', its layers "
		      "in order with activations (e.g. \"%s relu ... sigmoid\"; its 2-D weights: %s), and "
		      "'linscope.image' HxWxC (see linscope-files(5)), or export the model with torch.onnx.export",
		      ls_st_path(st), layers[0] ? layers : "fc1", layers[0] ? layers : "none");
}

static enum ls_status
model_build(const struct ls_st *st, struct ls_model *m, int lazy, char *err)
{
	const char *dec = ls_st_meta(st, "linscope.decoder");
	const char *enc = ls_st_meta(st, "linscope.encoder");
	enum ls_status s;

	if (!dec)
		return no_program(st, err);
	if ((s = image_parse(st, m, err)) || (s = range_parse(st, m, err)))
		return s;
	if ((s = net_parse(st, dec, "linscope.decoder", lazy, &m->dec, err)))
		return s;
	if (enc && (s = net_parse(st, enc, "linscope.encoder", lazy, &m->enc, err)))
		return s;
	dtype_note(st, m);
	return model_check(st, m, err);
}

static struct ls_model_opts model_defaults;

void
ls_model_set_defaults(const struct ls_model_opts *o)
{
	free(model_defaults.encoder);
	model_defaults = *o;
	model_defaults.encoder = o->encoder ? xstrdup(o->encoder) : NULL;
}

void
ls_model_defaults(struct ls_model_opts *o)
{
	*o = model_defaults;
}

/* --image and --range over what the file says. */
static enum ls_status
model_overrides(struct ls_model *m, const struct ls_model_opts *o, char *err)
{
	if (o->has_range) {
		m->lo = o->lo;
		m->hi = o->hi;
	}
	if (o->c && o->c * o->h * o->w != m->c * m->h * m->w)
		return ls_err(err, LS_EINVAL, "%s: --image %dx%dx%d has %d values but the decoder gives %d",
			      m->path, o->h, o->w, o->c, o->c * o->h * o->w, m->c * m->h * m->w);
	if (o->c)
		m->c = o->c, m->h = o->h, m->w = o->w;
	return LS_OK;
}

/* The mapping stays open with the model (weights may be used in place). */
static enum ls_status
model_open_st(const char *path, struct ls_model *m, int lazy, char *err)
{
	enum ls_status s;

	if ((s = ls_st_open(path, &m->st, err)) != LS_OK)
		return s;
	memcpy(m->hash, ls_st_hash(m->st), 17);
	return model_build(m->st, m, lazy, err);
}

enum ls_status
ls_model_open_opts(const char *path, const struct ls_model_opts *o, struct ls_model **out,
		   char *err)
{
	struct ls_model *m;
	enum ls_file_kind kind;
	enum ls_status s;

	*out = NULL;
	if (!o)
		o = &model_defaults;
	if ((s = ls_sniff_model(path, &kind, err)) != LS_OK)   /* by content, not name */
		return s;
	m = xcalloc(1, sizeof *m);
	m->path = xstrdup(path);
	if (kind == LS_FILE_ONNX)
		s = model_open_onnx(path, o, m, err);
	else if ((s = model_open_st(path, m, o->lazy, err)) == LS_OK)
		s = model_overrides(m, o, err);
	if (s == LS_OK && o->encoder)
		s = model_onnx_encoder(o->encoder, m, err);
	if (s != LS_OK) {
		ls_model_free(m);
		return s;
	}
	*out = m;
	return LS_OK;
}

enum ls_status
ls_model_open(const char *path, struct ls_model **out, char *err)
{
	return ls_model_open_opts(path, NULL, out, err);
}

void
ls_model_free(struct ls_model *m)
{
	if (!m)
		return;
	ls_net_free(m->dec);
	ls_net_free(m->enc);
	ls_st_free(m->st);      /* after the nets: their weights may point into it */
	free(m->path);
	free(m);
}

const char *ls_model_path(const struct ls_model *m) { return m->path; }
const char *ls_model_hash(const struct ls_model *m) { return m->hash; }
const char *ls_model_dtype(const struct ls_model *m) { return m->dtype; }
int ls_model_dim(const struct ls_model *m) { return m->dec->in; }
int ls_model_out_dim(const struct ls_model *m) { return m->dec->out; }
struct ls_net *ls_model_decoder(struct ls_model *m) { return m->dec; }
struct ls_net *ls_model_encoder(struct ls_model *m) { return m->enc; }
int ls_model_encoder_vae(const struct ls_model *m) { return m->vae; }

void
ls_model_image(const struct ls_model *m, int *c, int *h, int *w)
{
	*c = m->c;
	*h = m->h;
	*w = m->w;
}

void
ls_model_range(const struct ls_model *m, float *lo, float *hi)
{
	*lo = m->lo;
	*hi = m->hi;
}

void
ls_model_decode(struct ls_model *m, const float *z, long n, float *out)
{
	ls_net_forward(m->dec, z, n, out);
}

/* Runs the encoder and keeps the first d outputs of each row (the mean). */
enum ls_status
ls_model_encode(struct ls_model *m, const float *x, long n, float *z, char *err)
{
	int d = m->dec->in, eo;
	float *tmp;
	long i;

	if (!m->enc)
		return ls_err(err, LS_EINVAL, "%s: the model has no encoder (metadata 'linscope.encoder', or --encoder ENCODER.onnx)",
			      m->path);
	eo = m->enc->out;
	if (eo == d) {
		ls_net_forward(m->enc, x, n, z);
		return LS_OK;
	}
	tmp = xreallocarray(NULL, (size_t)(n * eo), sizeof *tmp);
	ls_net_forward(m->enc, x, n, tmp);
	for (i = 0; i < n; i++)
		memcpy(z + i * d, tmp + i * eo, (size_t)d * sizeof *z);
	free(tmp);
	return LS_OK;
}
