/*
 * layout.c: where each pane goes for the current terminal size.
 *
 * Top to bottom: three columns (bank | directions | preview), the slider
 * (two rows), the info line (region, linearity meter, off-data gauges),
 * the strip (a row of labels over a row of thumbnails), the
 * status line and the message/prompt line. Columns and the strip grow
 * with the terminal; below UI_MIN_COLS x UI_MIN_ROWS nothing is laid out
 * and the screen says it is too small.
 */
#include "app.h"

int
box_hit(const struct box *b, int y, int x)
{
	return y >= b->y && y < b->y + b->h && x >= b->x && x < b->x + b->w;
}

/* Columns of the top area: widths of the bank and directions panes. */
static void
layout_columns(int w, int *bw, int *dw)
{
	*bw = w >= 140 ? 26 : w >= 100 ? 22 : 18;
	*dw = w >= 140 ? 44 : w >= 100 ? 34 : 24;
}

/* The strip: how many thumbnails fit, and their width in cells. */
static void
layout_strip(struct app *a, int w)
{
	struct layout *l = &a->lay;
	int c, h, iw, r, cols, n;

	ls_session_image(a->s, &c, &h, &iw);
	render_fit(h, iw, l->strip.h - 1, w, &r, &cols);
	l->thumb_w = cols + 1;
	n = (w - l->thumb_w - 2) / l->thumb_w;
	n = n > UI_STRIP_MAX ? UI_STRIP_MAX : n;
	if (n > 1 && n % 2 == 0)
		n--;
	l->strip_n = n < 0 ? 0 : n;
}

void
layout_compute(struct app *a)
{
	struct layout *l = &a->lay;
	int W = COLS, H = LINES, sh, top, bw, dw;

	l->too_small = W < UI_MIN_COLS || H < UI_MIN_ROWS;
	if (l->too_small)
		return;
	l->msg = (struct box){ H - 1, 0, 1, W };
	l->status = (struct box){ H - 2, 0, 1, W };
	sh = H >= 40 ? 7 : H >= 30 ? 6 : 5;
	l->strip = (struct box){ H - 2 - sh, 0, sh, W };
	l->info = (struct box){ l->strip.y - 1, 0, 1, W };
	l->slider = (struct box){ l->info.y - 2, 0, 2, W };
	top = l->slider.y;
	layout_columns(W, &bw, &dw);
	l->bank = (struct box){ 0, 0, top, bw };
	l->dirs = (struct box){ 0, bw, top, dw };
	l->preview = (struct box){ 0, bw + dw, top, W - bw - dw };
	l->bar_x0 = 9;        /* room for "-123.4" and a blank before the bar */
	l->bar_x1 = W - 10;
	layout_strip(a, W);
}
