/*
 * session_plane.c: paint-to-direction at the current latent and the exact
 * region map of the plane of two directions around it (issue 5's explorer
 * side; the mathematics is in paint.c and regions2d.c).
 *
 * The plane of directions i and j is z_b + s u_i + t u_j with z_b the
 * current z without the parts of i and j, accumulated in double from z0
 * like the strip (session_frame.c), so with only i and j active z_b is z0
 * exactly. s and t are raw latent distances across the slider ranges.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linearity.h"
#include "linscope/model.h"
#include "linscope/png.h"
#include "linscope/regions.h"
#include "base/util.h"
#include "session_impl.h"

#define MAP_SIDE 512              /* PNG width, as `linscope regionmap` */
#define MAP_MAX_REGIONS 2000000L  /* stop (LS_ENOMEM) beyond this */
#define PATH_POINTS 6

enum ls_status
ls_session_paint(struct ls_session *s, int x0, int y0, int x1, int y1, const char *name,
		 double *gain, char *err)
{
	float *u = xmalloc((size_t)s->d * sizeof *u);
	char src[96];
	enum ls_status st;

	snprintf(src, sizeof src, "paint:%d,%d,%d,%d", x0, y0, x1, y1);
	if ((st = ls_paint_direction(s->model, s->z, x0, y0, x1, y1, u, gain, err)) == LS_OK)
		st = ls_session_add_dir(s, name, u, "paint", src, NULL, err);
	free(u);
	return st;
}

int
ls_session_plane_dirs(const struct ls_session *s, int *i, int *j)
{
	int k;

	if (s->ndirs < 2 || s->sel < 0)
		return -1;
	*i = s->sel;
	if (s->dirs[s->sel].active)
		for (k = 0; k < s->ndirs; k++)
			if (k != s->sel && s->dirs[k].active) {
				*j = k;
				return 0;
			}
	*j = (s->sel + 1) % s->ndirs;
	return 0;
}

/* z0 plus the active directions other than i and j into zb (d). */
static void
plane_base(const struct ls_session *s, int i, int j, float *zb)
{
	int k, q;

	for (k = 0; k < s->d; k++) {
		double v = s->z0[k];
		for (q = 0; q < s->ndirs; q++)
			if (q != i && q != j && s->dirs[q].active)
				v += s->dirs[q].alpha * s->dirs[q].sigma * s->dirs[q].u[k];
		zb[k] = (float)v;
	}
}

/* Where direction q puts the current latent along its axis (raw). */
static double
axis_pos(const struct sdir *q, double lo, double hi)
{
	double v = q->active ? q->alpha * q->sigma : 0;

	return v < lo ? lo : v > hi ? hi : v;
}

/* The slider path of i at j's position, with a tick at the current
 * latent: (PATH_POINTS, 2) points (s, t). */
static void
plane_path(const struct ls_session *s, int i, int j, const double box[4], double *p)
{
	double sc = axis_pos(&s->dirs[i], box[0], box[1]);
	double tc = axis_pos(&s->dirs[j], box[2], box[3]), e = 0.02 * (box[3] - box[2]);
	const double pts[PATH_POINTS][2] = { { box[0], tc }, { sc, tc }, { sc, tc + e },
					     { sc, tc - e }, { sc, tc }, { box[1], tc } };

	memcpy(p, pts, sizeof pts);
}

/* Renders rm with the path and writes it (see ls_session_regionmap). */
static enum ls_status
map_write(struct ls_session *s, const struct ls_regionmap *rm, const double box[4],
	  const double *path, const char *file, char *out, char *err)
{
	double ratio = (box[3] - box[2]) / (box[1] - box[0]);
	int h = (int)lround(MAP_SIDE * ratio);
	struct ls_raster r;
	enum ls_status st;

	h = h < 16 ? 16 : h > 4 * MAP_SIDE ? 4 * MAP_SIDE : h;
	ls_regionmap_render(rm, MAP_SIDE, h, path, PATH_POINTS, &r);
	st = session_write_raster(s, file, "linscope-regionmap-%04d.png", &r, out, err);
	ls_raster_free(&r);
	return st;
}

/* Checks the pair of directions and the decoder for a map. */
static enum ls_status
map_check(const struct ls_session *s, int i, int j, char *err)
{
	if (i < 0 || j < 0 || i >= s->ndirs || j >= s->ndirs)
		return ls_err(err, LS_EINVAL, "regionmap: needs two directions (make them with dir, diff or pca)");
	if (i == j)
		return ls_err(err, LS_EINVAL, "regionmap: %s: the two directions must differ", s->dirs[i].name);
	if (ls_net_pl_kind(ls_model_decoder(s->model), NULL) == LS_PL_NO)
		return ls_err(err, LS_EINVAL, "regionmap: the decoder is " LS_NOT_PL_TEXT);
	return LS_OK;
}

enum ls_status
ls_session_regionmap(struct ls_session *s, int i, int j, const char *file, char *path,
		     long *regions, long *linear, double box[4], char *err)
{
	struct ls_regionmap *rm = NULL;
	double p[PATH_POINTS * 2];
	enum ls_status st;
	float *zb;

	if ((st = map_check(s, i, j, err)) != LS_OK)
		return st;
	box[0] = s->dirs[i].lo * s->dirs[i].sigma, box[1] = s->dirs[i].hi * s->dirs[i].sigma;
	box[2] = s->dirs[j].lo * s->dirs[j].sigma, box[3] = s->dirs[j].hi * s->dirs[j].sigma;
	zb = xmalloc((size_t)s->d * sizeof *zb);
	plane_base(s, i, j, zb);
	st = ls_regions_2d(ls_model_decoder(s->model), zb, s->dirs[i].u, s->dirs[j].u, box,
			   MAP_MAX_REGIONS, &rm, err);
	if (st == LS_OK) {
		plane_path(s, i, j, box, p);
		st = map_write(s, rm, box, p, file, path, err);
		*regions = ls_regionmap_count(rm);
		*linear = ls_regionmap_linear_count(rm);
	}
	ls_regionmap_free(rm);
	free(zb);
	return st;
}
