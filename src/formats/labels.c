/*
 * labels.c: one label per bank row, from a text file (one per line,
 * trailing CR and surrounding blanks stripped, a final empty line ignored)
 * or an integer .npy of shape (N,). Invariant: count == the bank's rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linscope/labels.h"
#include "linscope/npy.h"
#include "base/util.h"

#define LABEL_MAX 256

struct ls_labels {
	long n;
	char **v;        /* (n) */
	int nclasses;
	char **classes;  /* distinct values in first-seen order (borrowed) */
};

static int
has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Strips blanks and a CR around a line in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

static void
labels_push(struct ls_labels *l, long *cap, const char *s)
{
	if (l->n == *cap)
		l->v = xreallocarray(l->v, (size_t)(*cap = *cap ? *cap * 2 : 256), sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static enum ls_status
labels_text(const char *path, struct ls_labels *l, long nrows, char *err)
{
	FILE *f = fopen(path, "r");
	char line[LABEL_MAX + 2];
	long cap = 0, lineno = 0;

	if (!f)
		return ls_err(err, LS_EIO, "%s: cannot open labels", path);
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fclose(f);
			return ls_err(err, LS_EFORMAT, "%s:%ld: label longer than %d bytes",
				      path, lineno, LABEL_MAX);
		}
		if (l->n >= nrows + 1) {
			fclose(f);
			return ls_err(err, LS_EFORMAT, "%s: more labels than the bank's %ld rows",
				      path, nrows);
		}
		labels_push(l, &cap, trim(line));
	}
	fclose(f);
	if (l->n == nrows + 1 && l->v[l->n - 1][0] == 0)
		free(l->v[--l->n]);
	return LS_OK;
}

static enum ls_status
labels_npy(const char *path, struct ls_labels *l, char *err)
{
	struct ls_npy *npy;
	enum ls_status s;
	long cap = 0, i;
	char buf[32];

	if ((s = ls_npy_open(path, &npy, err)) != LS_OK)
		return s;
	if ((npy->kind != LS_NPY_INT && npy->kind != LS_NPY_UINT) || npy->ndim != 1) {
		ls_npy_free(npy);
		return ls_err(err, LS_EFORMAT, "%s: labels .npy must be integers of shape (N,)", path);
	}
	for (i = 0; i < npy->numel; i++) {
		snprintf(buf, sizeof buf, "%lld", (long long)ls_npy_get_int(npy, i));
		labels_push(l, &cap, buf);
	}
	ls_npy_free(npy);
	return LS_OK;
}

/* FNV-1a of a string. */
static uint64_t
str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The distinct labels in first-seen order, through an open-addressing hash
 * table of class indices (size a power of two >= 2n): linear in the rows. */
static void
labels_classes(struct ls_labels *l)
{
	size_t size = 16, mask, j;
	long i, cap = 0;
	int *slot;

	while (size < 2 * (size_t)l->n)
		size *= 2;
	mask = size - 1;
	slot = xmalloc(size * sizeof *slot);
	memset(slot, 0xff, size * sizeof *slot);   /* -1: empty */
	for (i = 0; i < l->n; i++) {
		for (j = str_hash(l->v[i]) & mask; slot[j] >= 0; j = (j + 1) & mask)
			if (strcmp(l->classes[slot[j]], l->v[i]) == 0)
				break;
		if (slot[j] >= 0)
			continue;
		if (l->nclasses == cap)
			l->classes = xreallocarray(l->classes, (size_t)(cap = cap ? 2 * cap : 64),
						   sizeof *l->classes);
		slot[j] = l->nclasses;
		l->classes[l->nclasses++] = l->v[i];
	}
	free(slot);
}

enum ls_status
ls_labels_open(const char *path, long nrows, struct ls_labels **out, char *err)
{
	struct ls_labels *l = xcalloc(1, sizeof *l);
	enum ls_status s;

	*out = NULL;
	s = has_suffix(path, ".npy") ? labels_npy(path, l, err) : labels_text(path, l, nrows, err);
	if (s == LS_OK && l->n != nrows)
		s = ls_err(err, LS_EINVAL, "%s: %ld labels for a bank of %ld rows", path, l->n, nrows);
	if (s != LS_OK) {
		ls_labels_free(l);
		return s;
	}
	labels_classes(l);
	*out = l;
	return LS_OK;
}

void
ls_labels_free(struct ls_labels *l)
{
	long i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->classes);
	free(l);
}

long ls_labels_count(const struct ls_labels *l) { return l->n; }
const char *ls_labels_get(const struct ls_labels *l, long i) { return l->v[i]; }
int ls_labels_nclasses(const struct ls_labels *l) { return l->nclasses; }
const char *ls_labels_class(const struct ls_labels *l, int k) { return l->classes[k]; }
