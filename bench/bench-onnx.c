/*
 * bench-onnx.c: loading a 100 MB ONNX file, against copying the file once,
 * measured in the same run.
 *
 * Writes (with the protobuf-c code generated from src/formats/onnx.proto) a
 * model of 24 Gemm layers of 1024 x 1024 float weights in raw_data, as
 * torch.onnx.export stores them (~100 MB), into $TMPDIR; then times, best
 * of five, (a) ls_onnx_open() (weights are not copied: they stay in the
 * mapping), (a') the same followed by a read of one byte per page of every
 * weight, as the runtime's first pass over them does, and (b) the
 * reference: mapping the file and copying it into a fresh buffer, what a
 * reader that copies the weights once must at least do. Prints the times
 * and the ratios to (b); ls_onnx_open()'s budget is 0.2 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/onnx.h"
#include "formats/onnx.pb-c.h"
#include "base/util.h"

#define LAYERS 24
#define WIDTH 1024
#define RUNS 5

static ProtobufCBinaryData
bytes_of(const char *s)
{
	ProtobufCBinaryData b = { strlen(s), (uint8_t *)s };

	return b;
}

/* A FLOAT initializer of dims (a[, b]) holding v in raw_data. */
static LsPb__TensorProto *
tensor(const char *name, int64_t *dims, size_t ndim, const float *v, size_t n)
{
	LsPb__TensorProto *t = xcalloc(1, sizeof *t);

	ls_pb__tensor_proto__init(t);
	t->name = bytes_of(name), t->has_name = 1;
	t->has_data_type = 1, t->data_type = LS_ONNX_FLOAT;
	t->n_dims = ndim, t->dims = dims;
	t->has_raw_data = 1, t->raw_data.len = n * sizeof *v, t->raw_data.data = (uint8_t *)v;
	return t;
}

/* The serialized model (xmalloc'd) and its size. */
static uint8_t *
make_model(size_t *len)
{
	static char names[LAYERS][3][32];
	static int64_t wdims[2] = { WIDTH, WIDTH }, bdims[1] = { WIDTH };
	static ProtobufCBinaryData ins[LAYERS][3], outs[LAYERS];
	LsPb__TensorProto *inits[2 * LAYERS];
	LsPb__NodeProto nodes[LAYERS], *np[LAYERS];
	LsPb__GraphProto g = LS_PB__GRAPH_PROTO__INIT;
	LsPb__ModelProto m = LS_PB__MODEL_PROTO__INIT;
	LsPb__OperatorSetIdProto op = LS_PB__OPERATOR_SET_ID_PROTO__INIT, *opp = &op;
	float *w = xmalloc((size_t)WIDTH * WIDTH * sizeof *w);
	uint8_t *buf;
	size_t i;
	int l;

	for (i = 0; i < (size_t)WIDTH * WIDTH; i++)
		w[i] = (float)((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
	for (l = 0; l < LAYERS; l++) {
		snprintf(names[l][0], 32, "l%d.weight", l);
		snprintf(names[l][1], 32, "l%d.bias", l);
		snprintf(names[l][2], 32, "h%d", l);   /* the layer's input */
	}
	strcpy(names[0][2], "z");
	for (l = 0; l < LAYERS; l++) {
		inits[2 * l] = tensor(names[l][0], wdims, 2, w, (size_t)WIDTH * WIDTH);
		inits[2 * l + 1] = tensor(names[l][1], bdims, 1, w, WIDTH);
		ls_pb__node_proto__init(&nodes[l]);
		ins[l][0] = bytes_of(names[l][2]), ins[l][1] = bytes_of(names[l][0]);
		ins[l][2] = bytes_of(names[l][1]);
		outs[l] = bytes_of(l + 1 < LAYERS ? names[l + 1][2] : "y");
		nodes[l].n_input = 3, nodes[l].input = ins[l];
		nodes[l].n_output = 1, nodes[l].output = &outs[l];
		nodes[l].op_type = bytes_of("Gemm"), nodes[l].has_op_type = 1;
		np[l] = &nodes[l];
	}
	g.n_node = LAYERS, g.node = np;
	g.n_initializer = 2 * LAYERS, g.initializer = inits;
	op.has_version = 1, op.version = 17;
	m.has_ir_version = 1, m.ir_version = 8;
	m.n_opset_import = 1, m.opset_import = &opp;
	m.graph = &g;
	*len = ls_pb__model_proto__get_packed_size(&m);
	buf = xmalloc(*len);
	ls_pb__model_proto__pack(&m, buf);
	for (l = 0; l < 2 * LAYERS; l++)
		free(inits[l]);
	free(w);
	return buf;
}

/* One copy of the file: map, copy into a new buffer, unmap. */
static double
copy_once(const char *path)
{
	const void *base;
	size_t len;
	char err[LS_ERR_MAX];
	double t = ls_now();
	void *dst;

	if (ls_map_file(path, &base, &len, err))
		ls_fatal("%s", err);
	dst = xmalloc(len);
	memcpy(dst, base, len);
	ls_unmap(base, len);
	t = ls_now() - t;
	free(dst);
	return t;
}

/* ls_onnx_open(), and (in *touched) the same plus reading one byte of every
 * page of every weight, as a first pass of the runtime over them would. */
static double
load_once(const char *path, double *touched)
{
	char err[LS_ERR_MAX];
	struct ls_onnx *o;
	double t = ls_now();
	volatile unsigned sum = 0;
	int64_t k;
	int i;

	if (ls_onnx_open(path, &o, err))
		ls_fatal("%s", err);
	*touched = t;
	t = ls_now() - t;
	if (o->ninits != 2 * LAYERS || o->nnodes != LAYERS)
		ls_fatal("bench-onnx: the model reads back wrong");
	for (i = 0; i < o->ninits; i++)
		for (k = 0; k < o->inits[i].nbytes; k += 4096)
			sum += ((const unsigned char *)o->inits[i].data)[k];
	*touched = ls_now() - *touched;
	ls_onnx_free(o);
	return t;
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[512];
	double tl = 1e9, tc = 1e9, tt = 1e9, t, u;
	size_t len;
	uint8_t *buf = make_model(&len);
	FILE *f;
	int fd, r;

	snprintf(path, sizeof path, "%s/bench-onnx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0 || !(f = fdopen(fd, "wb")) || fwrite(buf, 1, len, f) != len ||
	    fclose(f) != 0)
		ls_fatal("bench-onnx: cannot write %s", path);
	free(buf);
	for (r = 0; r < RUNS; r++) {
		if ((t = copy_once(path)) < tc)
			tc = t;
		if ((t = load_once(path, &u)) < tl)
			tl = t;
		if (u < tt)
			tt = u;
	}
	unlink(path);
	printf("onnx load: %.1f MB file, %d Gemm layers: ls_onnx_open %.4f s (budget 0.2 s; "
	       "weights not copied), %.1fx faster than one copy of the file (%.3f s); "
	       "open + a first read of every weight page %.3f s (%.2fx the copy)\n",
	       len / 1e6, LAYERS, tl, tc / tl, tc, tt, tt / tc);
	return 0;
}
