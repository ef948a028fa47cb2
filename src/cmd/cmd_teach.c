/*
 * cmd_teach.c: two commands lessons need: `interp` (the decoded path
 * between two bank rows, lerp or slerp, as a PNG) and `erase` (LEACE:
 * remove a concept's direction from the bank, after which a probe for it
 * is at chance).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "linscope/bank.h"
#include "base/util.h"
#include "cmd_impl.h"

/* interp I J [FILE] [N] [lerp|slerp] */
static enum ls_status
c_interp(struct ls_session *s, int argc, char **argv, char *msg)
{
	char path[PATH_MAX];
	const char *file = NULL;
	long i, j, n = 7, v;
	int k, slerp = 0;
	enum ls_status st;

	if ((st = cmd_long(argv[1], "interp", &i, msg)) != LS_OK ||
	    (st = cmd_long(argv[2], "interp", &j, msg)) != LS_OK)
		return st;
	for (k = 3; k < argc; k++) {
		if (!strcmp(argv[k], "slerp") || !strcmp(argv[k], "lerp"))
			slerp = argv[k][0] == 's';
		else if (!ls_parse_long(argv[k], &v))
			n = v;
		else if (!file)
			file = argv[k];
		else
			return ls_err(msg, LS_EINVAL, "%s: interp wants I J [FILE] [N] [lerp|slerp]", argv[k]);
	}
	if (n < 2 || n > 64)
		return ls_err(msg, LS_EINVAL, "interp %ld: want 2..64 images", n);
	if ((st = ls_session_write_interp(s, i, j, (int)n, slerp, file, path, msg)) == LS_OK)
		cmd_say(msg, "wrote %s (%s from row %ld to row %ld, %ld images)", path,
			slerp ? "slerp" : "lerp", i, j, n);
	return st;
}

const struct cmd_entry cmd_entry_interp = {
	{ "interp", "I J [FILE] [N] [lerp|slerp]", "write N images (default 7) on the path from bank row I to row J, straight (lerp) or on the great circle (slerp), each with its |z| under it", LS_ARG_FILE, "lerp slerp" },
	c_interp, 3, 6, REC_NOW
};

/* erase [NAME] */
static enum ls_status
c_erase(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_session_dir d;
	enum ls_status st;
	int i;

	if ((st = cmd_dir_opt(s, argc, argv, 1, &i, msg)) != LS_OK ||
	    (st = ls_session_erase(s, i, msg)) != LS_OK)
		return st;
	ls_session_dir(s, i, &d);
	cmd_say(msg, "erased %s from the bank's %ld rows (whitened: LEACE); its variance share is now %.2g",
		d.name, ls_bank_rows(ls_session_bank(s)), d.var_share);
	return LS_OK;
}

const struct cmd_entry cmd_entry_erase = {
	{ "erase", "[NAME]", "erase a concept from the bank along a direction (LEACE; use a meandiff direction): a probe for it is then at chance; not undone", LS_ARG_DIR, NULL },
	c_erase, 1, 2, REC_NOW
};
