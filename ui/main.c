/*
 * main.c: `linscope tui`, the explorer: options, the curses screen, the
 * main loop, and the one door to the core's command language.
 *
 * The loop: draw if something changed, wait at most TICK_MS for a key,
 * dispatch it, then give the session its tick (the debounced preview
 * write). While the k-NN gauge of the bank is being built, the wait is
 * zero and each pass without a key builds it for GAUGE_SLICE seconds, so
 * a key waits at most one slice. Signals that ask to quit are seen within one tick. The terminal
 * is restored on every way out (see signals.c).
 */
#include <getopt.h>
#include <locale.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app.h"
#include "recover.h"
#include "cli/cli.h"

#define TICK_MS 50
#define PATH_TICK_MS 10   /* while the exact path is being built */
#define ESC_MS 25    /* Esc closes the prompt this fast unless $ESCDELAY says */
#define GAUGE_SLICE 0.012   /* seconds of k-NN build between two key reads */
#define OPT_NO_RESTORE 0x1001
#define OPT_PIXELS 0x1002

static const char tui_help[] =
	"usage: linscope tui [-m MODEL] [-b BANK.npy] [-l LABELS] [-d DIRS.safetensors]\n"
	"                    [--record SCRIPT] [--no-restore] [--pixels MODE]\n"
	"\n"
	"Open the interactive explorer (also what 'linscope' with no arguments, or\n"
	"with only these options, does on a terminal). Pick a start latent from\n"
	"the bank, build or load directions, slide along them and watch the\n"
	"decoded image change; press ? inside for every key and command.\n"
	"  -m MODEL     .safetensors or .onnx file, or bundled name (default: digits)\n"
	"  -b BANK.npy  latent bank (N, d) (default: the bundled model's bank)\n"
	"  -l LABELS    labels, one per bank row (text or integer .npy)\n"
	"  -d DIRS      load every direction of a directions file\n"
	"  --record SCRIPT  write the session's commands as a script for\n"
	"               'linscope run'\n"
	"  --no-restore don't offer to restore a session that was not closed\n"
	"               (it is kept as $XDG_STATE_HOME/linscope/session.old)\n"
	"  --pixels MODE  how images are drawn: auto (default: what the terminal\n"
	"               takes), kitty, sixel, iterm, symbols, half or text; add\n"
	"               ,smooth for smooth scaling (also $LINSCOPE_PIXELS, :pixels)\n";

struct tui_opts {
	const char *model, *bank, *labels, *dirs, *record, *pixels;
	int no_restore;
};

/* Parses the options; 0 ok, -1 help, else the exit status. */
static int
tui_parse(int argc, char **argv, struct tui_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "record", required_argument, 0, OPT_RECORD },
		{ "no-restore", no_argument, 0, OPT_NO_RESTORE },
		{ "pixels", required_argument, 0, OPT_PIXELS }, { 0, 0, 0, 0 } };
	enum px_mode m = PX_AUTO;
	int c, smooth = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hm:b:l:d:", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return -1;
		case 'm': o->model = optarg; break;
		case 'b': o->bank = optarg; break;
		case 'l': o->labels = optarg; break;
		case 'd': o->dirs = optarg; break;
		case OPT_RECORD: o->record = optarg; break;
		case OPT_NO_RESTORE: o->no_restore = 1; break;
		case OPT_PIXELS: o->pixels = optarg; break;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage("tui", "unexpected argument '%s'", argv[optind]);
	if (!o->pixels && getenv("LINSCOPE_PIXELS") && *getenv("LINSCOPE_PIXELS"))
		o->pixels = getenv("LINSCOPE_PIXELS");
	if (o->pixels && px_parse(o->pixels, &m, &smooth))
		return cli_usage("tui", "pixels %s: want auto, kitty, sixel, iterm, symbols, half or text "
				 "(,smooth for smooth scaling)", o->pixels);
	return 0;
}

/* Opens the session the options describe. */
static enum ls_status
tui_session(const struct tui_opts *o, struct ls_session **s, char *err)
{
	enum ls_status st;

	if ((st = ls_session_open(o->model, o->bank, o->labels, s, err)) != LS_OK)
		return st;
	if (o->dirs && (st = ls_session_load_dirs(*s, o->dirs, err)) != LS_OK)
		goto fail;
	if (o->record && (st = ls_session_record_open(*s, o->record, err)) != LS_OK)
		goto fail;
	return LS_OK;
fail:
	ls_session_free(*s);
	*s = NULL;
	return st;
}

/* The UI's colour pairs; without colours attributes do the work. */
static void
colours_init(void)
{
	if (!has_colors())
		return;
	start_color();
	use_default_colors();
	init_pair(C_TITLE, COLOR_CYAN, -1);
	init_pair(C_FOCUS, COLOR_WHITE, COLOR_BLUE);   /* bold: bright white, readable */
	init_pair(C_STATUS, COLOR_BLACK, COLOR_WHITE);
	init_pair(C_ERROR, COLOR_RED, -1);
	init_pair(C_MARK, COLOR_YELLOW, -1);
	init_pair(C_ACTIVE, COLOR_GREEN, -1);
	init_pair(C_TICK, COLOR_MAGENTA, -1);
	init_pair(C_KNOB, COLOR_YELLOW, -1);
}

/* Ctrl-C becomes a key (it cancels the prompt, asks before quitting):
 * the terminal's interrupt character is switched off in curses' program
 * mode; endwin() puts back the mode saved before newterm(). SIGINT sent
 * by kill(1) still quits through signals.c. */
static void
intr_off(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	t.c_cc[VINTR] = _POSIX_VDISABLE;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		def_prog_mode();
}

/* Gives curses the keys typed while the terminal was asked what it can
 * do (ungetch is a stack: the last key goes first). */
static void
pending_keys(void)
{
	int n, i;
	const char *k = render_pending(&n);

	for (i = n - 1; i >= 0; i--)
		ungetch((unsigned char)k[i]);
}

/* Starts curses on the terminal; NULL screen on failure. */
static SCREEN *
screen_open(struct app *a)
{
	const char *nc = getenv("NO_COLOR");
	SCREEN *scr;

	sig_save_tty();
	if (!(scr = newterm(render_term_name(), stdout, stdin)))
		return NULL;
	set_term(scr);
	cbreak();
	noecho();
	intr_off();
	if (!getenv("ESCDELAY") || !*getenv("ESCDELAY"))
		set_escdelay(ESC_MS);
	keypad(stdscr, TRUE);
	timeout(TICK_MS);
	curs_set(0);
	if (!(nc && *nc))
		colours_init();
	render_init(a->utf8);
	pending_keys();
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | REPORT_MOUSE_POSITION | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	printf("\033[?1002h");
	fflush(stdout);
	sig_install();
	return scr;
}

void
app_message(struct app *a, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_err = err;
}

/* Bank rows changed (model or bank replaced): rebuild the list. */
static void
bank_sync(struct app *a)
{
	struct ls_bank *b = ls_session_bank(a->s);
	long n = b ? ls_bank_rows(b) : 0;

	if (b == a->bank && n == a->bank_n)
		return;
	a->bank = b;
	a->bank_n = n;
	a->filter[0] = 0;
	app_filter(a, "");
}

void
app_sync(struct app *a)
{
	bank_sync(a);
	dirs_scroll(a);
	layout_compute(a);
}

int
app_exec(struct app *a, const char *line)
{
	static char msg[LS_MSG_MAX];
	enum ls_status st = ls_cmd_exec(a->s, line, msg);
	const char *last = strrchr(msg, '\n');

	a->msg_err = st != LS_OK;
	snprintf(a->msg, sizeof a->msg, "%s", last ? last + 1 : msg);
	if (st == LS_OK && last && a->mode != MODE_HELP)
		pager_open(a, msg);
	bank_sync(a);
	dirs_scroll(a);
	if (ls_session_quit_requested(a->s))
		return R_QUIT | R_REDRAW;
	return R_REDRAW;
}

int
app_execf(struct app *a, const char *fmt, ...)
{
	char line[LS_CMD_MAX_LINE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return app_exec(a, line);
}

/* Is label one of the comma-separated values of set? */
static int
label_in(const char *label, const char *set)
{
	size_t n = strlen(label);
	const char *p = set, *q;

	for (;; p = q + 1) {
		q = strchr(p, ',');
		if ((size_t)((q ? q : p + strlen(p)) - p) == n && !strncmp(p, label, n))
			return 1;
		if (!q)
			return 0;
	}
}

void
app_filter(struct app *a, const char *label)
{
	long i, n = a->bank_n, keep = a->nrows > 0 ? a->rows[a->bank_cur] : 0, k = 0;

	snprintf(a->filter, sizeof a->filter, "%s", label);
	a->rows = xreallocarray(a->rows, (size_t)(n > 0 ? n : 1), sizeof *a->rows);
	for (i = 0; i < n; i++) {
		const char *l = ls_session_label(a->s, i);
		if (!*a->filter || (l && label_in(l, a->filter)))
			a->rows[k++] = i;
	}
	a->nrows = k;
	a->bank_cur = a->bank_top = 0;
	for (i = 0; i < k; i++)
		if (a->rows[i] >= keep) {
			a->bank_cur = i;
			break;
		}
}

/* `:pixels [MODE]`: a setting of the screen, not of the session. */
static int
app_pixels(struct app *a, int n, char **w)
{
	char msg[LS_MSG_MAX];

	if (n == 1) {
		app_message(a, 0, "pixels: %s", render_mode_long());
		return R_REDRAW;
	}
	if (n > 2) {
		app_message(a, 1, "pixels: want one MODE (auto, kitty, sixel, iterm, symbols, half, text)");
		return R_REDRAW;
	}
	app_message(a, render_set(w[1], msg, sizeof msg) != 0, "%s", msg);
	layout_compute(a);
	return R_LAYOUT | R_REDRAW;
}

int
app_command(struct app *a, const char *line)
{
	char buf[LS_CMD_MAX_LINE], *w[LS_CMD_MAX_WORDS], err[LS_ERR_MAX];
	int n;

	if (ls_cmd_split(line, buf, w, LS_CMD_MAX_WORDS, &n, err) != LS_OK)
		n = 0;
	if (n == 1 && !strcmp(w[0], "quit"))
		return app_quit(a);
	if (n >= 1 && !strcmp(w[0], "pixels"))
		return app_pixels(a, n, w);
	return app_exec(a, line);
}

void
app_filter_cmd(struct app *a, const char *label)
{
	if (*label && !ls_session_labels(a->s)) {
		app_message(a, 1, "/%s: no labels loaded (:labels FILE)", label);
		return;
	}
	app_filter(a, label);
	bank_scroll(a);
	if (*label)
		app_message(a, 0, "label %s: %ld of %ld rows", label, a->nrows, a->bank_n);
	else
		app_message(a, 0, "all %ld rows", a->bank_n);
}

/* Reads one key: *is_key set for KEY_* codes. ERR on timeout. */
static int
read_key(int *is_key)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == OK && wc == 27 && render_late_reply())
		return ERR;   /* a late answer of the terminal, not a key */
	*is_key = r == KEY_CODE_YES;
	return r == ERR ? ERR : (int)wc;
}

/* Key-to-frame times, kept when $LINSCOPE_UI_TIMING names a file. */
#define TIMING_MAX 65536
static double *timing;
static long ntiming;

static void
timing_add(double t0)
{
	if (timing && ntiming < TIMING_MAX)
		timing[ntiming++] = ls_now() - t0;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Writes "frames N p50 MS p99 MS max MS strips K" to the timing file. */
static void
timing_write(const struct app *a)
{
	const char *path = getenv("LINSCOPE_UI_TIMING");
	struct ls_afile *af;
	char err[LS_ERR_MAX];
	long n = ntiming;

	if (!timing || !path || ls_afile_open(path, &af, err) != LS_OK)
		return;
	qsort(timing, (size_t)n, sizeof *timing, cmp_double);
	fprintf(ls_afile_fp(af), "frames %ld p50 %.3f p99 %.3f max %.3f strips %lu\n", n,
		n ? 1e3 * timing[n / 2] : 0.0, n ? 1e3 * timing[n * 99 / 100] : 0.0,
		n ? 1e3 * timing[n - 1] : 0.0, a->sc.recomputed);
	ls_afile_commit(af, 0, err);
}

/* Is the k-NN gauge still being built? */
static int
gauges_pending(const struct app *a)
{
	double p = ls_session_gauges_progress(a->s);

	return p >= 0 && p < 1;
}

/* Builds the k-NN gauge for a slice between keys; redraws when the
 * progress shown changes or it is ready. */
static void
gauges_tick(struct app *a)
{
	double p = ls_session_gauges_progress(a->s), q;

	if (p < 0 || p >= 1)
		return;
	q = ls_session_gauges_step(a->s, GAUGE_SLICE);
	if (q >= 1)
		a->ic.valid = 0;
	if (q >= 1 || (int)(100 * q) != (int)(100 * p))
		draw_all(a);
}

/* Collects the exact path built in the background (the session's worker)
 * and redraws when its state changed: the slider gets its ticks, the
 * status line says how frames are made. */
static void
path_tick(struct app *a)
{
	enum ls_session_path st = ls_session_path_poll(a->s);

	if ((int)st != a->path_state) {
		a->path_state = (int)st;
		draw_all(a);
	}
}

/* One pass of the loop: key, reaction, frame, tick. Returns 1 to stop. */
static int
loop_once(struct app *a)
{
	char err[LS_ERR_MAX];
	int is_key, wrote = 0, ch, r = R_NONE;
	double t0;

	timeout(gauges_pending(a) ? 0 : a->path_state == LS_SESSION_PATH_BUILDING ? PATH_TICK_MS : TICK_MS);
	ch = read_key(&is_key);
	t0 = ls_now();

	if (sig_pending()) {
		a->exit_code = 128 + sig_pending();
		return 1;
	}
	if (ch != ERR)
		r = recover_key(a, ch, is_key) ? R_REDRAW : app_key(a, ch, is_key);
	if (r & R_QUIT)
		return 1;
	if (r & R_LAYOUT)
		layout_compute(a);
	if (ch != ERR) {
		draw_all(a);
		timing_add(t0);
	}
	if (ls_session_tick(a->s, ls_now(), &wrote, err) != LS_OK) {
		app_message(a, 1, "%s", err);
		wrote = 1;
	}
	recover_tick(a, ch != ERR);
	if (!a->map_lost_said && ls_map_lost()) {
		a->map_lost_said = wrote = 1;
		app_message(a, 1, "%s: the file changed size while in use (truncated by another "
			    "program?); its rows now read as zeros: load it again", ls_map_lost());
	}
	if (wrote || info_due(a) || view_due(a))
		draw_all(a);
	if (ch == ERR) {
		gauges_tick(a);
		path_tick(a);
	}
	return 0;
}

/* The main loop. */
static void
app_run(struct app *a)
{
	if (getenv("LINSCOPE_UI_TIMING"))
		timing = xcalloc(TIMING_MAX, sizeof *timing);
	layout_compute(a);
	draw_all(a);
	while (!loop_once(a))
		;
	timing_write(a);
	free(timing);
	timing = NULL;
}

/* Initialises the view state around an open session. */
static void
app_init(struct app *a, struct ls_session *s)
{
	memset(a, 0, sizeof *a);
	a->s = s;
	ls_session_set_background(s, 1);
	a->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	a->bank_n = -1;
	a->peek_row = -1;
	bank_sync(a);
	help_build(a);
	app_message(a, 0, "? help   : command   q quit");
}

static void
app_free(struct app *a)
{
	free(a->rows);
	free(a->peek_img);
	free(a->help_text);
	free(a->pager_text);
	strip_free(&a->sc);
	view_free(&a->vc);
}

/* Leaves: writes what is pending, restores the terminal. */
static int
app_close(struct app *a, SCREEN *scr)
{
	char err[LS_ERR_MAX];
	int code = a->exit_code;

	prompt_done();
	render_leave(stdout);
	if (ls_session_flush(a->s, err) != LS_OK) {
		sig_restore();
		fprintf(stderr, "linscope: %s\n", err);
		code = code ? code : 1;
	}
	sig_restore();
	delscreen(scr);
	return code;
}

int
cmd_tui(int argc, char **argv)
{
	struct tui_opts o = { 0 };
	char err[LS_ERR_MAX];
	struct ls_session *s;
	struct app a;
	enum ls_status st;
	SCREEN *scr;
	int r;

	if ((r = tui_parse(argc, argv, &o)) != 0)
		return r < 0 ? cli_help(tui_help) : r;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "linscope: not a terminal; use 'linscope run SCRIPT' or the batch commands (linscope --help)\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	if ((st = tui_session(&o, &s, err)) != LS_OK)
		return cli_fail(st, err);
	app_init(&a, s);
	render_detect(o.pixels, err, sizeof err);   /* the spec was checked */
	if (!(scr = screen_open(&a))) {
		fprintf(stderr, "linscope: cannot open the terminal (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
		ls_session_free(s);
		app_free(&a);
		return 1;
	}
	prompt_init(&a);
	recover_start(&a, o.no_restore);
	app_run(&a);
	recover_end(&a, a.exit_code == 0);
	r = app_close(&a, scr);
	render_done();
	app_free(&a);
	ls_session_free(s);
	return r;
}
