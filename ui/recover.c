/*
 * recover.c: session recovery (see recover.h for the contract).
 *
 * The file is the session's state script (ls_cmd_state_text) after a
 * header: "# linscope session state ..." and "# cwd DIR" (the working
 * directory relative paths in it are resolved against). It is written only
 * once the state differs from the state at start (an untouched session
 * leaves nothing to restore), then whenever it changes, at most every
 * RECOVER_EVERY seconds, through the atomic writer with fsync. Nothing is
 * written while the restore question is open, so the old file cannot be
 * overwritten before the user has answered. Only the process holding the
 * lock on session.lock reads, writes or removes the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "recover.h"

static struct {
	char *path;          /* .../linscope/session; NULL: recovery is off */
	int lock;            /* fd holding the flock, or -1 */
	int asking;          /* the restore question is open */
	int written;         /* the file holds this run's state */
	int dirty;           /* something may have changed since the last check */
	int failed;          /* a write failed (said once) */
	unsigned long ver;   /* ls_session_version at the last check */
	double next;         /* no write before this time (ls_now) */
	char *base, *last;   /* the state text at start / last written */
} rc = { .lock = -1 };

/* $XDG_STATE_HOME/linscope (or ~/.local/state/linscope), created 0700;
 * malloc'd, NULL when neither variable helps or it cannot be made. */
char *
ui_state_dir(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
	char *dir, *p;

	if (x && *x == '/')
		dir = xasprintf("%s/linscope", x);
	else if (h && *h)
		dir = xasprintf("%s/.local/state/linscope", h);
	else
		return NULL;
	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0700);
			*p = '/';
		}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Takes the lock of dir; 0 when this process now owns the session file. */
static int
take_lock(const char *dir)
{
	char *p = xasprintf("%s/session.lock", dir);

	rc.lock = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(p);
	if (rc.lock >= 0 && flock(rc.lock, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (rc.lock >= 0)
		close(rc.lock);
	rc.lock = -1;
	return -1;
}

/* Moves the session file to session.SUFFIX; the new name (static). */
static const char *
set_aside(const char *suffix)
{
	static char to[4096];

	snprintf(to, sizeof to, "%s.%s", rc.path, suffix);
	if (rename(rc.path, to) != 0)
		unlink(rc.path);
	return to;
}

/* Is the session file a regular file (not a link, FIFO or device) of at
 * most LS_CMD_STATE_MAX bytes? Anything else is not ours: never read it. */
static int
regular_file(void)
{
	struct stat sb;

	return lstat(rc.path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= LS_CMD_STATE_MAX;
}

/* What the file holds: its model, directions and working directory (cwd
 * malloc'd or NULL). -1 when it has no model line (not a session file). */
static int
peek(char *model, size_t mn, int *ndirs, char **cwd)
{
	char line[LS_CMD_MAX_LINE + 2], buf[LS_CMD_MAX_LINE], *w[LS_CMD_MAX_WORDS], err[LS_ERR_MAX];
	FILE *f = fopen(rc.path, "r");
	int n;

	*model = 0, *ndirs = 0, *cwd = NULL;
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!strncmp(line, "# cwd ", 6) && !*cwd &&
		    ls_cmd_split(line + 6, buf, w, LS_CMD_MAX_WORDS, &n, err) == LS_OK && n == 1)
			*cwd = xstrdup(w[0]);
		if (ls_cmd_split(line, buf, w, LS_CMD_MAX_WORDS, &n, err) != LS_OK || n < 2)
			continue;
		if (!strcmp(w[0], "model") && !*model)
			snprintf(model, mn, "%s", w[1]);
		else if (!strcmp(w[0], "dir"))
			++*ndirs;
	}
	if (f)
		fclose(f);
	return *model ? 0 : -1;
}

/* Runs the file in the live session, in its own working directory. */
static enum ls_status
load(struct app *a, const char *cwd, char *err)
{
	char here[4096];
	int moved = cwd && getcwd(here, sizeof here) && chdir(cwd) == 0;
	enum ls_status st;

	st = ls_cmd_state_load(a->s, rc.path, err);
	if (moved && chdir(here) != 0)
		app_message(a, 1, "%s: %s", here, strerror(errno));
	return st;
}

/* Puts the start state (rc.base: model, bank, labels, z0 and the -d
 * directions of the command line) back after a failed restore. */
static void
put_back(struct app *a)
{
	char *now = ls_cmd_state_text(a->s), *text, *line, *save = NULL, *msg;

	if (!strcmp(now, rc.base)) {
		free(now);
		return;
	}
	msg = xmalloc(LS_MSG_MAX);
	text = xstrdup(rc.base);
	ls_session_group_begin(a->s);
	while (ls_session_ndirs(a->s) > 0 && ls_session_remove(a->s, 0, NULL) == LS_OK)
		;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		ls_cmd_exec(a->s, line, msg);   /* the start state: it ran once already */
	ls_session_group_end(a->s, 1);
	free(text);
	free(msg);
	free(now);
}

/* The y answer: the saved state replaces the start state; a file that does
 * not load is moved to session.bad and the start state is put back. */
static void
restore(struct app *a)
{
	char *model = xmalloc(LS_CMD_MAX_LINE), err[LS_ERR_MAX], *cwd;
	int n;

	peek(model, LS_CMD_MAX_LINE, &n, &cwd);
	ls_session_group_begin(a->s);
	if (load(a, cwd, err) == LS_OK) {
		ls_session_group_end(a->s, 1);
		app_message(a, 0, "session restored: model %s, %d direction%s", model, n,
			    n == 1 ? "" : "s");
		rc.written = 1;
	} else {
		ls_session_group_end(a->s, 0);
		put_back(a);
		app_message(a, 1, "cannot restore: %s (moved to %s)", err, set_aside("bad"));
	}
	free(cwd);
	free(model);
	app_sync(a);
}

void
recover_start(struct app *a, int no_ask)
{
	char *dir = ui_state_dir(), *model, *cwd = NULL;
	struct stat sb;
	int n;

	if (!dir || take_lock(dir) != 0) {
		if (dir)
			app_message(a, 1, "another explorer owns %s/session: no session recovery here", dir);
		free(dir);
		return;
	}
	rc.path = xasprintf("%s/session", dir);
	free(dir);
	rc.base = ls_cmd_state_text(a->s);
	rc.ver = ls_session_version(a->s);
	if (lstat(rc.path, &sb) != 0)
		return;
	model = xmalloc(LS_CMD_MAX_LINE);
	if (!regular_file() || peek(model, LS_CMD_MAX_LINE, &n, &cwd) != 0)
		app_message(a, 1, "%s: not a session file (moved to %s)", rc.path, set_aside("bad"));
	else if (no_ask)
		app_message(a, 0, "previous session kept as %s", set_aside("old"));
	else {
		rc.asking = 1;
		app_message(a, 1, "Restore the session that was not closed (model %s, %d direction%s)? (y/n)",
			    model, n, n == 1 ? "" : "s");
	}
	free(model);
	free(cwd);
}

int
recover_key(struct app *a, int ch, int is_key)
{
	if (!rc.asking || (is_key && ch == KEY_RESIZE))
		return 0;
	if (!is_key && (ch == 'y' || ch == 'Y')) {
		rc.asking = 0;
		restore(a);
	} else if (!is_key && (ch == 'n' || ch == 'N' || ch == 27)) {
		rc.asking = 0;
		app_message(a, 0, "previous session kept as %s", set_aside("old"));
	} else
		app_message(a, 1, "a previous session was not closed: restore it? (y/n)");
	return 1;
}

/* Writes text as the session file. */
static enum ls_status
write_state(const char *text, char *err)
{
	char here[4096], q[4200];
	struct ls_afile *af;
	enum ls_status st;
	FILE *f;

	if ((st = ls_cmd_script_check(text, err)) != LS_OK)
		return st;
	if (!regular_file() && unlink(rc.path) != 0 && errno != ENOENT)
		return ls_err(err, LS_EIO, "%s: %s", rc.path, strerror(errno));
	if ((st = ls_afile_open(rc.path, &af, err)) != LS_OK)
		return st;
	f = ls_afile_fp(af);
	fputs("# linscope session state; load with: linscope run FILE\n", f);
	if (getcwd(here, sizeof here)) {
		ls_cmd_quote(here, q, sizeof q);
		fprintf(f, "# cwd %s\n", q);
	}
	fputs(text, f);
	return ls_afile_commit(af, 0, err);
}

void
recover_tick(struct app *a, int key_seen)
{
	char err[LS_ERR_MAX], *text;
	double now;

	if (!rc.path || rc.asking)
		return;
	if (key_seen || ls_session_version(a->s) != rc.ver)
		rc.dirty = 1;
	if (!rc.dirty || (now = ls_now()) < rc.next)
		return;
	rc.next = now + RECOVER_EVERY;
	rc.dirty = 0;
	rc.ver = ls_session_version(a->s);
	text = ls_cmd_state_text(a->s);
	if ((rc.last && !strcmp(text, rc.last)) || (!rc.written && !strcmp(text, rc.base))) {
		free(text);
		return;
	}
	if (write_state(text, err) != LS_OK) {
		if (!rc.failed)
			app_message(a, 1, "session recovery: %s", err);
		rc.failed = 1;
		free(text);
		return;
	}
	rc.written = 1;
	free(rc.last);
	rc.last = text;
}

void
recover_end(struct app *a, int clean)
{
	(void)a;
	if (rc.path && clean && !rc.asking)
		unlink(rc.path);
	if (rc.lock >= 0)
		close(rc.lock);
	free(rc.path);
	free(rc.base);
	free(rc.last);
	memset(&rc, 0, sizeof rc);
	rc.lock = -1;
}
