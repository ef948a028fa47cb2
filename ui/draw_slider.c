/*
 * draw_slider.c: the slider of the selected direction.
 *
 * Row 0: name, alpha (sigma units), the raw latent distance alpha * sigma,
 * the range, and the number of linear pieces of the decoder along the
 * range when the regions analysis is available. Row 1: the bar from lo to
 * hi with the knob at alpha (clamped to the bar), a mark at 0, and a tick
 * at every region breakpoint. Bar cell x stands for
 * alpha = lo + (x - bar_x0) / (bar_x1 - bar_x0) * (hi - lo).
 */
#include <math.h>
#include <stdio.h>

#include "app.h"

/* Bar cell of alpha value v (clamped). */
static int
bar_cell(const struct app *a, double v, double lo, double hi)
{
	const struct layout *l = &a->lay;
	double t = (v - lo) / (hi - lo);

	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return l->bar_x0 + (int)lround(t * (l->bar_x1 - l->bar_x0));
}

/* Row 0: the numbers. */
static void
slider_info(const struct app *a, const struct ls_session_dir *d)
{
	const struct box *b = &a->lay.slider;
	char line[512], pieces[96] = "";

	if (a->sc.valid && a->sc.have_pieces)
		snprintf(pieces, sizeof pieces, "  pieces %d/%d lin", a->sc.npieces,
			 a->sc.nlinear);
	snprintf(line, sizeof line, "%s %s  alpha %+.2f  raw %+.4g  sigma %.4g  [%g,%g]%s",
		 d->name, d->active ? "on" : "off", d->alpha, d->alpha * d->sigma, d->sigma,
		 d->lo, d->hi, pieces);
	attron(A_BOLD);
	draw_text(b->y, 1, b->w - 2, line);
	attroff(A_BOLD);
}

/* Row 1: the bar, ticks and knob. */
static void
slider_bar(const struct app *a, const struct ls_session_dir *d)
{
	const struct layout *l = &a->lay;
	int y = l->slider.y + 1, k;
	char end[16];

	snprintf(end, sizeof end, "%5.4g", d->lo);
	draw_text(y, 0, l->bar_x0 - 1, end);
	snprintf(end, sizeof end, "%-6.4g", d->hi);
	draw_text(y, l->bar_x1 + 2, 7, end);
	mvhline(y, l->bar_x0, a->utf8 ? ACS_HLINE : '-', l->bar_x1 - l->bar_x0 + 1);
	if (d->lo < 0 && d->hi > 0)
		mvaddch(y, bar_cell(a, 0, d->lo, d->hi), a->utf8 ? ACS_PLUS : '+');
	attron(COLOR_PAIR(C_TICK) | A_BOLD);
	for (k = 0; a->sc.valid && k < a->sc.nbp; k++)
		mvaddch(y, bar_cell(a, a->sc.bp[k], d->lo, d->hi), a->utf8 ? ACS_VLINE : '|');
	attroff(COLOR_PAIR(C_TICK) | A_BOLD);
	attron(COLOR_PAIR(C_KNOB) | A_BOLD | A_REVERSE);
	mvaddch(y, bar_cell(a, d->alpha, d->lo, d->hi), 'O');
	attroff(COLOR_PAIR(C_KNOB) | A_BOLD | A_REVERSE);
}

void
slider_draw(const struct app *a)
{
	const struct box *b = &a->lay.slider;
	int i = ls_session_selected(a->s);
	struct ls_session_dir d;

	if (i < 0 || ls_session_dir(a->s, i, &d)) {
		draw_text(b->y, 1, b->w - 2, "no direction selected: the slider needs one");
		return;
	}
	slider_info(a, &d);
	slider_bar(a, &d);
}
