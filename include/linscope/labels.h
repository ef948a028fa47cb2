/*
 * labels.h: one label per bank row, from a text file (one label per line,
 * any string) or an integer .npy of shape (N,).
 */
#ifndef LINSCOPE_LABELS_H
#define LINSCOPE_LABELS_H

#include "linscope/status.h"

struct ls_labels;

/* Labels: nrows must match the bank. Free with ls_labels_free(). */
enum ls_status ls_labels_open(const char *path, long nrows, struct ls_labels **l, char *err);
void ls_labels_free(struct ls_labels *l);
long ls_labels_count(const struct ls_labels *l);
const char *ls_labels_get(const struct ls_labels *l, long i);
/* Distinct labels in first-seen order. */
int ls_labels_nclasses(const struct ls_labels *l);
const char *ls_labels_class(const struct ls_labels *l, int k);

#endif
