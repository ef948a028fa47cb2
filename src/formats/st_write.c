/*
 * st_write.c: the safetensors writer (F32 tensors and string metadata).
 *
 * The header is compact JSON: "__metadata__" first (if any), then the
 * tensors in the order given, each {"dtype":"F32","shape":[...],
 * "data_offsets":[b,e]} with the data laid out contiguously in that order.
 * The header is padded with spaces to a multiple of 8 bytes, as the Python
 * safetensors library does, so the data section starts 8-byte aligned. The
 * file is written through ls_afile_*: either the whole new file appears or
 * the old one stays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "linscope/st.h"
#include "base/bytes.h"
#include "base/util.h"

/* Checks one output tensor and returns its element count in *numel. */
static enum ls_status
check_out(const char *path, const struct ls_st_out *t, int64_t *numel, char *err)
{
	int64_t n = 1;
	int i;

	if (!t->name || !t->name[0] || strcmp(t->name, "__metadata__") == 0)
		return ls_err(err, LS_EINVAL, "%s: bad tensor name '%s'", path,
			      t->name ? t->name : "(null)");
	if (t->ndim < 0 || t->ndim > LS_ST_MAX_DIMS)
		return ls_err(err, LS_EINVAL, "%s: tensor '%s' has %d dimensions (at most %d)",
			      path, t->name, t->ndim, LS_ST_MAX_DIMS);
	for (i = 0; i < t->ndim; i++) {
		if (t->shape[i] < 0 || (t->shape[i] && n > INT64_MAX / 4 / t->shape[i]))
			return ls_err(err, LS_EINVAL, "%s: tensor '%s' has a bad shape", path,
				      t->name);
		n *= t->shape[i];
	}
	if (n && !t->data)
		return ls_err(err, LS_EINVAL, "%s: tensor '%s' has no data", path, t->name);
	*numel = n;
	return LS_OK;
}

/* {"dtype": "F32", "shape": [...], "data_offsets": [b, e]} */
static json_t *
tensor_json(const struct ls_st_out *t, int64_t b, int64_t e)
{
	json_t *o = json_object(), *shape = json_array();
	int i;

	for (i = 0; i < t->ndim; i++)
		json_array_append_new(shape, json_integer((json_int_t)t->shape[i]));
	json_object_set_new(o, "dtype", json_string("F32"));
	json_object_set_new(o, "shape", shape);
	json_object_set_new(o, "data_offsets",
			    json_pack("[II]", (json_int_t)b, (json_int_t)e));
	return o;
}

/* The "__metadata__" object from key/value pairs. */
static enum ls_status
meta_json(const char *path, const char *const *kv, int n, json_t **out, char *err)
{
	json_t *m = json_object();
	int i;

	*out = m;
	for (i = 0; i < n; i++) {
		const char *k = kv[2 * i], *val = kv[2 * i + 1];
		/* json_object_set_new() takes the value even when it fails. */
		if (!k || !val || json_object_get(m, k) ||
		    json_object_set_new(m, k, json_string(val)) != 0)
			return ls_err(err, LS_EINVAL,
				      "%s: metadata key '%s' is missing, repeated or not UTF-8", path,
				      k ? k : "(null)");
	}
	return LS_OK;
}

/* One file being written: its tensors, metadata and each tensor's count. */
struct st_job {
	const char *path;
	const struct ls_st_out *t;
	int nt, nmeta;
	const char *const *kv;
	int64_t *numel;   /* (nt) */
};

/* Builds the whole header object and fills j->numel. */
static enum ls_status
header_json(const struct st_job *j, json_t **out, char *err)
{
	const struct ls_st_out *t = j->t;
	json_t *root = json_object(), *meta = NULL;
	const char *path = j->path;
	int64_t off = 0, *numel = j->numel;
	enum ls_status rc = LS_OK;
	int i, nt = j->nt;

	if (j->nmeta > 0 && !(rc = meta_json(path, j->kv, j->nmeta, &meta, err)))
		json_object_set(root, "__metadata__", meta);
	json_decref(meta);
	for (i = 0; i < nt && !rc; i++) {
		if ((rc = check_out(path, &t[i], &numel[i], err)))
			break;
		if (json_object_get(root, t[i].name) ||
		    json_object_set_new(root, t[i].name, tensor_json(&t[i], off, off + 4 * numel[i])))
			rc = ls_err(err, LS_EINVAL, "%s: tensor name '%s' is repeated or not UTF-8",
				    path, t[i].name);
		off += 4 * numel[i];
	}
	if (rc)
		json_decref(root);
	*out = rc ? NULL : root;
	return rc;
}

/* Writes the length prefix and the space-padded header text. */
static int
write_header(FILE *fp, const char *text)
{
	size_t len = strlen(text), padded = (len + 7) / 8 * 8;
	unsigned char pre[8];
	int i;

	for (i = 0; i < 8; i++)
		pre[i] = (unsigned char)((uint64_t)padded >> (8 * i));
	if (fwrite(pre, 1, 8, fp) != 8 || fwrite(text, 1, len, fp) != len)
		return -1;
	for (; len < padded; len++)
		if (putc(' ', fp) == EOF)
			return -1;
	return 0;
}

/* Writes header and data to an open atomic file. */
static enum ls_status
write_all(const struct st_job *j, FILE *fp, const char *text, char *err)
{
	int i, bad = write_header(fp, text);

	for (i = 0; i < j->nt && !bad; i++)
		bad = ls_write_f32_le(fp, j->t[i].data, (size_t)j->numel[i]);
	return bad ? ls_err(err, LS_EIO, "%s: write failed: %s", j->path, strerror(errno)) : LS_OK;
}

enum ls_status
ls_st_write(const char *path, const struct ls_st_out *t, int nt, const char *const *meta_kv,
	    int nmeta, char *err)
{
	struct st_job j = { path, t, nt, nmeta, meta_kv, NULL };
	struct ls_afile *af = NULL;
	enum ls_status rc;
	json_t *root = NULL;
	char *text = NULL;

	j.numel = xcalloc((size_t)(nt > 0 ? nt : 0) + 1, sizeof *j.numel);
	if ((rc = header_json(&j, &root, err)))
		goto out;
	text = json_dumps(root, JSON_COMPACT);
	LS_ASSERT(text != NULL);
	if ((rc = ls_afile_open(path, &af, err)))
		goto out;
	rc = write_all(&j, ls_afile_fp(af), text, err);
	if (rc)
		ls_afile_abort(af);
	else
		rc = ls_afile_commit(af, 0, err);
out:
	free(text);
	json_decref(root);
	free(j.numel);
	return rc;
}
