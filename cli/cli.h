/*
 * cli.h: shared pieces of the command line: the subcommand table, error
 * reporting (exit 2 for bad input, 1 for internal failure), and loading of
 * models and banks by path or bundled name.
 */
#ifndef LINSCOPE_CLI_H
#define LINSCOPE_CLI_H

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"
#include "base/text.h"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Prints "linscope: MSG" and returns the exit status for st. */
int cli_fail(enum ls_status st, const char *msg);
/* Prints "linscope: CMD: ..." plus a pointer to --help; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints usage text to stdout and returns 0 (for --help). */
int cli_help(const char *text);

/* Opens a model by path, or by bundled name ("digits", "digits2d");
 * NULL opens the default bundled model. */
enum ls_status cli_model_open(const char *spec, struct ls_model **m, char *err);
/* Opens a bank by path; NULL picks the bundled bank of the bundled model
 * named by model_spec (if any). Checks the width against d. */
enum ls_status cli_bank_open(const char *spec, const char *model_spec, int d,
			     struct ls_bank **b, char *err);
/* Path of a bundled file "NAME-labels.txt" etc. for the model spec, or NULL. */
char *cli_bundled(const char *model_spec, const char *suffix);

/* Writes n decoded outputs as a PNG grid (cols <= 0: near-square). */
/* LS_EINVAL (naming what) when n latents of d values and their od outputs
 * would take more than CLI_BATCH_MAX bytes. */
#define CLI_BATCH_MAX (4L << 30)
enum ls_status cli_batch_check(const char *what, long n, long d, long od, char *err);
/* LS_EINVAL (naming path) when n images in that grid would not fit a PNG. */
enum ls_status cli_grid_check(const char *path, struct ls_model *m, long n, int cols, int scale,
			      int gutter, char *err);
enum ls_status cli_write_grid(const char *path, struct ls_model *m, const float *y,
			      long n, int cols, int scale, int gutter, char *err);

/* Long option codes shared by commands. */
enum { OPT_HELP = 'h', OPT_NPY = 1000, OPT_ROWS, OPT_ROW, OPT_DIR, OPT_RANGE,
       OPT_STEPS, OPT_SCALE, OPT_COLS, OPT_GUTTER, OPT_SIGMA, OPT_JSON,
       OPT_FORCE, OPT_NAME, OPT_POS, OPT_NEG, OPT_C, OPT_TXT, OPT_RANGE2,
       OPT_MASK, OPT_SEED, OPT_RECORD, OPT_ALPHA, OPT_UNITS, OPT_NOTE };

#endif
