/*
 * model.h: encoder/decoder networks as layer programs, and their forward pass.
 *
 * A network (struct ls_net) is a list of layers: affine maps y = W x + b and
 * elementwise activations. Weights are float32, owned by the net, converted
 * from the file's dtype at load. The forward pass of a batch uses one GEMM
 * per affine layer (see blas.c); one latent is a batch of one.
 *
 * A model (struct ls_model, opaque) is a decoder, an optional encoder, the
 * image shape (C, H, W) and the output range, read from a safetensors file
 * whose __metadata__ follows the contract in linscope-files(5).
 */
#ifndef LINSCOPE_MODEL_H
#define LINSCOPE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "linscope/status.h"

#define LS_MAX_LAYERS 256
#define LS_MAX_WIDTH (1 << 24)
#define LS_MAX_PROGRAM 65536   /* bytes in one layer program */

enum ls_layer_kind {
	LS_LAYER_AFFINE,
	LS_LAYER_RELU,
	LS_LAYER_LEAKY_RELU,
	LS_LAYER_TANH,
	LS_LAYER_SIGMOID,
	LS_LAYER_IDENTITY
};

struct ls_layer {
	enum ls_layer_kind kind;
	int in, out;          /* widths; equal for activations */
	float *w;             /* (out, in), row-major; affine only */
	float *b;             /* (out); NULL when the layer has no bias */
	float slope;          /* leaky_relu only */
	char *name;           /* tensor prefix or token, owned */
	int mapped;           /* LS_MAPPED_W / _B: w / b point into a file mapping
			       * that outlives the net (not freed with it) */
};
#define LS_MAPPED_W 1
#define LS_MAPPED_B 2

/* A network: a graph of node kinds (src/model/graph.h). in and out are the
 * numbers of values of one input and one output sample, maxw the largest
 * value of the graph. Nets built from a layer program (and ONNX graphs
 * that are one) also keep the layer view: layers[0..nlayers) describe the
 * whole net; other graphs have nlayers 0 and layers NULL. Read-only. */
struct ls_graph;
struct ls_net {
	int nlayers;
	struct ls_layer *layers;
	int in, out;          /* input and output widths */
	int maxw;             /* widest value, for scratch sizing */
	struct ls_graph *graph;   /* private */
};

/* Builds a net from layers (takes ownership of layers and their buffers),
 * checking that widths chain. Free with ls_net_free(). */
enum ls_status ls_net_create(struct ls_layer *layers, int n, struct ls_net **net, char *err);
/* Frees n layers (their names, and w and b unless mapped) and the array. */
void ls_layers_free(struct ls_layer *layers, int n);
void ls_net_free(struct ls_net *net);
/* Forward pass of n inputs x (n, in) into y (n, out). Writes nothing into
 * net (scratch is per thread): one net can be shared between threads. */
void ls_net_forward(const struct ls_net *net, const float *x, long n, float *y);
/* Number of parameters (weights + biases). */
long ls_net_params(const struct ls_net *net);
/* Is every activation piecewise linear (relu, leaky_relu, identity)? */
int ls_net_is_pl(const struct ls_net *net);
const char *ls_layer_kind_name(enum ls_layer_kind k);
/* The nodes of the net's graph, one line each: name, operator, input and
 * output shape (per sample), parameters. */
int ls_net_nodes(const struct ls_net *net);
void ls_net_node_text(const struct ls_net *net, int i, char *buf, size_t n);
/* The one wording, everywhere, of whether a net is piecewise linear:
 * "piecewise linear", "piecewise linear up to the final smooth activation",
 * or LS_NOT_PL_TEXT. */
#define LS_NOT_PL_TEXT "not piecewise linear (a smooth operation before the output)"
const char *ls_net_pl_text(const struct ls_net *net);

/*
 * Bundled models (bundle.c). ls_bundle_is_name(spec): spec names a bundled
 * model (no '/', no .safetensors/.onnx suffix, no such file). ls_bundle_find
 * fills b with malloc'd paths (model; encoder, bank, labels, factors (N-factors.npy,
 * factors.h) or NULL) of the
 * bundled model name (NULL: LS_DEFAULT_MODEL); free with ls_bundle_free().
 */
#define LS_DEFAULT_MODEL "digits"
struct ls_bundle {
	char *model, *encoder, *bank, *labels, *factors;
};
int ls_bundle_is_name(const char *spec);
enum ls_status ls_bundle_find(const char *name, struct ls_bundle *b, char *err);
/* Opens the bundle's model with its encoder (unless the defaults name one). */
struct ls_model;
enum ls_status ls_bundle_open(const struct ls_bundle *b, struct ls_model **m, char *err);
void ls_bundle_free(struct ls_bundle *b);

struct ls_model;

/* What the command line can say about a model beyond its file: an ONNX
 * encoder (--encoder), the image shape of a flat output (--image HxWxC:
 * c, h, w; 0 when not given) and the output range (--range LO,HI). */
struct ls_model_opts {
	char *encoder;
	int c, h, w;
	int has_range;
	float lo, hi;
	int lazy;             /* F32 weights used in place are not scanned for
			       * NaN/infinity at open (for 'info': opening then
			       * reads the header only); decoding is unchanged */
};

/* Opens a model file, recognised by its content: safetensors with a layer
 * program, or an ONNX decoder. o NULL: the defaults (below). Returns LS_OK
 * and *m; free with ls_model_free(). */
enum ls_status ls_model_open_opts(const char *path, const struct ls_model_opts *o,
				  struct ls_model **m, char *err);
enum ls_status ls_model_open(const char *path, struct ls_model **m, char *err);
/* The options every later ls_model_open() uses (the command line sets them
 * once from its global options; copied). */
void ls_model_set_defaults(const struct ls_model_opts *o);
/* A shallow copy of those defaults (the strings stay the library's). */
void ls_model_defaults(struct ls_model_opts *o);
/* Parses "HxWxC" (C 1..4) / "LO,HI" (LO < HI) into o; 0 on success. */
int ls_model_parse_image(const char *s, struct ls_model_opts *o);
int ls_model_parse_range(const char *s, struct ls_model_opts *o);
void ls_model_free(struct ls_model *m);

const char *ls_model_path(const struct ls_model *m);
const char *ls_model_hash(const struct ls_model *m);   /* of the file */
const char *ls_model_dtype(const struct ls_model *m);  /* e.g. "F32" */
int ls_model_dim(const struct ls_model *m);            /* latent d */
int ls_model_out_dim(const struct ls_model *m);        /* C*H*W */
void ls_model_image(const struct ls_model *m, int *c, int *h, int *w);
void ls_model_range(const struct ls_model *m, float *lo, float *hi);
struct ls_net *ls_model_decoder(struct ls_model *m);
struct ls_net *ls_model_encoder(struct ls_model *m);   /* NULL if none */
/* Encoder output width is 2d for a VAE (mean, log-variance): 1 or 2. */
int ls_model_encoder_vae(const struct ls_model *m);

/* Decodes n latents z (n, d) into out (n, C*H*W). */
void ls_model_decode(struct ls_model *m, const float *z, long n, float *out);
/* Encodes n images x (n, C*H*W) into means z (n, d). Needs an encoder. */
enum ls_status ls_model_encode(struct ls_model *m, const float *x, long n, float *z, char *err);

/* Builds the network of an ONNX graph, from its input to its first output
 * (shapes inferred from the input's per-sample shape; any batch size).
 * Errors name the file, node and operator. Free with ls_net_free(). */
struct ls_onnx;
enum ls_status ls_onnx_net(const struct ls_onnx *o, struct ls_net **net, char *err);

/* Parses one layer program against a safetensors file (exposed for tests
 * and fuzzing). Aligned F32 weights are used in place: free the net before
 * st (and, for ls_st_open_mem, before its buffer). */
struct ls_st;
enum ls_status ls_net_parse(const struct ls_st *st, const char *program,
			    const char *what, struct ls_net **net, char *err);

#endif
