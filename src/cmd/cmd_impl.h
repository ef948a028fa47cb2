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

/* One command: what the user sees (name, synopsis, help, completion) and
 * how it runs. Defined beside its handler as cmd_entry_NAME, listed in help
 * order in cmd_table.c. */
struct cmd_entry {
	struct ls_cmd_info info;
	cmd_fn fn;
	int min, max;          /* argc bounds, counting the name */
	enum cmd_rec rec;
};

/* The i-th entry in help order, NULL past the end (cmd_table.c). */
const struct cmd_entry *cmd_entry_at(int i);

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


#endif
