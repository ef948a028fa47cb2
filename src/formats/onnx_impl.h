/*
 * onnx_impl.h: internals of the ONNX reader shared by onnx.c (the model,
 * graph, nodes and attributes) and onnx_tensor.c (tensors and values).
 *
 * Everything a parsed model owns lives in one arena: the protobuf-c message
 * (decoded with the arena as its allocator), the plain structs of
 * linscope/onnx.h and their strings. Freeing the arena frees it all, so no
 * message is ever freed piecewise. The arena refuses protobuf-c's requests
 * past a limit (limit), which bounds the memory a hostile file can make the
 * decoder take; the parser's own requests are not limited (they are a
 * fixed multiple of what protobuf-c decoded) and abort on out-of-memory as
 * xmalloc does.
 */
#ifndef LINSCOPE_ONNX_IMPL_H
#define LINSCOPE_ONNX_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "linscope/onnx.h"
#include "formats/onnx.pb-c.h"

struct onnx_arena {
	void *blocks;        /* a list of malloc'd blocks */
	char *cur;           /* free space in the newest small block */
	size_t left;
	size_t pb_used;      /* bytes handed to protobuf-c */
	size_t limit;        /* the most protobuf-c may have */
	int refused;         /* a protobuf-c request went past limit */
};

/* The parse in progress: the arena, the file's name for messages, and
 * what is being read (for messages, e.g. "node 3 '/fc/Gemm' (Gemm)"). */
struct onnx_ctx {
	struct onnx_arena *arena;
	const char *name;
	char where[200];
};

/* An arena allocation of n bytes, zeroed, 16-byte aligned. */
void *onnx_alloc(struct onnx_arena *a, size_t n);
/* The allocator that hands protobuf-c arena memory within the limit. */
void onnx_pb_allocator(struct onnx_arena *a, ProtobufCAllocator *pa);
void onnx_arena_free(struct onnx_arena *a);

/* A NUL-terminated arena copy of b; LS_EFORMAT if b holds a NUL byte. what
 * names the string in the message ("name", "op_type", ...). */
enum ls_status onnx_cstr(struct onnx_ctx *c, const ProtobufCBinaryData *b, int has,
			 const char *what, char **out, char *err);

/* Converts a TensorProto (an initializer or an attribute's value). */
enum ls_status onnx_tensor(struct onnx_ctx *c, const LsPb__TensorProto *t,
			   struct ls_onnx_tensor *out, char *err);
/* Converts a graph input or output. */
enum ls_status onnx_value(struct onnx_ctx *c, const LsPb__ValueInfoProto *v,
			  struct ls_onnx_value *out, char *err);

#endif
