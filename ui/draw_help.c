/*
 * draw_help.c: the full-screen pager that shows the help (every key and
 * every command) and the output of commands that print several lines
 * (print, marks, bookmarks, help NAME). j/k and the page keys scroll;
 * q, ?, Esc or Enter close it.
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

void
pager_open(struct app *a, const char *text)
{
	free(a->pager_text);
	a->pager_text = xstrdup(text ? text : a->help_text);
	a->pager_title = text ? "output" : "help";
	a->pager_top = 0;
	a->mode = MODE_HELP;
}

int
pager_key(struct app *a, int k)
{
	int page = LINES - 2, max = pager_rows(a->pager_text, COLS - 2) - (LINES - 1);

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
