/*
 * prompt.c: the ':' command line and the '/' filter line: GNU readline
 * inside curses, the way tig does it.
 *
 * Readline never touches the terminal: its callback interface is fed one
 * byte at a time from the keys curses reads (rl_getc_function returns the
 * pending byte), terminal preparation is off (rl_prep_term_function and
 * rl_deprep_term_function NULL), it catches no signals and changes no
 * environment, its output stream is /dev/null, and rl_redisplay_function
 * draws the prompt and the line on the screen's last row. Keys curses has
 * already decoded (arrows, Home, Backspace...) call the matching readline
 * commands directly.
 *
 * History: $XDG_STATE_HOME/linscope/history (default
 * ~/.local/state/linscope/history), read at start, written atomically at
 * exit, at most HISTORY_MAX lines. Tab completes command names, direction
 * and bookmark names (ls_cmd_complete) and file paths (readline's own).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "app.h"
#include "recover.h"

#define HISTORY_MAX 1000

static struct app *app;          /* the app the callbacks act on */
static enum prompt_kind kind;
static int active;
static int pending = -1;          /* the byte rl_getc hands readline */
static char *done_line;          /* the line readline accepted */
static int done;                  /* a line was accepted (or EOF) */
static char *hist_path;
static FILE *devnull;
static char **cands;              /* completion candidates in progress */
static char matches[512];         /* the candidates of an ambiguous Tab */

/* ---- readline plumbing ---------------------------------------------- */

static int
prompt_getc(FILE *f)
{
	int c = pending;

	(void)f;
	pending = -1;
	return c < 0 ? EOF : c;
}

static int
prompt_input_available(void)
{
	return pending >= 0;
}

static void
prompt_line(char *line)
{
	done_line = line;
	done = 1;
	rl_callback_handler_remove();
}

static void
prompt_redisplay(void)
{
	if (app)
		prompt_draw(app);
	refresh();
}

/* Completion matches, shown on the row above the prompt (the prompt
 * takes the message row) until the next key, instead of readline's list. */
static void
prompt_show_matches(char **m, int n, int maxlen)
{
	size_t len = 0;
	int i;

	(void)maxlen;
	matches[0] = 0;
	for (i = 1; i <= n && len + 2 < sizeof matches; i++)
		len += (size_t)snprintf(matches + len, sizeof matches - len, "%s ", m[i]);
	draw_all(app);
}

/* Generator over cands for rl_completion_matches(). */
static char *
prompt_gen(const char *text, int state)
{
	static int k;

	(void)text;
	if (!state)
		k = 0;
	return cands && cands[k] ? xstrdup(cands[k++]) : NULL;
}

static char **
prompt_complete(const char *text, int start, int end)
{
	char *line = xstrdup(rl_line_buffer);
	char **m = NULL;
	int is_file = 0;

	line[end] = 0;
	rl_attempted_completion_over = 1;
	if (kind != PROMPT_CMD)
		goto out;
	cands = ls_cmd_complete(app->s, line, start, &is_file);
	if (!cands && is_file) {
		rl_attempted_completion_over = 0;
		goto out;
	}
	if (cands)
		m = rl_completion_matches(text, prompt_gen);
	ls_cmd_complete_free(cands);
	cands = NULL;
out:
	free(line);
	return m;
}

/* ---- history --------------------------------------------------------- */

/* The history file's path (malloc'd), creating its directory. */
static char *
history_path(void)
{
	char *dir = ui_state_dir(), *p;

	if (!dir)
		return NULL;
	p = xasprintf("%s/history", dir);
	free(dir);
	return p;
}

/* Writes the history atomically; errors only cost the history. */
static void
history_save(void)
{
	HIST_ENTRY **h = history_list();
	struct ls_afile *af;
	char err[LS_ERR_MAX];
	int i;

	if (!hist_path || ls_afile_open(hist_path, &af, err) != LS_OK)
		return;
	for (i = 0; h && h[i]; i++)
		if (!strchr(h[i]->line, '\n'))
			fprintf(ls_afile_fp(af), "%s\n", h[i]->line);
	ls_afile_commit(af, 0, err);
}

/* ---- the prompt ------------------------------------------------------ */

void
prompt_init(struct app *a)
{
	app = a;
	devnull = fopen("/dev/null", "w");
	rl_readline_name = "linscope";
	rl_instream = stdin;
	rl_outstream = devnull ? devnull : stdout;
	rl_getc_function = prompt_getc;
	rl_input_available_hook = prompt_input_available;
	rl_redisplay_function = prompt_redisplay;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = prompt_complete;
	rl_completion_display_matches_hook = prompt_show_matches;
	rl_basic_word_break_characters = " \t";
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("horizontal-scroll-mode", "on");
	rl_variable_bind("show-all-if-ambiguous", "on");   /* one Tab lists them */
	using_history();
	stifle_history(HISTORY_MAX);
	if ((hist_path = history_path()))
		read_history(hist_path);
}

void
prompt_done(void)
{
	if (active)
		rl_callback_handler_remove();
	active = 0;
	history_save();
	free(hist_path);
	hist_path = NULL;
	if (devnull)
		fclose(devnull);
	devnull = NULL;
	rl_outstream = stdout;
}

int
prompt_active(void)
{
	return active;
}

void
prompt_open(struct app *a, enum prompt_kind k)
{
	app = a;
	kind = k;
	active = 1;
	done = 0;
	done_line = NULL;
	rl_callback_handler_install(k == PROMPT_CMD ? ":" : "/", prompt_line);
}

void
prompt_open_text(struct app *a, const char *text)
{
	prompt_open(a, PROMPT_CMD);
	rl_insert_text(text);
	rl_redisplay();
}

/* Keys curses decoded, as readline commands; 0 if k is not one. */
static int
prompt_special(int k)
{
	switch (k) {
	case KEY_LEFT: rl_backward_char(1, 0); break;
	case KEY_RIGHT: rl_forward_char(1, 0); break;
	case KEY_UP: rl_get_previous_history(1, 0); break;
	case KEY_DOWN: rl_get_next_history(1, 0); break;
	case KEY_HOME: rl_beg_of_line(1, 0); break;
	case KEY_END: rl_end_of_line(1, 0); break;
	case KEY_BACKSPACE: rl_rubout(1, 0); break;
	case KEY_DC: rl_delete(1, 0); break;
	case KEY_ENTER: return 0;
	default: return -1;
	}
	rl_redisplay();
	return 1;
}

/* Feeds one character to readline as UTF-8 bytes. */
static void
prompt_feed(int ch)
{
	char buf[MB_LEN_MAX];
	mbstate_t ps;
	size_t n, i;

	memset(&ps, 0, sizeof ps);
	if (ch < 128) {
		buf[0] = (char)ch;
		n = 1;
	} else {
		n = wcrtomb(buf, (wchar_t)ch, &ps);
	}
	for (i = 0; i < n && n != (size_t)-1 && !done; i++) {
		pending = (unsigned char)buf[i];
		rl_callback_read_char();
	}
}

/* Leaves readline clean after a cancelled line: out of any multi-key
 * state (an i-search), with the edits of recalled history lines reverted
 * and the undo list freed, so nothing of it is freed twice later. */
static void
prompt_cancel(void)
{
	rl_callback_sigcleanup();
	if (rl_undo_list)
		rl_revert_line(1, 0);
	rl_free_line_state();
	rl_replace_line("", 1);
	history_set_pos(history_length);
	rl_callback_handler_remove();
}

/* Closes the prompt after a line (NULL: cancelled) and acts on it. */
static int
prompt_finish(struct app *a, char *line)
{
	int r = R_REDRAW;

	if (active && !done)
		prompt_cancel();
	active = 0;
	if (line && kind == PROMPT_CMD && *line) {
		HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
		if (!last || strcmp(last->line, line))
			add_history(line);
		r = app_command(a, line);
	} else if (line && kind == PROMPT_FILTER) {
		app_filter_cmd(a, line);
	} else if (!line || kind == PROMPT_CMD) {
		app_message(a, 0, "%s", "");
	}
	free(line);
	return r;
}

int
prompt_key(struct app *a, int ch, int is_key)
{
	int s;

	matches[0] = 0;
	if ((!is_key && (ch == 27 || ch == 7)) || (!is_key && ch == 3))
		return prompt_finish(a, NULL);
	if (is_key && (s = prompt_special(ch)) != 0)
		return R_NONE;   /* done, or a key readline has no use for */
	prompt_feed(is_key && ch == KEY_ENTER ? '\n' : ch);
	if (!done)
		return R_NONE;
	return prompt_finish(a, done_line);
}

void
prompt_draw(const struct app *a)
{
	const char *pr = rl_display_prompt ? rl_display_prompt : ":";
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	int y = LINES - 1, plen = (int)strlen(pr), w = COLS - plen - 1, cur = rl_point, off = 0;

	(void)a;
	if (w < 1)
		return;
	if (*matches) {
		move(y - 1, 0);
		clrtoeol();
		attron(A_REVERSE);
		draw_text(y - 1, 0, COLS, matches);
		attroff(A_REVERSE);
	}
	if (cur >= w)
		off = cur - w + 1;
	move(y, 0);
	clrtoeol();
	attron(A_BOLD);
	draw_text(y, 0, plen, pr);
	attroff(A_BOLD);
	draw_text(y, plen, w, line + off);
	move(y, plen + cur - off);
}
