/*
 * dirfile.h: directions files (linscope-files(5)).
 *
 * A directions file is a safetensors file holding one tensor per direction,
 * named by the direction, shape [d], F32 (other float dtypes are read and
 * converted; the file is always rewritten as F32). The header's
 * __metadata__ holds, per direction NAME, string values under
 * "linscope.dir.NAME.KEY" (KEY never contains '.'; see LS_DIRMETA_* for the
 * keys linscope writes) and "linscope.format" = "directions".
 * Keys that linscope does not know are kept when the file is rewritten.
 *
 * A struct ls_dirfile is the file held in memory: open it (creating an
 * empty set when the file does not exist), change it, then save it; the
 * save is atomic (the old file stays whole on any failure) and nothing
 * touches the disk before ls_dirfile_save().
 *
 * Names: 1..LS_DIRNAME_MAX bytes of printable ASCII without ':', '/',
 * blanks or quotes, not starting with '.' or '-', not "__metadata__".
 * A direction is named on the command line as FILE:NAME (split at the
 * LAST ':').
 *
 * Order: directions keep the order in which they were added.
 */
#ifndef LINSCOPE_DIRFILE_H
#define LINSCOPE_DIRFILE_H

#include "linscope/status.h"

#define LS_DIRNAME_MAX 128

/* Metadata keys written by linscope (values are strings). */
#define LS_DIRMETA_METHOD "method"   /* pca sefa mean-diff probe lda axis rows random combine orthogonalize import ... */
#define LS_DIRMETA_SOURCE "source"   /* bank path, rows, labels file: how it was made */
#define LS_DIRMETA_POS "pos"         /* positive label set (learned directions) */
#define LS_DIRMETA_NEG "neg"         /* negative label set */
#define LS_DIRMETA_MODEL "model"     /* ls_model_hash() of the model involved */
#define LS_DIRMETA_SIGMA "sigma"     /* std of the bank's projections on u/|u| */
#define LS_DIRMETA_NOTE "note"       /* free text */
#define LS_DIRMETA_CREATED "created" /* UTC, ISO 8601 (honours SOURCE_DATE_EPOCH) */

struct ls_dirfile;

/* The common metadata of a new direction; NULL strings are not written,
 * sigma is written when it is finite (NAN: unknown). */
struct ls_dirmeta {
	const char *method;
	const char *source;
	const char *pos, *neg;
	const char *model;
	const char *note;
	double sigma;
};

/* Flags of ls_dirfile_open(): CREATE gives an empty set for a missing
 * file; LOCK holds an exclusive lock (ls_afile_lock: on the file's folder)
 * from before the read until ls_dirfile_free(), so that concurrent
 * read-modify-write cycles of one file never lose each other's
 * directions. Take LOCK for one file at a time. */
#define LS_DIRFILE_CREATE 1
#define LS_DIRFILE_LOCK 2

/* Reads path. If it does not exist and create has LS_DIRFILE_CREATE, *f is
 * an empty set that ls_dirfile_save() will create. A file that is not a directions file
 * (bad safetensors, a tensor that is not 1-D float) gives LS_EFORMAT.
 * Free with ls_dirfile_free(). */
enum ls_status ls_dirfile_open(const char *path, int create, struct ls_dirfile **f,
			       char *err);
void ls_dirfile_free(struct ls_dirfile *f);
const char *ls_dirfile_path(const struct ls_dirfile *f);

/* Directions by index 0..count-1, in file order. */
int ls_dirfile_count(const struct ls_dirfile *f);
const char *ls_dirfile_name(const struct ls_dirfile *f, int i);
int ls_dirfile_dim(const struct ls_dirfile *f, int i);
const float *ls_dirfile_vec(const struct ls_dirfile *f, int i);   /* (dim) */
/* Index of name, or -1. */
int ls_dirfile_find(const struct ls_dirfile *f, const char *name);
/* Metadata value KEY of direction i, or NULL. */
const char *ls_dirfile_meta(const struct ls_dirfile *f, int i, const char *key);
/* All metadata of direction i: n pairs, key (without the prefix) and value. */
int ls_dirfile_meta_count(const struct ls_dirfile *f, int i);
const char *ls_dirfile_meta_key(const struct ls_dirfile *f, int i, int k);
const char *ls_dirfile_meta_value(const struct ls_dirfile *f, int i, int k);
/* Sigma recorded for direction i, NAN if none. */
double ls_dirfile_sigma(const struct ls_dirfile *f, int i);

/* Is name a valid direction name? Fills err ("NAME: ...") if not. */
enum ls_status ls_dirname_check(const char *name, char *err);

/* Adds direction name = u (d values, copied) with metadata m (may be NULL)
 * and "created". An existing name is LS_EINVAL unless force, which
 * replaces it (and drops its old metadata) in place. */
enum ls_status ls_dirfile_put(struct ls_dirfile *f, const char *name, const float *u,
			      int d, const struct ls_dirmeta *m, int force, char *err);
/* Sets (value NULL: removes) one metadata key of an existing direction. */
enum ls_status ls_dirfile_set_meta(struct ls_dirfile *f, const char *name, const char *key,
				   const char *value, char *err);
/* Sets a numeric metadata key ("%.9g"). */
enum ls_status ls_dirfile_set_num(struct ls_dirfile *f, const char *name, const char *key,
				  double value, char *err);
/* Removes name; LS_EINVAL if absent. */
enum ls_status ls_dirfile_remove(struct ls_dirfile *f, const char *name, char *err);
/* Renames old to new, keeping its place and metadata. new must be free
 * unless force (which drops the direction called new). */
enum ls_status ls_dirfile_rename(struct ls_dirfile *f, const char *old, const char *new_name,
				 int force, char *err);
/* Writes the set to its path atomically (creating the file). */
enum ls_status ls_dirfile_save(struct ls_dirfile *f, char *err);

/* Splits "FILE:NAME" at the last ':' into malloc'd *path and *name.
 * LS_EINVAL if there is no ':' or either side is empty. */
enum ls_status ls_dirfile_split(const char *spec, char **path, char **name, char *err);
/* Convenience: loads direction name of path into u, which holds d values.
 * A missing file or name, or a length other than d, is an error naming
 * "PATH:NAME". */
enum ls_status ls_dirfile_load(const char *path, const char *name, int d, float *u,
			       char *err);

#endif
