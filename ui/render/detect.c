/*
 * detect.c: what graphics the terminal takes (see pixels.h, px_detect).
 *
 * First chafa's terminal database from the environment (TERM,
 * TERM_PROGRAM, KITTY_WINDOW_ID, ...), then, outside tmux, one write of
 * three queries: a kitty graphics query for a 1x1 image (id 31), XTWINOPS
 * 16t (the cell size in pixels) and DA1, which every terminal answers and
 * answers last, so its reply ends the wait; the wait is bounded by a
 * timeout either way. Inside tmux only DA1 is asked (tmux itself answers:
 * attribute 4 when it was built with sixel); the kitty protocol needs
 * passthrough there and is used only when asked for by name.
 *
 * The terminal is put in non-canonical no-echo mode for the query and
 * restored after, before curses starts; bytes that are not part of a
 * reply (keys typed meanwhile) are handed back in t->pending.
 */
#include <chafa.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "pixels.h"

#define QUERY_KITTY "\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\"
#define QUERY_CELL "\033[16t"
#define QUERY_DA1 "\033[c"

extern char **environ;

void
px_cell_size(int fd, int *cw, int *ch)
{
	struct winsize ws;

	*cw = *ch = 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 && ws.ws_xpixel > 0 &&
	    ws.ws_ypixel > 0) {
		*cw = ws.ws_xpixel / ws.ws_col;
		*ch = ws.ws_ypixel / ws.ws_row;
	}
}

/* Terminals known to draw sextants themselves (not from the font). */
static int
env_sextants(void)
{
	const char *tp = getenv("TERM_PROGRAM"), *t = getenv("TERM"), *vte = getenv("VTE_VERSION");

	return getenv("KITTY_WINDOW_ID") || (tp && (!strcmp(tp, "WezTerm") || !strcmp(tp, "ghostty"))) ||
	       (t && !strncmp(t, "foot", 4)) || (vte && atoi(vte) >= 6800);
}

/* The environment's answer, through chafa's terminal database. */
static void
detect_env(struct px_term *t)
{
	ChafaTermInfo *ti = chafa_term_db_detect(chafa_term_db_get_default(), environ);

	t->kitty = chafa_term_info_have_seq(ti, CHAFA_TERM_SEQ_BEGIN_KITTY_IMMEDIATE_IMAGE_V1);
	t->sixel = chafa_term_info_have_seq(ti, CHAFA_TERM_SEQ_BEGIN_SIXELS);
	t->iterm = chafa_term_info_have_seq(ti, CHAFA_TERM_SEQ_BEGIN_ITERM2_IMAGE);
	chafa_term_info_unref(ti);
	t->tmux = getenv("TMUX") && *getenv("TMUX");
	t->sextants = env_sextants();
	if (t->tmux)   /* what chafa guesses is the outer terminal's */
		t->kitty = t->sixel = t->iterm = 0;
}

/* Does s (n bytes) contain needle? */
static int
has(const char *s, int n, const char *needle)
{
	int k = (int)strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (!memcmp(s + i, needle, (size_t)k))
			return 1;
	return 0;
}

/* A DA1 reply's parameters: is 4 (sixel) among them? */
static int
da1_sixel(const char *p, const char *end)
{
	while (p < end) {
		if (atoi(p) == 4)
			return 1;
		while (p < end && *p != ';')
			p++;
		p++;
	}
	return 0;
}

/* Length of the reply starting at s (n bytes), 0 when s is not one,
 * -1 when it may be one not yet complete. Sets what it learns in t. */
static int
reply(const char *s, int n, struct px_term *t, int *done)
{
	int i;

	if (n < 2)
		return s[0] == '\033' ? -1 : 0;
	if (s[1] == '_') {   /* APC: the kitty reply, ESC _ G ... ESC \ */
		for (i = 2; i + 1 < n; i++)
			if (s[i] == '\033' && s[i + 1] == '\\') {
				if (has(s, i, "i=31") && has(s, i, ";OK"))
					t->kitty = 1;
				return i + 2;
			}
		return -1;
	}
	if (s[1] != '[')
		return 0;
	for (i = 2; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';' || s[i] == '?'); i++)
		;
	if (i == n)
		return -1;
	if (s[i] == 'c' && s[2] == '?') {
		t->sixel |= da1_sixel(s + 3, s + i);
		*done = 1;
	} else if (s[i] == 't' && !strncmp(s + 2, "6;", 2)) {
		int ch = atoi(s + 4), cw = atoi(strchr(s + 4, ';') ? strchr(s + 4, ';') + 1 : s + i);
		if (!t->cw && cw > 0 && ch > 0 && cw < 256 && ch < 512)
			t->cw = cw, t->ch = ch;
	} else {
		return 0;
	}
	return i + 1;
}

void
px_replies(const char *buf, int n, struct px_term *t, int *done)
{
	int i = 0, r;

	t->npending = 0;
	while (i < n) {
		r = buf[i] == '\033' ? reply(buf + i, n - i, t, done) : 0;
		if (r < 0)
			break;   /* an unfinished reply: wait for more */
		if (r > 0) {
			i += r;
			continue;
		}
		if (t->npending < (int)sizeof t->pending)
			t->pending[t->npending++] = buf[i];
		i++;
	}
}

int
px_late_reply(int (*get)(void), int *back, int *nback, int max)
{
	struct px_term scratch = { 0 };
	char b[64];
	int n = 1, c, r = -1, done = 0, i;

	b[0] = '\033';
	*nback = 0;
	while (n < (int)sizeof b && (c = get()) >= 0) {
		b[n++] = (char)c;
		if ((r = reply(b, n, &scratch, &done)) >= 0)
			break;
	}
	if (r > 0 && r == n)
		return 1;
	for (i = 1; i < n && *nback < max; i++)
		back[(*nback)++] = (unsigned char)b[i];
	return 0;
}

/* Milliseconds since some fixed point. */
static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Writes the queries and reads the replies until DA1's or the deadline. */
static void
query(struct px_term *t, int fd_in, int fd_out, int timeout_ms)
{
	const char *q = t->tmux ? QUERY_DA1 : QUERY_KITTY QUERY_CELL QUERY_DA1;
	long end = now_ms() + timeout_ms;
	char buf[1024];
	int n = 0, done = 0;

	if (write(fd_out, q, strlen(q)) != (ssize_t)strlen(q))
		return;
	t->asked = now_ms();
	while (!done && n < (int)sizeof buf) {
		struct pollfd p = { fd_in, POLLIN, 0 };
		long left = end - now_ms();
		ssize_t r;
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		if ((r = read(fd_in, buf + n, sizeof buf - (size_t)n)) <= 0)
			break;
		n += (int)r;
		px_replies(buf, n, t, &done);
	}
	t->queried = done;
}

void
px_detect(struct px_term *t, int fd_in, int fd_out, int do_query, int timeout_ms)
{
	struct termios old, raw;

	memset(t, 0, sizeof *t);
	detect_env(t);
	px_cell_size(fd_out, &t->cw, &t->ch);
	if (!do_query || !isatty(fd_in) || !isatty(fd_out) || tcgetattr(fd_in, &old) != 0)
		return;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd_in, TCSANOW, &raw) != 0)
		return;
	query(t, fd_in, fd_out, timeout_ms);
	tcsetattr(fd_in, TCSANOW, &old);
}

enum px_mode
px_best(const struct px_term *t)
{
	return t->kitty ? PX_KITTY : t->sixel ? PX_SIXEL : t->iterm ? PX_ITERM : PX_SYMBOLS;
}
