/*
 * draw_bank.c: the bank pane: one line per bank row that passes the label
 * filter, with its index, label, marks, and '>' on the start latent's row;
 * under it (when there is room) the cursor's row decoded, a peek.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

/* Position of row i among the marks (1-based), 0 if unmarked. */
static int
mark_order(const struct app *a, long i)
{
	int k, n = ls_session_nmarks(a->s);

	if (!ls_session_is_marked(a->s, i))
		return 0;
	for (k = 0; k < n; k++)
		if (ls_session_markrow(a->s, k) == i)
			return k + 1;
	return 0;
}

/* Digits of the largest index. */
static int
index_width(long n)
{
	int w = 1;

	while (n >= 10) {
		n /= 10;
		w++;
	}
	return w;
}

/* One bank line at screen row y for bank row i. */
static void
bank_line(const struct app *a, int y, long i, int cursor)
{
	const struct box *b = &a->lay.bank;
	const char *label = ls_session_label(a->s, i);
	int iw = index_width(a->bank_n - 1), w = b->w - 1, mk = mark_order(a, i), attr = 0;
	int lw = w - iw - 6 > 0 ? w - iw - 6 : 0;
	char line[256], mark[16] = "";

	if (mk)
		snprintf(mark, sizeof mark, "*%d", mk);
	snprintf(line, sizeof line, "%c%*ld %-*.*s", ls_session_z0_row(a->s) == i ? '>' : ' ',
		 iw, i, lw, lw, label ? label : "");
	if (cursor)
		attr = a->focus == PANE_BANK ? A_REVERSE : A_BOLD | A_UNDERLINE;
	attron(attr);
	mvhline(y, b->x, ' ', w);
	draw_text(y, b->x, w, line);
	if (mk) {
		attron(COLOR_PAIR(C_MARK) | A_BOLD);
		draw_text(y, b->x + w - 3, 3, mark);
		attroff(COLOR_PAIR(C_MARK) | A_BOLD);
	}
	attroff(attr);
}

void
bank_draw(const struct app *a)
{
	const struct box *b = &a->lay.bank;
	char title[160];
	long k;

	if (!a->bank)
		snprintf(title, sizeof title, "bank: none");
	else if (*a->filter)
		snprintf(title, sizeof title, "bank /%s: %ld", a->filter, a->nrows);
	else
		snprintf(title, sizeof title, "bank %ld", a->bank_n);
	draw_title(b, title, a->focus == PANE_BANK);
	if (!a->bank) {
		draw_text(b->y + 1, b->x + 1, b->w - 2, ":bank FILE.npy");
		return;
	}
	if (a->nrows == 0)
		draw_text(b->y + 1, b->x + 1, b->w - 2, "no row matches");
	for (k = 0; k < b->h - 1 && a->bank_top + k < a->nrows; k++)
		bank_line(a, b->y + 1 + (int)k, a->rows[a->bank_top + k],
			  a->bank_top + k == a->bank_cur);
}

/* The cursor's row, decoded once per row (a peek before pressing Enter). */
void
peek_draw(struct app *a)
{
	const struct box *b = &a->lay.peek;
	const char *lab;
	char title[64];
	long row;
	int c, h, w, r, cols;
	float lo, hi;

	if (b->h < 2 || !a->bank || a->nrows == 0)
		return;
	row = a->rows[a->bank_cur];
	ls_session_image(a->s, &c, &h, &w);
	if (a->peek_row != row || a->peek_model != ls_session_model(a->s) ||
	    a->peek_bank != a->bank || !a->peek_img) {
		a->peek_img = xreallocarray(a->peek_img, (size_t)c * h * w, sizeof *a->peek_img);
		ls_model_decode(ls_session_model(a->s), ls_bank_row(a->bank, row), 1, a->peek_img);
		a->peek_row = row;
		a->peek_model = ls_session_model(a->s);
		a->peek_bank = a->bank;
	}
	lab = ls_session_label(a->s, row);
	snprintf(title, sizeof title, "row %ld%s%s", row, lab ? ": " : "", lab ? lab : "");
	draw_title(b, title, 0);
	ls_session_range(a->s, &lo, &hi);
	render_fit(h, w, b->h - 1, b->w - 2, &r, &cols);
	render_image(stdscr, b->y + 1, b->x + (b->w - 1 - cols) / 2, r, cols, a->peek_img, c, h, w,
		     lo, hi);
}
