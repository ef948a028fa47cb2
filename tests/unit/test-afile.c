/*
 * test-afile.c: safe saves. Every writer goes through the atomic writer
 * (util.h): a save that fails right before the rename (the fault hook, as
 * a crash would), a save into a full file system (a 64 KB tmpfs, when this
 * process may mount one) and a save into a missing folder all fail with a
 * clear error, leave the old file byte for byte intact and leave no
 * temporary file behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linscope/dirfile.h"
#include "linscope/npy.h"
#include "linscope/png.h"
#include "linscope/st.h"
#include "base/util.h"
#include "../lib/tap.h"

#define OLD "old content\n"

static int fault_calls;

/* The fault hook: every commit fails right before its rename. */
static int
fault_always(const char *path)
{
	(void)path;
	fault_calls++;
	return 1;
}

/* Writes OLD to path with plain stdio. */
static void
put_old(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f || fputs(OLD, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
}

/* Does path hold exactly OLD? */
static int
still_old(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	return n == strlen(OLD) && memcmp(buf, OLD, n) == 0;
}

/* Number of entries in dir other than . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* The verdict on one failed save of path in dir. */
static void
intact(enum ls_status s, const char *err, const char *dir, const char *path,
       const char *what, const char *want_in_err)
{
	ok(s != LS_OK && strstr(err, path) && strstr(err, want_in_err),
	   "%s: fails with a clear error", what);
	if (s == LS_OK || !strstr(err, want_in_err))
		diag("status %d, err '%s' (want '%s')", (int)s, err, want_in_err);
	ok(still_old(path), "%s: the old file is intact", what);
	ok(entries(dir) == 1, "%s: no temporary file is left", what);
}

/* Every writer of the core, each of which must refuse when commit fails. */
static void
writers(const char *dir, const char *path, const char *want, size_t big)
{
	char err[LS_ERR_MAX] = "", what[128];
	struct ls_afile *af;
	float *x = calloc(big, sizeof *x);
	int64_t shape[2] = { (int64_t)big / 4, 4 };
	struct ls_raster r = { 64, (int)(big / 64), 1, calloc(big, 1) };
	struct ls_st_out t = { "w", 1, { (int64_t)big }, x };
	struct ls_dirfile *f;
	size_t i;
	uint32_t rnd = 2463534242u;

	for (i = 0; i < big; i++) {   /* incompressible PNG data (xorshift32) */
		rnd ^= rnd << 13, rnd ^= rnd >> 17, rnd ^= rnd << 5;
		r.px[i] = (uint8_t)(rnd >> 24);
	}
	snprintf(what, sizeof what, "afile (%s)", want);
	put_old(path);
	ok(ls_afile_open(path, &af, err) == LS_OK, "%s: opens", what);
	for (i = 0; i < big / 16; i++)
		fputs("new content 16b\n", ls_afile_fp(af));
	intact(ls_afile_commit(af, 0, err), err, dir, path, what, want);
	snprintf(what, sizeof what, "ls_npy_write_f32 (%s)", want);
	put_old(path);
	intact(ls_npy_write_f32(path, x, 2, shape, err), err, dir, path, what, want);
	snprintf(what, sizeof what, "ls_png_write (%s)", want);
	put_old(path);
	intact(ls_png_write(path, &r, err), err, dir, path, what, want);
	snprintf(what, sizeof what, "ls_st_write (%s)", want);
	put_old(path);
	intact(ls_st_write(path, &t, 1, NULL, 0, err), err, dir, path, what, want);
	snprintf(what, sizeof what, "ls_dirfile_save (%s)", want);
	if (ls_dirfile_open(path, 1, &f, err) == LS_OK) {
		diag("a file that is not a directions file opened: %s", path);
		ls_dirfile_free(f);
	}
	unlink(path);
	ok(ls_dirfile_open(path, 1, &f, err) == LS_OK, "%s: a new set", what);
	ok(ls_dirfile_put(f, "u", x, (int)(big > 1 << 20 ? 1 << 20 : big), NULL, 0, err) == LS_OK,
	   "%s: put", what);
	put_old(path);
	intact(ls_dirfile_save(f, err), err, dir, path, what, want);
	ls_dirfile_free(f);
	free(r.px);
	free(x);
}

/* A save that fails right before the rename. */
static void
fault_case(void)
{
	char dir[512], path[600], err[LS_ERR_MAX] = "";
	struct ls_afile *af;

	snprintf(dir, sizeof dir, "%s/fault", tmpdir());
	snprintf(path, sizeof path, "%s/file.out", dir);
	mkdir(dir, 0700);
	ls_afile_set_fault(fault_always);
	writers(dir, path, strerror(EIO), 4096);
	ok(fault_calls == 5, "the fault hook ran once per save (%d)", fault_calls);
	ls_afile_set_fault(NULL);
	/* without the fault the same save replaces the file */
	ok(ls_afile_open(path, &af, err) == LS_OK, "afile: opens again");
	fputs("new\n", ls_afile_fp(af));
	ok(ls_afile_commit(af, 0, err) == LS_OK && !still_old(path) && entries(dir) == 1,
	   "without the fault, the save replaces the old file");
	put_old(path);
	ok(ls_afile_open(path, &af, err) == LS_OK, "afile: opens (noclobber)");
	fputs("new\n", ls_afile_fp(af));
	intact(ls_afile_commit(af, 1, err), err, dir, path, "noclobber over an existing file",
	       "already exists");
	unlink(path);
	rmdir(dir);
}

/* A save into a folder that does not exist. */
static void
missing_dir_case(void)
{
	char path[600], err[LS_ERR_MAX] = "";
	struct ls_afile *af = NULL;
	float x = 1;
	int64_t shape[1] = { 1 };

	snprintf(path, sizeof path, "%s/no-such-dir/out.npy", tmpdir());
	ok(ls_afile_open(path, &af, err) != LS_OK && af == NULL && strstr(err, path),
	   "a save into a missing folder fails, naming the file");
	ok(ls_npy_write_f32(path, &x, 1, shape, err) != LS_OK && strstr(err, path),
	   "ls_npy_write_f32 into a missing folder fails, naming the file");
}

/* A save into a full file system: a 64 KB tmpfs (needs mount rights). */
static void
full_case(void)
{
	char dir[512], path[600];

	snprintf(dir, sizeof dir, "%s/full", tmpdir());
	snprintf(path, sizeof path, "%s/file.out", dir);
	mkdir(dir, 0700);
	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
		printf("ok %d # SKIP cannot mount a tmpfs here (%s)\n", ++tap_n, strerror(errno));
		rmdir(dir);
		return;
	}
	writers(dir, path, strerror(ENOSPC), 256 * 1024);
	unlink(path);
	if (umount(dir) != 0)
		diag("umount %s: %s", dir, strerror(errno));
	rmdir(dir);
}

int
main(void)
{
	fault_case();
	missing_dir_case();
	full_case();
	rmdir(tmpdir());
	return done_testing();
}
