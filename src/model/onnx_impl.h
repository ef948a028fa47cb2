/*
 * onnx_impl.h: internals of the ONNX -> graph builder (onnx_net.c: runtime
 * operators; onnx_fold.c: constant tensors and the folding of shape
 * subgraphs).
 *
 * Every name of the ONNX graph maps to an entry: a runtime value of the
 * graph being built (its shape known: shapes are inferred as nodes are
 * added), or a constant (an initializer, a Constant, or a folded result).
 * Constants are held as int64 or double arrays with their full ONNX shape
 * (no batch split); initializers are converted only when read.
 */
#ifndef LINSCOPE_ONNX_IMPL_H
#define LINSCOPE_ONNX_IMPL_H

#include "graph.h"
#include "linscope/onnx.h"

#define CT_MAXD LS_ONNX_MAX_DIMS

/* A constant tensor: exactly one of i, f is set. */
struct ct {
	int isint;
	int bad;                        /* dims overflowed: n is 0 */
	int nd;
	int64_t d[CT_MAXD];
	long n;
	int64_t *i;
	double *f;
};

enum ent_kind { ENT_NONE, ENT_RUNTIME, ENT_CONST };

struct ent {
	const char *name;
	enum ent_kind kind;
	int v;                          /* runtime value id */
	const struct ls_onnx_tensor *raw;   /* initializer, converted on use */
	struct ct c;                    /* owned; valid when have_ct */
	int have_ct;
	int uses;                       /* readers (nodes and graph outputs) */
};

struct bld {
	const struct ls_onnx *o;
	struct ent *ents;
	size_t cap, count;
	struct ls_graph part;           /* the graph so far */
	int ncap;
	const struct ls_onnx_node *cur;
	char *err;
};

/* ---- onnx_fold.c ---- */
void ct_free(struct ct *c);
struct ent *bld_ent(struct bld *b, const char *name, int create);
/* The constant of an entry (converting an initializer once); NULL with an
 * error when the tensor's dtype is not numeric. */
const struct ct *bld_ct(struct bld *b, struct ent *e);
/* The constant input k of the current node, NULL when omitted or absent. */
const struct ct *bld_in_ct(struct bld *b, int k);
/* Folds the current node when all its inputs are constants: 1 folded, 0
 * not a folding op, -1 error (in b->err). */
int bld_fold(struct bld *b);
/* Sets output k of the current node to a constant (takes c). */
void bld_set_ct(struct bld *b, int k, struct ct *c);
/* Fails with "FILE: node NAME (OP): message". */
enum ls_status bld_fail(struct bld *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Attributes with defaults. */
int64_t bld_attr_i(const struct ls_onnx_node *n, const char *name, int64_t def);
double bld_attr_f(const struct ls_onnx_node *n, const char *name, double def);
const char *bld_attr_s(const struct ls_onnx_node *n, const char *name, const char *def);
int bld_attr_ints(const struct ls_onnx_node *n, const char *name, int64_t *out, int max);
/* The i-th value of a constant as a double / int64. */
double ct_f(const struct ct *c, long i);
int64_t ct_i(const struct ct *c, long i);

#endif
