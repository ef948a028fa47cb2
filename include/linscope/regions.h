/*
 * regions.h: exact linear regions of a piecewise-linear decoder along a
 * segment (1D) and over a plane (2D), and activation patterns.
 *
 * Terms. A "unit" is one input of a relu or leaky_relu layer (a ReLU); its
 * state is on (pre-activation > 0) or off (<= 0). The joint on/off pattern
 * of all units is the activation pattern; the set of latents with one
 * pattern is convex and the decoder is affine on it.
 *   pieces / regions: maximal intervals (1D) / connected polygons (2D) of
 *     one activation pattern. Two neighbours always differ in the pattern.
 *   linear_pieces / linear_regions: neighbours whose affine maps (restricted
 *     to the segment / plane) are equal are merged; a flip of a unit whose
 *     change reaches no output changes nothing. linear <= pieces.
 *
 * Which networks: ls_net_pl_kind() classifies. A net whose activations are
 * relu / leaky_relu / identity is LS_PL_YES. A net whose only smooth
 * activations (sigmoid, tanh) come after its last affine layer is
 * LS_PL_TAIL: "piecewise linear up to the final smooth activation"; the
 * analysis covers the layers before that smooth tail (linear maps compare
 * the pre-sigmoid outputs). A smooth activation before the last affine
 * layer gives LS_PL_NO: the functions below return LS_EINVAL with a message
 * saying so, never a made-up count.
 *
 * Everything is computed in double from the float32 weights. No sampling:
 * breakpoints are zero crossings of pre-activations, which are affine in t
 * (in (s, t)) inside a piece (polygon). A crossing closer than 1e-12 of the
 * local scale to an existing vertex is snapped onto it (a numerical
 * coincidence, far below float32 resolution of the latent).
 */
#ifndef LINSCOPE_REGIONS_H
#define LINSCOPE_REGIONS_H

#include <stdint.h>

#include "linscope/png.h"
#include "linscope/status.h"

struct ls_net;

enum ls_pl_kind {
	LS_PL_YES,   /* piecewise linear */
	LS_PL_TAIL,  /* piecewise linear up to the final smooth activation */
	LS_PL_NO     /* a smooth activation inside: not piecewise linear */
};

/* Classifies net; *nlayers_pl (may be NULL) gets the number of leading
 * layers analysed (all of them for LS_PL_YES, the layers before the smooth
 * tail for LS_PL_TAIL). */
enum ls_pl_kind ls_net_pl_kind(const struct ls_net *net, int *nlayers_pl);
/* One-line description of the kind, e.g. "piecewise linear up to the final
 * smooth activation (sigmoid)". Static string. */
const char *ls_pl_kind_text(const struct ls_net *net);

/* ---- activation patterns (status line of the explorer) ------------- */

/* Number of units (ReLUs) in the analysed layers of net. */
int ls_net_units(const struct ls_net *net);
/* Pattern of z (net->in floats) as bits: bit k of bits[k / 8] is unit k
 * (layer order); bits holds (ls_net_units() + 7) / 8 bytes. */
void ls_net_pattern(struct ls_net *net, const float *z, uint8_t *bits);
/* Region id of z: FNV-1a 64 of its pattern bytes (equal ids: same region,
 * up to hash collisions). Print as "%016llx". */
uint64_t ls_region_id(struct ls_net *net, const float *z);
/* Number of units whose state differs between latents z1 and z2. */
int ls_region_flips(struct ls_net *net, const float *z1, const float *z2);

/* ---- 1D: a segment z(t) = z0 + t u, t in [a, b] ---------------------- */

struct ls_pieces {
	double a, b;        /* the range */
	int npieces;        /* activation pieces: 1 + number of breakpoints */
	double *bp;         /* (npieces - 1) breakpoints, sorted, in (a, b) */
	int nlinear;        /* linear pieces after merging equal affine maps */
	double *lin_bp;     /* (nlinear - 1) breakpoints between linear pieces */
	int *flips;         /* (npieces - 1) units flipping at each breakpoint */
	enum ls_pl_kind kind;
};

/* Exact pieces of net along z0 + t u for t in [a, b] (a < b; u is used as
 * given: pass a unit vector so that t is a latent distance), by layer-wise
 * vertex insertion (all vertices of a layer go through one GEMM). Fills
 * *p; free its arrays with ls_pieces_free(). LS_EINVAL for LS_PL_NO nets,
 * a > b or non-finite input. */
enum ls_status ls_regions_1d(struct ls_net *net, const float *z0, const float *u,
			     double a, double b, struct ls_pieces *p, char *err);
/* Same answer by an independent method: walking from piece to piece (the
 * smallest step to any unit's boundary under the current pattern). Slower;
 * used to cross-check. */
enum ls_status ls_regions_1d_walk(struct ls_net *net, const float *z0, const float *u,
				  double a, double b, struct ls_pieces *p, char *err);
void ls_pieces_free(struct ls_pieces *p);

/* Limits and progress of ls_regions_1d_opts. max_pieces (0: none): past it
 * the work stops with LS_ENOMEM ("more than N pieces along the segment"),
 * during the work as soon as the pieces found exceed it, at the end on the
 * exact count.
 * progress (may be NULL): the share of the work done (layers of a layer
 * program, the part of [a, b] walked for a graph); a nonzero return stops
 * it with LS_ENOMEM too. */
struct ls_progress;
struct ls_regions_opts {
	long max_pieces;
	const struct ls_progress *progress;
};
enum ls_status ls_regions_1d_opts(struct ls_net *net, const float *z0, const float *u,
				  double a, double b, const struct ls_regions_opts *o,
				  struct ls_pieces *p, char *err);

/* ---- 2D: a plane z0 + s u + t v, (s, t) in [s0, s1] x [t0, t1] ------- */

/* u and v are used as given (normalise them first; they need not be
 * orthogonal): (s, t) are coordinates along u and v. */
struct ls_regionmap;

/* Exact subdivision of the box into convex polygons, one per region, layer
 * by layer. Returns LS_OK and *rm; free with ls_regionmap_free().
 * max_regions (0: no limit) stops with LS_ENOMEM when exceeded, and so
 * does the work when its sets need more than LS_REGIONS_MEM_MAX bytes. */
#define LS_REGIONS_MEM_MAX (2LL << 30)
/* Sets that budget for later calls (bytes; 0: LS_REGIONS_MEM_MAX). */
void ls_regions_set_mem_max(long long bytes);
enum ls_status ls_regions_2d(struct ls_net *net, const float *z0, const float *u,
			     const float *v, const double box[4], long max_regions,
			     struct ls_regionmap **rm, char *err);
/* Limits and progress of ls_regions_2d_opts. max_regions as above (0: no
 * limit); progress (may be NULL): the share of the box walked (each
 * polygon's share splits evenly among its pieces; grows monotonically); a
 * nonzero return stops the work with LS_ENOMEM ("stopped"). */
struct ls_regionmap_opts {
	long max_regions;
	const struct ls_progress *progress;
};
enum ls_status ls_regions_2d_opts(struct ls_net *net, const float *z0, const float *u,
				  const float *v, const double box[4],
				  const struct ls_regionmap_opts *o, struct ls_regionmap **rm,
				  char *err);
void ls_regionmap_free(struct ls_regionmap *rm);
/* The box {s0, s1, t0, t1}. */
void ls_regionmap_box(const struct ls_regionmap *rm, double box[4]);
long ls_regionmap_count(const struct ls_regionmap *rm);        /* regions */
long ls_regionmap_linear_count(const struct ls_regionmap *rm); /* linear_regions */
/* Polygon of region i: *nv vertices (s, t) counterclockwise, (nv, 2). */
const double *ls_regionmap_polygon(const struct ls_regionmap *rm, long i, int *nv);
double ls_regionmap_area(const struct ls_regionmap *rm, long i);
/* Pattern bits of region i ((ls_net_units() + 7) / 8 bytes) and its id
 * (same hash as ls_region_id()). */
const uint8_t *ls_regionmap_pattern(const struct ls_regionmap *rm, long i);
uint64_t ls_regionmap_id(const struct ls_regionmap *rm, long i);
/* Index of the linear region region i belongs to, 0..linear_count-1. */
long ls_regionmap_linear_of(const struct ls_regionmap *rm, long i);
/* Affine map of the analysed layers of net (the net the map was made
 * with) on region i, restricted to the plane: out(s, t) = c + s a + t b;
 * coef receives (3, nout) doubles, rows c, a, b, nout the width of the last
 * analysed layer (net->out unless a smooth tail follows). Computed from
 * the region's pattern. */
void ls_regionmap_affine(struct ls_net *net, const struct ls_regionmap *rm, long i,
			 double *coef);
/* Adjacency: pairs of regions sharing an edge of positive length:
 * *npairs pairs (i, j), i < j, as (npairs, 2). */
const long *ls_regionmap_adjacency(const struct ls_regionmap *rm, long *npairs);
/* Colour index of region i: neighbours have different colours. */
int ls_regionmap_color(const struct ls_regionmap *rm, long i);
/* Region containing (s, t), or -1 outside the box. */
long ls_regionmap_locate(const struct ls_regionmap *rm, double s, double t);

/* Renders the map into an RGB raster of w x h pixels (s to the right, t
 * upwards): regions filled with their colours, boundaries dark, and an
 * optional path of npath points (s, t) ((npath, 2), may be NULL) drawn as
 * a white polyline. Free r with ls_raster_free(). */
void ls_regionmap_render(const struct ls_regionmap *rm, int w, int h, const double *path,
			 int npath, struct ls_raster *r);

/* ---- bounds (Zhang, Naitzat & Lim) ---------------------------------- */

/* Upper bound on the number of linear regions of the analysed layers of
 * net on an input of dimension d: prod over hidden PL layers of
 * sum_{i=0..d} C(n_l, i). As a double (it overflows integers fast). */
double ls_regions_bound(const struct ls_net *net, int d);

#endif
