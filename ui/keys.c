/*
 * keys.c: what each key does. Every key that changes the session becomes
 * a command line of the shared language (cmd.h) run through app_exec(),
 * so `--record` captures it and `linscope run` can replay it; keys that
 * only move the view (bank cursor, focus, scrolling) stay here.
 *
 * A key is an int: a KEY_* code, or an ASCII character (other characters
 * are ignored outside the prompt). Handlers return reaction flags.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define CTRL(c) ((c) & 0x1f)

/* The key table shown by `?` (the command table follows it). */
static const char *const key_help[] = {
	"KEYS",
	"  j k, Down Up     move in the focused pane (bank rows / directions)",
	"  PgDn PgUp        page",
	"  g G, Home End    first, last",
	"  Tab, Shift-Tab   switch pane (bank, directions)",
	"  h l, Left Right  slide the selected direction by a fine step (0.1)",
	"  H L, Shift-Left Shift-Right   coarse step (0.5)",
	"  0                reset the selected direction's alpha",
	"  ^ $, Shift-Home Shift-End   alpha to the low, high end of the range",
	"  Enter            bank: make the row the start latent z0;",
	"                   directions: switch the direction on or off",
	"  space            switch the selected direction on or off",
	"  m                mark or unmark the bank row",
	"  d                direction from the last two marked rows (second - first)",
	"  x                remove the selected direction",
	"  o                orthogonalise the selected direction against the others",
	"  c                cosines of the active directions (the status line warns",
	"                   when two are nearly parallel)",
	"  z, Z             zoom in, out: all panes; presentation (preview and strip",
	"                   across the screen, for a projector); the preview alone",
	"  i                the preview pane shows the per-label histogram of the",
	"                   bank's projections on the selected direction (z marked)",
	"  M                the preview pane shows the exact region map of the plane",
	"                   of two directions (as :regionmap; the slider path white)",
	"  T                2-D latent: the preview pane shows the tropical map of a",
	"                   pixel's logit: F's hypersurface orange, G's cyan, z a",
	"                   cross (:tropmap X Y picks the pixel and writes a PNG)",
	"  U                slider units: sigma, raw latent distance, bank percentile",
	"  D                learn a direction from the labels: ':meandiff FIRST LAST' typed with",
	"                   the labels' first and last classes (faces: frown smile);",
	"                   Enter learns it (edit it first, or make it probe/lda),",
	"                   the status line shows the factor it moves (truth r)",
	"  P                paint: ':paint X0 Y0 X1 Y1' in image pixels (or drag a",
	"                   rectangle on the image with the mouse)",
	"  s                save a numbered PNG snapshot (linscope-NNNN.png)",
	"  p                switch the live preview PNG on or off",
	"  b                bookmark the current latent",
	"  u, Ctrl-R        undo, redo",
	"  /                filter the bank by label or a set of labels (1,7;",
	"                   empty: all rows)",
	"  :                command line (Tab completes, Up/Down history)",
	"  ?, F1            this help (j k scroll, q closes)",
	"  Ctrl-L           redraw the screen",
	"  q, Ctrl-C        quit (asks first if directions are unsaved; a second",
	"                   Ctrl-C quits); Ctrl-C on the prompt cancels the line",
	"MOUSE",
	"  click a bank row or a direction to select it;",
	"  click or drag on the slider bar to set alpha; click a thumbnail of the",
	"  strip for its alpha; the wheel scrolls the bank and the directions and,",
	"  over the image or the slider, slides by a fine step;",
	"  drag on the image of z to paint a direction (the pixels that change most)",
	"INFO LINE (under the slider; the short form when the terminal is narrow)",
	"  region ID flips N/U  (reg ID flip N)   the linear region of z (a hash of",
	"                   its ReLU pattern), ReLUs flipped since z0 out of U",
	"  homogeneity additivity first-order  (h a f)   linearity meter along the",
	"                   selected direction at 1 sigma: errors (0 is linear) and",
	"                   the share of the change the Jacobian explains (1)",
	"  k-NN K (pP) Mahalanobis M (pP) |z| pP drift D  (kK pP mM pP |z|pP dD)",
	"                   distance to the nearest bank latents, Mahalanobis distance,",
	"                   their percentiles, norm percentile, encoder round-trip",
	"                   drift; OFF DATA beyond the bank's 99th percentile (the",
	"                   slider shades the alphas off the data)",
	"",
	"COMMANDS (the ':' line, key actions and 'linscope run' scripts)",
	NULL
};

void
help_build(struct app *a)
{
	size_t n = 0, cap = LS_MSG_MAX + 4096;
	char *t = xmalloc(cap);
	int i;

	t[0] = 0;
	for (i = 0; key_help[i]; i++)
		n += (size_t)snprintf(t + n, cap - n, "%s\n", key_help[i]);
	ls_cmd_help(NULL, t + n, cap - n);
	free(a->help_text);
	a->help_text = t;
}

/* Name of the selected direction, quoted for a command line, or NULL. */
static const char *
sel_name(const struct app *a, char *buf, size_t n)
{
	struct ls_session_dir d;
	int i = ls_session_selected(a->s);

	if (i < 0 || ls_session_dir(a->s, i, &d))
		return NULL;
	ls_cmd_quote(d.name, buf, n);
	return buf;
}

int
app_quit(struct app *a)
{
	if (!ls_session_unsaved(a->s))
		return app_exec(a, "quit");
	a->mode = MODE_CONFIRM;
	app_message(a, 1, "directions are not saved (:save FILE). Quit anyway? (y/n) Ctrl-C: yes");
	return R_REDRAW;
}

/* The y/n question before quitting. */
static int
confirm_key(struct app *a, int k)
{
	a->mode = MODE_NORMAL;
	if (k == 'y' || k == 'Y' || k == CTRL('c'))
		return app_exec(a, "quit");
	app_message(a, 0, "not quitting");
	return R_REDRAW;
}

void
bank_scroll(struct app *a)
{
	long h = a->lay.bank.h - 1;

	if (a->bank_cur >= a->nrows)
		a->bank_cur = a->nrows > 0 ? a->nrows - 1 : 0;
	if (a->bank_cur < 0)
		a->bank_cur = 0;
	if (h < 1)
		return;
	if (a->bank_cur < a->bank_top)
		a->bank_top = a->bank_cur;
	if (a->bank_cur >= a->bank_top + h)
		a->bank_top = a->bank_cur - h + 1;
}

void
dirs_scroll(struct app *a)
{
	int h = a->lay.dirs.h - 1, sel = ls_session_selected(a->s);

	if (h < 1 || sel < 0) {
		a->dir_top = 0;
		return;
	}
	if (sel < a->dir_top)
		a->dir_top = sel;
	if (sel >= a->dir_top + h)
		a->dir_top = sel - h + 1;
}

/* Cursor movement shared by the panes: the new index for key k, or -1. */
static long
move_key(int k, long cur, long n, long page)
{
	switch (k) {
	case 'j': case KEY_DOWN: cur++; break;
	case 'k': case KEY_UP: cur--; break;
	case KEY_NPAGE: case CTRL('f'): cur += page; break;
	case KEY_PPAGE: case CTRL('b'): cur -= page; break;
	case 'g': case KEY_HOME: cur = 0; break;
	case 'G': case KEY_END: cur = n - 1; break;
	default: return -1;
	}
	return cur < 0 ? 0 : cur >= n ? (n > 0 ? n - 1 : 0) : cur;
}

int
bank_key(struct app *a, int k)
{
	long cur = move_key(k, a->bank_cur, a->nrows, a->lay.bank.h - 2), row;

	if (cur >= 0) {
		a->bank_cur = cur;
		bank_scroll(a);
		return R_REDRAW;
	}
	if (a->nrows == 0)
		return R_NONE;
	row = a->rows[a->bank_cur];
	if (k == '\n' || k == '\r' || k == KEY_ENTER)
		return app_execf(a, "row %ld", row);
	if (k == 'm')
		return app_execf(a, "%s %ld", ls_session_is_marked(a->s, row) ? "unmark" : "mark", row);
	return R_NONE;
}

int
dirs_key(struct app *a, int k)
{
	int n = ls_session_ndirs(a->s), sel = ls_session_selected(a->s);
	long cur = move_key(k, sel, n, a->lay.dirs.h - 2);
	char q[LS_SESSION_NAME_MAX * 2 + 4];
	struct ls_session_dir d;
	int r;

	if (cur >= 0 && n > 0 && cur != sel && !ls_session_dir(a->s, (int)cur, &d)) {
		ls_cmd_quote(d.name, q, sizeof q);
		r = app_execf(a, "select %s", q);
		dirs_scroll(a);
		return r;
	}
	if (cur >= 0)
		return R_NONE;
	if ((k == '\n' || k == '\r' || k == KEY_ENTER) && sel_name(a, q, sizeof q))
		return app_execf(a, "toggle %s", q);
	return R_NONE;
}

/* U: the next slider units. */
static int
units_key(struct app *a)
{
	static const char *const next[3] = { "raw", "pct", "sigma" };
	int u = (int)ls_session_units(a->s);

	return app_execf(a, "units %s", next[u >= 0 && u < 3 ? u : 2]);
}

/* ^ / $: the selected direction's alpha to the low or high end. */
static int
slider_end(struct app *a, int high)
{
	char q[LS_SESSION_NAME_MAX * 2 + 4];
	struct ls_session_dir d;
	int i = ls_session_selected(a->s);

	if (i < 0 || ls_session_dir(a->s, i, &d))
		return app_exec(a, "step");   /* says there is no direction */
	ls_cmd_quote(d.name, q, sizeof q);
	return app_execf(a, "alpha %s %.17g", q, high ? d.hi : d.lo);
}

/* z / Z: the next layout towards the preview alone, or back. */
static int
view_key(struct app *a, int in)
{
	static const char *const name[] = { "all panes", "presentation", "zoom" };
	int v = (int)a->view + (in ? 1 : -1);

	a->view = (enum view)(v < VIEW_NORMAL ? VIEW_NORMAL : v > VIEW_ZOOM ? VIEW_ZOOM : v);
	layout_compute(a);
	bank_scroll(a);
	dirs_scroll(a);
	app_message(a, 0, "view: %s, image of z x%d (z zooms in, Z out)", name[a->view],
		    layout_preview_scale(a));
	return R_LAYOUT | R_REDRAW;
}

/* A label class as a command word (quoted when it has a blank). */
static void
class_word(const char *c, char *out, size_t n)
{
	snprintf(out, n, strpbrk(c, " \t#") ? "\"%s\"" : "%s", c);
}

/* M: the prompt with "meandiff FIRST LAST " typed, the labels' first and
 * last classes (first-seen order; the faces': frown ... smile), so Enter
 * learns the direction from FIRST towards LAST. */
static int
learn_key(struct app *a)
{
	const struct ls_labels *l = ls_session_labels(a->s);
	char from[300], to[300], line[620];
	int k = l ? ls_labels_nclasses(l) : 0;

	if (k < 2) {
		app_message(a, 1, "D: needs labels with two classes or more (:labels FILE)");
		return R_REDRAW;
	}
	class_word(ls_labels_class(l, 0), from, sizeof from);
	class_word(ls_labels_class(l, k - 1), to, sizeof to);
	snprintf(line, sizeof line, "meandiff %s %s", from, to);
	prompt_open_text(a, line);
	return R_REDRAW;
}

/* Keys that act the same in every pane; -1 when k is not one of them. */
static int
global_key(struct app *a, int k)
{
	char q[LS_SESSION_NAME_MAX * 2 + 4];

	switch (k) {
	case 'q': return app_quit(a);
	case '?': case KEY_F(1): pager_open(a, NULL); return R_REDRAW;
	case '^': case KEY_SHOME: return slider_end(a, 0);
	case '$': case KEY_SEND: return slider_end(a, 1);
	case ':': prompt_open(a, PROMPT_CMD); return R_REDRAW;
	case '/': prompt_open(a, PROMPT_FILTER); return R_REDRAW;
	case '\t': case KEY_BTAB: a->focus = (a->focus + 1) % PANE_COUNT; return R_REDRAW;
	case 'h': case KEY_LEFT: return app_exec(a, "step -fine");
	case 'l': case KEY_RIGHT: return app_exec(a, "step +fine");
	case 'H': case KEY_SLEFT: return app_exec(a, "step -coarse");
	case 'L': case KEY_SRIGHT: return app_exec(a, "step +coarse");
	case '0': return app_exec(a, "reset");
	case ' ': return app_exec(a, "toggle");
	case 'd': return app_exec(a, "diff");
	case 'o': return app_exec(a, "ortho");
	case 's': return app_exec(a, "snapshot");
	case 'b': return app_exec(a, "bookmark");
	case 'u': return app_exec(a, "undo");
	case CTRL('r'): return app_exec(a, "redo");
	case 'p': return app_exec(a, ls_session_preview_enabled(a->s) ? "preview off" : "preview on");
	case 'x': return sel_name(a, q, sizeof q) ? app_execf(a, "rm %s", q) : R_NONE;
	case 'c': return app_exec(a, "cos");
	case 'i': return view_toggle(a, FACE_HIST);
	case 'M': return view_toggle(a, FACE_MAP);
	case 'T': return view_toggle(a, FACE_TROP);
	case 'z': return view_key(a, 1);
	case 'Z': return view_key(a, 0);
	case 'U': return units_key(a);
	case 'P': prompt_open_text(a, "paint "); return R_REDRAW;
	case 'D': return learn_key(a);
	case CTRL('l'): clearok(curscr, TRUE); return R_REDRAW;
	}
	return -1;
}

int
app_key(struct app *a, int ch, int is_key)
{
	int k = is_key ? ch : ch < 128 ? ch : -1, r;

	if (is_key && ch == KEY_RESIZE) {
		render_resized();
		layout_compute(a);
		bank_scroll(a);
		dirs_scroll(a);
		return R_LAYOUT | R_REDRAW;
	}
	if (prompt_active())
		return prompt_key(a, ch, is_key);
	if (k == CTRL('c') && a->mode != MODE_CONFIRM)
		return app_quit(a);   /* asks as q does; a second Ctrl-C quits */
	if (is_key && ch == KEY_MOUSE)
		return a->mode == MODE_NORMAL && !a->lay.too_small ? mouse_key(a) : R_NONE;
	if (a->mode == MODE_HELP)
		return pager_key(a, k);
	if (a->mode == MODE_CONFIRM)
		return confirm_key(a, k);
	if (a->lay.too_small)
		return k == 'q' ? app_quit(a) : R_NONE;
	if ((r = global_key(a, k)) >= 0)
		return r;
	return a->focus == PANE_BANK ? bank_key(a, k) : dirs_key(a, k);
}
