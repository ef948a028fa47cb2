/*
 * sniff.h: what a file is, from its first bytes (formats layer).
 *
 * linscope recognises files by their content, not their name: a model may
 * be safetensors or ONNX whatever it is called, and a file that is neither
 * (a PyTorch checkpoint, a bank, an image) gets a message saying what it is
 * and what to do instead of a parser's complaint about its bytes.
 */
#ifndef LINSCOPE_SNIFF_H
#define LINSCOPE_SNIFF_H

#include <stddef.h>

#include "linscope/status.h"

struct ls_st;

#define LS_SNIFF_LEN 4096   /* how many leading bytes the tests look at */

enum ls_file_kind {
	LS_FILE_UNKNOWN = 0,
	LS_FILE_SAFETENSORS,   /* u64 header length, then '{' */
	LS_FILE_ONNX,          /* ls_onnx_sniff() */
	LS_FILE_NPY,           /* "\x93NUMPY" */
	LS_FILE_PNG,
	LS_FILE_TORCH,         /* torch.save: a zip with data.pkl, or the legacy
				  pickle that starts with torch's magic number */
	LS_FILE_PICKLE,        /* another Python pickle (protocol 2 to 5) */
	LS_FILE_ZIP            /* another zip archive (.npz, ...) */
};

/* What the first len bytes of a file (at most LS_SNIFF_LEN are read; all of
 * a shorter file) say it is. */
enum ls_file_kind ls_sniff(const void *buf, size_t len);
/* A short name for messages: "safetensors", "ONNX", "PyTorch checkpoint"... */
const char *ls_sniff_name(enum ls_file_kind k);

/* Sniffs a file given as a model. LS_OK with *kind when it may be one
 * (safetensors, ONNX, or unknown: left to the readers, whose messages say
 * what is wrong); LS_EIO when it cannot be read; LS_EFORMAT when it is
 * something else, with err naming the file, what it is, and what to do
 * (a PyTorch checkpoint: export the model with torch.onnx.export). */
enum ls_status ls_sniff_model(const char *path, enum ls_file_kind *kind, char *err);

/* For a safetensors file without a layer program: writes into out (size n)
 * the prefixes P of its 2-D "P.weight" tensors, space-separated, in file
 * order, e.g. "fc1 fc2" (or "" when there are none), for a message saying
 * what to add. */
void ls_sniff_st_layers(const struct ls_st *st, char *out, size_t n);

#endif
