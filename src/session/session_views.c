/*
 * session_views.c: the tropical map of a 2-D latent (issue 16's explorer
 * side; the mathematics is in tropmap.c) and the histogram as a raster,
 * for the explorer's pixel views and the `tropmap` command's PNG.
 *
 * The tropical map covers the latent plane itself (d = 2): the bank's
 * extent widened by 5% on each side (without a bank [-3, 3]^2), the
 * current latent marked with a white cross (on the PNG; the explorer
 * marks a copy of its cached map on every frame).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/model.h"
#include "linscope/png.h"
#include "linscope/tropical.h"
#include "base/util.h"
#include "session_impl.h"

#define TROP_SIDE 512   /* PNG width of `tropmap` */

int
ls_session_tropical_output(const struct ls_session *s)
{
	if (s->trop_set && s->trop_k >= 0 && s->trop_k < s->h * s->w)
		return s->trop_k;
	return (s->h / 2) * s->w + s->w / 2;
}

enum ls_status
ls_session_set_tropical_pixel(struct ls_session *s, int x, int y, char *err)
{
	if (x < 0 || y < 0 || x >= s->w || y >= s->h)
		return ls_err(err, LS_EINVAL, "tropmap: pixel %d,%d outside the %dx%d image", x, y, s->w, s->h);
	s->trop_set = 1;
	s->trop_k = y * s->w + x;
	return LS_OK;
}

/* The plane's box: the bank's extent widened by 5%, or [-3, 3]^2. */
static void
trop_box(const struct ls_session *s, double box[4])
{
	long n = s->bank ? ls_bank_rows(s->bank) : 0, i;
	const float *r = s->bank ? ls_bank_data(s->bank) : NULL;
	int q;

	box[0] = box[2] = -3, box[1] = box[3] = 3;
	if (n < 2 || ls_bank_dim(s->bank) != 2)
		return;
	box[0] = box[1] = r[0], box[2] = box[3] = r[1];
	for (i = 1; i < n; i++)
		for (q = 0; q < 2; q++) {
			double v = r[2 * i + q];
			if (isfinite(v))
				box[2 * q] = fmin(box[2 * q], v), box[2 * q + 1] = fmax(box[2 * q + 1], v);
		}
	for (q = 0; q < 2; q++) {
		double e = 0.05 * (box[2 * q + 1] - box[2 * q]) + 1e-6;
		box[2 * q] -= e, box[2 * q + 1] += e;
	}
}

void
ls_session_tropmap_mark(const struct ls_session *s, const struct ls_session_tropinfo *info,
			struct ls_raster *r)
{
	const double *box = info->box;
	double sv = s->d == 2 ? s->z[0] : 0, t = s->d == 2 ? s->z[1] : 0;
	int x = (int)floor((sv - box[0]) / (box[1] - box[0]) * r->w);
	int y = (int)floor((box[3] - t) / (box[3] - box[2]) * r->h), k, e = r->w / 40 + 2;

	for (k = -e - 1; k <= e + 1; k++)
		for (int w = -1; w <= 1; w++) {
			int pts[2][2] = { { x + k, y + w }, { x + w, y + k } };
			for (int q = 0; q < 2; q++) {
				int px = pts[q][0], py = pts[q][1];
				uint8_t v = (w == 0 && abs(k) <= e) ? 255 : 0;
				if (px >= 0 && py >= 0 && px < r->w && py < r->h)
					memset(r->px + ((size_t)py * r->w + px) * 3, v, 3);
			}
		}
}

enum ls_status
ls_session_tropmap_raster(struct ls_session *s, int w, int h, struct ls_raster *r,
			  struct ls_session_tropinfo *info, char *err)
{
	static const double z0[2] = { 0, 0 }, u[2] = { 1, 0 }, v[2] = { 0, 1 };
	struct ls_mlp *m = NULL;
	struct ls_tropmap t;
	enum ls_status st;
	double t0 = ls_now();

	memset(r, 0, sizeof *r);
	if (s->d != 2)
		return ls_err(err, LS_EINVAL, "tropmap: needs a 2-D latent (this model has %d dimensions)", s->d);
	if ((st = ls_mlp_from_net(ls_model_decoder(s->model), 0, &m, err)) != LS_OK)
		return st;
	info->output = ls_session_tropical_output(s);
	info->x = info->output % s->w, info->y = info->output / s->w;
	trop_box(s, info->box);
	if (info->output >= m->out)
		st = ls_err(err, LS_EINVAL, "tropmap: output %d out of range (%d)", info->output, m->out);
	else
		st = ls_tropical_map(m, info->output, z0, u, v, info->box, w, h, &t, err);
	ls_mlp_free(m);
	if (st != LS_OK)
		return st;
	ls_tropmap_render(&t, r);
	info->nf = t.nf, info->ng = t.ng;
	info->seconds = ls_now() - t0;
	ls_tropmap_free(&t);
	return LS_OK;
}

enum ls_status
ls_session_tropmap(struct ls_session *s, const char *file, char *path,
		   struct ls_session_tropinfo *info, char *err)
{
	struct ls_raster r;
	enum ls_status st;
	double b[4];
	int h;

	trop_box(s, b);
	h = (int)lround(TROP_SIDE * (b[3] - b[2]) / (b[1] - b[0]));
	h = h < 16 ? 16 : h > 4 * TROP_SIDE ? 4 * TROP_SIDE : h;
	if ((st = ls_session_tropmap_raster(s, TROP_SIDE, h, &r, info, err)) != LS_OK)
		return st;
	ls_session_tropmap_mark(s, info, &r);
	st = session_write_raster(s, file, "linscope-tropmap-%04d.png", &r, path, err);
	ls_raster_free(&r);
	return st;
}

/* ---- the histogram ------------------------------------------------------- */

/* Colour of class c of n (a spread of hues). */
static void
class_colour(int c, int n, uint8_t *o)
{
	double hue = n > 1 ? 6.0 * c / n : 1.2, f = hue - floor(hue);
	int i = (int)floor(hue) % 6;
	double rgb[6][3] = { { 1, f, 0 }, { 1 - f, 1, 0 }, { 0, 1, f },
			     { 0, 1 - f, 1 }, { f, 0, 1 }, { 1, 0, 1 - f } };

	for (int q = 0; q < 3; q++)
		o[q] = (uint8_t)(60 + 180 * rgb[i][q]);
}

enum ls_status
ls_session_hist_raster(struct ls_session *s, int i, int w, int h, struct ls_raster *r, char *err)
{
	const struct ls_hist *hs;
	double zp;
	enum ls_status st;
	int nb = w < 1024 ? w / 2 : 512, c, k, x, y, zb, rows, top;
	long mx;

	memset(r, 0, sizeof *r);
	if (w < 8 || h < 8)
		return ls_err(err, LS_EINVAL, "histogram: %dx%d pixels is too small", w, h);
	if ((st = ls_session_hist(s, i, nb, &hs, &zp, err)) != LS_OK)
		return st;
	nb = hs->nbins;
	r->w = w, r->h = h, r->c = 3;
	r->px = xcalloc((size_t)w * h * 3, 1);
	memset(r->px, 16, (size_t)w * h * 3);
	rows = hs->nclasses;
	zb = ls_hist_bin(hs, zp);
	for (c = 0; c < rows; c++) {
		uint8_t col[3];
		int y0 = h * c / rows, y1 = h * (c + 1) / rows - 1;
		class_colour(c, rows, col);
		for (k = 0, mx = 0; k < nb; k++)
			mx = hs->count[(long)c * nb + k] > mx ? hs->count[(long)c * nb + k] : mx;
		for (k = 0; k < nb; k++) {
			long v = hs->count[(long)c * nb + k];
			top = mx > 0 ? (int)lround((double)v / mx * (y1 - y0)) : 0;
			for (x = w * k / nb; x < w * (k + 1) / nb; x++)
				for (y = y1 - top; y <= y1; y++)
					if (v > 0)
						memcpy(r->px + ((size_t)y * w + x) * 3, col, 3);
		}
	}
	for (x = w * zb / nb; x < w * (zb + 1) / nb || x == w * zb / nb; x++)
		for (y = 0; y < h && x < w; y++)
			memset(r->px + ((size_t)y * w + x) * 3, 255, 3);
	return LS_OK;
}
