/*
 * dirfile.c: directions files, held in memory and saved atomically.
 *
 * Invariants: every entry has a unique name, d >= 1 and an owned (d) float
 * vector; its metadata is a list of (key, value) pairs with keys free of
 * '.'; file-level metadata that is not ours ("extra") is kept verbatim
 * and written back. The disk is touched only by ls_dirfile_save(), through
 * ls_st_write() (atomic).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "linscope/dirfile.h"
#include "linscope/st.h"
#include "base/util.h"

#define META_PREFIX "linscope.dir."
#define META_FORMAT "linscope.format"

struct dir_ent {
	char *name;
	int d;
	float *v;        /* (d) */
	int nmeta;
	char **kv;       /* (2 * nmeta): key, value */
};

struct ls_dirfile {
	char *path;
	int lock;            /* ls_afile_lock() fd, or -1 */
	int n, cap;
	struct dir_ent *e;   /* (n) */
	int nextra;
	char **extra;        /* (2 * nextra): other file metadata */
};

/* Appends a key/value pair to a kv list. */
static void
kv_push(char ***kv, int *n, const char *k, const char *v)
{
	*kv = xreallocarray(*kv, (size_t)(*n + 1) * 2, sizeof **kv);
	(*kv)[2 * *n] = xstrdup(k);
	(*kv)[2 * *n + 1] = xstrdup(v);
	(*n)++;
}

static void
kv_free(char **kv, int n)
{
	int i;

	for (i = 0; i < 2 * n; i++)
		free(kv[i]);
	free(kv);
}

static void
ent_clear(struct dir_ent *e)
{
	free(e->name);
	free(e->v);
	kv_free(e->kv, e->nmeta);
	memset(e, 0, sizeof *e);
}

void
ls_dirfile_free(struct ls_dirfile *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		ent_clear(&f->e[i]);
	free(f->e);
	kv_free(f->extra, f->nextra);
	ls_afile_unlock(f->lock);
	free(f->path);
	free(f);
}

/* Appends an entry (taking ownership of v). */
static struct dir_ent *
ent_add(struct ls_dirfile *f, const char *name, float *v, int d)
{
	struct dir_ent *e;

	if (f->n == f->cap)
		f->e = xreallocarray(f->e, (size_t)(f->cap = f->cap ? 2 * f->cap : 8), sizeof *f->e);
	e = &f->e[f->n++];
	memset(e, 0, sizeof *e);
	e->name = xstrdup(name);
	e->v = v;
	e->d = d;
	return e;
}

/* Loads the tensors of st as entries; each must be a 1-D float vector. */
static enum ls_status
load_tensors(struct ls_dirfile *f, const struct ls_st *st, char *err)
{
	int i;

	for (i = 0; i < ls_st_count(st); i++) {
		const struct ls_tensor *t = ls_st_tensor(st, i);
		float *v;

		if (t->ndim != 1 || t->numel < 1 || t->numel > (1 << 24) ||
		    (t->dtype != LS_F32 && t->dtype != LS_F16 && t->dtype != LS_BF16 &&
		     t->dtype != LS_F64))
			return ls_err(err, LS_EFORMAT,
				      "%s: tensor '%s' is not a direction (want a float vector of shape [d])",
				      f->path, t->name);
		v = xreallocarray(NULL, (size_t)t->numel, sizeof *v);
		ls_tensor_to_f32(t, v);
		ent_add(f, t->name, v, (int)t->numel);
	}
	return LS_OK;
}

/* The entries' indices sorted by name, for filing metadata in O(log n). */
static const struct ls_dirfile *sort_f;

static int
cmp_by_name(const void *a, const void *b)
{
	return strcmp(sort_f->e[*(const int *)a].name, sort_f->e[*(const int *)b].name);
}

/* The entry named nm[0..len), through the sorted index by, or -1. */
static int
find_sorted(const struct ls_dirfile *f, const int *by, const char *nm, size_t len)
{
	int lo = 0, hi = f->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strncmp(f->e[by[mid]].name, nm, len);
		if (c == 0 && f->e[by[mid]].name[len])
			c = 1;   /* longer than nm: after it */
		if (c == 0)
			return by[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Files one metadata pair: ours goes to its direction, the rest to extra. */
static void
load_meta_one(struct ls_dirfile *f, const int *by, const char *k, const char *v)
{
	const char *dot = strrchr(k, '.');
	int i;

	if (strcmp(k, META_FORMAT) == 0)
		return;
	if (strncmp(k, META_PREFIX, strlen(META_PREFIX)) == 0 && dot > k + strlen(META_PREFIX)) {
		const char *nm = k + strlen(META_PREFIX);
		if ((i = find_sorted(f, by, nm, (size_t)(dot - nm))) >= 0)
			kv_push(&f->e[i].kv, &f->e[i].nmeta, dot + 1, v);
		return;   /* of no direction in the file: dropped, or a later
			     direction of that name would inherit it */
	}
	kv_push(&f->extra, &f->nextra, k, v);
}

/* Reads an existing file into f. */
static enum ls_status
dirfile_read(struct ls_dirfile *f, char *err)
{
	struct ls_st *st;
	enum ls_status s;
	int i;

	if ((s = ls_st_open(f->path, &st, err)) != LS_OK)
		return s;
	if ((s = load_tensors(f, st, err)) == LS_OK) {
		int *by = xreallocarray(NULL, (size_t)f->n + 1, sizeof *by);
		for (i = 0; i < f->n; i++)
			by[i] = i;
		sort_f = f;   /* qsort has no context argument */
		qsort(by, (size_t)f->n, sizeof *by, cmp_by_name);
		for (i = 0; i < ls_st_meta_count(st); i++)
			load_meta_one(f, by, ls_st_meta_key(st, i), ls_st_meta_value(st, i));
		free(by);
	}
	ls_st_free(st);
	return s;
}

enum ls_status
ls_dirfile_open(const char *path, int create, struct ls_dirfile **out, char *err)
{
	struct ls_dirfile *f;
	enum ls_status s = LS_OK;

	*out = NULL;
	if (!path || !path[0])
		return ls_err(err, LS_EINVAL, "directions file: empty file name");
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->lock = -1;
	if (create & LS_DIRFILE_LOCK)
		s = ls_afile_lock(path, &f->lock, err);
	if (s != LS_OK)
		;
	else if (access(path, F_OK) == 0)
		s = dirfile_read(f, err);
	else if (!(create & LS_DIRFILE_CREATE))
		s = ls_err(err, LS_EIO, "%s: no such directions file", path);
	if (s != LS_OK) {
		ls_dirfile_free(f);
		return s;
	}
	*out = f;
	return LS_OK;
}

const char *ls_dirfile_path(const struct ls_dirfile *f) { return f->path; }
int ls_dirfile_count(const struct ls_dirfile *f) { return f->n; }
const char *ls_dirfile_name(const struct ls_dirfile *f, int i) { return f->e[i].name; }
int ls_dirfile_dim(const struct ls_dirfile *f, int i) { return f->e[i].d; }
const float *ls_dirfile_vec(const struct ls_dirfile *f, int i) { return f->e[i].v; }
int ls_dirfile_meta_count(const struct ls_dirfile *f, int i) { return f->e[i].nmeta; }

const char *
ls_dirfile_meta_key(const struct ls_dirfile *f, int i, int k)
{
	return f->e[i].kv[2 * k];
}

const char *
ls_dirfile_meta_value(const struct ls_dirfile *f, int i, int k)
{
	return f->e[i].kv[2 * k + 1];
}

int
ls_dirfile_find(const struct ls_dirfile *f, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->e[i].name, name) == 0)
			return i;
	return -1;
}

const char *
ls_dirfile_meta(const struct ls_dirfile *f, int i, const char *key)
{
	int k;

	for (k = 0; k < f->e[i].nmeta; k++)
		if (strcmp(f->e[i].kv[2 * k], key) == 0)
			return f->e[i].kv[2 * k + 1];
	return NULL;
}

double
ls_dirfile_sigma(const struct ls_dirfile *f, int i)
{
	const char *s = ls_dirfile_meta(f, i, LS_DIRMETA_SIGMA);
	double v;

	return s && ls_parse_double(s, &v) == 0 ? v : NAN;
}

enum ls_status
ls_dirname_check(const char *name, char *err)
{
	const char *p;

	if (!name || !name[0])
		return ls_err(err, LS_EINVAL, "direction name: empty");
	if (strlen(name) > LS_DIRNAME_MAX)
		return ls_err(err, LS_EINVAL, "%.40s...: direction name longer than %d bytes", name,
			      LS_DIRNAME_MAX);
	if (name[0] == '.' || name[0] == '-' || !strcmp(name, "__metadata__"))
		return ls_err(err, LS_EINVAL, "%s: not a valid direction name", name);
	for (p = name; *p; p++)
		if (*p <= ' ' || *p > '~' || strchr(":/\\\"'`", *p))
			return ls_err(err, LS_EINVAL,
				      "%s: a direction name is printable ASCII without ':', '/', blanks or quotes",
				      name);
	return LS_OK;
}

/* The current UTC time (or SOURCE_DATE_EPOCH) as ISO 8601. */
static void
now_iso(char buf[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;
	long v;

	if (sde && ls_parse_long(sde, &v) == 0 && v >= 0)
		t = (time_t)v;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the common metadata m into a fresh entry. */
static void
ent_meta(struct dir_ent *e, const struct ls_dirmeta *m)
{
	char buf[32];

	if (m) {
		const char *keys[] = { LS_DIRMETA_METHOD, LS_DIRMETA_SOURCE, LS_DIRMETA_POS,
				       LS_DIRMETA_NEG, LS_DIRMETA_MODEL, LS_DIRMETA_NOTE };
		const char *vals[] = { m->method, m->source, m->pos, m->neg, m->model, m->note };
		size_t i;
		for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
			if (vals[i])
				kv_push(&e->kv, &e->nmeta, keys[i], vals[i]);
		if (isfinite(m->sigma)) {
			snprintf(buf, sizeof buf, "%.9g", m->sigma);
			kv_push(&e->kv, &e->nmeta, LS_DIRMETA_SIGMA, buf);
		}
	}
	now_iso(buf);
	kv_push(&e->kv, &e->nmeta, LS_DIRMETA_CREATED, buf);
}

enum ls_status
ls_dirfile_put(struct ls_dirfile *f, const char *name, const float *u, int d,
	       const struct ls_dirmeta *m, int force, char *err)
{
	enum ls_status s;
	float *v;
	int i;

	if ((s = ls_dirname_check(name, err)) != LS_OK)
		return s;
	if (d < 1)
		return ls_err(err, LS_EINVAL, "%s: a direction needs d >= 1 values", name);
	i = ls_dirfile_find(f, name);
	if (i >= 0 && !force)
		return ls_err(err, LS_EEXIST, "%s: '%s' already exists",
			      f->path, name);
	v = xreallocarray(NULL, (size_t)d, sizeof *v);
	memcpy(v, u, (size_t)d * sizeof *v);
	if (i >= 0) {
		ent_clear(&f->e[i]);
		f->e[i].name = xstrdup(name);
		f->e[i].v = v;
		f->e[i].d = d;
		ent_meta(&f->e[i], m);
	} else {
		ent_meta(ent_add(f, name, v, d), m);
	}
	return LS_OK;
}

/* Index of name or an error naming FILE:NAME. */
static enum ls_status
find_or_fail(const struct ls_dirfile *f, const char *name, int *i, char *err)
{
	if ((*i = ls_dirfile_find(f, name)) < 0)
		return ls_err(err, LS_EINVAL, "%s:%s: no such direction", f->path, name);
	return LS_OK;
}

enum ls_status
ls_dirfile_set_meta(struct ls_dirfile *f, const char *name, const char *key,
		    const char *value, char *err)
{
	struct dir_ent *e;
	enum ls_status s;
	int i, k;

	if ((s = find_or_fail(f, name, &i, err)) != LS_OK)
		return s;
	if (!key || !key[0] || strchr(key, '.'))
		return ls_err(err, LS_EINVAL, "%s: bad metadata key '%s'", name, key ? key : "");
	e = &f->e[i];
	for (k = 0; k < e->nmeta; k++)
		if (strcmp(e->kv[2 * k], key) == 0)
			break;
	if (k < e->nmeta) {
		free(e->kv[2 * k]);
		free(e->kv[2 * k + 1]);
		memmove(&e->kv[2 * k], &e->kv[2 * k + 2],
			(size_t)(e->nmeta - k - 1) * 2 * sizeof *e->kv);
		e->nmeta--;
	}
	if (value)
		kv_push(&e->kv, &e->nmeta, key, value);
	return LS_OK;
}

enum ls_status
ls_dirfile_set_num(struct ls_dirfile *f, const char *name, const char *key, double value,
		   char *err)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%.9g", value);
	return ls_dirfile_set_meta(f, name, key, buf, err);
}

enum ls_status
ls_dirfile_remove(struct ls_dirfile *f, const char *name, char *err)
{
	enum ls_status s;
	int i;

	if ((s = find_or_fail(f, name, &i, err)) != LS_OK)
		return s;
	ent_clear(&f->e[i]);
	memmove(&f->e[i], &f->e[i + 1], (size_t)(f->n - i - 1) * sizeof *f->e);
	f->n--;
	return LS_OK;
}

enum ls_status
ls_dirfile_rename(struct ls_dirfile *f, const char *old, const char *new_name, int force,
		  char *err)
{
	enum ls_status s;
	int i, j;

	if ((s = find_or_fail(f, old, &i, err)) != LS_OK ||
	    (s = ls_dirname_check(new_name, err)) != LS_OK)
		return s;
	if (strcmp(old, new_name) == 0)
		return LS_OK;
	if ((j = ls_dirfile_find(f, new_name)) >= 0) {
		if (!force)
			return ls_err(err, LS_EEXIST, "%s: '%s' already exists", f->path,
				      new_name);
		ls_dirfile_remove(f, new_name, err);
		i = ls_dirfile_find(f, old);
	}
	free(f->e[i].name);
	f->e[i].name = xstrdup(new_name);
	return LS_OK;
}

/* The metadata list for the writer: format, extras, then per direction. */
static char **
save_meta(const struct ls_dirfile *f, int *nmeta)
{
	char **kv = NULL;
	int n = 0, i, k;

	kv_push(&kv, &n, META_FORMAT, "directions");
	for (i = 0; i < f->nextra; i++)
		kv_push(&kv, &n, f->extra[2 * i], f->extra[2 * i + 1]);
	for (i = 0; i < f->n; i++)
		for (k = 0; k < f->e[i].nmeta; k++) {
			char *key = xasprintf(META_PREFIX "%s.%s", f->e[i].name, f->e[i].kv[2 * k]);
			kv_push(&kv, &n, key, f->e[i].kv[2 * k + 1]);
			free(key);
		}
	*nmeta = n;
	return kv;
}

enum ls_status
ls_dirfile_save(struct ls_dirfile *f, char *err)
{
	struct ls_st_out *t = xcalloc((size_t)f->n + 1, sizeof *t);
	enum ls_status s;
	char **kv;
	int i, nmeta;

	for (i = 0; i < f->n; i++) {
		t[i].name = f->e[i].name;
		t[i].ndim = 1;
		t[i].shape[0] = f->e[i].d;
		t[i].data = f->e[i].v;
	}
	kv = save_meta(f, &nmeta);
	s = ls_st_write(f->path, t, f->n, (const char *const *)kv, nmeta, err);
	kv_free(kv, nmeta);
	free(t);
	return s;
}

enum ls_status
ls_dirfile_split(const char *spec, char **path, char **name, char *err)
{
	const char *c = strrchr(spec, ':');

	*path = *name = NULL;
	if (!c || c == spec || !c[1])
		return ls_err(err, LS_EINVAL, "%s: want FILE:NAME", spec);
	*path = xasprintf("%.*s", (int)(c - spec), spec);
	*name = xstrdup(c + 1);
	return LS_OK;
}

enum ls_status
ls_dirfile_load(const char *path, const char *name, int d, float *u, char *err)
{
	struct ls_dirfile *f;
	enum ls_status s;
	int i;

	if ((s = ls_dirfile_open(path, 0, &f, err)) != LS_OK)
		return s;
	if ((i = ls_dirfile_find(f, name)) < 0)
		s = ls_err(err, LS_EINVAL, "%s:%s: no such direction", path, name);
	else if (f->e[i].d != d)
		s = ls_err(err, LS_EINVAL,
			   "%s:%s: the direction has %d values but the latent dimension is %d", path,
			   name, f->e[i].d, d);
	else
		memcpy(u, f->e[i].v, (size_t)d * sizeof *u);
	ls_dirfile_free(f);
	return s;
}
