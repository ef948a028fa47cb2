/*
 * mouse.c: clicks and drags. A click on a bank row moves the cursor there,
 * a click on a direction selects it (a `select` command), and a click or a
 * drag (button 1 held, xterm mode 1002) on the slider bar sets alpha with
 * an `alpha` command, rounded to 0.01. A drag on the image of z in the
 * preview paints a rectangle: on release, the image pixels under it go to
 * a `paint X0 Y0 X1 Y1` command (paint-to-direction). A click on a
 * thumbnail of the strip sets alpha to the thumbnail's; the wheel scrolls
 * the bank, moves through the directions, and elsewhere slides by a fine
 * step (a `step` command). A drag whose image goes away before the
 * release (the histogram replaces it, a resize) is dropped.
 */
#include <math.h>
#include <stdio.h>

#include "app.h"

/* alpha for slider bar cell x of the selected direction. */
static int
slider_set(struct app *a, int x)
{
	const struct layout *l = &a->lay;
	struct ls_session_dir d;
	char q[LS_SESSION_NAME_MAX * 2 + 4];
	int i = ls_session_selected(a->s);
	double t, v;

	if (i < 0 || l->bar_x1 <= l->bar_x0 || ls_session_dir(a->s, i, &d))
		return R_NONE;
	t = (double)(x - l->bar_x0) / (l->bar_x1 - l->bar_x0);
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	v = round((d.lo + t * (d.hi - d.lo)) * 100) / 100;
	if (v == d.alpha)
		return R_NONE;
	ls_cmd_quote(d.name, q, sizeof q);
	return app_execf(a, "alpha %s %.2f", q, v);
}

/* A click in the bank pane. */
static int
bank_click(struct app *a, int y)
{
	long k = a->bank_top + (y - a->lay.bank.y - 1);

	a->focus = PANE_BANK;
	if (y > a->lay.bank.y && k < a->nrows)
		a->bank_cur = k;
	return R_REDRAW;
}

/* A click in the directions pane. */
static int
dirs_click(struct app *a, int y)
{
	int k = a->dir_top + (y - a->lay.dirs.y - 1);
	char q[LS_SESSION_NAME_MAX * 2 + 4];
	struct ls_session_dir d;

	a->focus = PANE_DIRS;
	if (y <= a->lay.dirs.y || k == ls_session_selected(a->s) || ls_session_dir(a->s, k, &d))
		return R_REDRAW;
	ls_cmd_quote(d.name, q, sizeof q);
	return app_execf(a, "select %s", q);
}

/* Clamps cell (y, x) into the image of z. */
static void
img_clamp(const struct app *a, int *y, int *x)
{
	const struct box *m = &a->img;

	*y = *y < m->y ? m->y : *y >= m->y + m->h ? m->y + m->h - 1 : *y;
	*x = *x < m->x ? m->x : *x >= m->x + m->w ? m->x + m->w - 1 : *x;
}

/* The image pixels x0 <= x < x1, y0 <= y < y1 under the painted cells. */
static void
paint_pixels(const struct app *a, int r[4])
{
	const struct box *m = &a->img;
	const struct paint_sel *p = &a->ps;
	int c, h, w, cx0, cx1, cy0, cy1;

	ls_session_image(a->s, &c, &h, &w);
	cx0 = (p->x0 < p->x1 ? p->x0 : p->x1) - m->x, cx1 = (p->x0 < p->x1 ? p->x1 : p->x0) - m->x;
	cy0 = (p->y0 < p->y1 ? p->y0 : p->y1) - m->y, cy1 = (p->y0 < p->y1 ? p->y1 : p->y0) - m->y;
	r[0] = cx0 * w / m->w;
	r[2] = ((cx1 + 1) * w + m->w - 1) / m->w;
	r[1] = cy0 * h / m->h;
	r[3] = ((cy1 + 1) * h + m->h - 1) / m->h;
}

/* Button 1 pressed, moved or released on the image of z: paints. */
static int
paint_event(struct app *a, const MEVENT *ev)
{
	int y = ev->y, x = ev->x, r[4];

	img_clamp(a, &y, &x);
	if (ev->bstate & BUTTON1_PRESSED) {
		a->ps = (struct paint_sel){ 1, y, x, y, x };
		return R_REDRAW;
	}
	a->ps.y1 = y, a->ps.x1 = x;
	if (!(ev->bstate & BUTTON1_RELEASED))
		return R_REDRAW;
	a->ps.on = 0;
	paint_pixels(a, r);
	return app_execf(a, "paint %d %d %d %d", r[0], r[1], r[2], r[3]);
}

/* A click on the strip: the alpha of the thumbnail under x. */
static int
strip_click(struct app *a, int x)
{
	const struct layout *l = &a->lay;
	int k = (x - 2) / l->thumb_w - 1, n = a->sc.n, i = ls_session_selected(a->s);
	char q[LS_SESSION_NAME_MAX * 2 + 4];
	struct ls_session_dir d;

	if (!a->sc.valid || k < 0 || k >= n || i < 0 || ls_session_dir(a->s, i, &d))
		return R_NONE;
	ls_cmd_quote(d.name, q, sizeof q);
	return app_execf(a, "alpha %s %.17g", q, n > 1 ? d.lo + (d.hi - d.lo) * k / (n - 1) : d.alpha);
}

/* The wheel (button 4 up, 5 down) over the panes. */
static int
wheel(struct app *a, const MEVENT *ev)
{
	const struct layout *l = &a->lay;
	int up = (ev->bstate & BUTTON4_PRESSED) != 0, k;

	if (box_hit(&l->bank, ev->y, ev->x)) {
		a->focus = PANE_BANK;
		for (k = 0; k < 3; k++)
			bank_key(a, up ? KEY_UP : KEY_DOWN);
		return R_REDRAW;
	}
	if (box_hit(&l->dirs, ev->y, ev->x)) {
		a->focus = PANE_DIRS;
		return dirs_key(a, up ? KEY_UP : KEY_DOWN);
	}
	return app_exec(a, up ? "step +fine" : "step -fine");
}

int
mouse_key(struct app *a)
{
	const struct layout *l = &a->lay;
	MEVENT ev;
	int on_bar;

	if (getmouse(&ev) != OK)
		return R_NONE;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return wheel(a, &ev);
	on_bar = ev.y == l->slider.y + 1 && ev.x >= l->bar_x0 - 1 && ev.x <= l->bar_x1 + 1;
	if (a->ps.on && (a->face != FACE_IMAGE || a->img.h <= 0 || a->img.w <= 0)) {
		a->ps.on = 0;   /* the image went away mid-drag (histogram, resize) */
		return R_REDRAW;
	}
	if (a->ps.on && (ev.bstate & (BUTTON1_RELEASED | REPORT_MOUSE_POSITION)))
		return paint_event(a, &ev);
	if ((ev.bstate & BUTTON1_PRESSED) && a->face == FACE_IMAGE && a->img.h > 0 &&
	    box_hit(&a->img, ev.y, ev.x))
		return paint_event(a, &ev);
	if (ev.bstate & BUTTON1_RELEASED) {
		a->drag = 0;
		return R_NONE;
	}
	if ((ev.bstate & REPORT_MOUSE_POSITION) && a->drag)
		return slider_set(a, ev.x);
	if (!(ev.bstate & BUTTON1_PRESSED))
		return R_NONE;
	if (on_bar) {
		a->drag = 1;
		return slider_set(a, ev.x);
	}
	if (box_hit(&l->bank, ev.y, ev.x))
		return bank_click(a, ev.y);
	if (box_hit(&l->dirs, ev.y, ev.x))
		return dirs_click(a, ev.y);
	if (box_hit(&l->strip, ev.y, ev.x))
		return strip_click(a, ev.x);
	return R_NONE;
}
