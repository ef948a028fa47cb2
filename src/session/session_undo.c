/*
 * session_undo.c: undo and redo of a session's z0, alphas and directions.
 *
 * A snapshot is a deep copy of (z0, its row, the direction list, the
 * selection). session_push_undo() is called by every mutator right before
 * it changes anything; it drops the oldest snapshot beyond
 * LS_SESSION_UNDO_MAX and clears the redo stack. Undo swaps the current
 * state with the top of the undo stack (pushing the current one on redo).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/bank.h"
#include "linscope/dirs.h"
#include "base/util.h"
#include "session_impl.h"

void
snap_free(struct snap *p)
{
	int i;

	for (i = 0; i < p->ndirs; i++)
		sdir_free(&p->dirs[i]);
	free(p->dirs);
	free(p->z0);
	memset(p, 0, sizeof *p);
}

/* The session's current state as a snapshot. */
static void
snap_take(const struct ls_session *s, struct snap *p)
{
	int i;

	p->z0 = xreallocarray(NULL, (size_t)s->d, sizeof *p->z0);
	memcpy(p->z0, s->z0, (size_t)s->d * sizeof *p->z0);
	p->row = s->row;
	p->ndirs = s->ndirs;
	p->sel = s->sel;
	p->dirs = s->ndirs ? xreallocarray(NULL, (size_t)s->ndirs, sizeof *p->dirs) : NULL;
	for (i = 0; i < s->ndirs; i++)
		sdir_copy(&p->dirs[i], &s->dirs[i], s->d);
}

/* Moves snapshot p into the session (p is emptied). */
static void
snap_restore(struct ls_session *s, struct snap *p)
{
	int i, z0_same = !memcmp(s->z0, p->z0, (size_t)s->d * sizeof *s->z0);

	for (i = 0; i < s->ndirs; i++)
		sdir_free(&s->dirs[i]);
	free(s->dirs);
	free(s->z0);
	s->z0 = p->z0;
	s->row = p->row;
	s->dirs = p->dirs;
	s->ndirs = p->ndirs;
	s->sel = p->sel;
	memset(p, 0, sizeof *p);
	if (s->row >= 0 && (!s->bank || s->row >= ls_bank_rows(s->bank) ||
			    memcmp(s->z0, ls_bank_row(s->bank, s->row), (size_t)s->d * sizeof *s->z0)))
		s->row = -1;   /* the bank changed since: z0 is no longer that row */
	for (i = 0; i < s->ndirs; i++) {   /* the bank may have changed since */
		s->dirs[i].sigma = session_sigma(s, s->dirs[i].u);
		s->dirs[i].var_share = s->bank ? ls_dirs_var_share(s->bank, s->dirs[i].u) : NAN;
		session_truth(s, &s->dirs[i]);
	}
	if (z0_same)
		session_update(s);
	else
		session_z0_changed(s);
}

/* Pushes a snapshot of s on stack (*v, *n), dropping the oldest when full. */
static void
push(const struct ls_session *s, struct snap **v, int *n)
{
	if (*n == LS_SESSION_UNDO_MAX) {
		snap_free(&(*v)[0]);
		memmove(*v, *v + 1, (size_t)(*n - 1) * sizeof **v);
		(*n)--;
	}
	if (!*v)
		*v = xcalloc(LS_SESSION_UNDO_MAX, sizeof **v);
	snap_take(s, &(*v)[(*n)++]);
}

void
session_push_undo(struct ls_session *s)
{
	if (s->undo_hold > 0)
		return;
	push(s, &s->undo, &s->nundo);
	while (s->nredo > 0)
		snap_free(&s->redo[--s->nredo]);
}

void
session_clear_undo(struct ls_session *s)
{
	while (s->nundo > 0)
		snap_free(&s->undo[--s->nundo]);
	while (s->nredo > 0)
		snap_free(&s->redo[--s->nredo]);
	free(s->undo);
	free(s->redo);
	s->undo = s->redo = NULL;
}

int ls_session_can_undo(const struct ls_session *s) { return s->nundo > 0; }
int ls_session_can_redo(const struct ls_session *s) { return s->nredo > 0; }

enum ls_status
ls_session_undo(struct ls_session *s, char *err)
{
	if (s->nundo == 0)
		return ls_err(err, LS_EINVAL, "undo: nothing to undo");
	push(s, &s->redo, &s->nredo);
	snap_restore(s, &s->undo[--s->nundo]);
	return LS_OK;
}

enum ls_status
ls_session_redo(struct ls_session *s, char *err)
{
	if (s->nredo == 0)
		return ls_err(err, LS_EINVAL, "redo: nothing to redo");
	push(s, &s->undo, &s->nundo);
	snap_restore(s, &s->redo[--s->nredo]);
	return LS_OK;
}

/* A group starts with one snapshot; later pushes are skipped. */
void
ls_session_group_begin(struct ls_session *s)
{
	session_push_undo(s);
	s->undo_hold++;
}

void
ls_session_group_end(struct ls_session *s, int keep)
{
	if (s->undo_hold > 0)
		s->undo_hold--;
	if (!keep && s->nundo > 0)
		snap_restore(s, &s->undo[--s->nundo]);
}
