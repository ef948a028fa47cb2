/*
 * main.c: `linscope`, git-style subcommands. Commands implemented by other
 * parts of the program (the explorer, directions, analysis) are declared
 * weak here, so the table lists only those linked in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"

int cmd_info(int, char **);
int cmd_decode(int, char **);
int cmd_encode(int, char **);
int cmd_traverse(int, char **);
int cmd_tui(int, char **) __attribute__((weak));
int cmd_run(int, char **) __attribute__((weak));
int cmd_dir(int, char **) __attribute__((weak));
int cmd_regions(int, char **) __attribute__((weak));
int cmd_regionmap(int, char **) __attribute__((weak));
int cmd_linearity(int, char **) __attribute__((weak));
int cmd_where(int, char **) __attribute__((weak));

static const struct cli_cmd *
commands(void)
{
	static struct cli_cmd t[16];
	static const struct cli_cmd all[] = {
		{ "tui", NULL, "open the interactive explorer (the default on a terminal)" },
		{ "info", cmd_info, "describe a model" },
		{ "decode", cmd_decode, "decode latents to a .npy or a PNG grid" },
		{ "encode", cmd_encode, "encode PNG images into a bank of latents" },
		{ "traverse", cmd_traverse, "decode a strip along a direction" },
		{ "dir", NULL, "make, combine, inspect and save directions" },
		{ "regions", NULL, "exact linear pieces of the decoder along a segment" },
		{ "regionmap", NULL, "exact linear regions of the decoder over a plane" },
		{ "linearity", NULL, "how linear the decoder is along a direction" },
		{ "where", NULL, "how far a latent is from the data (k-NN, Mahalanobis)" },
		{ "run", NULL, "replay a script of explorer commands without a terminal" },
	};
	size_t i, n = 0;

	if (t[0].name)
		return t;
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		struct cli_cmd c = all[i];
		if (!strcmp(c.name, "tui")) c.fn = cmd_tui;
		if (!strcmp(c.name, "run")) c.fn = cmd_run;
		if (!strcmp(c.name, "dir")) c.fn = cmd_dir;
		if (!strcmp(c.name, "regions")) c.fn = cmd_regions;
		if (!strcmp(c.name, "regionmap")) c.fn = cmd_regionmap;
		if (!strcmp(c.name, "linearity")) c.fn = cmd_linearity;
		if (!strcmp(c.name, "where")) c.fn = cmd_where;
		if (c.fn)
			t[n++] = c;
	}
	return t;
}

static int
usage(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f, "usage: linscope [COMMAND] [ARGS...]\n\n"
		   "An interactive terminal explorer for latent directions: decode, slide\n"
		   "along directions, measure how linear a decoder is. Commands:\n\n");
	for (c = commands(); c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\n'linscope COMMAND --help' describes a command; see also linscope(1).\n"
		   "With no command on a terminal, linscope opens the explorer on the bundled\n"
		   "'digits' model.\n");
	return f == stdout ? 0 : 2;
}

/* No command: the explorer if there is one and a terminal, else help. */
static int
no_command(void)
{
	char *argv[] = { "tui", NULL };

	if (cmd_tui)
		return cmd_tui(1, argv);
	if (!isatty(STDOUT_FILENO))
		return usage(stderr);
	fprintf(stderr, "linscope: the explorer is not built in; try 'linscope info' or 'linscope traverse --help'\n");
	return 2;
}

/* A mapped input truncated while in use read as zeros (util.h): the
 * results are not to be trusted, so the command fails. */
static int
lost_check(int rc)
{
	if (!ls_map_lost())
		return rc;
	fprintf(stderr, "linscope: %s: the file changed size while in use (truncated by another "
		"program?); results are not valid\n", ls_map_lost());
	return 2;
}

int
main(int argc, char **argv)
{
	const struct cli_cmd *c;

	ls_blas_init(0);
	if (argc < 2)
		return no_command();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return usage(stdout);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("linscope %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (c = commands(); c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return lost_check(c->fn(argc - 1, argv + 1));
	fprintf(stderr, "linscope: '%s' is not a command (see 'linscope --help')\n", argv[1]);
	return 2;
}
