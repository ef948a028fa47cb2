/*
 * bundle.c: bundled models by name. A spec names a bundled model when it has
 * no '/', no model-file suffix and nothing but a folder of that name is here; name N
 * is then N.safetensors or N-decoder.onnx (with N-encoder.onnx), with the
 * bank N.npy and the labels N-labels.txt when they are there, found through
 * the asset search (assets.h). This is the one place that resolves names,
 * for the command line and the explorer alike.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linscope/assets.h"
#include "linscope/model.h"
#include "base/util.h"

/* Does s end with suffix? */
static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

int
ls_bundle_is_name(const char *spec)
{
	struct stat st;

	/* a folder called "faces" here does not hide the bundled faces */
	return spec && *spec && !strchr(spec, '/') && !ends_with(spec, ".safetensors") &&
	       !ends_with(spec, ".onnx") && (stat(spec, &st) != 0 || S_ISDIR(st.st_mode));
}

/* The asset NAME+suffix, malloc'd, or NULL. */
static char *
asset(const char *name, const char *suffix)
{
	char *n = xasprintf("%s%s", name, suffix), *p = ls_asset_path(n);

	free(n);
	return p;
}

/* Sorts strings. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The name of a bundled model file (N.safetensors, N-decoder.onnx), malloc'd,
 * or NULL for any other file. */
static char *
model_name(const char *file)
{
	static const char *suffix[] = { ".safetensors", "-decoder.onnx" };
	size_t i, n = strlen(file);

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if (ends_with(file, suffix[i]) && n > strlen(suffix[i]))
			return xasprintf("%.*s", (int)(n - strlen(suffix[i])), file);
	return NULL;
}

/* The bundled names found in the asset folder, sorted, into out (size n). */
static void
list_names(char *out, size_t n)
{
	char *dir = ls_asset_dir(), **v = NULL, *name;
	size_t k = 0, cnt = 0, i;
	struct dirent *e;
	DIR *d;

	out[0] = 0;
	if (!dir || !(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d)))
		if ((name = model_name(e->d_name))) {
			v = xreallocarray(v, cnt + 1, sizeof *v);
			v[cnt++] = name;
		}
	closedir(d);
	free(dir);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_str);
	for (i = 0; i < cnt; i++) {
		if (k + 1 < n)
			k += (size_t)snprintf(out + k, n - k, "%s%s", i ? ", " : "", v[i]);
		free(v[i]);
	}
	free(v);
}

enum ls_status
ls_bundle_find(const char *name, struct ls_bundle *b, char *err)
{
	char names[256];

	memset(b, 0, sizeof *b);
	if (!name)
		name = LS_DEFAULT_MODEL;
	if (!(b->model = asset(name, ".safetensors")) && (b->model = asset(name, "-decoder.onnx")))
		b->encoder = asset(name, "-encoder.onnx");
	if (!b->model) {
		list_names(names, sizeof names);
		return ls_err(err, LS_EINVAL, "%s: no such model file or bundled model (bundled: %s; set LINSCOPE_DATADIR)",
			      name, *names ? names : "none found");
	}
	b->bank = asset(name, ".npy");
	b->labels = asset(name, "-labels.txt");
	b->factors = asset(name, "-factors.npy");
	return LS_OK;
}

enum ls_status
ls_bundle_open(const struct ls_bundle *b, struct ls_model **m, char *err)
{
	struct ls_model_opts o;

	ls_model_defaults(&o);
	if (!o.encoder)
		o.encoder = b->encoder;
	return ls_model_open_opts(b->model, &o, m, err);
}

void
ls_bundle_free(struct ls_bundle *b)
{
	if (!b)
		return;
	free(b->model);
	free(b->encoder);
	free(b->bank);
	free(b->labels);
	free(b->factors);
	memset(b, 0, sizeof *b);
}
