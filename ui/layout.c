/*
 * layout.c: where each pane goes for the current terminal size.
 *
 * Top to bottom: three columns (bank | directions | preview; under the
 * bank list, when the terminal is tall, a thumbnail of its cursor's row),
 * the slider
 * (two rows), the info line (region, linearity meter, off-data gauges),
 * the strip (a row of labels over a row of thumbnails), the
 * status line and the message/prompt line. Columns and the strip grow
 * with the terminal; below UI_MIN_COLS x UI_MIN_ROWS nothing is laid out
 * and the screen says it is too small.
 *
 * For a projector (key z, a->view): VIEW_PRESENT hides the bank, the
 * directions and the info line and gives the preview the whole width and
 * the strip a row of full-size thumbnails; VIEW_ZOOM leaves the preview
 * and the slider alone on the screen. Hidden panes get empty boxes (w 0).
 * The drawing code fills the rectangles at the largest integer scale.
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

	if (l->strip.h < 2) {
		l->thumb_w = 1;
		l->strip_n = 0;
		return;
	}
	ls_session_image(a->s, &c, &h, &iw);
	render_fit(h, iw, l->strip.h - 1, w, &r, &cols);
	l->thumb_w = cols + 1;
	n = (w - l->thumb_w - 2) / l->thumb_w;
	n = n > UI_STRIP_MAX ? UI_STRIP_MAX : n;
	if (n > 1 && n % 2 == 0)
		n--;
	l->strip_n = n < 0 ? 0 : n;
}

/* Rows of the strip: a title row and a thumbnail of the image at scale 1
 * in VIEW_PRESENT (when that leaves the preview 10 rows), none in
 * VIEW_ZOOM, else a few. */
static int
strip_rows(const struct app *a, int H)
{
	int c, h, w, sh = H >= 40 ? 7 : H >= 30 ? 6 : 5;

	ls_session_image(a->s, &c, &h, &w);
	if (a->view == VIEW_ZOOM)
		return 0;
	if (a->view == VIEW_PRESENT && H - 5 - ((h + 1) / 2 + 1) >= 10)
		return (h + 1) / 2 + 1;   /* half blocks: two pixel rows a cell */
	return sh;
}

/* The projector layouts: no bank, directions or info line. */
static void
layout_present(struct app *a, int W, int H)
{
	struct layout *l = &a->lay;
	int sh = strip_rows(a, H);

	l->strip = (struct box){ H - 2 - sh, 0, sh, W };
	l->info = (struct box){ l->strip.y, 0, 0, W };
	l->slider = (struct box){ l->strip.y - 2, 0, 2, W };
	l->bank = (struct box){ 0, 0, 0, 0 };
	l->peek = (struct box){ 0, 0, 0, 0 };
	l->dirs = (struct box){ 0, 0, 0, 0 };
	l->preview = (struct box){ 0, 0, l->slider.y, W };
}

int
layout_preview_scale(const struct app *a)
{
	int c, h, w, r, cols;

	ls_session_image(a->s, &c, &h, &w);
	render_fit(h, w, a->lay.preview.h - 1, a->lay.preview.w - 1, &r, &cols);
	return w > 0 && cols >= w ? cols / w : 1;
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
	l->bar_x0 = 9;        /* room for "-123.4" and a blank before the bar */
	l->bar_x1 = W - 10;
	if (a->view != VIEW_NORMAL) {
		layout_present(a, W, H);
		layout_strip(a, W);
		return;
	}
	sh = strip_rows(a, H);
	l->strip = (struct box){ H - 2 - sh, 0, sh, W };
	l->info = (struct box){ l->strip.y - 1, 0, 1, W };
	l->slider = (struct box){ l->info.y - 2, 0, 2, W };
	top = l->slider.y;
	layout_columns(W, &bw, &dw);
	l->bank = (struct box){ 0, 0, top, bw };
	l->peek = (struct box){ 0, 0, 0, 0 };
	if (top >= 24) {   /* a thumbnail of the cursor's row under the list */
		int ph = (bw - 2 + 1) / 2 + 1;
		l->bank.h = top - ph;
		l->peek = (struct box){ top - ph, 0, ph, bw };
	}
	l->dirs = (struct box){ 0, bw, top, dw };
	l->preview = (struct box){ 0, bw + dw, top, W - bw - dw };
	layout_strip(a, W);
}
