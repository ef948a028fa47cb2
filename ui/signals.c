/*
 * signals.c: giving the terminal back whatever happens.
 *
 * Three paths restore it:
 *   - normal exit and fatal core errors (the abort hook): sig_restore()
 *     calls endwin() once;
 *   - SIGINT, SIGTERM, SIGHUP: the handler only sets a flag; the main loop
 *     (getch has a timeout and no SA_RESTART) sees sig_pending() and quits
 *     through the normal path;
 *   - crash signals (SEGV, ABRT, BUS, FPE, ILL, QUIT): curses is not
 *     async-signal-safe, so the handler writes precomputed reset sequences
 *     with write(2), puts back the termios saved before initscr() with
 *     tcsetattr(2), then re-raises the signal with its default action.
 * Invariant: the reset happens at most once (curses_on is cleared first).
 */
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/util.h"
#include "app.h"

#include <term.h>

static volatile sig_atomic_t curses_on;
static volatile sig_atomic_t pending;
static struct termios saved_tio;
static int have_tio;
static char reset_seq[512];
static size_t reset_len;

/* Appends a terminfo string capability to reset_seq when it exists. */
static void
add_cap(const char *name)
{
	char *v = tigetstr(name);
	size_t n;

	if (!v || v == (char *)-1)
		return;
	n = strlen(v);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, v, n);
		reset_len += n;
	}
}

/* Async-signal-safe restore, then the default action of sig. */
static void
on_crash(int sig)
{
	if (curses_on) {
		curses_on = 0;
		if (reset_len)
			(void)!write(STDOUT_FILENO, reset_seq, reset_len);
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
on_quit(int sig)
{
	pending = sig;
}

void
sig_save_tty(void)
{
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
}

void
sig_install(void)
{
	static const int crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGQUIT };
	static const int quit[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	reset_len = 0;
	memcpy(reset_seq, "\033[?1002l\033[?1000l\033[?1006l", 24);
	reset_len = 24;
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmkx");
	add_cap("rmcup");
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	for (i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	ls_map_guard_install();   /* a truncated bank: an error, not SIGBUS */
	curses_on = 1;
	ls_set_abort_hook(sig_restore);
}

int
sig_pending(void)
{
	return pending;
}

void
sig_restore(void)
{
	if (!curses_on)
		return;
	curses_on = 0;
	printf("\033[?1002l\033[?1000l\033[?1006l");
	fflush(stdout);
	endwin();
}
