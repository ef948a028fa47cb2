/*
 * test-score.c: scoring a direction against ground-truth factors
 * (ls_dirs_score, ls_factors_open) against numpy.corrcoef (fixtures from
 * tools/make_score_fixtures.py), Pearson by hand, and the factors file's
 * bad inputs (wrong rows, NaN, not a table, missing file, names count).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/linscope.h"
#include "../lib/tap.h"

/* Pearson on a hand case: y = 3x + 1 is r = 1, y = -x is -1, constant NAN. */
static void
test_pearson(void)
{
	double x[] = { 1, 2, 3, 4 }, y[] = { 4, 7, 10, 13 }, m[] = { -1, -2, -3, -4 },
	       c[] = { 5, 5, 5, 5 }, h[] = { 1, 0, 0, 1 };

	ok_close(ls_dirs_pearson(x, y, 4), 1, 1e-15, "pearson of a line is 1");
	ok_close(ls_dirs_pearson(x, m, 4), -1, 1e-15, "pearson of a falling line is -1");
	ok(isnan(ls_dirs_pearson(x, c, 4)), "pearson with a constant is NAN");
	/* x centred: -1.5 -.5 .5 1.5; h centred: .5 -.5 -.5 .5: sxy = 0 */
	ok_close(ls_dirs_pearson(x, h, 4), 0, 1e-15, "pearson of a symmetric bump is 0");
}

/* r against numpy's corrcoef; order by |r| with the constant column last. */
static void
test_fixture(void)
{
	struct ls_bank *b = NULL;
	struct ls_factors *f = NULL;
	struct ls_npy *u = NULL, *want = NULL;
	char err[LS_ERR_MAX] = "";
	float dir[6];
	struct ls_score sc;
	double r[4];
	int j;

	if (!ok(ls_bank_open(fixture("score-bank.npy"), &b, err) == LS_OK &&
		ls_factors_open(fixture("score-factors.npy"), 200, &f, err) == LS_OK &&
		ls_npy_open(fixture("score-dir.npy"), &u, err) == LS_OK &&
		ls_npy_open(fixture("score-r.npy"), &want, err) == LS_OK, "fixtures load"))
		diag("%s", err);
	if (!b || !f || !u || !want)
		goto out;
	ok(ls_factors_count(f) == 4 && !strcmp(ls_factors_name(f, 0), "a") &&
	   !strcmp(ls_factors_name(f, 3), "k"), "four columns named from score-factors.txt");
	ls_npy_read_f32(u, 0, 6, dir);
	ok(ls_dirs_score(b, dir, f, &sc, err) == LS_OK && sc.k == 4, "score runs");
	memcpy(r, want->data, sizeof r);
	for (j = 0; j < 3; j++)
		ok_close(sc.r[j], r[j], 1e-9, ls_factors_name(f, j));
	ok(isnan(sc.r[3]) && isnan(r[3]), "the constant column scores NAN, as numpy");
	ok(sc.order[0] == 0 && sc.order[1] == 2 && sc.order[2] == 1 && sc.order[3] == 3,
	   "order by |r|: a, c, b, then the constant k");
	ok_close(sc.leak, sqrt(r[1] * r[1] + r[2] * r[2]), 1e-9, "leak = |(r_b, r_c)|");
	dir[0] = -dir[0], dir[1] = -dir[1], dir[2] = -dir[2], dir[5] = -dir[5];
	ok(ls_dirs_score(b, dir, f, &sc, err) == LS_OK, "score of -u runs");
	ok_close(sc.r[0], -r[0], 1e-9, "-u flips the sign of r");
out:
	ls_npy_free(u);
	ls_npy_free(want);
	ls_factors_free(f);
	ls_bank_free(b);
}

/* Opens name expecting failure with a message naming the file and what. */
static void
bad(const char *name, long rows, const char *file, const char *what)
{
	struct ls_factors *f = NULL;
	char err[LS_ERR_MAX] = "";
	enum ls_status s = ls_factors_open(fixture(name), rows, &f, err);

	ok(s != LS_OK && !f && strstr(err, file) && strstr(err, what), "%s: refused: %s", name, err);
	ls_factors_free(f);
}

static void
test_bad(void)
{
	struct ls_bank *b = NULL;
	struct ls_factors *f = NULL;
	char err[LS_ERR_MAX] = "";
	float dir[6] = { 1, 0, 0, 0, 0, 0 };
	struct ls_score sc;

	bad("score-factors-short.npy", 200, "score-factors-short.npy", "199 rows");
	bad("score-factors-nan.npy", 200, "score-factors-nan.npy", "row 17 column 2");
	bad("score-factors-1d.npy", 200, "score-factors-1d.npy", "shape");
	bad("no-such-factors.npy", 200, "no-such-factors.npy", "no-such-factors.npy");
	bad("score-badnames.npy", 200, "score-badnames.txt", "wants 3 names");   /* 2 names, 3 columns */
	/* any rows: opens, and the bank refuses it */
	if (ls_bank_open(fixture("score-bank.npy"), &b, err) == LS_OK &&
	    ls_factors_open(fixture("score-factors-short.npy"), -1, &f, err) == LS_OK) {
		ok(!strcmp(ls_factors_name(f, 1), "f1"), "no names file: f0, f1, ...");
		ok(ls_dirs_score(b, dir, f, &sc, err) == LS_EINVAL && strstr(err, "199 rows"),
		   "score refuses factors of another row count: %s", err);
	} else {
		ok(0, "short factors open with any rows: %s", err);
	}
	ls_factors_free(f);
	ls_bank_free(b);
}

int
main(void)
{
	test_pearson();
	test_fixture();
	test_bad();
	return done_testing();
}
