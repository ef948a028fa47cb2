/*
 * cmd_impl.h: the command handlers behind ls_cmd_exec() (cmd.h).
 *
 * A handler gets the words of a line (argv[0] is the command name; argc
 * checked against the table's bounds), changes the session only when all
 * of its arguments are valid, and writes either its output or an error
 * ("SUBJECT: what is wrong") into msg (LS_MSG_MAX bytes).
 */
#ifndef LINSCOPE_CMD_IMPL_H
#define LINSCOPE_CMD_IMPL_H

#include <stddef.h>

#include "linscope/cmd.h"
#include "linscope/session.h"

typedef enum ls_status (*cmd_fn)(struct ls_session *s, int argc, char **argv, char *msg);

/* How a successful command is recorded with --record. */
enum cmd_rec { REC_NO, REC_NOW, REC_LAZY };

struct cmd_def {
	const char *name;
	cmd_fn fn;
	int min, max;          /* argc bounds, counting the name */
	enum cmd_rec rec;
};

/* The handler table (cmd_ops.c), terminated by a NULL name. */
extern const struct cmd_def cmd_defs[];

/* Helpers shared by the handler files (cmd_ops.c). */
/* Direction named word (a name, else an index) into *i. */
enum ls_status cmd_dir_arg(struct ls_session *s, const char *word, int *i, char *msg);
/* The direction named by argv[k] if k < argc, else the selected one. */
enum ls_status cmd_dir_opt(struct ls_session *s, int argc, char **argv, int k, int *i,
			   char *msg);
enum ls_status cmd_long(const char *word, const char *what, long *v, char *msg);
enum ls_status cmd_double(const char *word, const char *what, double *v, char *msg);
/* Appends a formatted line to msg (LS_MSG_MAX), newline-separated. */
void cmd_say(char *msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "added NAME (source, sigma S)" for the last direction. */
void cmd_added(struct ls_session *s, char *msg);

/* cmd_dirs.c: directions made by the directions engine (dirs.h). */
enum ls_status cmd_pca(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_sefa(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_learn(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_random(struct ls_session *s, int argc, char **argv, char *msg);

/* cmd_analysis.c: read-outs of the current state and what builds on them. */
enum ls_status cmd_an_region(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_linearity(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_where(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_hist(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_cos(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_units(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_paint(struct ls_session *s, int argc, char **argv, char *msg);
enum ls_status cmd_an_regionmap(struct ls_session *s, int argc, char **argv, char *msg);

#endif
