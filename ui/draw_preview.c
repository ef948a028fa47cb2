/*
 * draw_preview.c: the preview pane (the decoded z, and z0 beside or under
 * it when there is room at a similar size) and the strip (z0, then
 * thumbnails along the selected direction across its range, labelled with
 * their alpha).
 *
 * The cells the image of z takes are kept in app.img for painting with
 * the mouse (mouse.c); a rectangle being painted is outlined in reverse.
 *
 * The strip and the region breakpoints of the slider depend on the latent
 * without the selected direction's contribution, the direction and its
 * range, not on its alpha: struct strip_cache keeps them until one of
 * those changes, so a slider step costs one decode (ls_session_frame).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"


#define PIECES_MAX_PARAMS 4000000L   /* no synchronous analysis above this */

static void paint_sel_draw(const struct app *a);

void
strip_free(struct strip_cache *sc)
{
	free(sc->base);
	free(sc->next);
	free(sc->u);
	free(sc->imgs);
	free(sc->bp);
	memset(sc, 0, sizeof *sc);
}

/* Fills base (d) with z0 plus the other active directions' parts: z
 * without the selected direction, computed the same way whatever its
 * alpha (so the cache compares exactly). */
static void
strip_base(const struct app *a, int sel, int dim, float *base)
{
	const float *z0 = ls_session_z0(a->s);
	int n = ls_session_ndirs(a->s), i, j;
	struct ls_session_dir d;
	double *acc = xcalloc((size_t)dim, sizeof *acc);

	for (j = 0; j < dim; j++)
		acc[j] = z0[j];
	for (i = 0; i < n; i++)
		if (i != sel && !ls_session_dir(a->s, i, &d) && d.active)
			for (j = 0; j < dim; j++)
				acc[j] += d.alpha * d.sigma * d.u[j];
	for (j = 0; j < dim; j++)
		base[j] = (float)acc[j];
	free(acc);
}

/* Is the cache still right for direction d at index sel with base? */
static int
strip_fresh(const struct app *a, const struct ls_session_dir *d, int sel, const float *base,
	    int dim)
{
	const struct strip_cache *sc = &a->sc;

	return sc->valid && sc->model == ls_session_model(a->s) && sc->d == dim &&
	       sc->sel == sel && sc->n == a->lay.strip_n && sc->lo == d->lo && sc->hi == d->hi &&
	       sc->sigma == d->sigma && !memcmp(sc->base, base, (size_t)dim * sizeof *base) &&
	       !memcmp(sc->u, d->u, (size_t)dim * sizeof *base);
}

/* Copies n breakpoints bp (alpha units) into the cache. */
static void
pieces_set(struct strip_cache *sc, const double *bp, long n, int nlinear)
{
	sc->bp = xreallocarray(sc->bp, (size_t)n + 1, sizeof *sc->bp);
	memcpy(sc->bp, bp, (size_t)n * sizeof *bp);
	sc->nbp = (int)n;
	sc->npieces = (int)n + 1;
	sc->nlinear = nlinear;
	sc->have_pieces = 1;
}

/* Region breakpoints along the selected direction, in alpha units: the
 * exact path's (built in the background by the session), or, when the
 * session decodes directly (a path over its budget), computed here for a
 * decoder small enough to take no noticeable time. */
static void
strip_pieces(struct app *a, const struct ls_session_dir *d)
{
	struct strip_cache *sc = &a->sc;
	struct ls_net *dec = ls_model_decoder(ls_session_model(a->s));
	const double *bp;
	struct ls_pieces p;
	char err[LS_ERR_MAX];
	long n;
	int k;

	sc->have_pieces = sc->nbp = 0;
	if ((n = ls_session_path_breaks(a->s, &bp, &k)) >= 0) {
		pieces_set(sc, bp, n, k);
		return;
	}
	if (sc->pieces_tried || ls_session_path_poll(a->s) != LS_SESSION_PATH_DIRECT ||
	    ls_net_params(dec) > PIECES_MAX_PARAMS || !(d->sigma > 0))
		return;
	sc->pieces_tried = 1;
	if (ls_regions_1d(dec, sc->base, d->u, d->lo * d->sigma, d->hi * d->sigma, &p, err) != LS_OK)
		return;
	for (k = 0; k < p.npieces - 1; k++)
		p.bp[k] /= d->sigma;
	pieces_set(sc, p.bp, p.npieces - 1, p.nlinear);
	ls_pieces_free(&p);
}

void
strip_update(struct app *a)
{
	struct strip_cache *sc = &a->sc;
	int sel = ls_session_selected(a->s), dim = ls_session_dim(a->s), n = a->lay.strip_n;
	int c, h, w;
	struct ls_session_dir d;

	if (sel < 0 || n < 1 || ls_session_dir(a->s, sel, &d)) {
		sc->valid = 0;
		return;
	}
	if (sc->d != dim) {
		sc->base = xreallocarray(sc->base, (size_t)dim, sizeof *sc->base);
		sc->next = xreallocarray(sc->next, (size_t)dim, sizeof *sc->next);
		sc->u = xreallocarray(sc->u, (size_t)dim, sizeof *sc->u);
		sc->valid = 0;
	}
	sc->d = dim;
	strip_base(a, sel, dim, sc->next);
	if (strip_fresh(a, &d, sel, sc->next, dim)) {
		if (!sc->have_pieces)   /* the path may have become ready */
			strip_pieces(a, &d);
		return;
	}
	memcpy(sc->base, sc->next, (size_t)dim * sizeof *sc->base);
	ls_session_image(a->s, &c, &h, &w);
	sc->imgs = xreallocarray(sc->imgs, (size_t)n * c * h * w, sizeof *sc->imgs);
	memcpy(sc->imgs, ls_session_strip(a->s, n), (size_t)n * c * h * w * sizeof *sc->imgs);
	memcpy(sc->u, d.u, (size_t)dim * sizeof *sc->u);
	sc->model = ls_session_model(a->s);
	sc->sel = sel;
	sc->n = n;
	sc->lo = d.lo;
	sc->hi = d.hi;
	sc->sigma = d.sigma;
	sc->pieces_tried = 0;
	strip_pieces(a, &d);
	sc->valid = 1;
	sc->recomputed++;
}

/* Draws z in the preview pane, and z0 beside or under it when both fit
 * at their own size or at no less than 3/4 of the size z alone would
 * take. */
void
preview_draw(struct app *a)
{
	const struct box *b = &a->lay.preview;
	const float *img, *img0;
	int c, h, w, r1, c1, r2, c2, r3, c3, rows = b->h - 1, cols = b->w - 1;
	long z0row = ls_session_z0_row(a->s);
	char title[128];
	float lo, hi;

	ls_session_image(a->s, &c, &h, &w);
	ls_session_range(a->s, &lo, &hi);
	ls_session_frame(a->s, &img, &img0);
	if (ls_session_input(a->s))   /* an opened image beside its reconstruction */
		img0 = ls_session_input(a->s);
	render_fit(h, w, rows, cols, &r1, &c1);
	render_fit(h, w, rows, (cols - 2) / 2, &r2, &c2);
	render_fit(h, w, (rows - 1) / 2, cols, &r3, &c3);
	if (ls_session_input(a->s))
		snprintf(title, sizeof title, "z  (%dx%d, %s)   the image opened (z0 is its code)", w, h,
			 render_mode_name());
	else if (z0row >= 0)
		snprintf(title, sizeof title, "z  (%dx%d, %s)   z0: row %ld", w, h, render_mode_name(), z0row);
	else
		snprintf(title, sizeof title, "z  (%dx%d, %s)   z0: a latent", w, h, render_mode_name());
	draw_title(b, title, 0);
	if (c2 >= w || 4 * c2 >= 3 * c1) {
		render_image(stdscr, b->y + 1, b->x + 1, r2, c2, img, c, h, w, lo, hi);
		render_image(stdscr, b->y + 1, b->x + 3 + c2, r2, c2, img0, c, h, w, lo, hi);
		a->img = (struct box){ b->y + 1, b->x + 1, r2, c2 };
	} else if (c3 >= w || 4 * c3 >= 3 * c1) {
		render_image(stdscr, b->y + 1, b->x + 1, r3, c3, img, c, h, w, lo, hi);
		render_image(stdscr, b->y + 2 + r3, b->x + 1, r3, c3, img0, c, h, w, lo, hi);
		a->img = (struct box){ b->y + 1, b->x + 1, r3, c3 };
	} else {
		render_image(stdscr, b->y + 1, b->x + 1, r1, c1, img, c, h, w, lo, hi);
		a->img = (struct box){ b->y + 1, b->x + 1, r1, c1 };
	}
	paint_sel_draw(a);
}

/* The outline of the rectangle being painted, in reverse video, over the
 * image of z (the pixels inside stay visible). */
static void
paint_sel_draw(const struct app *a)
{
	const struct paint_sel *p = &a->ps;
	int y0 = p->y0 < p->y1 ? p->y0 : p->y1, y1 = p->y0 < p->y1 ? p->y1 : p->y0;
	int x0 = p->x0 < p->x1 ? p->x0 : p->x1, x1 = p->x0 < p->x1 ? p->x1 : p->x0, y;

	if (!p->on)
		return;
	mvchgat(y0, x0, x1 - x0 + 1, A_REVERSE, C_KNOB, NULL);
	mvchgat(y1, x0, x1 - x0 + 1, A_REVERSE, C_KNOB, NULL);
	for (y = y0 + 1; y < y1; y++) {
		mvchgat(y, x0, 1, A_REVERSE, C_KNOB, NULL);
		mvchgat(y, x1, 1, A_REVERSE, C_KNOB, NULL);
	}
}

/* Labels over the thumbnails: z0, then each alpha, the nearest to the
 * current alpha highlighted. */
static void
strip_labels(const struct app *a, const struct ls_session_dir *d)
{
	const struct layout *l = &a->lay;
	int k, n = a->sc.n, tw = l->thumb_w, best = 0;
	char lab[32];

	draw_text(l->strip.y, 1, tw - 1, "z0");
	for (k = 0; k < n; k++) {
		double v = n > 1 ? d->lo + (d->hi - d->lo) * k / (n - 1) : d->alpha;
		double bv = n > 1 ? d->lo + (d->hi - d->lo) * best / (n - 1) : d->alpha;
		if (fabs(v - d->alpha) < fabs(bv - d->alpha))
			best = k;
		snprintf(lab, sizeof lab, "%+.2g", v);
		draw_text(l->strip.y, 2 + tw * (k + 1), tw - 1, lab);
	}
	mvchgat(l->strip.y, 2 + tw * (best + 1), tw - 1, A_REVERSE, 0, NULL);
}

void
strip_draw(struct app *a)
{
	const struct layout *l = &a->lay;
	int c, h, w, k, sel = ls_session_selected(a->s), od;
	const float *img0;
	struct ls_session_dir d;
	float lo, hi;

	ls_session_image(a->s, &c, &h, &w);
	ls_session_range(a->s, &lo, &hi);
	ls_session_frame(a->s, NULL, &img0);
	od = c * h * w;
	render_image(stdscr, l->strip.y + 1, 1, l->strip.h - 1, l->thumb_w - 1, img0, c, h, w, lo, hi);
	if (sel < 0 || !a->sc.valid || ls_session_dir(a->s, sel, &d)) {
		draw_text(l->strip.y + 1, 2 + l->thumb_w, l->strip.w - 3 - l->thumb_w,
			  "the strip along the selected direction shows here");
		draw_text(l->strip.y, 1, 3, "z0");
		return;
	}
	strip_labels(a, &d);
	for (k = 0; k < a->sc.n; k++)
		render_image(stdscr, l->strip.y + 1, 2 + l->thumb_w * (k + 1), l->strip.h - 1,
			     l->thumb_w - 1, a->sc.imgs + (size_t)k * od, c, h, w, lo, hi);
}
