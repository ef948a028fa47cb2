/*
 * cmd_dirs.c: commands that make directions with the directions engine
 * (dirs.h): pca, sefa, meandiff, probe, lda, random. Sets of directions
 * (pca K, sefa K) are added as one undo step, all or nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/model.h"
#include "base/util.h"
#include "cmd_impl.h"

/* K from argv[1] (default 3), 1..d. */
static enum ls_status
count_arg(struct ls_session *s, int argc, char **argv, long *k, char *msg)
{
	enum ls_status st;

	*k = 3 < ls_session_dim(s) ? 3 : ls_session_dim(s);
	if (argc > 1 && (st = cmd_long(argv[1], argv[0], k, msg)) != LS_OK)
		return st;
	if (*k < 1 || *k > ls_session_dim(s))
		return ls_err(msg, LS_EINVAL, "%s %ld: want 1..d = %d directions", argv[0], *k,
			      ls_session_dim(s));
	return LS_OK;
}

/* Adds the k rows of u (k, d) as method1..methodk, one undo step. */
static enum ls_status
add_set(struct ls_session *s, const char *method, const float *u, long k, char *msg)
{
	enum ls_status st = LS_OK;
	int d = ls_session_dim(s);
	char name[32], src[48];
	long i;

	ls_session_group_begin(s);
	for (i = 0; i < k && st == LS_OK; i++) {
		snprintf(name, sizeof name, "%s%ld", method, i + 1);
		snprintf(src, sizeof src, "%s:%ld", method, i + 1);
		if (ls_session_find(s, name) >= 0)
			name[0] = 0;   /* taken: let the session number it */
		st = ls_session_add_dir(s, name[0] ? name : method, u + i * d, method, src, NULL, msg);
	}
	ls_session_group_end(s, st == LS_OK);
	if (st == LS_OK)
		cmd_say(msg, "added %ld %s directions", k, method);
	return st;
}

static enum ls_status
cmd_pca(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	float *u;
	long k;

	if (!ls_session_bank(s))
		return ls_err(msg, LS_EINVAL, "pca: needs a bank (bank FILE)");
	if ((st = count_arg(s, argc, argv, &k, msg)) != LS_OK)
		return st;
	u = xreallocarray(NULL, (size_t)k * (size_t)ls_session_dim(s), sizeof *u);
	if ((st = ls_dirs_pca(ls_session_bank(s), NULL, (int)k, u, NULL, NULL, msg)) == LS_OK)
		st = add_set(s, "pca", u, k, msg);
	free(u);
	return st;
}

const struct cmd_entry cmd_entry_pca = {
	{ "pca", "[K]", "add the top K principal directions of the bank (default 3)", LS_ARG_NONE, NULL },
	cmd_pca, 1, 2, REC_NOW
};

static enum ls_status
cmd_sefa(struct ls_session *s, int argc, char **argv, char *msg)
{
	enum ls_status st;
	float *u;
	long k;

	if ((st = count_arg(s, argc, argv, &k, msg)) != LS_OK)
		return st;
	u = xreallocarray(NULL, (size_t)k * (size_t)ls_session_dim(s), sizeof *u);
	if ((st = ls_dirs_sefa(ls_model_decoder(ls_session_model(s)), (int)k, u, NULL, msg)) == LS_OK)
		st = add_set(s, "sefa", u, k, msg);
	free(u);
	return st;
}

const struct cmd_entry cmd_entry_sefa = {
	{ "sefa", "[K]", "add the top K SeFa directions of the decoder's first layer (default 3)", LS_ARG_NONE, NULL },
	cmd_sefa, 1, 2, REC_NOW
};

/* A default name "METHOD_FROM_to_TO" with ',' turned into '+'. */
static void
learn_name(const char *method, const char *from, const char *to, char *out, size_t n)
{
	size_t i;

	snprintf(out, n, "%s_%s_to_%s", method, from, to);
	for (i = 0; out[i]; i++)
		if (out[i] == ',')
			out[i] = '+';
		else if (out[i] <= ' ' || strchr(":/\"'", out[i]))
			out[i] = '_';
}

/* Fits direction u (d) of argv[0]'s kind for masks pos, neg; *acc gets
 * the probe's held-out accuracy (NAN for the others). */
static enum ls_status
learn_fit(struct ls_session *s, const char *method, const unsigned char *pos,
	  const unsigned char *neg, float *u, double *acc, char *msg)
{
	struct ls_bank *b = ls_session_bank(s);
	struct ls_probe_result r = { 0 };
	struct ls_probe_opts o;
	enum ls_status st;

	*acc = NAN;
	if (!strcmp(method, "meandiff"))
		return ls_dirs_mean_diff(b, pos, neg, u, msg);
	if (!strcmp(method, "lda"))
		return ls_dirs_lda(b, pos, neg, 0.01, u, msg);
	ls_probe_opts_default(&o);
	if ((st = ls_dirs_probe(b, pos, neg, &o, u, &r, msg)) == LS_OK)
		*acc = r.test_acc;
	return st;
}

/* Records the quality of the new (selected) direction: acc and the AUC
 * of pos vs neg along it. */
static void
learn_quality(struct ls_session *s, const unsigned char *pos, const unsigned char *neg,
	      double acc)
{
	struct ls_bank *b = ls_session_bank(s);
	long n = ls_bank_rows(b);
	double *p = xmalloc((size_t)n * sizeof *p), auc = NAN;
	struct ls_session_dir d;
	int i = ls_session_selected(s);

	ls_session_dir(s, i, &d);
	ls_dirs_project(b, d.u, p);
	if (ls_dirs_auc(p, pos, neg, n, &auc, NULL) != LS_OK)
		auc = NAN;
	ls_session_set_quality(s, i, acc, auc, NULL);
	free(p);
}

/* meandiff|probe|lda FROM TO [NAME]: the direction points from the rows
 * labelled FROM towards those labelled TO (TO is the learners' positive
 * class), as `dir rows I J` points from row I to row J. */
static enum ls_status
cmd_learn(struct ls_session *s, int argc, char **argv, char *msg)
{
	struct ls_labels *l = ls_session_labels(s);
	unsigned char *pos = NULL, *neg = NULL;
	char name[LS_SESSION_NAME_MAX], src[LS_SESSION_NAME_MAX + 16];
	float *u = NULL;
	enum ls_status st;
	long n, np, nn;
	double acc;

	if (!ls_session_bank(s) || !l)
		return ls_err(msg, LS_EINVAL, "%s: needs a bank with labels (bank, labels)", argv[0]);
	n = ls_labels_count(l);
	pos = xcalloc((size_t)n, 1);
	neg = xcalloc((size_t)n, 1);
	u = xreallocarray(NULL, (size_t)ls_session_dim(s), sizeof *u);
	if ((st = ls_dirs_select(l, argv[1], "FROM", neg, &nn, msg)) != LS_OK ||
	    (st = ls_dirs_select(l, argv[2], "TO", pos, &np, msg)) != LS_OK ||
	    (st = ls_dirs_check_pair(pos, neg, n, msg)) != LS_OK ||
	    (st = learn_fit(s, argv[0], pos, neg, u, &acc, msg)) != LS_OK)
		goto out;
	learn_name(argv[0], argv[1], argv[2], name, sizeof name);
	snprintf(src, sizeof src, "%s:%s-to-%s", argv[0], argv[1], argv[2]);
	if (argc < 4 && ls_session_find(s, name) >= 0)
		name[0] = 0;
	st = ls_session_add_dir(s, argc > 3 ? argv[3] : name[0] ? name : argv[0], u, argv[0], src,
				NULL, msg);
	if (st == LS_OK) {
		learn_quality(s, pos, neg, acc);
		cmd_added(s, msg);
	}
out:
	free(pos);
	free(neg);
	free(u);
	return st;
}

const struct cmd_entry cmd_entry_meandiff = {
	{ "meandiff", "FROM TO [NAME]", "add mean(label in TO) - mean(label in FROM), from FROM to TO (sets like 1,7); named meandiff_FROM_to_TO", LS_ARG_NONE, NULL },
	cmd_learn, 3, 4, REC_NOW
};

const struct cmd_entry cmd_entry_probe = {
	{ "probe", "FROM TO [NAME]", "add a logistic-regression probe direction from label FROM towards TO", LS_ARG_NONE, NULL },
	cmd_learn, 3, 4, REC_NOW
};

const struct cmd_entry cmd_entry_lda = {
	{ "lda", "FROM TO [NAME]", "add a Fisher LDA direction from label FROM towards TO", LS_ARG_NONE, NULL },
	cmd_learn, 3, 4, REC_NOW
};

/* random SEED [NAME] */
static enum ls_status
cmd_random(struct ls_session *s, int argc, char **argv, char *msg)
{
	char name[40], src[40];
	enum ls_status st;
	float *u;
	long seed;

	if ((st = cmd_long(argv[1], "random", &seed, msg)) != LS_OK)
		return st;
	if (seed < 0)
		return ls_err(msg, LS_EINVAL, "%s: random wants a seed >= 0", argv[1]);
	u = xreallocarray(NULL, (size_t)ls_session_dim(s), sizeof *u);
	ls_dirs_random((uint64_t)seed, ls_session_dim(s), u);
	snprintf(name, sizeof name, "random%ld", seed);
	snprintf(src, sizeof src, "random:%ld", seed);
	if (argc < 3 && ls_session_find(s, name) >= 0)
		name[0] = 0;
	st = ls_session_add_dir(s, argc > 2 ? argv[2] : name[0] ? name : "random", u, "random", src,
				NULL, msg);
	if (st == LS_OK)
		cmd_added(s, msg);
	free(u);
	return st;
}

const struct cmd_entry cmd_entry_random = {
	{ "random", "SEED [NAME]", "add a seeded random unit direction", LS_ARG_NONE, NULL },
	cmd_random, 2, 3, REC_NOW
};
