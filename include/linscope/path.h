/*
 * path.h: the exact path of a slider, z(t) = z0 + t u for t in [a, b].
 *
 * A piecewise-linear decoder is affine in t inside each activation piece
 * of the segment (regions.h). The path keeps the breakpoints of those
 * pieces (and both ends) and the decoder's "pre-tail" output at each of
 * them: the value that feeds the net's final element-wise smooth
 * activation (sigmoid, tanh: ls_net_pl_kind() LS_PL_TAIL), or the whole
 * output of a LS_PL_YES net. The pre-tail outputs are computed once, in
 * float64 from the float32 weights, in one batched forward of the graph
 * prefix (they are independent), and stored as float32.
 *
 * A frame at t is then a binary search of t among the points, a linear
 * interpolation of the two cached vectors (exact: the pre-tail output is
 * affine between them) and the net's own tail nodes in the float forward's
 * arithmetic: O(output size) whatever the size of the decoder. ls_model_decode()
 * is the decoder's forward with nothing after it (no range mapping), so a
 * frame is what ls_model_decode() returns for z(t), up to float32
 * rounding: the cached values are the exact double forward rounded once,
 * where a direct float32 decode carries its own accumulation error.
 *
 * Memory: the cache is npoints * pre-tail width floats; ls_path_create()
 * refuses (LS_ENOMEM, a message saying how much it would need) a path
 * over the budget, so the caller falls back to direct decodes.
 *
 * Threads: a path is immutable once made; ls_path_frame() only reads it.
 * ls_path_create() reads the net (never writes it), so it may run in a
 * worker thread while other threads decode with the same net.
 */
#ifndef LINSCOPE_PATH_H
#define LINSCOPE_PATH_H

#include <stdatomic.h>

#include "linscope/status.h"

#define LS_PATH_BUDGET (256LL << 20)   /* bytes of cached outputs, default */

struct ls_net;
struct ls_path;

/*
 * Builds the exact path of net along z0 + t u, t in [a, b] (a < b; u as
 * given, so pass sigma * u for t in sigma units). budget: bytes of cached
 * outputs allowed (<= 0: LS_PATH_BUDGET). Returns LS_OK and *p (free with
 * ls_path_free()); LS_EINVAL with LS_NOT_PL_TEXT for a net that is not
 * piecewise linear, or a bad range; LS_ENOMEM when the cache would exceed
 * the budget ("the exact path needs N MB for K points (budget M MB)").
 */
enum ls_status ls_path_create(struct ls_net *net, const float *z0, const float *u, double a,
			      double b, long long budget, struct ls_path **p, char *err);
/* The same, stopping early once *cancel (set by another thread) is
 * non-zero: polled between layers or pieces and between chunks of the
 * forward; returns LS_EINVAL "cancelled" and no path. cancel NULL: never. */
enum ls_status ls_path_create_cancel(struct ls_net *net, const float *z0, const float *u,
				     double a, double b, long long budget, const atomic_int *cancel,
				     struct ls_path **p, char *err);
void ls_path_free(struct ls_path *p);

/* The frame at t into out (net->out floats). Returns 0, or -1 (out
 * untouched) when t is outside [a, b] or not finite. */
int ls_path_frame(const struct ls_path *p, double t, float *out);

/* The points: t_0 = a < breakpoints < t_{n-1} = b, (n) doubles. */
long ls_path_npoints(const struct ls_path *p);
const double *ls_path_points(const struct ls_path *p);
/* Linear pieces (activation pieces merged where the affine maps agree,
 * regions.h); the activation pieces are ls_path_npoints() - 1. */
int ls_path_nlinear(const struct ls_path *p);
/* Bytes held by the path (cache and points). */
long long ls_path_bytes(const struct ls_path *p);
/* Seconds ls_path_create() took: the pieces, then the batched forward. */
void ls_path_times(const struct ls_path *p, double *pieces_s, double *forward_s);

#endif
