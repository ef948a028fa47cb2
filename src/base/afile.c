/*
 * afile.c: atomic file writes and read-only file mappings.
 *
 * Every file linscope writes goes through ls_afile_*: the data goes to a
 * temporary file "DIR/.NAME.XXXXXX" in the destination's directory, which is
 * flushed, fsync'ed and renamed over the destination, then the directory is
 * fsync'ed. Until the rename the old file is untouched; on any error the
 * temporary is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

struct ls_afile {
	char *path;   /* destination */
	char *tmp;    /* temporary in the same directory */
	FILE *fp;
};

static int (*afile_fault)(const char *path);

void
ls_afile_set_fault(int (*fault)(const char *path))
{
	afile_fault = fault;
}

/* The directory part of path, malloc'd. */
static char *
dir_of(const char *path)
{
	char *copy = xstrdup(path), *d = xstrdup(dirname(copy));

	free(copy);
	return d;
}

enum ls_status
ls_afile_open(const char *path, struct ls_afile **out, char *err)
{
	struct ls_afile *af;
	char *copy, *dir;
	int fd;

	*out = NULL;
	copy = xstrdup(path);
	dir = dir_of(path);
	af = xcalloc(1, sizeof *af);
	af->path = xstrdup(path);
	af->tmp = xasprintf("%s/.%s.XXXXXX", dir, basename(copy));
	free(copy);
	free(dir);
	fd = mkstemp(af->tmp);
	if (fd < 0 || !(af->fp = fdopen(fd, "wb"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(af->tmp);
		}
		free(af->tmp);
		free(af->path);
		free(af);
		return ls_err(err, LS_EIO, "%s: cannot write: %s", path, strerror(e));
	}
	fchmod(fd, 0644);
	*out = af;
	return LS_OK;
}

FILE *
ls_afile_fp(struct ls_afile *af)
{
	return af->fp;
}

static void
afile_release(struct ls_afile *af)
{
	free(af->tmp);
	free(af->path);
	free(af);
}

void
ls_afile_abort(struct ls_afile *af)
{
	if (!af)
		return;
	if (af->fp)
		fclose(af->fp);
	unlink(af->tmp);
	afile_release(af);
}

/* Makes the rename durable. */
static void
sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Moves tmp to path; with noclobber, refuses an existing path atomically. */
static int
afile_place(struct ls_afile *af, int noclobber)
{
	if (!noclobber)
		return rename(af->tmp, af->path);
	if (link(af->tmp, af->path) == 0)
		return unlink(af->tmp), 0;
	if (errno == EEXIST)
		return -1;
	if (access(af->path, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(af->tmp, af->path);
}

enum ls_status
ls_afile_commit(struct ls_afile *af, int flags, char *err)
{
	int bad = 0, e = 0, sync = !(flags & LS_AFILE_NOSYNC);

	if (fflush(af->fp) != 0 || ferror(af->fp) || (sync && fsync(fileno(af->fp)) != 0))
		bad = 1, e = errno;
	if (fclose(af->fp) != 0 && !bad)
		bad = 1, e = errno;
	af->fp = NULL;
	/* Test hook (tests/cli-saves.sh): LINSCOPE_FAULT_SLEEP=N waits N s with
	 * the data written, before the rename, so a test can kill the save. */
	if (!bad && getenv("LINSCOPE_FAULT_SLEEP"))
		sleep((unsigned)atoi(getenv("LINSCOPE_FAULT_SLEEP")));
	if (!bad && afile_fault && afile_fault(af->path))
		bad = 1, e = EIO;
	if (!bad && afile_place(af, flags & LS_AFILE_NOCLOBBER) != 0)
		bad = 1, e = errno;
	if (bad) {
		enum ls_status st = ls_err(err, LS_EIO, "%s: %s", af->path,
			e == EEXIST ? "already exists (not replaced)" : strerror(e ? e : EIO));
		ls_afile_abort(af);
		return st;
	}
	if (sync)
		sync_dir(af->path);
	afile_release(af);
	return LS_OK;
}

enum ls_status
ls_map_file(const char *path, const void **base, size_t *len, char *err)
{
	struct stat sb;
	void *p;
	int fd;

	*base = NULL;
	*len = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return ls_err(err, LS_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ls_err(err, LS_EIO, "%s: not a regular file", path);
	}
	if (sb.st_size == 0) {
		close(fd);
		return LS_OK;
	}
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return ls_err(err, LS_EIO, "%s: cannot map: %s", path, strerror(errno));
	*base = p;
	*len = (size_t)sb.st_size;
	return LS_OK;
}

void
ls_unmap(const void *base, size_t len)
{
	if (base && len)
		munmap((void *)base, len);
}
