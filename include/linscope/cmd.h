/*
 * cmd.h: the command language of the explorer, shared by the TUI's ':'
 * line, its key handlers, `linscope run SCRIPT` and `--record FILE`.
 *
 * A line is split into words at blanks; "..." and '...' quote (a
 * backslash escapes the next character inside "..." and outside quotes);
 * '#' outside quotes starts a comment; an empty line does nothing. The
 * first word names the command (see ls_cmd_at(), `help`). Directions
 * are named by their name or by their index in the list (from 0).
 *
 * Every command either succeeds (LS_OK, session changed as described) or
 * fails with the session unchanged and an error message in msg. Output
 * (print, help, marks, confirmation of what was done) goes into msg as one
 * or more lines without a trailing newline; msg is "" when there is
 * nothing to say. The TUI shows the last line in its status line (or the
 * whole text in a pager); `linscope run` prints it to stdout.
 */
#ifndef LINSCOPE_CMD_H
#define LINSCOPE_CMD_H

#include "linscope/status.h"

#define LS_MSG_MAX 16384   /* size of the msg buffer given to ls_cmd_exec */
#define LS_CMD_MAX_WORDS 64
#define LS_CMD_MAX_LINE 65536   /* a d = 4000 `dir vec` line fits */

struct ls_session;

/* How an argument completes (for the TUI's Tab). */
enum ls_cmd_arg {
	LS_ARG_NONE,      /* nothing to complete */
	LS_ARG_FILE,      /* a file path: the UI uses its file name completion */
	LS_ARG_DIR,       /* a direction name */
	LS_ARG_BOOKMARK,  /* a bookmark name */
	LS_ARG_WORD,      /* one of the words in the entry's `words` */
	LS_ARG_COMMAND    /* a command name (help's argument) */
};

/* One command of the language. */
struct ls_cmd_info {
	const char *name;         /* e.g. "alpha" */
	const char *args;         /* synopsis of the arguments, e.g. "[NAME] VALUE" */
	const char *help;         /* one line */
	enum ls_cmd_arg arg1;     /* what the first argument is */
	const char *words;        /* space-separated choices for LS_ARG_WORD */
};

/* The i-th command in help order (0, 1, ...), NULL past the last. */
const struct ls_cmd_info *ls_cmd_at(int i);
/* The entry for name, or NULL. */
const struct ls_cmd_info *ls_cmd_find(const char *name);

/* Runs one line on s. msg must hold LS_MSG_MAX bytes; on failure it holds
 * "SUBJECT: what is wrong" and the session is unchanged. A successful line
 * that changes state is passed to ls_session_record_line(). */
enum ls_status ls_cmd_exec(struct ls_session *s, const char *line, char *msg);

/* Splits a line into at most max words (quotes, escapes, comments as
 * above) in buf (LS_CMD_MAX_LINE bytes), pointers into buf, and their count
 * into *n. LS_EINVAL with err filled (may be NULL) for an unterminated
 * quote, too many words or a line too long. */
enum ls_status ls_cmd_split(const char *line, char *buf, char **words, int max, int *n,
			    char *err);

/* Quotes a word for a script line if it needs it (blanks, quotes, '#',
 * backslash or empty), into out (size n). */
void ls_cmd_quote(const char *word, char *out, size_t n);

/*
 * Completion of the word that starts at byte `start` of line (the word
 * being typed is line[start..] up to the end). Returns a malloc'd
 * NULL-terminated array of malloc'd candidates that start with that word
 * (command names for the first word; direction names, bookmark names or
 * fixed words for later ones), sorted; free with ls_cmd_complete_free().
 * NULL when there is nothing. *is_file is set when the word may be a file
 * path: the UI should then offer file names too (the list holds the fixed
 * words that also fit, e.g. "on"/"off" for preview).
 */
char **ls_cmd_complete(const struct ls_session *s, const char *line, int start, int *is_file);
void ls_cmd_complete_free(char **v);

/* Help text: every command with its arguments and a line of help
 * (name NULL), or the help of one command. Written into out (size n). */
void ls_cmd_help(const char *name, char *out, size_t n);

/*
 * A session's state as a script of commands (cmd_state.c): model, bank,
 * labels, z0, directions (embedded as `dir vec`, with alpha, active flag and
 * range), selection, marks, bookmarks, preview. ls_cmd_state_text() returns
 * it malloc'd (free() it); ls_cmd_state_save() writes it to path atomically
 * (refusing a state whose lines would not read back: LS_CMD_MAX_LINE);
 * ls_cmd_state_load() restores a saved state: it runs only the commands a
 * state is made of (model bank labels row z dir range alpha activate
 * deactivate select mark bookmark units; preview lines are skipped), so a
 * session file can never write a file or run anything else; it reads only
 * a regular file of at most LS_CMD_STATE_MAX bytes (never a FIFO or
 * device).
 * ls_cmd_script_check() is LS_OK when every line of text fits a line.
 */
#define LS_CMD_STATE_MAX (64L << 20)
enum ls_status ls_cmd_script_check(const char *text, char *err);
char *ls_cmd_state_text(struct ls_session *s);
enum ls_status ls_cmd_state_save(struct ls_session *s, const char *path, char *err);
enum ls_status ls_cmd_state_load(struct ls_session *s, const char *path, char *err);

#endif
