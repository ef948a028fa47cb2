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

/* The subcommands: each takes its argv (argv[0] is its name) and returns
 * the exit status. cmd_tui is the explorer (ui/main.c). */
int cmd_info(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_traverse(int argc, char **argv);
int cmd_dir(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_regionmap(int argc, char **argv);
int cmd_linearity(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_tropical(int argc, char **argv);
int cmd_tui(int argc, char **argv);
/* `linscope dir paint` (cli_regions.c) and the bound lines of `info`. */
int cli_dir_paint(int argc, char **argv);
void cli_info_extra(struct ls_model *m);

/* Prints "linscope: MSG" and returns the exit status for st. */
int cli_fail(enum ls_status st, const char *msg);
/* Prints "linscope: CMD: ..." plus a pointer to --help; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints usage text to stdout and returns 0 (for --help). */
int cli_help(const char *text);

/* Opens a model by path, or by bundled name ("digits", "digits2d");
 * NULL opens the default bundled model. */
enum ls_status cli_model_open(const char *spec, struct ls_model **m, char *err);
/* The same; lazy: F32 weights used in place are not scanned for NaN (for
 * info, which only reads the header and shapes). */
enum ls_status cli_model_open_lazy(const char *spec, int lazy, struct ls_model **m, char *err);
/* Opens a bank by path; NULL picks the bundled bank of the bundled model
 * named by model_spec (if any). Checks the width against d. */
enum ls_status cli_bank_open(const char *spec, const char *model_spec, int d,
			     struct ls_bank **b, char *err);
/* The start latent z0 (d) of a batch command: bank row *row when row is
 * given, else the values of -z. One parser for every command. */
enum ls_status cli_start_latent(const struct ls_bank *b, const long *row, const char *z, int d,
				float *z0, char *err);
/* The bundled "bank" or "labels" of the model spec (a bundled name or NULL
 * for the default), malloc'd, or NULL (not bundled, or absent). */
char *cli_bundled(const char *model_spec, const char *what);

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

/* A progress line on stderr when it is a terminal (cli_progress.c):
 * cli_progress_start returns the progress to hand to the work (NULL off a
 * terminal), cli_progress_end erases the line. */
struct cli_progress {
	struct ls_progress p;
	const char *what;
	double next;
	int shown;
};
const struct ls_progress *cli_progress_start(struct cli_progress *c, const char *what);
void cli_progress_end(struct cli_progress *c);

/* Long option codes shared by commands. */
enum { OPT_HELP = 'h', OPT_NPY = 1000, OPT_ROWS, OPT_ROW, OPT_DIR, OPT_RANGE,
       OPT_STEPS, OPT_SCALE, OPT_COLS, OPT_GUTTER, OPT_SIGMA, OPT_JSON,
       OPT_FORCE, OPT_NAME, OPT_POS, OPT_NEG, OPT_C, OPT_TXT, OPT_RANGE2,
       OPT_MASK, OPT_SEED, OPT_RECORD, OPT_ALPHA, OPT_UNITS, OPT_NOTE,
       OPT_FROM, OPT_TO, OPT_MAX_PIECES, OPT_PATH };

#endif
