/*
 * test-cmd.c: the command language: splitting and quoting, every command
 * in the help table is a command, bad lines fail with a message and change
 * nothing, the slider arithmetic, completion, and print z agreeing with the
 * session's latent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/linscope.h"
#include "tap.h"

static char msg[LS_MSG_MAX];

static void
test_split(void)
{
	char buf[LS_CMD_MAX_LINE], *w[8], q[256];
	const char *odd = "a \"b\" 'c#d' \\e";
	int n;

	n = ls_cmd_split("  alpha  \"my dir\" 1.5 # comment", buf, w, 8, msg);
	ok(n == 3 && !strcmp(w[0], "alpha") && !strcmp(w[1], "my dir") && !strcmp(w[2], "1.5"),
	   "quotes and comments");
	n = ls_cmd_split("echo 'a\\b' \"c\\\"d\" e\\ f", buf, w, 8, msg);
	ok(n == 4 && !strcmp(w[1], "a\\b") && !strcmp(w[2], "c\"d") && !strcmp(w[3], "e f"),
	   "escapes: '%s' '%s' '%s'", n > 1 ? w[1] : "", n > 2 ? w[2] : "", n > 3 ? w[3] : "");
	ok(ls_cmd_split("echo \"open", buf, w, 8, msg) < 0 && strstr(msg, "unterminated"),
	   "unterminated quote");
	ok(ls_cmd_split("# only a comment", buf, w, 8, msg) == 0, "comment line is empty");
	ok(ls_cmd_split("a b c", buf, w, 2, msg) < 0, "too many words");
	ls_cmd_quote(odd, q, sizeof q);
	n = ls_cmd_split(q, buf, w, 8, msg);
	ok(n == 1 && !strcmp(w[0], odd), "quote round trip: %s", q);
	ls_cmd_quote("", q, sizeof q);
	n = ls_cmd_split(q, buf, w, 8, msg);
	ok(n == 1 && !strcmp(w[0], ""), "empty word quotes as \"\"");
}

static void
test_table(struct ls_session *s)
{
	const struct ls_cmd_info *t = NULL;
	char *help = malloc(LS_MSG_MAX), line[128];
	int n, i, bad = 0, missing = 0;

	t = ls_cmd_table(&n);
	ok(n >= 35, "at least 35 commands (%d)", n);
	ok(ls_cmd_exec(s, "help", help) == LS_OK, "help");
	for (i = 0; i < n; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n%s ", t[i].name);
		if (!strstr(help, want) && strncmp(help, want + 1, strlen(want + 1)))
			missing++, diag("help lacks %s", t[i].name);
		snprintf(line, sizeof line, "%s a b c d e f g h", t[i].name);
		ls_cmd_exec(s, line, msg);
		if (strstr(msg, "unknown command"))
			bad++, diag("%s has no handler", t[i].name);
	}
	ok(missing == 0, "help lists every command of the table");
	ok(bad == 0, "every command of the table has a handler");
	ok(ls_cmd_exec(s, "help alpha", msg) == LS_OK && strstr(msg, "[NAME] VALUE"), "help alpha");
	ok(ls_cmd_exec(s, "frobnicate", msg) == LS_EINVAL && strstr(msg, "frobnicate: unknown command"),
	   "unknown command: %s", msg);
	free(help);
}

/* Each line must fail and leave print state identical. */
static void
test_bad_lines(struct ls_session *s)
{
	static const char *bad[] = {
		"alpha nosuch 1", "alpha x", "row 99999", "row -1", "row abc", "dir rows 1",
		"dir rows 1 1", "dir axis 16", "dir nofile.safetensors:x", "range 3 1", "z 1,2",
		"z a,b", "step sideways", "open /nonexistent.png", "pca 0", "pca 17",
		"meandiff 1 1", "meandiff 1 nolabel", "rm nosuch", "select 42", "goto nowhere",
		"undo extra", "mark 123456", "unmark 5", "diff", "dirs /nonexistent.safetensors",
		"bank /nonexistent.npy", "model /nonexistent.safetensors", "strip 0",
		"save", "print nonsense", "echo \"unterminated", "help nosuch", "random -1",
		"dir vec v 1,2,3", "dir vec \"bad name\" 1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
	};
	char *before = ls_session_state_text(s), *after;
	size_t i, fails = 0, silent = 0;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ls_cmd_exec(s, bad[i], msg) == LS_OK)
			fails++, diag("'%s' succeeded", bad[i]);
		else if (!*msg || strchr(msg, '\n'))
			silent++, diag("'%s' gave no one-line message", bad[i]);
	}
	after = ls_session_state_text(s);
	ok(fails == 0, "every bad line fails");
	ok(silent == 0, "every failure has a one-line message");
	ok(!strcmp(before, after), "bad lines change nothing");
	free(before);
	free(after);
}

static void
test_slider(struct ls_session *s)
{
	struct ls_session_dir d;
	int i;

	ok(ls_cmd_exec(s, "dir axis 3 ax3", msg) == LS_OK, "dir axis 3 ax3: %s", msg);
	for (i = 0; i < 4; i++)
		ls_cmd_exec(s, "step +coarse", msg);
	ls_cmd_exec(s, "step -fine", msg);
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 1.9, 1e-12, "4 coarse up, 1 fine down = 1.9");
	for (i = 0; i < 10; i++)
		ls_cmd_exec(s, "step coarse", msg);
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 3, 0, "clamped at the range's end");
	ok(ls_cmd_exec(s, "range ax3 -1 5", msg) == LS_OK && ls_cmd_exec(s, "step 1.5", msg) == LS_OK,
	   "range and a numeric step");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok_close(d.alpha, 4.5, 1e-12, "alpha 4.5 in the wider range");
	ok(ls_cmd_exec(s, "reset", msg) == LS_OK && ls_cmd_exec(s, "toggle ax3", msg) == LS_OK,
	   "reset, toggle");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok(d.alpha == 0 && !d.active, "alpha 0 and inactive");
	ok(ls_cmd_exec(s, "undo", msg) == LS_OK && ls_cmd_exec(s, "undo", msg) == LS_OK, "undo twice");
	ls_session_dir(s, ls_session_find(s, "ax3"), &d);
	ok(d.alpha == 4.5 && d.active, "back to 4.5, active");
}

static void
test_print(struct ls_session *s)
{
	int d = ls_session_dim(s);
	float *v = NULL;
	long n;

	ok(ls_cmd_exec(s, "alpha 0.75", msg) == LS_OK, "alpha 0.75");
	ok(ls_cmd_exec(s, "print z", msg) == LS_OK, "print z");
	n = ls_parse_floats(msg, &v);
	ok(n == d && !memcmp(v, ls_session_z(s), (size_t)d * sizeof *v),
	   "print z reads back bit for bit");
	free(n >= 0 ? v : NULL);
	ok(ls_cmd_exec(s, "mark 4", msg) == LS_OK && ls_cmd_exec(s, "mark 11", msg) == LS_OK &&
	   ls_cmd_exec(s, "diff", msg) == LS_OK && strstr(msg, "diff_4_11"), "mark, mark, diff: %s", msg);
	ok(ls_cmd_exec(s, "bookmark", msg) == LS_OK && strstr(msg, "b1"), "bookmark b1");
}

/* Is word among the candidates? */
static int
has(char **v, const char *word)
{
	for (; v && *v; v++)
		if (!strcmp(*v, word))
			return 1;
	return 0;
}

static void
test_complete(struct ls_session *s)
{
	char **v;
	int f;

	v = ls_cmd_complete(s, "al", 0, &f);
	ok(has(v, "alpha") && !v[1] && !f, "al -> alpha");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "select ax", 7, &f);
	ok(has(v, "ax3") && !f, "select ax -> ax3");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "preview o", 8, &f);
	ok(has(v, "on") && has(v, "off") && f, "preview o -> on, off (+ files)");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "bank as", 5, &f);
	ok(!v && f, "bank -> file names");
	ls_cmd_complete_free(v);
	v = ls_cmd_complete(s, "goto b", 5, &f);
	ok(has(v, "b1"), "goto b -> b1");
	ls_cmd_complete_free(v);
}

int
main(void)
{
	struct ls_session *s;
	char cwd[4096];

	if (!getcwd(cwd, sizeof cwd) || chdir(tmpdir()) != 0)
		return 99;
	if (ls_session_open(NULL, NULL, NULL, &s, msg) != LS_OK) {
		printf("Bail out! %s\n", msg);
		return 99;
	}
	ls_session_set_preview(s, NULL, 0);
	test_split();
	ok(ls_cmd_exec(s, "dir rows 1 2 base", msg) == LS_OK, "a first direction");
	test_table(s);
	test_bad_lines(s);
	test_slider(s);
	test_print(s);
	test_complete(s);
	ok(ls_cmd_exec(s, "quit", msg) == LS_OK && ls_session_quit_requested(s), "quit");
	ls_session_free(s);
	if (system("rm -f linscope-*.png") != 0 || chdir(cwd) != 0 || rmdir(tmpdir()) != 0)
		diag("cleanup failed");
	return done_testing();
}
