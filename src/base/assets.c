/*
 * assets.c: where the bundled models live. Search order: $LINSCOPE_DATADIR,
 * assets/ beside the executable (in-tree build), the source tree's assets/
 * only for a program still in its build folder (out-of-tree build), then
 * the installed $(pkgdatadir). An installed binary never looks at the
 * folder it was built from.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/assets.h"
#include "base/util.h"

#ifndef LS_PKGDATADIR
#define LS_PKGDATADIR "/usr/local/share/linscope"
#endif
#ifndef LS_SRCDIR
#define LS_SRCDIR "."
#endif
#ifndef LS_BUILDDIR
#define LS_BUILDDIR "."
#endif

/* The folder holding the running executable, malloc'd, or NULL. */
static char *
exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = 0;
	if (!(slash = strrchr(buf, '/')))
		return NULL;
	*slash = 0;
	return xstrdup(buf);
}

/* Candidate i (0..3) of the search order, malloc'd, or NULL. */
static char *
candidate(int i)
{
	const char *env;
	char *e, *p;

	switch (i) {
	case 0:
		env = getenv("LINSCOPE_DATADIR");
		return env && *env ? xstrdup(env) : NULL;
	case 1:
		if (!(e = exe_dir()))
			return NULL;
		p = xasprintf("%s/assets", e);
		free(e);
		return p;
	case 2: /* the source tree, for a program in its build folder only */
		if (!(e = exe_dir()))
			return NULL;
		p = strcmp(e, LS_BUILDDIR) ? NULL : xasprintf("%s/assets", LS_SRCDIR);
		free(e);
		return p;
	default:
		return xstrdup(LS_PKGDATADIR);
	}
}

char *
ls_asset_path(const char *name)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *dir = candidate(i), *p;
		if (!dir)
			continue;
		p = xasprintf("%s/%s", dir, name);
		free(dir);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

char *
ls_asset_dir(void)
{
	int i;

	for (i = 0; i < 4; i++) {
		char *dir = candidate(i);
		if (dir && access(dir, R_OK) == 0)
			return dir;
		free(dir);
	}
	return NULL;
}
