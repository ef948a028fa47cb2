/*
 * cli_run.c: `linscope run`, headless replay of a script of explorer
 * commands (cmd.h), one per line. Output of each command goes to stdout;
 * the first failing line stops the replay with "linscope: SCRIPT:LINE:
 * message" on stderr and exit status 2. `quit` ends the script early.
 * The live preview is off unless the script switches it on; a pending
 * preview and the --record file are written at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char run_help[] =
	"usage: linscope run [-m MODEL] [-b BANK] [-l LABELS] [--record FILE] SCRIPT\n"
	"\n"
	"Replay a script of explorer commands without a terminal: the commands the\n"
	"explorer's ':' line takes, one per line, '#' starts a comment ('help' lists\n"
	"them; see linscope(1)). SCRIPT '-' reads standard input. Command output\n"
	"goes to standard output. The first failing line stops the replay with\n"
	"'linscope: SCRIPT:LINE: message' and exit status 2.\n"
	"  -m MODEL       .safetensors or .onnx file, or bundled name (default: digits)\n"
	"  -b BANK.npy    latent bank (default: the bundled model's)\n"
	"  -l LABELS      labels of the bank (default: the bundled model's)\n"
	"  --record FILE  also write the commands run (after the starting state)\n"
	"                 as a script to FILE\n"
	"The live preview PNG is off unless the script says 'preview on' or\n"
	"'preview PATH'; it is written once, at the end.\n";

struct run_opts {
	const char *model, *bank, *labels, *record, *script;
};

static int
run_parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option lo[] = {
		{ "help", no_argument, 0, 'h' }, { "record", required_argument, 0, OPT_RECORD },
		{ 0, 0, 0, 0 } };
	int c;

	while ((c = getopt_long(argc, argv, "hm:b:l:", lo, NULL)) != -1) {
		switch (c) {
		case 'h': return -1;
		case 'm': o->model = optarg; break;
		case 'b': o->bank = optarg; break;
		case 'l': o->labels = optarg; break;
		case OPT_RECORD: o->record = optarg; break;
		default: return 2;
		}
	}
	if (optind != argc - 1)
		return cli_usage("run", "takes one SCRIPT (or - for standard input)");
	o->script = argv[optind];
	return 0;
}

/* Prints a command's output (if any) on its own line(s). */
static void
show(const char *msg)
{
	if (*msg) {
		ls_fputs_safe(msg, stdout);
		putchar('\n');
	}
}

/* Runs every line of f; returns the exit status. */
static int
run_lines(struct ls_session *s, FILE *f, const char *name)
{
	char *line = NULL, *msg = xmalloc(LS_MSG_MAX);
	size_t cap = 0;
	ssize_t len;
	long no = 0;
	int rc = 0;

	while (!ls_session_quit_requested(s) && (len = getline(&line, &cap, f)) >= 0) {
		enum ls_status st;
		no++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = 0;
		if (strlen(line) != (size_t)len) {
			fprintf(stderr, "linscope: %s:%ld: a NUL byte in the line\n", name, no);
			rc = 2;
			break;
		}
		st = ls_cmd_exec(s, line, msg);
		if (st == LS_OK && ls_map_lost())
			st = ls_err(msg, LS_EIO, "%s: the file changed size while in use (truncated by "
				    "another program?); stopped", ls_map_lost());
		if (st != LS_OK) {
			fflush(stdout);
			fprintf(stderr, "linscope: %s:%ld: %s\n", name, no, msg);
			rc = st == LS_EINTERNAL ? 1 : 2;
			break;
		}
		show(msg);
	}
	free(line);
	free(msg);
	return rc;
}

/* Opens the session and the record; replays. */
static int
run_script(const struct run_opts *o, FILE *f, const char *name)
{
	char err[LS_ERR_MAX];
	struct ls_session *s;
	enum ls_status st;
	int rc;

	if ((st = ls_session_open(o->model, o->bank, o->labels, &s, err)) != LS_OK)
		return cli_fail(st, err);
	ls_session_set_preview(s, NULL, 0);
	if (o->record && (st = ls_session_record_open(s, o->record, err)) != LS_OK) {
		ls_session_free(s);
		return cli_fail(st, err);
	}
	rc = run_lines(s, f, name);
	if ((st = ls_session_flush(s, err)) != LS_OK && rc == 0)
		rc = cli_fail(st, err);
	ls_session_free(s);
	return rc;
}

int
cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	FILE *f;
	int r;

	if ((r = run_parse(argc, argv, &o)) != 0)
		return r < 0 ? cli_help(run_help) : r;
	if (!strcmp(o.script, "-"))
		return run_script(&o, stdin, "stdin");
	if (!(f = fopen(o.script, "r"))) {
		fprintf(stderr, "linscope: %s: %s\n", o.script, strerror(errno));
		return 2;
	}
	r = run_script(&o, f, o.script);
	fclose(f);
	return r;
}
