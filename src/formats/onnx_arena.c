/*
 * onnx_arena.c: the ONNX reader's memory (see onnx_impl.h).
 *
 * A list of malloc'd blocks: requests up to ARENA_BIG bytes are cut from
 * shared blocks of ARENA_CHUNK bytes, larger ones get a block each; every
 * pointer handed out is 16-byte aligned (the block header is 16 bytes and
 * sizes are rounded up to 16). Nothing is freed before the whole arena.
 * protobuf-c allocates through pb_alloc(), which counts its bytes against
 * the arena's limit and refuses (returns NULL, so the decode fails) past it.
 * onnx_cstr() copies the strings of the decoded messages into the arena.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/onnx_impl.h"
#include "base/util.h"

#define ARENA_CHUNK (64 * 1024)   /* small requests share blocks this big */
#define ARENA_BIG (4 * 1024)      /* requests above this get their own block */

/* A block's header; its size keeps the payload 16-byte aligned. */
union block {
	union block *next;
	char align[16];
};

/* A new block with n payload bytes, linked into a; NULL if malloc fails. */
static void *
arena_block(struct onnx_arena *a, size_t n)
{
	union block *b;

	if (n > SIZE_MAX - sizeof *b || !(b = malloc(sizeof *b + n)))
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	return b + 1;
}

/* n bytes (not zeroed), 16-byte aligned; NULL if malloc fails. */
static void *
arena_get(struct onnx_arena *a, size_t n)
{
	void *p;

	if (n > SIZE_MAX - 15)
		return NULL;
	n = (n + 15) & ~(size_t)15;
	if (n == 0 || n > ARENA_BIG)
		return arena_block(a, n ? n : 16);
	if (n > a->left) {
		if (!(a->cur = arena_block(a, ARENA_CHUNK)))
			return NULL;
		a->left = ARENA_CHUNK;
	}
	p = a->cur;
	a->cur += n;
	a->left -= n;
	return p;
}

void *
onnx_alloc_raw(struct onnx_arena *a, size_t n)
{
	void *p = arena_get(a, n);

	if (!p)
		ls_fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
onnx_alloc(struct onnx_arena *a, size_t n)
{
	void *p = arena_get(a, n);

	if (!p)
		ls_fatal("out of memory (%zu bytes)", n);
	return memset(p, 0, n);
}

/* protobuf-c's allocation hook: arena memory, within the limit. */
static void *
pb_alloc(void *data, size_t n)
{
	struct onnx_arena *a = data;
	void *p;

	if (n > a->limit - a->pb_used) {
		a->refused = 1;
		return NULL;
	}
	a->pb_used += n;
	if (!(p = arena_get(a, n)))
		ls_fatal("out of memory (%zu bytes)", n);
	return p;
}

/* Nothing is freed before the whole arena is. */
static void
pb_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

void
onnx_pb_allocator(struct onnx_arena *a, ProtobufCAllocator *pa)
{
	pa->alloc = pb_alloc;
	pa->free = pb_free;
	pa->allocator_data = a;
}

void
onnx_arena_free(struct onnx_arena *a)
{
	union block *b, *next;

	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
}

enum ls_status
onnx_cstr(struct onnx_ctx *c, const ProtobufCBinaryData *b, int has, const char *what,
	  char **out, char *err)
{
	size_t n = has ? b->len : 0;
	char *s;

	if (n && memchr(b->data, 0, n))
		return ls_err(err, LS_EFORMAT, "%s: %s: %s holds a NUL byte", c->name, c->where, what);
	s = onnx_alloc(c->arena, n + 1);
	if (n)
		memcpy(s, b->data, n);
	*out = s;
	return LS_OK;
}
