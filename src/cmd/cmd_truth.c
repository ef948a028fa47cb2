/*
 * cmd_truth.c: ground truth in the command language: `factors FILE` gives
 * the bank's true factors (factors.h; the bundled faces bring theirs) and
 * `score [NAME]` prints how a direction correlates with each of them,
 * sorted by |r|, one "NAME r" line each, then "leak L".
 */
#include <math.h>
#include <stdio.h>

#include "linscope/dirs.h"
#include "linscope/factors.h"
#include "cmd_impl.h"

static enum ls_status
c_factors(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;

	(void)argc;
	if ((st = ls_session_set_factors(s, argv[1], msg)) == LS_OK)
		cmd_say(msg, "factors %s: %d columns", argv[1], ls_factors_count(ls_session_factors(s)));
	return st;
}

const struct cmd_entry cmd_entry_factors = {
	{ "factors", "PATH", "load the bank's ground-truth factors (.npy (N, k), names in PATH's .txt); the bundled faces have them", LS_ARG_FILE, NULL },
	c_factors, 2, 2, REC_NOW
};

/* score [NAME] */
static enum ls_status
c_score(struct ls_session *s, int argc, char **argv, char *msg)
{
	const struct ls_factors *f = ls_session_factors(s);
	struct ls_session_dir d;
	struct ls_score sc;
	enum ls_status st;
	int i, j;

	if ((st = cmd_dir_opt(s, argc, argv, 1, &i, msg)) != LS_OK ||
	    (st = ls_session_score(s, i, &sc, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &d);
	cmd_say(msg, "score %s against %d factors:", d.name, sc.k);
	for (j = 0; j < sc.k; j++) {
		double r = sc.r[sc.order[j]];
		if (isnan(r))
			cmd_say(msg, "%-14s nan (constant)", ls_factors_name(f, sc.order[j]));
		else
			cmd_say(msg, "%-14s %+.4f", ls_factors_name(f, sc.order[j]), r);
	}
	cmd_say(msg, "leak %.4f", sc.leak);
	return LS_OK;
}

const struct cmd_entry cmd_entry_score = {
	{ "score", "[NAME]", "correlate a direction with the ground-truth factors (default: selected): the factor it moves and its leak into the others", LS_ARG_DIR, NULL },
	c_score, 1, 2, REC_NO
};
