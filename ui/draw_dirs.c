/*
 * draw_dirs.c: the directions pane: one line per direction with its
 * active marker, name, alpha (sigma units) and, when there is room, the
 * true factor it moves most with its r (with ground-truth factors), the
 * quality figures of learned directions (held-out accuracy, AUC, share of
 * the bank's variance) and where it came from.
 * The selected direction is the cursor of this pane.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

/* The last column of a direction: its ground truth, the quality figures of a learned one
 * (probe accuracy, AUC), where it came from, and the share of the bank's
 * variance along it. */
static void
dir_about(const struct ls_session_dir *d, char *out, size_t n)
{
	size_t k = 0;

	out[0] = 0;
	if (d->truth_name)   /* the true factor it moves, with its r */
		k += (size_t)snprintf(out + k, n - k, "%.16s%+.2f ", d->truth_name, d->truth_r);
	if (isfinite(d->accuracy) && k < n)
		k += (size_t)snprintf(out + k, n - k, "acc%.2f ", d->accuracy);
	if (isfinite(d->auc) && k < n)
		k += (size_t)snprintf(out + k, n - k, "auc%.2f ", d->auc);
	if (k < n)
		k += (size_t)snprintf(out + k, n - k, "%s", d->source);
	if (isfinite(d->var_share) && k < n)
		snprintf(out + k, n - k, " v%.1f%%", 100 * d->var_share);
}

/* One direction line at screen row y. */
static void
dir_line(const struct app *a, int y, int i, int sel)
{
	const struct box *b = &a->lay.dirs;
	struct ls_session_dir d;
	int w = b->w - 1, src = w >= 30 ? (w - 10) / 2 : 0, nw = w - 10 - src, attr = 0;
	char line[512], about[256];

	if (ls_session_dir(a->s, i, &d))
		return;
	dir_about(&d, about, sizeof about);
	snprintf(line, sizeof line, "  %-*.*s%+7.2f %-*.*s", nw, nw, d.name, d.alpha, src, src,
		 src ? about : "");
	if (sel)
		attr = a->focus == PANE_DIRS ? A_REVERSE : A_BOLD | A_UNDERLINE;
	attron(attr);
	mvhline(y, b->x, ' ', w);
	draw_text(y, b->x, w, line);
	if (d.active) {
		attron(COLOR_PAIR(C_ACTIVE) | A_BOLD);
		mvaddch(y, b->x, '*');
		attroff(COLOR_PAIR(C_ACTIVE) | A_BOLD);
	}
	if (!d.saved)
		mvaddch(y, b->x + 1, '+');
	attroff(attr);
}

/* What to do when there are no directions. */
static void
dirs_empty(const struct box *b)
{
	static const char *hint[] = { "no directions yet:", "m on two bank rows, d",
				      ":dir axis 0", ":pca 3", ":dirs FILE" };
	int k;

	for (k = 0; k < 5 && k < b->h - 1; k++)
		draw_text(b->y + 1 + k, b->x + 1, b->w - 2, hint[k]);
}

void
dirs_draw(const struct app *a)
{
	const struct box *b = &a->lay.dirs;
	int n = ls_session_ndirs(a->s), sel = ls_session_selected(a->s), k;
	char title[64];

	snprintf(title, sizeof title, "directions %d", n);
	draw_title(b, title, a->focus == PANE_DIRS);
	if (n == 0)
		dirs_empty(b);
	for (k = 0; k < b->h - 1 && a->dir_top + k < n; k++)
		dir_line(a, b->y + 1 + k, a->dir_top + k, a->dir_top + k == sel);
}
