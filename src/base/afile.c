/*
 * afile.c: atomic file writes, the directory lock and read-only mappings.
 *
 * Every file linscope writes goes through ls_afile_*. Where the data goes
 * depends on what the destination is (lstat, then stat through a link):
 *  - missing or a regular file: an unnamed temporary (O_TMPFILE) in the
 *    destination's directory, flushed, fsync'ed, given a name and renamed
 *    over the destination, then the directory is fsync'ed. Until the rename
 *    the old file is untouched; a killed save leaves nothing behind. Where
 *    O_TMPFILE is missing the temporary is named ".NAME.ls-PID.XXXXXX";
 *    temporaries of that pattern whose process is gone are removed by the
 *    next save of NAME.
 *  - a symbolic link to a regular file: the file it points to is replaced
 *    as above (in its own directory) and the link is kept. A link owned by
 *    someone else in a sticky, world-writable folder (/tmp) is refused, as
 *    the kernel's protected_symlinks would.
 *  - a FIFO or a character device (directly or through a link: /dev/null,
 *    /dev/stdout, a pipe): written directly; never replaced.
 *  - anything else (a directory, a block device, a socket, a dangling
 *    link): refused, nothing is written.
 * A replaced file keeps its permission bits; a new one gets 0666 & ~umask.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

struct ls_afile {
	char *path;   /* the destination as given (for messages) */
	char *dest;   /* the file that is replaced (a link resolved) */
	char *tmp;    /* named temporary, or NULL */
	int unnamed;  /* the temporary is an O_TMPFILE */
	int direct;   /* writing straight into a FIFO or device */
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

/* The last part of path, malloc'd. */
static char *
base_of(const char *path)
{
	char *copy = xstrdup(path), *b = xstrdup(basename(copy));

	free(copy);
	return b;
}

/* Is the link path one the kernel's protected_symlinks would not follow? */
static int
link_untrusted(const char *path, const struct stat *lsb)
{
	char *dir = dir_of(path);
	struct stat dsb;
	int bad = 0;

	if (stat(dir, &dsb) == 0 && (dsb.st_mode & S_ISVTX) && (dsb.st_mode & S_IWOTH) &&
	    lsb->st_uid != geteuid() && lsb->st_uid != dsb.st_uid)
		bad = 1;
	free(dir);
	return bad;
}

/* Decides where path's data goes: sets *dest (malloc'd) and *direct. */
static enum ls_status
afile_target(const char *path, char **dest, int *direct, mode_t *mode, char *err)
{
	struct stat lsb, sb;
	mode_t um = umask(0);

	umask(um);
	*dest = NULL;
	*direct = 0;
	*mode = 0666 & ~um;
	if (lstat(path, &lsb) != 0)
		return errno == ENOENT ? (*dest = xstrdup(path), LS_OK)
				       : ls_err(err, LS_EIO, "%s: %s", path, strerror(errno));
	if (S_ISLNK(lsb.st_mode) && link_untrusted(path, &lsb))
		return ls_err(err, LS_EIO, "%s: a symbolic link of another user in a shared "
			      "folder (not followed, not written)", path);
	if (stat(path, &sb) != 0)
		return ls_err(err, LS_EIO, "%s: %s", path,
			      errno == ENOENT ? "a symbolic link to a missing file (not written)"
					      : strerror(errno));
	if (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode))
		return *direct = 1, *dest = xstrdup(path), LS_OK;
	if (!S_ISREG(sb.st_mode))
		return ls_err(err, LS_EIO, "%s: %s (not written)", path,
			      S_ISDIR(sb.st_mode) ? "is a directory"
						  : "not a regular file, FIFO or character device");
	*mode = sb.st_mode & 0777;
	if (!S_ISLNK(lsb.st_mode))
		return *dest = xstrdup(path), LS_OK;
	if (!(*dest = realpath(path, NULL)))
		return ls_err(err, LS_EIO, "%s: %s", path, strerror(errno));
	return LS_OK;
}

/* Is name ".BASE.ls-PID.XXXXXX" of a process that is gone? */
static int
stale_tmp(const char *name, const char *base)
{
	size_t bl = strlen(base);
	char *end;
	long pid;

	if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 || strncmp(name + 1 + bl, ".ls-", 4))
		return 0;
	pid = strtol(name + 5 + bl, &end, 10);
	if (end == name + 5 + bl || *end != '.' || strlen(end + 1) != 6 || pid <= 0 ||
	    pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Removes the temporaries a killed save of dir/base left behind (ours only:
 * the pattern, a dead owner, a regular file of this user). */
static void
clean_stale(const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat sb;
		if (!stale_tmp(de->d_name, base) ||
		    fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode) || sb.st_uid != geteuid())
			continue;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* A fresh name ".BASE.ls-PID.XXXXXX" in dir for mkstemp (malloc'd). */
static char *
tmp_template(const char *dir, const char *base)
{
	return xasprintf("%s/.%s.ls-%ld.XXXXXX", dir, base, (long)getpid());
}

/* Opens the temporary for dest: unnamed when the system allows, else named. */
static int
tmp_open(struct ls_afile *af, mode_t mode)
{
	char *dir = dir_of(af->dest), *base = base_of(af->dest);
	int fd = -1;

	clean_stale(dir, base);
#ifdef O_TMPFILE
	if (access("/proc/self/fd", X_OK) == 0 &&
	    (fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)) >= 0)
		af->unnamed = 1;
#endif
	if (fd < 0) {
		af->tmp = tmp_template(dir, base);
		fd = mkstemp(af->tmp);
		if (fd < 0)
			free(af->tmp), af->tmp = NULL;
	}
	if (fd >= 0)
		fchmod(fd, mode);
	free(dir);
	free(base);
	return fd;
}

/* Opens a FIFO or device for writing, without blocking on a FIFO with no
 * reader (that is an error, ENXIO). */
static int
direct_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC), fl;

	if (fd >= 0 && (fl = fcntl(fd, F_GETFL)) >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

static void
afile_release(struct ls_afile *af)
{
	free(af->tmp);
	free(af->dest);
	free(af->path);
	free(af);
}

enum ls_status
ls_afile_open(const char *path, struct ls_afile **out, char *err)
{
	struct ls_afile *af;
	enum ls_status st;
	mode_t mode;
	int fd, e;

	*out = NULL;
	af = xcalloc(1, sizeof *af);
	af->path = xstrdup(path);
	if ((st = afile_target(path, &af->dest, &af->direct, &mode, err)) != LS_OK) {
		afile_release(af);
		return st;
	}
	fd = af->direct ? direct_open(af->dest) : tmp_open(af, mode);
	if (fd < 0 || !(af->fp = fdopen(fd, "wb"))) {
		e = errno;
		if (fd >= 0)
			close(fd);
		if (af->tmp)
			unlink(af->tmp);
		afile_release(af);
		return ls_err(err, LS_EIO, "%s: cannot write: %s", path,
			      e == ENXIO ? "a FIFO with no reader" : strerror(e));
	}
	*out = af;
	return LS_OK;
}

FILE *
ls_afile_fp(struct ls_afile *af)
{
	return af->fp;
}

void
ls_afile_abort(struct ls_afile *af)
{
	if (!af)
		return;
	if (af->fp)
		fclose(af->fp);
	if (af->tmp)
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

/* Gives the unnamed temporary a name (af->tmp), next to its destination. */
static int
name_unnamed(struct ls_afile *af)
{
	char *dir = dir_of(af->dest), *base = base_of(af->dest), proc[64];
	int i, rc = -1;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(af->fp));
	for (i = 0; i < 100 && rc != 0; i++) {
		free(af->tmp);
		af->tmp = xasprintf("%s/.%s.ls-%ld.%06x", dir, base, (long)getpid(),
				    (unsigned)(random() & 0xffffff));
		rc = linkat(AT_FDCWD, proc, AT_FDCWD, af->tmp, AT_SYMLINK_FOLLOW);
		if (rc != 0 && errno != EEXIST)
			break;
	}
	if (rc != 0)
		free(af->tmp), af->tmp = NULL;
	free(dir);
	free(base);
	return rc;
}

/* Moves tmp to dest; with noclobber, refuses an existing dest atomically. */
static int
afile_place(struct ls_afile *af, int noclobber)
{
	char proc[64];

	if (af->direct)
		return noclobber ? (errno = EEXIST, -1) : 0;
	if (af->unnamed && noclobber) {
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(af->fp));
		return linkat(AT_FDCWD, proc, AT_FDCWD, af->dest, AT_SYMLINK_FOLLOW);
	}
	if (af->unnamed && name_unnamed(af) != 0)
		return -1;
	if (!noclobber)
		return rename(af->tmp, af->dest);
	if (link(af->tmp, af->dest) == 0)
		return unlink(af->tmp), 0;
	if (errno == EEXIST)
		return -1;
	if (access(af->dest, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(af->tmp, af->dest);
}

/* Test hook (tests/e2e/cli-saves.sh): LINSCOPE_FAULT_SLEEP=N waits N s with
 * the data written, before the rename, so a test can kill the save; it
 * first creates the file LINSCOPE_FAULT_MARK, when set, to say so. */
static void
fault_sleep(void)
{
	const char *mark = getenv("LINSCOPE_FAULT_MARK");
	int fd;

	if (!getenv("LINSCOPE_FAULT_SLEEP"))
		return;
	if (mark && (fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	sleep((unsigned)atoi(getenv("LINSCOPE_FAULT_SLEEP")));
}

/* Flushes (and for a file, syncs) the data; 0 or an errno. */
static int
afile_flush(struct ls_afile *af, int sync)
{
	if (fflush(af->fp) != 0 || ferror(af->fp))
		return errno ? errno : EIO;
	if (sync && !af->direct && fsync(fileno(af->fp)) != 0)
		return errno;
	return 0;
}

enum ls_status
ls_afile_commit(struct ls_afile *af, int flags, char *err)
{
	int e, sync = !(flags & LS_AFILE_NOSYNC);

	e = afile_flush(af, sync);
	if (!e)
		fault_sleep();
	if (!e && afile_fault && afile_fault(af->path))
		e = EIO;
	if (!e && afile_place(af, flags & LS_AFILE_NOCLOBBER) != 0)
		e = errno ? errno : EIO;
	if (!e && !af->direct)
		free(af->tmp), af->tmp = NULL;   /* placed: nothing to remove */
	if (fclose(af->fp) != 0 && !e && af->direct)
		e = errno ? errno : EIO;
	af->fp = NULL;
	if (e) {
		enum ls_status st = ls_err(err, LS_EIO, "%s: %s", af->path,
			e == EEXIST ? "already exists (not replaced)" : strerror(e));
		ls_afile_abort(af);
		return st;
	}
	if (sync && !af->direct)
		sync_dir(af->dest);
	afile_release(af);
	return LS_OK;
}

enum ls_status
ls_afile_lock(const char *path, int *lock, char *err)
{
	char *real = realpath(path, NULL), *dir = dir_of(real ? real : path);
	enum ls_status st = LS_OK;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*lock = -1;
	if (fd < 0)
		st = ls_err(err, LS_EIO, "%s: cannot lock its folder: %s", path, strerror(errno));
	else if (flock(fd, LOCK_EX) != 0) {
		st = ls_err(err, LS_EIO, "%s: cannot lock its folder: %s", path, strerror(errno));
		close(fd);
	} else
		*lock = fd;
	free(real);
	free(dir);
	return st;
}

void
ls_afile_unlock(int lock)
{
	if (lock >= 0)
		close(lock);   /* drops the flock */
}

/*
 * Mapped files and SIGBUS. A file mapped by ls_map_file() that another
 * program truncates while it is in use would kill the process with SIGBUS
 * on the next read of a page past the new end. The guard turns that into
 * an error: its handler, for a fault inside a registered mapping, puts
 * anonymous zero pages over the whole mapping (mmap MAP_FIXED, a system
 * call, safe in a handler) and marks it lost, and the read resumes; the
 * program asks ls_map_lost() after each step and reports the file. Faults
 * elsewhere go to the handler that was installed before the guard.
 */
#define MAP_SLOTS 64

static struct map_slot {
	void *volatile base;
	size_t len;
	char *path;
	volatile sig_atomic_t lost;
} map_slots[MAP_SLOTS];
static struct sigaction map_old;
static int map_guarded;

static void
map_on_bus(int sig, siginfo_t *si, void *ctx)
{
	char *a = si ? (char *)si->si_addr : NULL;
	int i;

	for (i = 0; a && i < MAP_SLOTS; i++) {
		char *b = map_slots[i].base;
		if (b && a >= b && a < b + map_slots[i].len &&
		    mmap(b, map_slots[i].len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			 0) != MAP_FAILED) {
			map_slots[i].lost = 1;
			return;
		}
	}
	if (map_old.sa_flags & SA_SIGINFO)
		map_old.sa_sigaction(sig, si, ctx);
	else if (map_old.sa_handler != SIG_DFL && map_old.sa_handler != SIG_IGN)
		map_old.sa_handler(sig);
	else {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

void
ls_map_guard_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = map_on_bus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	if (sigaction(SIGBUS, &sa, &map_old) == 0)
		map_guarded = 1;
	if (map_old.sa_sigaction == map_on_bus && (map_old.sa_flags & SA_SIGINFO))
		memset(&map_old, 0, sizeof map_old);   /* installed twice: no loop */
}

const char *
ls_map_lost(void)
{
	int i;

	for (i = 0; i < MAP_SLOTS; i++)
		if (map_slots[i].base && map_slots[i].lost)
			return map_slots[i].path;
	return NULL;
}

/* Registers a mapping with the guard (when a slot is free). */
static void
map_register(void *base, size_t len, const char *path)
{
	int i;

	if (!map_guarded)
		ls_map_guard_install();
	for (i = 0; i < MAP_SLOTS; i++)
		if (!map_slots[i].base) {
			map_slots[i].len = len;
			map_slots[i].path = xstrdup(path);
			map_slots[i].lost = 0;
			map_slots[i].base = base;
			return;
		}
}

static void
map_unregister(const void *base)
{
	int i;

	for (i = 0; i < MAP_SLOTS; i++)
		if (map_slots[i].base == base) {
			map_slots[i].base = NULL;
			free(map_slots[i].path);
			map_slots[i].path = NULL;
		}
}

enum ls_status
ls_map_file(const char *path, const void **base, size_t *len, char *err)
{
	struct stat sb;
	void *p;
	int fd;

	*base = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);   /* a FIFO never blocks */
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
	map_register(p, (size_t)sb.st_size, path);
	*base = p;
	*len = (size_t)sb.st_size;
	return LS_OK;
}

void
ls_unmap(const void *base, size_t len)
{
	if (base && len) {
		map_unregister(base);
		munmap((void *)base, len);
	}
}
