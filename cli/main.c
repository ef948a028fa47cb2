/*
 * main.c: `linscope`, git-style subcommands: the table of every subcommand
 * (declared in cli.h; the explorer's is in ui/main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"

static const struct cli_cmd commands[] = {
	{ "tui", cmd_tui, "open the interactive explorer (the default on a terminal)" },
	{ "info", cmd_info, "describe a model" },
	{ "decode", cmd_decode, "decode latents to a .npy or a PNG grid" },
	{ "encode", cmd_encode, "encode PNG images into a bank of latents" },
	{ "traverse", cmd_traverse, "decode a strip along a direction" },
	{ "dir", cmd_dir, "make, combine, inspect and save directions" },
	{ "regions", cmd_regions, "exact linear pieces of the decoder along a segment" },
	{ "regionmap", cmd_regionmap, "exact linear regions of the decoder over a plane" },
	{ "linearity", cmd_linearity, "how linear the decoder is along a direction" },
	{ "tropical", cmd_tropical, "tropical form F - G of a small piecewise-linear decoder" },
	{ "where", cmd_where, "how far a latent is from the data (k-NN, Mahalanobis)" },
	{ "run", cmd_run, "replay a script of explorer commands without a terminal" },
	{ NULL, NULL, NULL },
};

static int
usage(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f, "usage: linscope [COMMAND] [ARGS...]\n\n"
		   "An interactive terminal explorer for latent directions: decode, slide\n"
		   "along directions, measure how linear a decoder is. Commands:\n\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\n'linscope COMMAND --help' describes a command; see also linscope(1).\n"
		   "With no command on a terminal, linscope opens the explorer on the bundled\n"
		   "'digits' model; options without a command are the explorer's\n"
		   "('linscope -m digits2d' is 'linscope tui -m digits2d').\n");
	return f == stdout ? 0 : 2;
}

/* No command: the explorer (which says what to do without a terminal). */
static int
no_command(void)
{
	char *argv[] = { "tui", NULL };

	return cmd_tui(1, argv);
}

/* Takes the model options (--encoder, --image, --out-range LO,HI, and
 * --range LO,HI: a --range A:B is a command's own segment range) out of
 * argv, anywhere after the command, and makes them the defaults of every
 * model opened. */
static int
model_options(int *argc, char **argv)
{
	struct ls_model_opts o = { 0 };
	int i, j;

	for (i = j = 2; i < *argc; i++) {
		const char *a = argv[i], *v = i + 1 < *argc ? argv[i + 1] : NULL;
		int isr = !strcmp(a, "--out-range") || (!strcmp(a, "--range") && v && !strchr(v, ':'));
		if (strcmp(a, "--encoder") && strcmp(a, "--image") && !isr) {
			argv[j++] = argv[i];
			continue;
		}
		if (!v) {
			fprintf(stderr, "linscope: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "--encoder"))
			o.encoder = (char *)v;
		else if (!strcmp(a, "--image") ? ls_model_parse_image(v, &o) : ls_model_parse_range(v, &o)) {
			fprintf(stderr, "linscope: %s %s: want %s\n", a, v,
				!strcmp(a, "--image") ? "HxWxC (e.g. 64x64x3, C <= 4)" : "LO,HI with LO < HI");
			return 2;
		}
		i++;
	}
	argv[j] = NULL;
	*argc = j;
	ls_model_set_defaults(&o);
	return 0;
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
	if (model_options(&argc, argv))
		return 2;
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return lost_check(c->fn(argc - 1, argv + 1));
	if (argv[1][0] == '-')   /* linscope -m MODEL ...: the explorer's options */
		return cmd_tui(argc, argv);
	fprintf(stderr, "linscope: '%s' is not a command (see 'linscope --help')\n", argv[1]);
	return 2;
}
