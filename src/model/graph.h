/*
 * graph.h: the layer seam. A network is a small DAG of nodes over tensors;
 * every node KIND implements its operations once, in a table of function
 * pointers (struct gkind_ops, one file per kind family: node_affine.c,
 * node_conv.c, node_act.c, node_eltwise.c, node_pool.c, node_shape.c,
 * node_norm.c). Nothing outside those files switches on a kind.
 *
 * Tensors: the batch is always the leading axis and is never stored in a
 * shape; struct gshape is the per-sample shape (C, H, W), (K) or any rank up
 * to G_MAXD. A batch of n samples of numel v is n * v contiguous values.
 *
 * Values: value 0 is the network input; node i writes value i + 1. Nodes are
 * in topological order (every input of node i is a value <= i).
 *
 * Invariants after graph_create(): every node's shapes are inferred and
 * chain; the buffer plan (slot of each value) is fixed. The double copies
 * of the weights (wd, bd) for the exact analyses are made lazily, once, by
 * graph_need64() (every float64 executor below calls it first; thread-safe),
 * so a big model opened only to decode never holds them. Forward passes never write into the graph:
 * their scratch comes from the caller (graph_fwd_need()) or a per-thread
 * arena (net.c), so one net can be shared between threads.
 */
#ifndef LINSCOPE_GRAPH_H
#define LINSCOPE_GRAPH_H

#include <stdint.h>

#include "linscope/model.h"

#define G_MAXD 6      /* per-sample rank */
#define G_MAXIN 8     /* runtime inputs of one node */

struct gshape {
	int nd;
	int64_t d[G_MAXD];
};

long gshape_numel(const struct gshape *s);
/* "3x64x64" into buf. */
const char *gshape_str(const struct gshape *s, char *buf, int len);

/* The kinds. Keep gkind_table (graph.c) in the same order: a static assert
 * there checks the count. */
enum gkind {
	GK_AFFINE,     /* y = x W^T + b over the flat sample (Gemm, MatMul+Add) */
	GK_CONV,       /* 2-D convolution */
	GK_CONVT,      /* 2-D transposed convolution */
	GK_CHAN,       /* y = x * s[c] + t[c] per channel (inference BatchNorm) */
	GK_CONST,      /* y = x OP c with a constant c (broadcast), either side */
	GK_BINARY,     /* y = a OP b between two runtime tensors (broadcast) */
	GK_ACT,        /* element-wise activation */
	GK_POOL,       /* MaxPool, AveragePool 2-D */
	GK_RESIZE,     /* Resize / Upsample, nearest or (bi)linear, 2-D */
	GK_PAD,        /* Pad: constant, reflect, edge */
	GK_VIEW,       /* Reshape, Flatten, Squeeze, Unsqueeze, Identity: no data moves */
	GK_SLICE,      /* Slice (one box, steps) */
	GK_CONCAT,     /* Concat along one axis */
	GK_REDUCE,     /* ReduceMean over trailing axes */
	GK_NORM,       /* LayerNormalization, InstanceNormalization */
	GK_COUNT
};

/* How a node behaves for the exact analyses. */
enum gpl {
	GPL_LINEAR,    /* affine in its inputs: no breakpoints */
	GPL_PL,        /* piecewise linear, with breakpoints (relu, clip, maxpool) */
	GPL_SMOOTH     /* not piecewise linear */
};

/* Sub-operations. */
enum gact { GA_IDENTITY, GA_RELU, GA_LEAKY, GA_PRELU, GA_CLIP, GA_SIGMOID, GA_TANH,
	    GA_ELU, GA_SOFTPLUS, GA_SQRT, GA_ERF, GA_EXP, GA_NEG, GA_COUNT };
enum gbin { GB_ADD, GB_SUB, GB_MUL, GB_DIV, GB_POW };
enum gpool { GP_MAX, GP_AVG };
enum gresize { GR_NEAREST, GR_LINEAR };
enum gpad { GD_CONSTANT, GD_REFLECT, GD_EDGE };
enum gnorm { GN_LAYER, GN_INSTANCE };

/* Parameters of a 2-D window (conv, conv-transpose, pool). */
struct gwin {
	int kh, kw, sh, sw, dh, dw;
	int pt, pl, pb, pr;     /* pads: top, left, bottom, right */
	int oph, opw;           /* output_padding (convT) */
	int group;
	int cin, cout;
	int count_pad;          /* AveragePool count_include_pad */
	int ceil;               /* ceil_mode */
};

struct gnode {
	enum gkind kind;
	int op;                         /* enum gact / gbin / gpool / ... */
	int nin;
	int in[G_MAXIN];                /* value ids */
	struct gshape ish[G_MAXIN], osh;
	long inn[G_MAXIN], outn;        /* numel of inputs and output */
	struct gwin win;
	int cfirst;                     /* GK_CONST: c OP x rather than x OP c */
	struct gshape csh;              /* GK_CONST: shape of the constant in w */
	int axis;                       /* concat, reduce, norm, flatten */
	int nearest_mode;               /* resize: 0 round_prefer_floor .. */
	int coord;                      /* resize: coordinate transformation */
	double alpha, beta;             /* leaky slope / elu alpha; clip lo, hi; eps */
	double pad_value;
	int64_t pads[2 * G_MAXD];       /* Pad begins then ends, per-sample dims */
	int64_t starts[G_MAXD], ends[G_MAXD], steps[G_MAXD];   /* Slice, per-sample dims */
	double scale[2];                /* resize scales (h, w) */
	int64_t target[G_MAXD + 1];     /* view: target shape with batch; ntarget */
	int ntarget;
	float *w, *b;                   /* weights and bias (layouts per kind) */
	long nw, nb;
	double *wd, *bd;                /* float64 copies: graph_need64(), or the builder (wd_exact) */
	long *map[G_MAXIN];             /* binary: output -> input index (NULL: same shape) */
	int borrowed;                   /* w, b belong to the layer view */
	int wd_exact;                   /* wd, bd were set from the file's values (not from w, b) */
	char *name;                     /* node name (ONNX) or layer token */
	char *opname;                   /* "Conv", "relu", ... */
};

struct gkind_ops {
	const char *name;
	/* Infers n->osh from n->ish[] and the attributes; may finish the
	 * node's precomputation (broadcast maps). Message without file name. */
	enum ls_status (*infer)(struct gnode *n, char *err);
	/* Float forward of a batch: x[i] is (n, inn[i]), y (n, outn). tmp has
	 * tmp_need(n, batch) floats. */
	void (*fwd)(const struct gnode *n, const float *const *x, long batch, float *y, float *tmp);
	/* Float64 forward (same contract, wd/bd weights). */
	void (*fwd64)(const struct gnode *n, const double *const *x, long batch, double *y,
		      double *tmp);
	/* The linear part at a point: xp[i] holds one row of input i at the
	 * point (the node's input values there), dx[i] k rows of directions;
	 * writes k rows of dy = J(xp) dx. Linear nodes ignore xp and drop the
	 * bias. NULL: not available (the analyses refuse the net). */
	void (*lin)(const struct gnode *n, const double *const *xp, const double *const *dx,
		    long k, double *dy, double *tmp);
	/* Scratch (in values of the forward's type) for a batch. NULL: none. */
	long (*tmp_need)(const struct gnode *n, long batch);
	/* Linear, piecewise linear or smooth (NULL: linear). */
	enum gpl (*pl)(const struct gnode *n);
	/* Pattern of the point: one bit per breakpoint unit (units()), set when
	 * the unit is "on". For PL nodes only. */
	long (*units)(const struct gnode *n);
	void (*pattern)(const struct gnode *n, const double *const *xp, uint8_t *bits, long off);
	/* Along inputs x(t) = p + t q (one row each), the smallest t > t0 where
	 * the pattern changes; INFINITY if none. For PL nodes only. */
	double (*next_break)(const struct gnode *n, const double *const *p,
			     const double *const *q, double t0);
	/* 2-D cuts (PL nodes only): the breakpoint units as ngroups() argmax
	 * groups. A group's state is which of its candidates is largest (ties:
	 * the first), and the node is affine wherever every group's state is
	 * fixed. cands() writes the r rows of each candidate of group g, f
	 * (m, r), from r rows x[i] (r, inn[i]) of each input that hold affine
	 * functions (row 0 the constant part, rows 1.. linear parts: a
	 * constant candidate goes to row 0); returns m, or -1 when m > cap. */
	long (*ngroups)(const struct gnode *n);
	int (*cands)(const struct gnode *n, long g, const double *const *x, int r, double *f,
		     int cap);
	/* Number of parameters (weights, biases). NULL: none. */
	long (*params)(const struct gnode *n);
};

extern const struct gkind_ops *const gkind_table[GK_COUNT];

/* Per-kind tables, defined in the node_*.c files. */
extern const struct gkind_ops gk_affine, gk_conv, gk_convt, gk_chan, gk_const,
	gk_binary, gk_act, gk_pool, gk_resize, gk_pad, gk_view, gk_slice, gk_concat,
	gk_reduce, gk_norm;

struct ls_graph {
	int nnodes;
	struct gnode *nodes;
	struct gshape insh;             /* per-sample input shape */
	long inn;
	int outv;                       /* value id of the output */
	/* buffer plan: value v lives in slot slot[v] (-1: the input; alias to
	 * its source for views); slot s has per-sample size slotn[s] */
	int *slot;                      /* (nnodes + 1) */
	int nslots;
	long *slotn, *sloto;            /* sizes and per-sample offsets */
	long slot_total;                /* per-sample scratch, values */
	int from_layers;                /* built by ls_net_create (the layers own the weights) */
	int have64;                     /* graph_need64 has run (atomic) */
};

/* Runs infer on every node in order, makes the double copies and the
 * buffer plan. Takes ownership of nodes (freed on error too). err has no
 * file name; it names the node and op. */
enum ls_status graph_create(struct gnode *nodes, int n, const struct gshape *in,
			    int outv, struct ls_graph **g, char *err);
void graph_free(struct ls_graph *g);
/* Makes the float64 weight copies (wd, bd) of every node that lacks them,
 * once; safe to call from several threads at once (the first one builds,
 * the others wait). graph_forward64_all, graph_lin(_all) and
 * graph_first_linear call it; code that reads wd/bd directly calls it first. */
void graph_need64(const struct ls_graph *g);
/* For builders that infer as they go: infers node i of a partial graph
 * (nodes [0, i) inferred, insh set); drops float64 copies that are not
 * wd_exact (graph_need64 makes them again from w and b). */
enum ls_status graph_infer_node(struct ls_graph *g, int i, char *err);
void gnode_clear(struct gnode *n);

const struct gshape *graph_vshape(const struct ls_graph *g, int v);
long graph_vnumel(const struct ls_graph *g, int v);

/* Values of scratch (of the forward's type) graph_forward needs for a batch. */
long graph_fwd_need(const struct ls_graph *g, long batch);
/* Float forward of a batch x (batch, inn) into y (batch, outn); scratch has
 * graph_fwd_need(batch) floats. */
void graph_forward(const struct ls_graph *g, const float *x, long batch, float *y, float *scratch);
/* Float64 forward of a batch up to value v (nodes [0, v) only, the same
 * buffer plan): y (batch, numel(v)); scratch has graph_fwd_need(batch)
 * doubles. The prefix feeding a smooth tail (graph_tail()). */
void graph_forward64_to(const struct ls_graph *g, const double *x, long batch, int v, double *y,
			double *scratch);
/* Applies the nodes after value head on the way to the output (the smooth
 * tail of graph_tail(): its activation, then views) to a batch xh (batch,
 * numel(head)) into y (batch, outn), in the float forward's arithmetic;
 * y may equal xh. Only for head = graph_tail(). */
void graph_tail_apply(const struct ls_graph *g, int head, const float *xh, long batch, float *y);
/* Float64 forward; keeps every value: vals[v] (batch, numel(v)) in one
 * malloc'd block returned (free it). */
double *graph_forward64_all(const struct ls_graph *g, const double *x, long batch, double ***vals);
/* Applies the local linear map at point x (one row, inn) to k directions
 * dx (k, inn): dy (k, outn). Fails (LS_EINVAL) when a node has no linear
 * part (a norm). */
enum ls_status graph_lin(const struct ls_graph *g, const double *x, const double *dx, long k,
			 double *y, double *dy, char *err);
/* Every value at a point and its directional values: pv[v] (numel v),
 * dv[v] (k, numel v). Free with gvals_free(). */
struct gvals {
	double **pv, **dv, *pblk, *dblk;
};
enum ls_status graph_lin_all(const struct ls_graph *g, const double *x, const double *dx, long k,
			     struct gvals *out, char *err);
void gvals_free(struct gvals *v);
/* Linear / PL / smooth: the worst node on the path. */
enum gpl graph_pl(const struct ls_graph *g);
long graph_params(const struct ls_graph *g);
/* SeFa's first linear map of z: the first Gemm / Conv / ConvTranspose
 * reached from the input through linear nodes only, as the matrix A of
 * the whole prefix (bias dropped): *m = A^T, (d, *out) row-major, malloc'd;
 * *name: that node's. */
enum ls_status graph_first_linear(const struct ls_graph *g, double **m, long *out,
				  const char **name, char *err);
/* The smooth tail: when the output is a final sigmoid or tanh (then views
 * only), returns the value that activation reads and sets *act (GA_SIGMOID
 * or GA_TANH); else returns the output value and *act = -1. */
int graph_tail(const struct ls_graph *g, int *act);
/* graph_pl over the nodes before the tail (head: graph_tail's value). */
enum gpl graph_pl_head(const struct ls_graph *g, int *head, int *act);

/* The graph of a net (never NULL). */
struct ls_graph *ls_net_graph(const struct ls_net *net);
/* Wraps a graph into a net (takes ownership); the net has no layer view
 * (nlayers 0) unless the graph came from a layer program. */
struct ls_net *ls_net_from_graph(struct ls_graph *g);

/* Kernel helpers shared by the node files. */
void gk_axpy_rows(long rows, long m, const float *b, float *y);
/* numpy broadcast of two per-sample shapes into *out; LS_EFORMAT if they
 * do not broadcast. */
enum ls_status gshape_broadcast(const struct gshape *a, const struct gshape *b,
				struct gshape *out, char *err);
/* For each value of out, the index of the value of in it reads (in
 * broadcasts to out); NULL when the shapes are equal. malloc'd. */
long *gshape_bcast_map(const struct gshape *out, const struct gshape *in);

#endif
