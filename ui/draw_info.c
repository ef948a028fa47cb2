/*
 * draw_info.c: the analysis of the current latent on the screen.
 *
 *   info line   the linear region of z and the ReLUs flipped since z0,
 *               the linearity meter along the selected direction (and the
 *               next active one), and the off-data gauges (Mahalanobis
 *               distance and percentile, norm percentile, round-trip
 *               drift), marked OFF DATA beyond the bank's 99th percentile
 *   histogram   the preview pane's other face (key i): per-label bars of
 *               the bank's projections on the selected direction, the
 *               current latent's bin marked
 *   warning     the most parallel pair of active directions, for the
 *               status line
 *
 * struct info_cache keeps the numbers: the region is redone whenever the
 * state changes (one forward pass); the meter and the gauges at once when
 * they took less than INFO_CHEAP last time, else once the state has been
 * still for INFO_DEBOUNCE seconds (info_due() tells the loop to redraw
 * then), so sliding never waits for them. All values come from the
 * session (session.h), which caches them too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* The meter and gauges, now. */
static void
info_measure(struct app *a, struct info_cache *c)
{
	char err[LS_ERR_MAX];
	double t0 = ls_now();

	c->have_lin = ls_session_analysis_live(a->s) &&
		      ls_session_linearity(a->s, LS_SESSION_METER_ALPHA, &c->lin, &c->vi, err) == LS_OK;
	c->have_off = ls_session_where(a->s, &c->off, err) == LS_OK;
	c->edge = ls_session_data_edge(a->s);
	c->cost = ls_now() - t0;
	c->stale = 0;
}

void
info_update(struct app *a)
{
	struct info_cache *c = &a->ic;
	unsigned long v = ls_session_version(a->s);
	int sel = ls_session_selected(a->s);
	char err[LS_ERR_MAX];
	double now = ls_now();

	if (!c->valid || c->v != v || c->sel != sel) {
		c->v = v;
		c->sel = sel;
		c->valid = 1;
		c->changed = now;
		c->stale = 1;
		c->have_reg = ls_session_analysis_live(a->s) &&
			      ls_session_region(a->s, &c->id, &c->flips, &c->units, err) == LS_OK;
	}
	if (c->stale && (c->cost < INFO_CHEAP || now - c->changed >= INFO_DEBOUNCE))
		info_measure(a, c);
}

int
info_due(const struct app *a)
{
	return a->mode != MODE_HELP && !a->lay.too_small && a->ic.valid && a->ic.stale &&
	       ls_now() - a->ic.changed >= INFO_DEBOUNCE;
}

/* Draws text at *x on row y with attr, advancing *x; stops at xmax. */
static void
put(int y, int *x, int xmax, int attr, const char *t)
{
	if (*x >= xmax)
		return;
	attron(attr);
	draw_text(y, *x, xmax - *x, t);
	attroff(attr);
	*x = getcury(stdscr) == y ? getcurx(stdscr) : xmax;   /* cells, not bytes */
}

/* Colour of a meter reading: green when linear, yellow, red. */
static int
meter_attr(double e)
{
	if (!has_colors() || isnan(e))
		return A_NORMAL;
	return e < 0.05 ? COLOR_PAIR(C_ACTIVE) : e < 0.25 ? COLOR_PAIR(C_MARK) : COLOR_PAIR(C_ERROR) | A_BOLD;
}

/* The region part. */
static void
info_region(const struct app *a, int y, int *x, int xmax, int wide)
{
	const struct info_cache *c = &a->ic;
	char t[128];

	if (!c->have_reg)
		snprintf(t, sizeof t, "region -");
	else if (wide)
		snprintf(t, sizeof t, "region %016llx flips %d/%d", (unsigned long long)c->id, c->flips,
			 c->units);
	else
		snprintf(t, sizeof t, "reg %08llx flip %d", (unsigned long long)(c->id >> 32), c->flips);
	put(y, x, xmax, A_NORMAL, t);
}

/* The linearity meter part. */
static void
info_meter(const struct app *a, int y, int *x, int xmax, int wide)
{
	const struct info_cache *c = &a->ic;
	const struct ls_linearity *l = &c->lin;
	char t[160];

	put(y, x, xmax, A_NORMAL, a->utf8 ? " \xe2\x94\x82 " : " | ");
	if (!c->have_lin) {
		put(y, x, xmax, A_NORMAL, wide ? "linearity -" : "lin -");
		return;
	}
	snprintf(t, sizeof t, wide ? "homogeneity %.3f" : "h%.3f", l->homogeneity);
	put(y, x, xmax, meter_attr(l->homogeneity), t);
	if (!isnan(l->additivity)) {
		snprintf(t, sizeof t, wide ? " additivity %.3f" : " a%.3f", l->additivity);
		put(y, x, xmax, meter_attr(l->additivity), t);
	}
	snprintf(t, sizeof t, wide ? " first-order %.3f" : " f%.2f", l->first_order);
	put(y, x, xmax, meter_attr(1 - l->first_order), t);
}

/* The off-data gauges part. */
static void
info_gauges(const struct app *a, int y, int *x, int xmax, int wide)
{
	const struct info_cache *c = &a->ic;
	const struct ls_offmanifold *o = &c->off.off;
	char t[200], dr[48] = "", kn[48] = "";
	double p;

	put(y, x, xmax, A_NORMAL, a->utf8 ? " \xe2\x94\x82 " : " | ");
	if (!c->have_off) {
		put(y, x, xmax, A_NORMAL, "data -");
		return;
	}
	if (o->mahalanobis > c->edge)
		put(y, x, xmax, has_colors() ? COLOR_PAIR(C_ERROR) | A_BOLD : A_REVERSE, "OFF DATA ");
	if (!isnan(o->drift))
		snprintf(dr, sizeof dr, wide ? " drift %.3f" : " d%.2f", o->drift);
	if (!isnan(c->off.knn))
		snprintf(kn, sizeof kn, wide ? "k-NN %.3g (p%.0f) " : "k%.2g p%.0f ", c->off.knn,
			 c->off.knn_pct);
	else if ((p = ls_session_gauges_progress(a->s)) >= 0 && p < 1)
		snprintf(kn, sizeof kn, wide ? "k-NN pending %.0f%% " : "k %.0f%% ", 100 * p);
	if (wide)
		snprintf(t, sizeof t, "%sMahalanobis %.2f (p%.0f) |z| p%.0f%s", kn, o->mahalanobis,
			 o->mahal_pct, o->norm_pct, dr);
	else
		snprintf(t, sizeof t, "%sm%.2f p%.0f |z|p%.0f%s", kn, o->mahalanobis, o->mahal_pct,
			 o->norm_pct, dr);
	put(y, x, xmax, A_NORMAL, t);
}

void
info_draw(const struct app *a)
{
	const struct box *b = &a->lay.info;
	int x, xmax = b->w - 1, wide;

	/* the long form when it fits whole, else the short one */
	for (wide = 1; wide >= 0; wide--) {
		x = 1;
		mvhline(b->y, 0, ' ', b->w);
		info_region(a, b->y, &x, xmax, wide);
		info_meter(a, b->y, &x, xmax, wide);
		info_gauges(a, b->y, &x, xmax, wide);
		if (x < xmax - 4)   /* room left for the marker below */
			break;
	}
	if (a->ic.stale)
		put(b->y, &x, xmax, A_DIM, a->utf8 ? " \xe2\x80\xa6" : " ...");
}

void
parallel_warning(const struct app *a, char *out, size_t n)
{
	int nd = ls_session_ndirs(a->s), m, wi, wj, idx[LS_SESSION_MAX_DIRS];
	double *cs = xmalloc(((size_t)nd * nd + 1) * sizeof *cs);
	struct ls_session_dir p, q;
	int i, r, c;

	out[0] = 0;
	if (ls_session_cosines(a->s, &m, idx, cs, &wi, &wj) > 0 && !ls_session_dir(a->s, wi, &p) &&
	    !ls_session_dir(a->s, wj, &q)) {
		for (r = c = i = 0; i < m; i++)
			r = idx[i] == wi ? i : r, c = idx[i] == wj ? i : c;
		snprintf(out, n, "! %s %s %s cos %+.2f (o: ortho selected)", p.name,
			 a->utf8 ? "\xe2\x88\xa5" : "||", q.name, cs[(long)r * m + c]);
	}
	free(cs);
}

void
units_text(const struct app *a, int i, double alpha, char *out, size_t n)
{
	double v = ls_session_in_units(a->s, i, alpha);

	switch (ls_session_units(a->s)) {
	case LS_UNITS_RAW: snprintf(out, n, "%+.4g raw", v); break;
	case LS_UNITS_PERCENTILE: snprintf(out, n, isnan(v) ? "p-" : "p%.1f", v); break;
	default: snprintf(out, n, "%+.2f", v); break;
	}
}

/* ---- the histogram pane -------------------------------------------------- */

/* One bar cell for count k of a row whose largest count is top. */
static const char *
bar_glyph(const struct app *a, long k, long top)
{
	static const char *const blocks[9] = { " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					       "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					       "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char *const ramp[9] = { " ", ".", ":", "-", "=", "+", "*", "#", "@" };
	int lv = top > 0 && k > 0 ? (int)((8 * k + top - 1) / top) : 0;

	lv = lv > 8 ? 8 : lv;
	return a->utf8 ? blocks[lv] : ramp[lv];
}

/* One row of bars: label, then the counts of class c (-1: all classes). */
static void
hist_row(const struct app *a, const struct ls_hist *h, int c, int y, int x, int lw, int zb)
{
	long top = 0, k, v;
	int j, q;

	draw_text(y, x, lw, c < 0 ? "all" : h->names ? h->names[c] : "all");
	for (k = 0; k < h->nbins; k++) {
		for (v = 0, q = c < 0 ? 0 : c; q < (c < 0 ? h->nclasses : c + 1); q++)
			v += h->count[(long)q * h->nbins + k];
		top = v > top ? v : top;
	}
	for (j = 0; j < h->nbins; j++) {
		for (v = 0, q = c < 0 ? 0 : c; q < (c < 0 ? h->nclasses : c + 1); q++)
			v += h->count[(long)q * h->nbins + j];
		if (j == zb)
			attron(COLOR_PAIR(C_KNOB) | A_REVERSE);
		mvaddstr(y, x + lw + j, bar_glyph(a, v, top));
		if (j == zb)
			attroff(COLOR_PAIR(C_KNOB) | A_REVERSE);
	}
}

/* The line under the bars: where z is. */
static void
hist_marker(const struct ls_hist *h, double zp, int y, int x, int lw, int zb)
{
	char t[64];
	const char *side = zp < h->lo ? "< " : zp > h->hi ? "> " : "";

	mvaddch(y, x + lw + zb, '^');
	snprintf(t, sizeof t, " z %s%.3g", side, zp);
	if (zb > h->nbins / 2)
		draw_text(y, x + lw + zb - (int)strlen(t), (int)strlen(t), t);
	else
		draw_text(y, x + lw + zb + 1, h->nbins - zb, t);
}

void
hist_draw(struct app *a)
{
	const struct box *b = &a->lay.preview;
	int sel = ls_session_selected(a->s), lw = 5, nb = b->w - 2 - lw, rows = b->h - 2, c, y;
	struct ls_session_dir d;
	const struct ls_hist *h = NULL;
	char title[256], err[LS_ERR_MAX] = "no direction selected";
	double zp = 0;
	int zb;

	a->img.h = 0;
	nb = nb > 1024 ? 1024 : nb;
	if (sel >= 0 && nb >= 1 && !ls_session_dir(a->s, sel, &d))
		ls_session_hist(a->s, sel, nb, &h, &zp, err);
	snprintf(title, sizeof title, "histogram %s  (i: image)", h ? d.name : "");
	draw_title(b, title, 0);
	if (!h) {
		draw_text(b->y + 1, b->x + 1, b->w - 2, err);
		return;
	}
	zb = ls_hist_bin(h, zp);
	y = b->y + 1;
	if (h->nclasses > 1 && rows > h->nclasses + 1)
		hist_row(a, h, -1, y++, b->x + 1, lw, zb);
	for (c = 0; c < h->nclasses && y < b->y + 1 + rows - 1; c++)
		hist_row(a, h, h->nclasses > 1 ? c : -1, y++, b->x + 1, lw, zb);
	hist_marker(h, zp, y, b->x + 1, lw, zb);
	snprintf(title, sizeof title, "[%.3g, %.3g]", h->lo, h->hi);
	if (y + 1 < b->y + b->h)
		draw_text(y + 1, b->x + 1 + lw, nb, title);
}
