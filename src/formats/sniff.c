/*
 * sniff.c: recognising files by their first bytes.
 *
 * Each test is a fixed signature or, for ONNX (a protobuf with no magic
 * number), a walk of ModelProto's top-level fields (ls_onnx_sniff()). The
 * safetensors test runs before ONNX: its eight length bytes followed by
 * '{' never form a valid run of ModelProto fields, and the tests are
 * disjoint in practice (each signature's first byte differs: 'P' 0x50,
 * 0x80, 0x93, 0x89, and ModelProto's first tag, 0x08 for ir_version).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "linscope/sniff.h"
#include "linscope/onnx.h"
#include "linscope/st.h"
#include "base/bytes.h"
#include "base/util.h"

/* torch.save's legacy format begins with the pickled long 0x1950a86a20f9469cfc6c
 * (protocol 2: PROTO 2, LONG1 of 10 bytes). */
static const unsigned char torch_magic[] = { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
					     0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 };

/* A zip's first entry (or any name in the first bytes) is data.pkl: a
 * torch.save archive ("archive/data.pkl", "NAME/data.pkl"). */
static int
zip_is_torch(const unsigned char *p, size_t len)
{
	size_t i, k = sizeof "data.pkl" - 1;

	for (i = 30; i + k <= len; i++)
		if (memcmp(p + i, "data.pkl", k) == 0)
			return 1;
	return 0;
}

static int
is_safetensors(const unsigned char *p, size_t len)
{
	uint64_t n;

	if (len < 9)
		return 0;
	n = ls_load_le(p, 8);
	return n >= 2 && n <= LS_ST_MAX_HEADER && p[8] == '{';
}

enum ls_file_kind
ls_sniff(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (len > LS_SNIFF_LEN)
		len = LS_SNIFF_LEN;
	if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return zip_is_torch(p, len) ? LS_FILE_TORCH : LS_FILE_ZIP;
	if (len >= sizeof torch_magic && memcmp(p, torch_magic, sizeof torch_magic) == 0)
		return LS_FILE_TORCH;
	if (len >= 2 && p[0] == 0x80 && p[1] >= 2 && p[1] <= 5)
		return LS_FILE_PICKLE;
	if (len >= 6 && memcmp(p, "\x93NUMPY", 6) == 0)
		return LS_FILE_NPY;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return LS_FILE_PNG;
	if (is_safetensors(p, len))
		return LS_FILE_SAFETENSORS;
	return ls_onnx_sniff(p, len) ? LS_FILE_ONNX : LS_FILE_UNKNOWN;
}

const char *
ls_sniff_name(enum ls_file_kind k)
{
	switch (k) {
	case LS_FILE_SAFETENSORS: return "safetensors";
	case LS_FILE_ONNX: return "ONNX";
	case LS_FILE_NPY: return "NumPy array";
	case LS_FILE_PNG: return "PNG image";
	case LS_FILE_TORCH: return "PyTorch checkpoint";
	case LS_FILE_PICKLE: return "Python pickle";
	case LS_FILE_ZIP: return "zip archive";
	case LS_FILE_UNKNOWN: break;
	}
	return "unknown";
}

/* The message for a file given as a model that is something else. */
static enum ls_status
not_a_model(const char *path, enum ls_file_kind k, char *err)
{
	const char *export = "export the model with torch.onnx.export (see linscope-files(5))";

	switch (k) {
	case LS_FILE_TORCH:
		return ls_err(err, LS_EFORMAT, "%s: this is a PyTorch checkpoint, not a model linscope can open; %s",
			      path, export);
	case LS_FILE_PICKLE:
		return ls_err(err, LS_EFORMAT, "%s: this is a Python pickle, not a model linscope can open; %s",
			      path, export);
	case LS_FILE_NPY:
		return ls_err(err, LS_EFORMAT, "%s: this is a NumPy array (a bank of latents?), not a model", path);
	default:
		return ls_err(err, LS_EFORMAT, "%s: this is a %s, not a model (safetensors or ONNX)", path,
			      ls_sniff_name(k));
	}
}

enum ls_status
ls_sniff_model(const char *path, enum ls_file_kind *kind, char *err)
{
	const void *base;
	enum ls_status s;
	size_t len;

	*kind = LS_FILE_UNKNOWN;
	if ((s = ls_map_file(path, &base, &len, err)))
		return s;
	*kind = ls_sniff(base, len);
	ls_unmap(base, len);
	if (*kind == LS_FILE_SAFETENSORS || *kind == LS_FILE_ONNX || *kind == LS_FILE_UNKNOWN)
		return LS_OK;
	return not_a_model(path, *kind, err);
}

void
ls_sniff_st_layers(const struct ls_st *st, char *out, size_t n)
{
	size_t used = 0, k;
	int i;

	if (n == 0)
		return;
	out[0] = 0;
	for (i = 0; i < ls_st_count(st); i++) {
		const struct ls_tensor *t = ls_st_tensor(st, i);
		const char *dot = strrchr(t->name, '.');

		if (t->ndim != 2 || !dot || strcmp(dot, ".weight") != 0)
			continue;
		k = (size_t)(dot - t->name);
		if (used + k + 2 > n)
			break;
		if (used)
			out[used++] = ' ';
		memcpy(out + used, t->name, k);
		out[used += k] = 0;
	}
}
