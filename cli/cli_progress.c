/*
 * cli_progress.c: the progress line of long commands. On a terminal (stderr
 * a tty) a line "WHAT: NN%" is redrawn in place at most ten times a second,
 * starting once the work has taken CLI_PROGRESS_AFTER seconds (environment
 * LINSCOPE_PROGRESS_AFTER overrides it; the tests set 0), and erased when
 * the work ends. Anywhere else (a file, a pipe) nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

#define CLI_PROGRESS_AFTER 0.25
#define CLI_PROGRESS_EVERY 0.1

static int
progress_draw(void *ctx, double done, double total)
{
	struct cli_progress *c = ctx;
	double now = ls_now();

	if (now < c->next)
		return 0;
	c->next = now + CLI_PROGRESS_EVERY;
	fprintf(stderr, "\r%s: %3.0f%%", c->what, total > 0 ? 100 * done / total : 0.0);
	fflush(stderr);
	c->shown = 1;
	return 0;
}

const struct ls_progress *
cli_progress_start(struct cli_progress *c, const char *what)
{
	const char *e = getenv("LINSCOPE_PROGRESS_AFTER");
	double after = CLI_PROGRESS_AFTER;

	c->what = what;
	c->shown = 0;
	c->p.fn = progress_draw;
	c->p.ctx = c;
	if (e && *e)
		after = atof(e);
	c->next = ls_now() + after;
	return isatty(STDERR_FILENO) ? &c->p : NULL;
}

void
cli_progress_end(struct cli_progress *c)
{
	if (c->shown)
		fprintf(stderr, "\r\033[K");
	c->shown = 0;
}
