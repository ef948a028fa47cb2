/*
 * session_truth.c: the ground-truth factors of the session's bank
 * (factors.h) and every direction's score against them (ls_dirs_score):
 * the factor it moves most (truth, its r) and its leak into the others.
 *
 * Invariant: factors is NULL or has the bank's row count; every sdir's
 * truth figures are those of its u against the current factors (-1 and
 * NAN without factors). A bundled model's factors come with its bundled
 * bank; another bank drops them; `factors FILE` sets them explicitly
 * (factors_spec, written by savestate).
 */
#include <math.h>
#include <stdlib.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "linscope/factors.h"
#include "linscope/model.h"
#include "base/util.h"
#include "session_impl.h"

void
session_truth(const struct ls_session *s, struct sdir *d)
{
	struct ls_score sc;

	d->truth = -1;
	d->truth_r = d->truth_leak = NAN;
	if (!s->factors || !s->bank || ls_dirs_score(s->bank, d->u, s->factors, &sc, NULL) != LS_OK ||
	    isnan(sc.r[sc.order[0]]))
		return;
	d->truth = sc.order[0];
	d->truth_r = sc.r[sc.order[0]];
	d->truth_leak = sc.leak;
}

/* Rescores every direction (the factors or the bank changed). */
static void
rescore(struct ls_session *s)
{
	int i;

	for (i = 0; i < s->ndirs; i++)
		session_truth(s, &s->dirs[i]);
}

/* Drops the factors. */
static void
drop(struct ls_session *s)
{
	ls_factors_free(s->factors);
	s->factors = NULL;
	free(s->factors_spec);
	s->factors_spec = NULL;
}

void
session_factors_reset(struct ls_session *s)
{
	struct ls_bundle b;
	char err[LS_ERR_MAX];

	drop(s);
	if (s->bank && !s->bank_spec && ls_bundle_is_name(s->model_spec) &&
	    ls_bundle_find(s->model_spec, &b, err) == LS_OK) {
		if (b.factors && ls_factors_open(b.factors, ls_bank_rows(s->bank), &s->factors, err) != LS_OK)
			s->factors = NULL;   /* a broken bundled file: no ground truth */
		ls_bundle_free(&b);
	}
	rescore(s);
}

void
session_factors_free(struct ls_session *s)
{
	drop(s);
}

enum ls_status
ls_session_set_factors(struct ls_session *s, const char *path, char *err)
{
	struct ls_factors *f;
	enum ls_status st;
	char *p;

	if (!s->bank)
		return ls_err(err, LS_EINVAL, "%s: factors need a bank (bank FILE first)", path);
	p = session_data_path(path);
	st = ls_factors_open(p, ls_bank_rows(s->bank), &f, err);
	free(p);
	if (st != LS_OK)
		return st;
	drop(s);
	s->factors = f;
	s->factors_spec = session_abs_spec(path);
	rescore(s);
	s->version++;
	return LS_OK;
}

const struct ls_factors *
ls_session_factors(const struct ls_session *s)
{
	return s->factors;
}

const char *
ls_session_factors_spec(const struct ls_session *s)
{
	return s->factors_spec;
}

enum ls_status
ls_session_score(const struct ls_session *s, int i, struct ls_score *sc, char *err)
{
	if (i < 0 || i >= s->ndirs)
		return ls_err(err, LS_EINVAL, "score: no direction %d", i);
	if (!s->factors || !s->bank)
		return ls_err(err, LS_EINVAL, "score: no ground-truth factors (factors FILE; the bundled faces have them)");
	return ls_dirs_score(s->bank, s->dirs[i].u, s->factors, sc, err);
}
