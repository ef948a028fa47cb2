/*
 * cmd.c: the command language's machinery: splitting a line into words,
 * dispatching it to its handler (cmd_ops.c), recording it, completing
 * words and rendering help. The table of what each command means for a
 * user (cmd_entry_NAME) is defined beside each handler (cmd_ops.c,
 * cmd_dirs.c, cmd_analysis.c) and listed in help order in cmd_table.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cmd_impl.h"

/* Appends byte c to buf at *n (LS_CMD_MAX_LINE). 0 ok, -1 too long. */
static int
put(char *buf, size_t *n, char c)
{
	if (*n + 1 >= LS_CMD_MAX_LINE)
		return -1;
	buf[(*n)++] = c;
	return 0;
}

/* Reads one word starting at *p (not blank) into buf; advances *p. */
static int
read_word(const char **p, char *buf, size_t *n, char *err)
{
	const char *q = *p;
	char quote = 0;
	int bad = 0;

	for (; *q && !bad && (quote || (*q != ' ' && *q != '\t' && *q != '#')); q++) {
		if (!quote && (*q == '"' || *q == '\''))
			quote = *q;
		else if (quote && *q == quote)
			quote = 0;
		else if (*q == '\\' && quote != '\'' && q[1])
			bad = put(buf, n, *++q);
		else
			bad = put(buf, n, *q);
	}
	if (bad || put(buf, n, 0))
		return ls_err(err, LS_EINVAL, "line too long (at most %d bytes)", LS_CMD_MAX_LINE), -1;
	if (quote)
		return ls_err(err, LS_EINVAL, "unterminated %c quote", quote), -1;
	*p = q;
	return 0;
}

enum ls_status
ls_cmd_split(const char *line, char *buf, char **words, int max, int *count, char *err)
{
	const char *p = line;
	size_t n = 0;

	for (*count = 0;; (*count)++) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			return LS_OK;
		if (*count == max)
			return ls_err(err, LS_EINVAL, "too many words (at most %d)", max);
		words[*count] = buf + n;
		if (read_word(&p, buf, &n, err) < 0)
			return LS_EINVAL;
	}
}

void
ls_cmd_quote(const char *w, char *out, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return;
	if (*w && !strpbrk(w, " \t\r\n\"'#\\")) {   /* split skips a leading \r */
		snprintf(out, n, "%s", w);
		return;
	}
	out[k++] = '"';
	for (; *w && k + 3 < n; w++) {
		if (*w == '"' || *w == '\\')
			out[k++] = '\\';
		out[k++] = *w;
	}
	out[k++] = '"';
	out[k < n ? k : n - 1] = 0;
}

void
cmd_say(char *msg, const char *fmt, ...)
{
	size_t n = strlen(msg);
	va_list ap;

	if (n && n + 1 < LS_MSG_MAX)
		msg[n++] = '\n', msg[n] = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, LS_MSG_MAX - n, fmt, ap);
	va_end(ap);
}

/* The entry of name, or NULL. */
static const struct cmd_entry *
entry_find(const char *name)
{
	const struct cmd_entry *e;
	int i;

	for (i = 0; (e = cmd_entry_at(i)); i++)
		if (!strcmp(e->info.name, name))
			return e;
	return NULL;
}

/* Optimal string alignment distance (Levenshtein with transpositions)
 * between a and b, both shorter than 64 bytes (else a large number). */
static int
edit_distance(const char *a, const char *b)
{
	int m = (int)strlen(a), n = (int)strlen(b), d[64][64], i, j, c, v;

	if (m >= 64 || n >= 64)
		return 1000;
	for (i = 0; i <= m; i++)
		d[i][0] = i;
	for (j = 0; j <= n; j++)
		d[0][j] = j;
	for (i = 1; i <= m; i++)
		for (j = 1; j <= n; j++) {
			c = a[i - 1] != b[j - 1];
			v = d[i - 1][j - 1] + c;
			v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
			v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[m][n];
}

/* The command name nearest to word when it is a likely typo (at most 2
 * edits, and fewer than half its letters), else NULL. */
static const char *
nearest_name(const char *word)
{
	const struct cmd_entry *e;
	const char *best = NULL;
	int i, k, bd = 3;

	for (i = 0; (e = cmd_entry_at(i)); i++)
		if ((k = edit_distance(word, e->info.name)) < bd && 2 * k < (int)strlen(e->info.name))
			bd = k, best = e->info.name;
	return best;
}

/* "WORD: unknown command", with a guess when it looks like a typo. */
static enum ls_status
unknown(const char *word, char *msg)
{
	const char *near = nearest_name(word);

	if (near)
		return ls_err(msg, LS_EINVAL, "%s: unknown command; did you mean %s? (try 'help')", word, near);
	return ls_err(msg, LS_EINVAL, "%s: unknown command (try 'help')", word);
}

/* The line without leading and trailing blanks (for the record). */
static char *
trimmed(const char *line)
{
	const char *a = line + strspn(line, " \t");
	size_t n = strcspn(a, "\r\n");

	while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
		n--;
	return xasprintf("%.*s", (int)n, a);
}

enum ls_status
ls_cmd_exec(struct ls_session *s, const char *line, char *msg)
{
	char buf[LS_CMD_MAX_LINE], *w[LS_CMD_MAX_WORDS], *t;
	const struct cmd_entry *d;
	enum ls_status st;
	int n;

	msg[0] = 0;
	if (strlen(line) >= LS_CMD_MAX_LINE)
		return ls_err(msg, LS_EINVAL, "line too long (at most %d bytes)", LS_CMD_MAX_LINE - 1);
	if ((st = ls_cmd_split(line, buf, w, LS_CMD_MAX_WORDS, &n, msg)) != LS_OK || n == 0)
		return st;
	if (!(d = entry_find(w[0])))
		return unknown(w[0], msg);
	if (n < d->min || n > d->max)
		return ls_err(msg, LS_EINVAL, "%s: usage: %s %s", w[0], w[0], d->info.args);
	if ((st = d->fn(s, n, w, msg)) == LS_EEXIST) {
		size_t k = strlen(msg);
		snprintf(msg + k, LS_MSG_MAX - k, " (%s --force replaces it)", w[0]);
	}
	if (st != LS_OK || d->rec == REC_NO)
		return st;
	t = trimmed(line);
	ls_session_record_line(s, t, d->rec == REC_NOW);
	free(t);
	return LS_OK;
}

const struct ls_cmd_info *
ls_cmd_find(const char *name)
{
	const struct cmd_entry *e = entry_find(name);

	return e ? &e->info : NULL;
}

/* ---- help ------------------------------------------------------------- */

void
ls_cmd_help(const char *name, char *out, size_t n)
{
	const struct ls_cmd_info *t = NULL;
	size_t k = 0;
	int i;

	out[0] = 0;
	if (name && (t = ls_cmd_find(name))) {
		snprintf(out, n, "%s %s\n    %s", t->name, t->args, t->help);
		return;
	}
	if (name) {
		snprintf(out, n, "%s: unknown command (try 'help')", name);
		return;
	}
	for (i = 0; (t = ls_cmd_at(i)) && k < n; i++) {
		char syn[64];
		snprintf(syn, sizeof syn, "%s %s", t->name, t->args);
		k += (size_t)snprintf(out + k, n - k, "%s%-26s %s", i ? "\n" : "", syn, t->help);
	}
}

/* ---- completion ------------------------------------------------------- */

/* A growing NULL-terminated list of strings. */
struct list {
	char **v;
	int n, cap;
};

static void
list_add(struct list *l, const char *word, const char *prefix)
{
	int i;

	if (strncmp(word, prefix, strlen(prefix)))
		return;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], word))
			return;
	if (l->n + 2 > l->cap) {
		l->cap = l->cap * 2 + 8;
		l->v = xreallocarray(l->v, (size_t)l->cap, sizeof *l->v);
	}
	l->v[l->n++] = xstrdup(word);
	l->v[l->n] = NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the space-separated words of ws. */
static void
add_words(struct list *l, const char *ws, const char *prefix)
{
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", ws ? ws : "");
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
		list_add(l, p, prefix);
}

/* Candidates for an argument of kind k. */
static void
add_kind(struct list *l, const struct ls_session *s, const struct ls_cmd_info *c,
	 const char *prefix)
{
	const struct ls_cmd_info *t;
	int i;

	switch (c->arg1) {
	case LS_ARG_DIR:
		for (i = 0; i < ls_session_ndirs(s); i++) {
			struct ls_session_dir d;
			ls_session_dir(s, i, &d);
			list_add(l, d.name, prefix);
		}
		break;
	case LS_ARG_BOOKMARK:
		for (i = 0; i < ls_session_nbookmarks(s); i++)
			list_add(l, ls_session_bookmark_name(s, i), prefix);
		break;
	case LS_ARG_COMMAND:
		for (i = 0; (t = ls_cmd_at(i)); i++)
			list_add(l, t->name, prefix);
		break;
	case LS_ARG_WORD:
	case LS_ARG_FILE:
	case LS_ARG_NONE:
		add_words(l, c->words, prefix);
		break;
	}
}

char **
ls_cmd_complete(const struct ls_session *s, const char *line, int start, int *is_file)
{
	char buf[LS_CMD_MAX_LINE], *w[LS_CMD_MAX_WORDS], *head;
	const struct ls_cmd_info *c;
	struct list l = { NULL, 0, 0 };
	const char *prefix = line + start;
	int n;

	*is_file = 0;
	head = xasprintf("%.*s", start, line);
	if (ls_cmd_split(head, buf, w, LS_CMD_MAX_WORDS, &n, NULL) != LS_OK)
		n = -1;
	free(head);
	if (n == 0) {
		const struct ls_cmd_info *t;
		int i;
		for (i = 0; (t = ls_cmd_at(i)); i++)
			list_add(&l, t->name, prefix);
	} else if (n == 1 && (c = ls_cmd_find(w[0]))) {
		add_kind(&l, s, c, prefix);
		*is_file = c->arg1 == LS_ARG_FILE || (c->arg1 == LS_ARG_WORD && l.n == 0);
	}
	if (l.n > 1)
		qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_str);
	if (*is_file && l.n == 0)
		return NULL;
	return l.v;
}

void
ls_cmd_complete_free(char **v)
{
	char **p;

	for (p = v; p && *p; p++)
		free(*p);
	free(v);
}
