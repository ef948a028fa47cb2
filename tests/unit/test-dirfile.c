/*
 * test-dirfile.c: directions files: round trip of vectors and metadata,
 * refusal of existing names, rename/remove, atomic saves, FILE:NAME in
 * ls_dir_resolve, and the errors for a missing name, a wrong length and
 * a corrupt file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "linscope/linscope.h"
#include "base/util.h"
#include "linscope/dir.h"
#include "../lib/tap.h"

static char path[512];

static int
fail_rename(const char *p)
{
	(void)p;
	return 1;
}

static void
test_roundtrip(void)
{
	const float a[3] = { 1, 2, 3 }, b[3] = { -1, 0.5f, 0 }, c[2] = { 7, 8 };
	struct ls_dirmeta m = { "probe", "bank=x.npy", "1,7", "2", "abcd", "a note", 1.25 };
	struct ls_dirfile *f;
	char err[LS_ERR_MAX];
	int i;

	ok(ls_dirfile_open(path, 0, &f, err) == LS_EIO, "missing file without create: %s", err);
	ok(ls_dirfile_open(path, 1, &f, err) == LS_OK && ls_dirfile_count(f) == 0, "create: empty");
	ok(ls_dirfile_put(f, "first", a, 3, &m, 0, err) == LS_OK, "put first");
	ok(ls_dirfile_put(f, "second.v2", b, 3, NULL, 0, err) == LS_OK, "put a name with a dot");
	ok(ls_dirfile_put(f, "small", c, 2, NULL, 0, err) == LS_OK, "put another length");
	ok(ls_dirfile_set_num(f, "second.v2", "auc", 0.75, err) == LS_OK, "set numeric meta");
	ok(ls_dirfile_put(f, "first", b, 3, NULL, 0, err) == LS_EEXIST && strstr(err, "exists"),
	   "existing name refused: %s", err);
	ok(ls_dirfile_put(f, "a:b", b, 3, NULL, 0, err) == LS_EINVAL, "name with ':' refused");
	ok(ls_dirfile_save(f, err) == LS_OK, "save");
	ls_dirfile_free(f);
	ok(ls_dirfile_open(path, 0, &f, err) == LS_OK && ls_dirfile_count(f) == 3, "reopen: 3");
	ok(!strcmp(ls_dirfile_name(f, 0), "first") && !strcmp(ls_dirfile_name(f, 2), "small"),
	   "order kept");
	i = ls_dirfile_find(f, "first");
	ok_maxdiff(ls_dirfile_vec(f, i), a, 3, 0, "values round trip");
	ok(!strcmp(ls_dirfile_meta(f, i, "method"), "probe") &&
	   !strcmp(ls_dirfile_meta(f, i, "pos"), "1,7") && !strcmp(ls_dirfile_meta(f, i, "neg"), "2") &&
	   !strcmp(ls_dirfile_meta(f, i, "model"), "abcd") &&
	   !strcmp(ls_dirfile_meta(f, i, "note"), "a note") && ls_dirfile_meta(f, i, "created"),
	   "metadata round trip");
	ok_close(ls_dirfile_sigma(f, i), 1.25, 1e-12, "sigma round trip");
	ok(isnan(ls_dirfile_sigma(f, 1)), "no sigma: NAN");
	ok(!strcmp(ls_dirfile_meta(f, 1, "auc"), "0.75"), "metadata of a dotted name");
	ok(ls_dirfile_dim(f, 2) == 2, "lengths kept per direction");
	ok(ls_dirfile_rename(f, "first", "small", 0, err) == LS_EEXIST, "rename onto existing refused");
	ok(ls_dirfile_rename(f, "first", "renamed", 0, err) == LS_OK &&
	   ls_dirfile_find(f, "renamed") == 0 && ls_dirfile_meta(f, 0, "pos"), "rename keeps place and metadata");
	ok(ls_dirfile_remove(f, "small", err) == LS_OK && ls_dirfile_count(f) == 2, "remove");
	ok(ls_dirfile_remove(f, "nope", err) == LS_EINVAL && strstr(err, "nope"), "remove missing: %s", err);
	ok(ls_dirfile_put(f, "renamed", c, 2, NULL, 1, err) == LS_OK &&
	   ls_dirfile_dim(f, 0) == 2 && !ls_dirfile_meta(f, 0, "pos"), "force replaces, drops old metadata");
	ok(ls_dirfile_save(f, err) == LS_OK, "save again");
	ls_dirfile_free(f);
}

static void
test_atomic(void)
{
	const float a[3] = { 9, 9, 9 };
	struct ls_dirfile *f;
	char err[LS_ERR_MAX];
	unsigned char *before, *after;
	size_t n0 = 0, n1 = 0;

	before = slurp(path, &n0);
	ls_dirfile_open(path, 0, &f, err);
	ls_dirfile_put(f, "new", a, 3, NULL, 0, err);
	ls_afile_set_fault(fail_rename);
	ok(ls_dirfile_save(f, err) != LS_OK, "save with a failing rename fails");
	ls_afile_set_fault(NULL);
	after = slurp(path, &n1);
	ok(n0 == n1 && n0 > 0 && memcmp(before, after, (size_t)n0) == 0, "old file intact");
	ls_dirfile_free(f);
	free(before);
	free(after);
}

static void
test_resolve(void)
{
	char spec[600], err[LS_ERR_MAX];
	float u[3] = { 0 }, want[3] = { -1, 0.5f, 0 };
	struct ls_dirfile *f;
	FILE *fp;

	snprintf(spec, sizeof spec, "%s:second.v2", path);
	ok(ls_dir_resolve(spec, NULL, 3, u, err) == LS_OK, "resolve FILE:NAME");
	ok_maxdiff(u, want, 3, 0, "resolved values");
	ok(ls_dir_resolve(spec, NULL, 4, u, err) == LS_EINVAL && strstr(err, "latent dimension"),
	   "wrong length: %s", err);
	snprintf(spec, sizeof spec, "%s:absent", path);
	ok(ls_dir_resolve(spec, NULL, 3, u, err) == LS_EINVAL && strstr(err, "absent"),
	   "missing name: %s", err);
	ok(ls_dir_resolve("axis:1", NULL, 3, u, err) == LS_OK && u[1] == 1 && u[0] == 0,
	   "axis:K still works");
	snprintf(spec, sizeof spec, "%s/corrupt.st", tmpdir());
	fp = fopen(spec, "wb");
	fputs("\x40\0\0\0\0\0\0\0{\"a\": {\"dtype\": \"F32\", \"sha", fp);
	fclose(fp);
	ok(ls_dirfile_open(spec, 1, &f, err) == LS_EFORMAT, "corrupt file refused: %s", err);
	strcat(spec, ":a");
	ok(ls_dir_resolve(spec, NULL, 3, u, err) == LS_EFORMAT, "corrupt file via FILE:NAME");
}

int
main(void)
{
	snprintf(path, sizeof path, "%s/d:with:colons.safetensors", tmpdir());
	test_roundtrip();
	test_atomic();
	test_resolve();
	{
		char p2[600];
		remove(path);
		snprintf(p2, sizeof p2, "%s/corrupt.st", tmpdir());
		remove(p2);
		rmdir(tmpdir());
	}
	return done_testing();
}
