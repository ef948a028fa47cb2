/*
 * draw_slider.c: the slider of the selected direction.
 *
 * Row 0: name, alpha (sigma units, and in the slider units when they
 * differ), the raw latent distance alpha * sigma, the range, the alphas on
 * the data, the number of linear pieces of the decoder along the range
 * when the regions analysis is available, and sigma. Row 1: the bar from lo to
 * hi with the knob at alpha (clamped to the bar), a mark at 0, a tick
 * at every region breakpoint, and the cells whose latent is off the data
 * (beyond the bank's 99th percentile of Mahalanobis distances) shaded,
 * and for a direction from two rows its target (the second row) marked;
 * row 0 also says the on-data interval. The ends are labelled in the
 * slider units (units command). Bar cell x stands for
 * alpha = lo + (x - bar_x0) / (bar_x1 - bar_x0) * (hi - lo).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* " data A..B" (the alphas on the data), " off data" or "". */
static void
data_text(const struct app *a, int i, char *out, size_t n)
{
	double a1, a2;
	int r = ls_session_data_interval(a->s, i, &a1, &a2);

	if (r < 0)
		out[0] = 0;
	else if (r == 0)
		snprintf(out, n, "  off data everywhere");
	else
		snprintf(out, n, "  data %+.2f..%+.2f", a1 < -1e6 ? -1e6 : a1, a2 > 1e6 ? 1e6 : a2);
}

/* Row 0: the numbers. */
static void
slider_info(const struct app *a, int i, const struct ls_session_dir *d)
{
	const struct box *b = &a->lay.slider;
	char line[512], pieces[96] = "", un[64] = "", data[64], truth[96] = "";

	if (a->sc.valid && a->sc.have_pieces)
		snprintf(pieces, sizeof pieces, "  pieces %d/%d lin", a->sc.npieces,
			 a->sc.nlinear);
	if (ls_session_units(a->s) != LS_UNITS_SIGMA) {
		units_text(a, i, d->alpha, un + 2, sizeof un - 2);
		un[0] = ' ', un[1] = '=';
	}
	data_text(a, i, data, sizeof data);
	if (d->truth_name)
		snprintf(truth, sizeof truth, "  truth %.32s r%+.2f leak %.2f", d->truth_name,
			 d->truth_r, d->truth_leak);
	snprintf(line, sizeof line, "%s %s  alpha %+.2f%s%s  raw %+.4g  [%g,%g]%s%s  sigma %.4g",
		 d->name, d->active ? "on" : "off", d->alpha, un, truth, d->alpha * d->sigma, d->lo,
		 d->hi, data, pieces, d->sigma);
	attron(A_BOLD);
	draw_text(b->y, 1, b->w - 2, line);
	attroff(A_BOLD);
}

/* v in at most w characters, with the most significant digits that fit. */
static void
end_text(double v, int w, char *out, size_t n)
{
	int p;

	for (p = 4; p > 1; p--) {
		snprintf(out, n, "%.*g", p, v);
		if ((int)strlen(out) <= w)
			return;
	}
	snprintf(out, n, "%.1g", v);
}

/* The range ends in the slider units. */
static void
slider_ends(const struct app *a, int i, const struct ls_session_dir *d, int y)
{
	const struct layout *l = &a->lay;
	double lo = ls_session_in_units(a->s, i, d->lo), hi = ls_session_in_units(a->s, i, d->hi);
	char end[32];
	int w = l->bar_x0 - 1;

	if (isnan(lo) || isnan(hi))   /* percentiles without a bank */
		lo = d->lo, hi = d->hi;
	/* as many digits as fit in the w cells each end has */
	end_text(lo, w, end, sizeof end);
	draw_text(y, w - (int)strlen(end), w, end);
	end_text(hi, w, end, sizeof end);
	draw_text(y, l->bar_x1 + 2, w, end);
}

/* Shades the bar cells whose alpha is off the data (beyond the bank's
 * 99th percentile of Mahalanobis distances): red, and the plain line
 * dotted there so it shows without colours too. */
static void
slider_shade(const struct app *a, int i, const struct ls_session_dir *d, int y)
{
	const struct layout *l = &a->lay;
	chtype attr = has_colors() ? COLOR_PAIR(C_ERROR) | A_BOLD : A_BOLD, ch, line;
	double a1, a2, v;
	int r, x;

	if ((r = ls_session_data_interval(a->s, i, &a1, &a2)) < 0)
		return;
	line = a->utf8 ? ACS_HLINE : '-';
	for (x = l->bar_x0; x <= l->bar_x1; x++) {
		v = d->lo + (double)(x - l->bar_x0) / (l->bar_x1 - l->bar_x0) * (d->hi - d->lo);
		if (r != 0 && v >= a1 && v <= a2)
			continue;
		ch = mvinch(y, x) & (A_CHARTEXT | A_ALTCHARSET);   /* keep ticks and marks */
		if (ch == (line & (A_CHARTEXT | A_ALTCHARSET)))
			ch = a->utf8 ? ACS_BULLET : '.';
		mvaddch(y, x, ch | attr);
	}
}

/* Row 1: the bar, ticks and knob. */
static void
slider_bar(const struct app *a, int i, const struct ls_session_dir *d)
{
	const struct layout *l = &a->lay;
	int y = l->slider.y + 1, k;

	slider_ends(a, i, d, y);
	mvhline(y, l->bar_x0, a->utf8 ? ACS_HLINE : '-', l->bar_x1 - l->bar_x0 + 1);
	if (d->lo < 0 && d->hi > 0)
		mvaddch(y, bar_cell(a, 0, d->lo, d->hi), a->utf8 ? ACS_PLUS : '+');
	attron(COLOR_PAIR(C_TICK) | A_BOLD);
	for (k = 0; a->sc.valid && k < a->sc.nbp; k++)
		mvaddch(y, bar_cell(a, a->sc.bp[k], d->lo, d->hi), a->utf8 ? ACS_VLINE : '|');
	attroff(COLOR_PAIR(C_TICK) | A_BOLD);
	slider_shade(a, i, d, y);
	if (isfinite(d->target)) {   /* the row a diff direction aims at */
		attron(COLOR_PAIR(C_MARK) | A_BOLD);
		mvaddstr(y, bar_cell(a, d->target, d->lo, d->hi), a->utf8 ? "\xe2\x97\x86" : "T");
		attroff(COLOR_PAIR(C_MARK) | A_BOLD);
	}
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
	slider_info(a, i, &d);
	slider_bar(a, i, &d);
}
