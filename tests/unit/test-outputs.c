/*
 * test-outputs.c: what the atomic writer (util.h, afile.c) does with the
 * destinations a user may name, and with mapped inputs that change.
 *   - a FIFO with a reader gets the bytes directly and stays a FIFO; one
 *     with no reader is a clear error, at once (no hang); /dev/null stays a
 *     character device; a directory is refused;
 *   - a replaced file keeps its mode (0600 stays 0600), a new one gets
 *     0666 & ~umask;
 *   - a save through a symbolic link keeps the link and replaces the file
 *     it points to;
 *   - a temporary left by a killed save (".NAME.ls-PID.XXXXXX" of a dead
 *     process) goes at the next save of NAME; others' files stay;
 *   - sixteen processes adding one direction each to one directions file
 *     (the LS_DIRFILE_LOCK read-modify-write) leave sixteen;
 *   - a mapped file truncated under the mapping reads as zeros and is
 *     named by ls_map_lost(), instead of killing the process with SIGBUS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linscope/dirfile.h"
#include "base/util.h"
#include "../lib/tap.h"

static char dir[256];

/* dir/name in a static buffer (two at a time). */
static const char *
at(const char *name)
{
	static char b[2][512];
	static int k;

	k ^= 1;
	snprintf(b[k], sizeof b[k], "%s/%s", dir, name);
	return b[k];
}

/* Writes text to path through the atomic writer. */
static enum ls_status
save(const char *path, const char *text, char *err)
{
	struct ls_afile *af;
	enum ls_status st;

	if ((st = ls_afile_open(path, &af, err)) != LS_OK)
		return st;
	fputs(text, ls_afile_fp(af));
	return ls_afile_commit(af, 0, err);
}

/* The first line of path ("" if none). */
static const char *
first_line(const char *path)
{
	static char b[256];
	FILE *f = fopen(path, "r");

	b[0] = 0;
	if (f && !fgets(b, sizeof b, f))
		b[0] = 0;
	if (f)
		fclose(f);
	b[strcspn(b, "\n")] = 0;
	return b;
}

static void
fifo_case(void)
{
	char err[LS_ERR_MAX] = "", got[64] = "";
	const char *p = at("fifo");
	struct stat sb;
	pid_t pid;
	int fd, st;

	mkfifo(p, 0600);
	ok(save(p, "x", err) != LS_OK && strstr(err, "no reader"),
	   "a FIFO with no reader: a clear error at once ('%s')", err);
	fd = open(p, O_RDONLY | O_NONBLOCK);   /* the reader */
	if ((pid = fork()) == 0)
		_exit(save(p, "through the fifo\n", err) == LS_OK ? 0 : 1);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a FIFO with a reader: the save succeeds");
	ok(read(fd, got, sizeof got - 1) == 17 && !strcmp(got, "through the fifo\n"),
	   "... the reader gets the bytes");
	close(fd);
	ok(lstat(p, &sb) == 0 && S_ISFIFO(sb.st_mode), "... and the FIFO is still a FIFO");
	ok(save("/dev/null", "gone\n", err) == LS_OK && stat("/dev/null", &sb) == 0 &&
	   S_ISCHR(sb.st_mode), "/dev/null: written directly, still a character device");
	ok(save(dir, "x", err) != LS_OK && strstr(err, "is a directory"),
	   "a directory is refused ('%s')", err);
	unlink(p);
}

static void
mode_case(void)
{
	char err[LS_ERR_MAX] = "";
	struct stat sb;
	mode_t old;

	save(at("secret"), "one\n", err);
	chmod(at("secret"), 0600);
	save(at("secret"), "two\n", err);
	stat(at("secret"), &sb);
	ok((sb.st_mode & 0777) == 0600, "a replaced 0600 file stays 0600 (%o)", sb.st_mode & 0777);
	chmod(at("secret"), 0640);
	save(at("secret"), "three\n", err);
	stat(at("secret"), &sb);
	ok((sb.st_mode & 0777) == 0640, "a replaced 0640 file stays 0640 (%o)", sb.st_mode & 0777);
	old = umask(077);
	save(at("new077"), "x\n", err);
	umask(022);
	save(at("new022"), "x\n", err);
	umask(old);
	stat(at("new077"), &sb);
	ok((sb.st_mode & 0777) == 0600, "a new file under umask 077 is 0600 (%o)", sb.st_mode & 0777);
	stat(at("new022"), &sb);
	ok((sb.st_mode & 0777) == 0644, "a new file under umask 022 is 0644 (%o)", sb.st_mode & 0777);
	unlink(at("secret")), unlink(at("new077")), unlink(at("new022"));
}

static void
link_case(void)
{
	char err[LS_ERR_MAX] = "";
	struct stat sb;

	save(at("real"), "old\n", err);
	symlink("real", at("link"));
	ok(save(at("link"), "new\n", err) == LS_OK, "a save through a symbolic link succeeds");
	ok(lstat(at("link"), &sb) == 0 && S_ISLNK(sb.st_mode), "... the link is still a link");
	ok(!strcmp(first_line(at("real")), "new"), "... and the file it points to has the new data");
	symlink("missing", at("dangling"));
	ok(save(at("dangling"), "x\n", err) != LS_OK && strstr(err, "missing file"),
	   "a dangling link is refused ('%s')", err);
	unlink(at("real")), unlink(at("link")), unlink(at("dangling"));
}

static void
stale_case(void)
{
	char err[LS_ERR_MAX] = "", live[64];
	struct stat sb;

	save(at(".out.st.ls-999999999.abcdef"), "stale\n", err);   /* no such pid */
	snprintf(live, sizeof live, ".out.st.ls-%ld.ghijkl", (long)getppid());
	save(at(live), "a live process's\n", err);
	save(at(".out.st.backup"), "the user's\n", err);
	save(at(".other.st.ls-999999999.abcdef"), "another file's\n", err);
	ok(save(at("out.st"), "data\n", err) == LS_OK, "a save of out.st");
	ok(stat(at(".out.st.ls-999999999.abcdef"), &sb) != 0,
	   "... removes the temporary a dead process left for out.st");
	ok(stat(at(live), &sb) == 0, "... keeps one of a live process");
	ok(stat(at(".out.st.backup"), &sb) == 0, "... keeps a file that only looks alike");
	ok(stat(at(".other.st.ls-999999999.abcdef"), &sb) == 0, "... keeps another file's");
	unlink(at(live)), unlink(at(".out.st.backup")), unlink(at(".other.st.ls-999999999.abcdef"));
	unlink(at("out.st"));
}

/* One writer: adds direction nI = e_i to path under the lock. */
static int
add_one(const char *path, int i)
{
	char err[LS_ERR_MAX], name[16];
	struct ls_dirfile *f;
	float u[16] = { 0 };
	int r = 1;

	u[i] = 1;
	snprintf(name, sizeof name, "n%d", i);
	if (ls_dirfile_open(path, LS_DIRFILE_CREATE | LS_DIRFILE_LOCK, &f, err) == LS_OK &&
	    ls_dirfile_put(f, name, u, 16, NULL, 0, err) == LS_OK && ls_dirfile_save(f, err) == LS_OK)
		r = 0;
	ls_dirfile_free(f);
	return r;
}

static void
lock_case(void)
{
	char err[LS_ERR_MAX];
	struct ls_dirfile *f = NULL;
	pid_t pid[16];
	int i, st, bad = 0, n = -1;

	for (i = 0; i < 16; i++)
		if ((pid[i] = fork()) == 0)
			_exit(add_one(at("dirs.st"), i));
	for (i = 0; i < 16; i++) {
		waitpid(pid[i], &st, 0);
		bad += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	ok(bad == 0, "16 concurrent writers of one directions file succeed");
	if (ls_dirfile_open(at("dirs.st"), 0, &f, err) == LS_OK)
		n = ls_dirfile_count(f);
	ok(n == 16, "... and the file holds all 16 directions (%d)", n);
	ls_dirfile_free(f);
	unlink(at("dirs.st"));
}

static void
map_case(void)
{
	char err[LS_ERR_MAX] = "", *buf = xcalloc(1, 1 << 20);
	const volatile unsigned char *m;
	const void *base;
	size_t len;
	FILE *f;

	memset(buf, 7, 1 << 20);
	f = fopen(at("mapped"), "wb");
	fwrite(buf, 1, 1 << 20, f);
	fclose(f);
	ok(ls_map_file(at("mapped"), &base, &len, err) == LS_OK && len == 1 << 20, "maps 1 MB");
	m = base;
	ok(m[1000] == 7 && !ls_map_lost(), "reads it; nothing lost");
	truncate(at("mapped"), 4096);
	ok(m[(1 << 20) - 1] == 0, "truncated under the mapping: a read past the end gives 0, "
	   "not SIGBUS");
	ok(ls_map_lost() && !strcmp(ls_map_lost(), at("mapped")), "ls_map_lost() names the file");
	ls_unmap(base, len);
	ok(!ls_map_lost(), "unmapped: nothing lost any more");
	unlink(at("mapped"));
	free(buf);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "%s/linscope-outputs-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 99;
	fifo_case();
	mode_case();
	link_case();
	stale_case();
	lock_case();
	map_case();
	rmdir(dir);
	return done_testing();
}
