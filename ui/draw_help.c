/*
 * draw_help.c: the full-screen pager that shows the help (every key and
 * every command) and the output of commands that print several lines
 * (print, marks, bookmarks, help NAME). j/k and the page keys scroll;
 * q, ?, Esc or Enter close it. A short text (cos, bookmarks, marks) shows
 * in a small box over the screen instead, which any key closes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* Screen rows text takes when lines longer than w wrap. */
static int
pager_rows(const char *text, int w)
{
	const char *p = text;
	int rows = 0;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		int n = e ? (int)(e - p) : (int)strlen(p);
		rows += n > w ? (n + w - 1) / w : 1;
		p = e ? e + 1 : NULL;
	}
	return rows;
}

/* Lines of text and its longest line in bytes. */
static int
text_size(const char *text, int *wmax)
{
	const char *p = text;
	int n = 0, len;

	*wmax = 0;
	while (p && *p) {
		const char *e = strchr(p, '\n');
		len = e ? (int)(e - p) : (int)strlen(p);
		*wmax = len > *wmax ? len : *wmax;
		n++;
		p = e ? e + 1 : NULL;
	}
	return n;
}

void
pager_open(struct app *a, const char *text)
{
	int w, n;

	free(a->pager_text);
	a->pager_text = xstrdup(text ? text : a->help_text);
	a->pager_title = text ? "output" : "help";
	a->pager_top = 0;
	n = text_size(a->pager_text, &w);
	a->pager_popup = text && n <= LINES / 2 && w <= COLS - 6;
	a->mode = MODE_HELP;
}

/* The box of a popup: the text's size plus a border, centred. */
static struct box
popup_box(const struct app *a)
{
	int w, n = text_size(a->pager_text, &w);

	w = w + 4 < 24 ? 24 : w + 4;
	return (struct box){ (LINES - n - 2) / 2, (COLS - w) / 2, n + 2, w };
}

/* Draws the popup over the screen. */
static void
popup_draw(const struct app *a)
{
	struct box b = popup_box(a);
	const char *p = a->pager_text;
	int y;

	for (y = b.y; y < b.y + b.h; y++)
		mvhline(y, b.x, ' ', b.w);
	attron(A_BOLD);
	mvhline(b.y, b.x + 1, ACS_HLINE, b.w - 2);
	mvhline(b.y + b.h - 1, b.x + 1, ACS_HLINE, b.w - 2);
	mvvline(b.y + 1, b.x, ACS_VLINE, b.h - 2);
	mvvline(b.y + 1, b.x + b.w - 1, ACS_VLINE, b.h - 2);
	mvaddch(b.y, b.x, ACS_ULCORNER);
	mvaddch(b.y, b.x + b.w - 1, ACS_URCORNER);
	mvaddch(b.y + b.h - 1, b.x, ACS_LLCORNER);
	mvaddch(b.y + b.h - 1, b.x + b.w - 1, ACS_LRCORNER);
	draw_text(b.y + b.h - 1, b.x + 2, b.w - 4, " any key closes ");
	attroff(A_BOLD);
	for (y = b.y + 1; p && *p && y < b.y + b.h - 1; y++) {
		const char *e = strchr(p, '\n');
		int n = e ? (int)(e - p) : (int)strlen(p);
		draw_text(y, b.x + 2, n < b.w - 4 ? n : b.w - 4, p);
		p = e ? e + 1 : NULL;
	}
}

int
pager_key(struct app *a, int k)
{
	int page = LINES - 2, max = pager_rows(a->pager_text, COLS - 2) - (LINES - 1);

	if (a->pager_popup) {
		a->mode = MODE_NORMAL;
		return R_REDRAW;
	}
	switch (k) {
	case 'q': case '?': case 27: case '\n': case '\r': case KEY_ENTER:
		a->mode = MODE_NORMAL;
		return R_REDRAW;
	case 'j': case KEY_DOWN: a->pager_top++; break;
	case 'k': case KEY_UP: a->pager_top--; break;
	case ' ': case KEY_NPAGE: case 'f' & 0x1f: a->pager_top += page; break;
	case 'b': case KEY_PPAGE: case 'b' & 0x1f: a->pager_top -= page; break;
	case 'g': case KEY_HOME: a->pager_top = 0; break;
	case 'G': case KEY_END: a->pager_top = max; break;
	default: return R_NONE;
	}
	a->pager_top = a->pager_top > max ? max : a->pager_top;
	a->pager_top = a->pager_top < 0 ? 0 : a->pager_top;
	return R_REDRAW;
}

void
pager_draw(const struct app *a)
{
	const char *p = a->pager_text;
	int row = 0, y = 1, w = COLS - 2 > 1 ? COLS - 2 : 1;
	char title[128];

	if (a->pager_popup) {
		popup_draw(a);
		return;
	}
	snprintf(title, sizeof title, "linscope %s   (j/k scroll, q close)  %d/%d", a->pager_title,
		 a->pager_top + 1, pager_rows(a->pager_text, w));
	attron(A_REVERSE);
	mvhline(0, 0, ' ', COLS);
	draw_text(0, 1, COLS - 2, title);
	attroff(A_REVERSE);
	while (p && *p && y < LINES) {
		const char *e = strchr(p, '\n');
		int n = e ? (int)(e - p) : (int)strlen(p), off = 0;
		do {
			if (row++ >= a->pager_top && y < LINES)
				draw_text(y++, 1, n - off < w ? n - off : w, p + off);
			off += w;
		} while (off < n);
		p = e ? e + 1 : NULL;
	}
}
