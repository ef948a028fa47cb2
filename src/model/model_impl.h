/*
 * model_impl.h: the model struct, shared by model.c (safetensors layer
 * programs, the public accessors) and model_onnx.c (ONNX decoders and
 * encoders).
 *
 * Invariant after open: dec->in == d, dec->out == c*h*w, enc (if any) takes
 * c*h*w values and gives at least d (the first d are the latent).
 */
#ifndef LINSCOPE_MODEL_IMPL_H
#define LINSCOPE_MODEL_IMPL_H

#include "linscope/model.h"

struct ls_st;

struct ls_model {
	char *path;
	char hash[17];
	char dtype[16];
	struct ls_net *dec, *enc;
	struct ls_st *st;       /* safetensors: kept mapped (weights in place) */
	int c, h, w;
	float lo, hi;
	int vae;
};

/* Reads an ONNX decoder into m (image shape and range from the graph, the
 * metadata and o). */
enum ls_status model_open_onnx(const char *path, const struct ls_model_opts *o,
			       struct ls_model *m, char *err);
/* Replaces m's encoder by the ONNX encoder at path. */
enum ls_status model_onnx_encoder(const char *path, struct ls_model *m, char *err);

#endif
