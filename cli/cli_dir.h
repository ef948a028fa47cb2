/*
 * cli_dir.h: pieces shared by the `linscope dir` subcommands (cli_dir.c
 * makes directions, cli_dir_file.c maintains files and reads them out).
 */
#ifndef LINSCOPE_CLI_DIR_H
#define LINSCOPE_CLI_DIR_H

#include <stdint.h>

#include "cli.h"
#include "linscope/dir.h"

/* Every option of every dir subcommand; each uses what it needs. */
struct dir_opts {
	const char *sub;                       /* subcommand name */
	char cmd[48];                          /* "dir SUB", for messages */
	const char *model, *bank, *labels, *out, *name, *pos, *neg, *note, *npy;
	const char *against;                   /* orthogonalize: SPEC,SPEC... */
	const char *factors;                   /* score: FACTORS.npy */
	long k, bins, dim;
	int have_k, force, txt, normalize, have_seed;
	double C, holdout, shrink;
	uint64_t seed;
	int nargs;
	char **args;                           /* positional arguments */
};

/* Opened inputs of a command; close with dir_ctx_close(). */
struct dir_ctx {
	struct ls_model *m;      /* NULL unless a model was involved */
	struct ls_bank *b;       /* NULL unless a bank was involved */
	struct ls_labels *l;     /* NULL unless labels were given */
	char *labels_path;
	int d;
	const double *sigma;     /* (n) sigma of each direction dir_write adds, or
				    NULL: measured on b (dir pca: from the eigenvalues) */
};

/* Opens what o asks for: need_bank 2 = required, 1 = if available;
 * need_labels 1 = required, -1 = if available (with a bank), 0 = only -l. */
enum ls_status dir_ctx_open(const struct dir_opts *o, int need_bank, int need_labels,
			    struct dir_ctx *c, char *err);
void dir_ctx_close(struct dir_ctx *c);
/* Adds n directions u (n, d) named names[i] with metadata to o->out and
 * saves it; refuses existing names (nothing written) unless --force.
 * extra: per direction, NULL-terminated key/value pairs (may be NULL). */
enum ls_status dir_write(const struct dir_opts *o, const struct dir_ctx *c, int n,
			 const char *const *names, const float *u, const char *method,
			 const char *const *const *extra, char *err);

/* Subcommands in cli_dir_file.c. */
int dir_list(struct dir_opts *o);
int dir_show(struct dir_opts *o);
int dir_rm(struct dir_opts *o);
int dir_rename(struct dir_opts *o);
int dir_export(struct dir_opts *o);
int dir_import(struct dir_opts *o);
int dir_project(struct dir_opts *o);
int dir_score(struct dir_opts *o);

#endif
