/*
 * draw.c: one frame of the screen, and the pieces every pane shares
 * (titles, clipped text), the status line and the too-small notice.
 *
 * Drawing only reads the session and the view state. Each frame is drawn
 * whole on an erased stdscr; curses sends only the cells that changed.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/text.h"

/* Every string reaches the screen here, in its terminal-safe form (text.h):
 * names and labels from files never send control sequences. */
void
draw_text(int y, int x, int w, const char *s)
{
	char safe[2048];

	if (w > 0)
		mvaddnstr(y, x, ls_text_safe(safe, sizeof safe, s, 0), w);
}

void
draw_title(const struct box *b, const char *title, int focused)
{
	int attr = focused ? (COLOR_PAIR(C_FOCUS) | A_BOLD) : (COLOR_PAIR(C_TITLE) | A_BOLD);

	if (!has_colors())
		attr = focused ? A_REVERSE : A_BOLD;
	attron(attr);
	mvhline(b->y, b->x, ' ', b->w - 1);
	draw_text(b->y, b->x + 1, b->w - 2, title);
	attroff(attr);
}

/* The vertical separators right of the bank and directions panes. */
static void
draw_separators(const struct app *a)
{
	const struct layout *l = &a->lay;

	mvvline(l->bank.y, l->bank.x + l->bank.w - 1, a->utf8 ? ACS_VLINE : '|', l->bank.h + l->peek.h);
	mvvline(l->dirs.y, l->dirs.x + l->dirs.w - 1, a->utf8 ? ACS_VLINE : '|', l->dirs.h);
}

void
too_small_draw(const struct app *a)
{
	char line[64];

	snprintf(line, sizeof line, "terminal too small: %dx%d", COLS, LINES);
	draw_text(LINES / 2 - 1 > 0 ? LINES / 2 - 1 : 0, 0, COLS, line);
	snprintf(line, sizeof line, "need %dx%d; q quits", UI_MIN_COLS, UI_MIN_ROWS);
	draw_text(LINES / 2, 0, COLS, line);
	if (a->mode == MODE_CONFIRM)
		draw_text(LINES - 1, 0, COLS, a->msg);
}

/* The cursor's column after drawing on row b->y (b->w when it left it). */
static int
cur_x(const struct box *b)
{
	return getcury(stdscr) == b->y ? getcurx(stdscr) : b->w;
}

/* Status line: model, d, the selected direction's alpha (in the slider
 * units) and, with ground-truth factors, the factor it moves, |z - z0|, a
 * warning when two active directions are nearly parallel, the preview
 * state, the last PNG written and how frames are made (exact path,
 * building path, direct decode). */
void
status_draw(const struct app *a)
{
	const struct box *b = &a->lay.status;
	const char *png = ls_session_last_png(a->s);
	struct ls_session_dir d;
	char line[1024], sel[256] = "no direction", al[64], warn[320], path[LS_ERR_MAX + 32];
	int i = ls_session_selected(a->s), x;

	if (i >= 0 && ls_session_dir(a->s, i, &d) == 0) {
		units_text(a, i, d.alpha, al, sizeof al);
		if (d.truth_name)   /* the ground-truth score beside it */
			snprintf(sel, sizeof sel, "%s \xce\xb1=%s truth %.24s r%+.2f", d.name, al,
				 d.truth_name, d.truth_r);
		else
			snprintf(sel, sizeof sel, "%s \xce\xb1=%s", d.name, al);
	}
	parallel_warning(a, warn, sizeof warn);
	snprintf(line, sizeof line, " %s  d=%d | %s | |z-z0|=%.3f | ", ls_session_model_spec(a->s),
		 ls_session_dim(a->s), sel, ls_session_distance(a->s));
	attron(A_REVERSE);
	mvhline(b->y, 0, ' ', b->w);
	draw_text(b->y, 0, b->w, line);
	x = cur_x(b);
	if (*warn && x < b->w) {
		attron(A_BOLD);
		draw_text(b->y, x, b->w - x, warn);
		attroff(A_BOLD);
		x = cur_x(b);
		if (x < b->w)
			draw_text(b->y, x, b->w - x, " | ");
		x = cur_x(b);
	}
	snprintf(line, sizeof line, "%s | preview %s | png: %s | %s", render_mode_name(),
		 ls_session_preview_enabled(a->s) ? "on" : "off", png ? png : "-",
		 ls_session_path_text(a->s, path, sizeof path));
	if (x < b->w)
		draw_text(b->y, x, b->w - x, line);
	attroff(A_REVERSE);
}

/* The message line (or the prompt when it is open). */
static void
msg_draw(const struct app *a)
{
	const struct box *b = &a->lay.msg;
	int attr = a->msg_err ? (COLOR_PAIR(C_ERROR) | A_BOLD) : A_NORMAL;

	if (prompt_active()) {
		prompt_draw(a);
		return;
	}
	attron(attr);
	draw_text(b->y, 0, b->w, a->msg);
	attroff(attr);
}

void
draw_all(struct app *a)
{
	render_begin();
	erase();
	if (a->lay.too_small) {
		too_small_draw(a);
	} else if (a->mode == MODE_HELP && !a->pager_popup) {
		pager_draw(a);
	} else {
		strip_update(a);
		info_update(a);
		if (a->lay.bank.w > 0) {   /* hidden in the projector views */
			bank_draw(a);
			peek_draw(a);
			dirs_draw(a);
			draw_separators(a);
		}
		if (a->face != FACE_IMAGE)
			view_draw(a);
		else
			preview_draw(a);
		slider_draw(a);
		if (a->lay.info.h > 0)
			info_draw(a);
		if (a->lay.strip.h > 1)
			strip_draw(a);
		status_draw(a);
		msg_draw(a);
		if (a->mode == MODE_HELP)
			pager_draw(a);   /* the popup over the screen */
	}
	curs_set(prompt_active() && !a->lay.too_small ? 1 : 0);
	if (prompt_active() && !a->lay.too_small)
		prompt_draw(a);
	render_prepare();
	refresh();
	render_flush(stdout);
}
