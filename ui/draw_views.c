/*
 * draw_views.c: the preview pane's other faces, drawn as pixels through
 * ui/render/ (terminal graphics when the terminal has them, else chafa
 * symbols or half blocks):
 *
 *   histogram   key i: with terminal graphics, per-label bars as pixels
 *               (ls_session_hist_raster); otherwise the text bars of
 *               draw_info.c
 *   region map  key M: the exact linear regions of the plane of two
 *               directions (ls_session_regionmap_raster), the slider path
 *               in white and z ticked
 *   tropical    key T: for a 2-D latent, the tropical hypersurfaces of F
 *               (orange) and G (cyan) of a pixel's logit over the latent
 *               plane (ls_session_tropmap_raster; `:tropmap X Y` picks the
 *               pixel), z a white cross
 *
 * The maps are computed in the core and kept in struct view_cache: the
 * tropical map until the model, the pixel or the pane's size change (z
 * only moves the cross, drawn on a copy); the region map also when the
 * session changed, once it has been still for INFO_DEBOUNCE. A map that
 * must be made is announced on one frame and made on the next
 * (view_due()), so the pane says what it waits for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define VIEW_MAX_W 200   /* pixels of a map (the render scales it up) */
#define VIEW_MAX_H 150
#define HIST_MAX_W 640

void
view_free(struct view_cache *vc)
{
	ls_raster_free(&vc->r);
	memset(vc, 0, sizeof *vc);
}

int
view_toggle(struct app *a, enum face f)
{
	a->face = a->face == f ? FACE_IMAGE : f;
	a->ps.on = 0;
	return R_REDRAW;
}

int
view_due(const struct app *a)
{
	const struct view_cache *vc = &a->vc;

	if ((a->mode == MODE_HELP && !a->pager_popup) || a->lay.too_small ||
	    (a->face != FACE_MAP && a->face != FACE_TROP))
		return 0;
	return vc->pending || (a->face == FACE_MAP && vc->valid && vc->v != ls_session_version(a->s) &&
			       ls_now() - vc->changed >= INFO_DEBOUNCE);   /* changed: map_draw */
}

/* The raster size for rows x cols cells, at most mw x mh, aspect kept. */
static void
area_size(int rows, int cols, int mw, int mh, int *w, int *h)
{
	int ph, pw;

	render_area_px(rows, cols, &ph, &pw);
	if (pw > mw)
		ph = (int)((long)ph * mw / pw), pw = mw;
	if (ph > mh)
		pw = (int)((long)pw * mh / ph), ph = mh;
	*w = pw < 2 ? 2 : pw;
	*h = ph < 2 ? 2 : ph;
}

/* Is the cache for face f at w x h, same model, pixel and plane? (The
 * region map may still be for an older state: see map_draw.) */
static int
cache_fits(const struct app *a, enum face f, int w, int h, int i, int j)
{
	const struct view_cache *vc = &a->vc;

	if (!vc->valid || vc->face != f || vc->w != w || vc->h != h ||
	    vc->model != ls_session_model(a->s))
		return 0;
	if (f == FACE_TROP)
		return vc->output == ls_session_tropical_output(a->s);
	return vc->i == i && vc->j == j;
}

/* Makes the raster of face f (the computation). */
static void
cache_make(struct app *a, enum face f, int w, int h, int i, int j)
{
	struct view_cache *vc = &a->vc;
	double t0 = ls_now();
	enum ls_status st;

	ls_raster_free(&vc->r);
	vc->err[0] = 0;
	if (f == FACE_TROP)
		st = ls_session_tropmap_raster(a->s, w, h, &vc->r, &vc->ti, vc->err);
	else
		st = ls_session_regionmap_raster(a->s, i, j, w, h, &vc->r, &vc->regions, vc->err);
	if (st != LS_OK)
		ls_raster_free(&vc->r);
	vc->face = f, vc->w = w, vc->h = h, vc->i = i, vc->j = j;
	vc->model = ls_session_model(a->s);
	vc->output = ls_session_tropical_output(a->s);
	vc->v = ls_session_version(a->s);
	vc->valid = 1, vc->pending = 0;
	vc->seconds = ls_now() - t0;
}

/* The title of a map face. */
static void
map_title(const struct app *a, enum face f, int i, int j, char *t, size_t n)
{
	const struct view_cache *vc = &a->vc;
	struct ls_session_dir p, q;

	if (f == FACE_TROP && vc->r.px)
		snprintf(t, n, "tropical: pixel %d,%d  F orange, G cyan; %ld+%ld monomials  (T: image)",
			 vc->ti.x, vc->ti.y, vc->ti.nf, vc->ti.ng);
	else if (f == FACE_TROP)
		snprintf(t, n, "tropical map  (T: image)");
	else if (vc->r.px && !ls_session_dir(a->s, i, &p) && !ls_session_dir(a->s, j, &q))
		snprintf(t, n, "regions: %s by %s (up), %ld regions  (M: image)", p.name, q.name,
			 vc->regions);
	else
		snprintf(t, n, "region map  (M: image)");
}

/* The region map or the tropical map in the pane. */
static void
map_draw(struct app *a, enum face f)
{
	const struct box *b = &a->lay.preview;
	struct view_cache *vc = &a->vc;
	int rows = b->h - 1, cols = b->w - 1, w, h, i = -1, j = -1;
	unsigned long v = ls_session_version(a->s);
	char title[256];
	struct ls_raster m;

	if (f == FACE_MAP && ls_session_plane_dirs(a->s, &i, &j) < 0) {
		draw_title(b, "region map  (M: image)", 0);
		draw_text(b->y + 1, b->x + 1, b->w - 2, "needs two directions (make them with dir, diff or pca)");
		return;
	}
	if (v != vc->seen)
		vc->seen = v, vc->changed = ls_now();
	area_size(rows, cols, VIEW_MAX_W, VIEW_MAX_H, &w, &h);
	if (!cache_fits(a, f, w, h, i, j)) {
		if (!vc->pending) {   /* say so on this frame, make it on the next */
			vc->pending = 1;
			vc->valid = 0;
			draw_title(b, f == FACE_TROP ? "tropical map  (T: image)" : "region map  (M: image)", 0);
			draw_text(b->y + 1, b->x + 1, b->w - 2, "computing...");
			return;
		}
		cache_make(a, f, w, h, i, j);
	} else if (f == FACE_MAP && vc->v != v && ls_now() - vc->changed >= INFO_DEBOUNCE) {
		cache_make(a, f, w, h, i, j);   /* the old map shows until the state is still */
	}
	map_title(a, f, i, j, title, sizeof title);
	draw_title(b, title, 0);
	if (!vc->r.px) {
		draw_text(b->y + 1, b->x + 1, b->w - 2, vc->err);
		return;
	}
	m = vc->r;
	if (f == FACE_TROP) {   /* the cross on a copy */
		m.px = xmalloc((size_t)m.w * m.h * 3);
		memcpy(m.px, vc->r.px, (size_t)m.w * m.h * 3);
		ls_session_tropmap_mark(a->s, &vc->ti, &m);
	}
	render_raster(stdscr, b->y + 1, b->x + 1, rows, cols, m.px, 3, m.h, m.w);
	if (m.px != vc->r.px)
		free(m.px);
}

/* The histogram as pixels (terminal graphics only; else the text bars). */
static void
hist_pixels(struct app *a)
{
	const struct box *b = &a->lay.preview;
	int sel = ls_session_selected(a->s), rows = b->h - 2, cols = b->w - 1, w, h;
	struct ls_session_dir d;
	struct ls_raster r;
	char title[256], err[LS_ERR_MAX] = "no direction selected";

	if (sel < 0 || ls_session_dir(a->s, sel, &d) || rows < 2) {
		hist_draw(a);
		return;
	}
	area_size(rows, cols, HIST_MAX_W, HIST_MAX_W, &w, &h);
	if (ls_session_hist_raster(a->s, sel, w, h, &r, err) != LS_OK) {
		hist_draw(a);
		return;
	}
	snprintf(title, sizeof title, "histogram %s  white: z  (i: image)", d.name);
	draw_title(b, title, 0);
	render_raster(stdscr, b->y + 1, b->x + 1, rows, cols, r.px, 3, r.h, r.w);
	ls_raster_free(&r);
}

void
view_draw(struct app *a)
{
	a->img.h = 0;
	if (a->face == FACE_HIST) {
		if (px_is_graphics(render_pixels()))
			hist_pixels(a);
		else
			hist_draw(a);
		return;
	}
	map_draw(a, a->face);
}
