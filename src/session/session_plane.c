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

/* A decorated map: margins (pixels) around the regions for the axes, the
 * ticks and their labels, and a line of legend, in the font at MAP_FONT. */
#define MAP_FONT 2
#define MAP_L 96
#define MAP_R 32
#define MAP_T 36
#define MAP_B 60
#define MAP_BG 24

/* A white rectangle (clipped). */
static void
fill(struct ls_raster *r, int x, int y, int w, int h)
{
	int i, j;

	for (j = y; j < y + h; j++)
		for (i = x; i < x + w; i++)
			if (i >= 0 && j >= 0 && i < r->w && j < r->h)
				memset(r->px + ((size_t)j * r->w + i) * 3, 255, 3);
}

/* "+1.5σ" (or "0") for alpha v. */
static void
alpha_label(double v, char *out, size_t n)
{
	if (fabs(v) < 1e-9)
		snprintf(out, n, "0");
	else
		snprintf(out, n, "%+.3g\xcf\x83", v);
}

/* The ticks and labels of both axes: the ends of the box and 0. */
static void
map_ticks(struct ls_raster *o, int mw, int mh, const double a[4])
{
	const double xs[3] = { a[0], 0, a[1] }, ys[3] = { a[2], 0, a[3] };
	int k = MAP_FONT, q, x, y;
	char t[32];

	for (q = 0; q < 3; q++) {
		if ((q == 1 && !(a[0] < 0 && a[1] > 0)))
			continue;
		x = MAP_L + (int)lround((xs[q] - a[0]) / (a[1] - a[0]) * (mw - 1));
		fill(o, x, MAP_T + mh, 2, 8);
		alpha_label(xs[q], t, sizeof t);
		ls_font_draw(o, x - ls_font_width(t, k) / 2, MAP_T + mh + 12, k, t, 255);
	}
	for (q = 0; q < 3; q++) {
		if ((q == 1 && !(a[2] < 0 && a[3] > 0)))
			continue;
		y = MAP_T + mh - 1 - (int)lround((ys[q] - a[2]) / (a[3] - a[2]) * (mh - 1));
		fill(o, MAP_L - 8, y, 8, 2);
		alpha_label(ys[q], t, sizeof t);
		ls_font_draw(o, MAP_L - 12 - ls_font_width(t, k), y - LS_FONT_H * k / 2, k, t, 255);
	}
}

/* The map r framed with axes and a legend into o (RGB). */
static void
map_decorate(const struct ls_session *s, int i, int j, const struct ls_raster *r,
	     const double a[4], long regions, struct ls_raster *o)
{
	char t[LS_SESSION_NAME_MAX * 2 + 96];
	int y, k = MAP_FONT;

	o->w = r->w + MAP_L + MAP_R;
	o->h = r->h + MAP_T + MAP_B;
	o->c = 3;
	o->px = xmalloc((size_t)o->w * o->h * 3);
	memset(o->px, MAP_BG, (size_t)o->w * o->h * 3);
	for (y = 0; y < r->h; y++)
		memcpy(o->px + ((size_t)(y + MAP_T) * o->w + MAP_L) * 3, r->px + (size_t)y * r->w * 3,
		       (size_t)r->w * 3);
	map_ticks(o, r->w, r->h, a);
	snprintf(t, sizeof t, "%s (\xcf\x83)", s->dirs[i].name);
	ls_font_draw(o, MAP_L + (r->w - ls_font_width(t, k)) / 2, o->h - LS_FONT_H * k - 8, k, t, 255);
	snprintf(t, sizeof t, "up: %s (\xcf\x83)", s->dirs[j].name);
	ls_font_draw(o, 8, 8, k, t, 255);
	snprintf(t, sizeof t, "%ld regions, white: the slider path, tick: z", regions);
	ls_font_draw(o, o->w - 8 - ls_font_width(t, k), 8, k, t, 255);
}

/* Renders rm with the path, frames it and writes it (see
 * ls_session_regionmap); a (4) is the box in alpha units. */
static enum ls_status
map_write(struct ls_session *s, int i, int j, const struct ls_regionmap *rm,
	  const double box[4], const double a[4], const double *path, const char *file,
	  char *out, char *err)
{
	double ratio = (box[3] - box[2]) / (box[1] - box[0]);
	int h = (int)lround(MAP_SIDE * ratio);
	struct ls_raster r, o;
	enum ls_status st;

	h = h < 16 ? 16 : h > 4 * MAP_SIDE ? 4 * MAP_SIDE : h;
	ls_regionmap_render(rm, MAP_SIDE, h, path, PATH_POINTS, &r);
	map_decorate(s, i, j, &r, a, ls_regionmap_count(rm), &o);
	st = session_write_raster(s, file, "linscope-regionmap-%04d.png", &o, out, err);
	ls_raster_free(&r);
	ls_raster_free(&o);
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

/* The box of the map in alpha units: sub, or both slider ranges. */
static enum ls_status
map_box(const struct ls_session *s, int i, int j, const double *sub, double a[4], char *err)
{
	int k;

	if (!sub) {
		a[0] = s->dirs[i].lo, a[1] = s->dirs[i].hi, a[2] = s->dirs[j].lo, a[3] = s->dirs[j].hi;
		return LS_OK;
	}
	for (k = 0; k < 4; k++)
		if (!isfinite(sub[k]) || fabs(sub[k]) > 1e6)
			return ls_err(err, LS_EINVAL, "regionmap: the box wants finite alphas");
	if (!(sub[0] < sub[1]) || !(sub[2] < sub[3]))
		return ls_err(err, LS_EINVAL, "regionmap %g %g %g %g: want X0 < X1 and Y0 < Y1",
			      sub[0], sub[1], sub[2], sub[3]);
	memcpy(a, sub, 4 * sizeof *a);
	return LS_OK;
}

enum ls_status
ls_session_regionmap(struct ls_session *s, int i, int j, const char *file, char *path,
		     long *regions, long *linear, double box[4], char *err)
{
	return ls_session_regionmap_in(s, i, j, NULL, file, path, regions, linear, box, err);
}

/* The exact map of the plane of i and j over a (alpha units): rm, the
 * box in raw units and the slider path p. */
static enum ls_status
plane_map(struct ls_session *s, int i, int j, const double a[4], struct ls_regionmap **rm,
	  double box[4], double *p, char *err)
{
	enum ls_status st;
	float *zb;

	box[0] = a[0] * s->dirs[i].sigma, box[1] = a[1] * s->dirs[i].sigma;
	box[2] = a[2] * s->dirs[j].sigma, box[3] = a[3] * s->dirs[j].sigma;
	zb = xmalloc((size_t)s->d * sizeof *zb);
	plane_base(s, i, j, zb);
	st = ls_regions_2d(ls_model_decoder(s->model), zb, s->dirs[i].u, s->dirs[j].u, box,
			   MAP_MAX_REGIONS, rm, err);
	if (st == LS_OK)
		plane_path(s, i, j, box, p);
	free(zb);
	return st;
}

enum ls_status
ls_session_regionmap_in(struct ls_session *s, int i, int j, const double *sub, const char *file,
			char *path, long *regions, long *linear, double box[4], char *err)
{
	struct ls_regionmap *rm = NULL;
	double p[PATH_POINTS * 2], a[4];
	enum ls_status st;

	if ((st = map_check(s, i, j, err)) != LS_OK || (st = map_box(s, i, j, sub, a, err)) != LS_OK)
		return st;
	if ((st = plane_map(s, i, j, a, &rm, box, p, err)) == LS_OK) {
		st = map_write(s, i, j, rm, box, a, p, file, path, err);
		*regions = ls_regionmap_count(rm);
		*linear = ls_regionmap_linear_count(rm);
	}
	ls_regionmap_free(rm);
	return st;
}

enum ls_status
ls_session_regionmap_raster(struct ls_session *s, int i, int j, int w, int h,
			    struct ls_raster *r, long *regions, char *err)
{
	struct ls_regionmap *rm = NULL;
	double p[PATH_POINTS * 2], a[4], box[4];
	enum ls_status st;

	memset(r, 0, sizeof *r);
	if (w < 2 || h < 2)
		return ls_err(err, LS_EINVAL, "regionmap: %dx%d pixels is too small", w, h);
	if ((st = map_check(s, i, j, err)) != LS_OK || (st = map_box(s, i, j, NULL, a, err)) != LS_OK)
		return st;
	if ((st = plane_map(s, i, j, a, &rm, box, p, err)) == LS_OK) {
		ls_regionmap_render(rm, w, h, p, PATH_POINTS, r);
		*regions = ls_regionmap_count(rm);
	}
	ls_regionmap_free(rm);
	return st;
}
