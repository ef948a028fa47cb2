/*
 * fuzz-cmd.c: libFuzzer harness for the command language (cmd.h).
 *
 * Each input is split into lines. Every line goes through ls_cmd_split();
 * a line that splits is re-quoted word by word with ls_cmd_quote() and
 * must split back into the same words. Lines without '/' (so no file can
 * be named outside the scratch folder, which is the working directory)
 * then run with ls_cmd_exec() on one session over the small fixture model
 * tests/fixtures/fwd-relu.safetensors with the fixture bank; a failing line
 * must leave a one-line "SUBJECT: problem" message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linscope/cmd.h"
#include "base/util.h"
#include "linscope/session.h"
#include "fuzz.h"

#ifndef LS_SRCDIR
#define LS_SRCDIR "."
#endif

static struct ls_session *sess;

/* The session, opened once (state carries over between inputs). */
static struct ls_session *
session(void)
{
	char err[LS_ERR_MAX], model[4096], bank[4096];
	const char *src = getenv("srcdir") ? getenv("srcdir") : LS_SRCDIR;

	if (sess)
		return sess;
	snprintf(model, sizeof model, "%s/tests/fixtures/fwd-relu.safetensors", src);
	snprintf(bank, sizeof bank, "%s/tests/fixtures/fwd-relu-z.npy", src);
	if (ls_session_open(model, bank, NULL, &sess, err) != LS_OK) {
		fprintf(stderr, "fuzz-cmd: %s\n", err);
		abort();
	}
	if (chdir(fuzz_scratch()) != 0)
		abort();
	return sess;
}

/* Split, quote, split again: the same words. */
static void
roundtrip(const char *line)
{
	char buf[LS_CMD_MAX_LINE], buf2[LS_CMD_MAX_LINE], joined[4 * LS_CMD_MAX_LINE + 64];
	char q[2 * LS_CMD_MAX_LINE + 8], err[LS_ERR_MAX] = "";
	char *w[LS_CMD_MAX_WORDS], *w2[LS_CMD_MAX_WORDS];
	int n, n2, i;
	size_t len = 0;

	if (ls_cmd_split(line, buf, w, LS_CMD_MAX_WORDS, &n, err) != LS_OK) {   /* split's messages have no subject: one line is enough */
		if (!err[0] || strchr(err, '\n'))
			abort();
		return;
	}
	joined[0] = 0;
	for (i = 0; i < n; i++) {
		ls_cmd_quote(w[i], q, sizeof q);
		len += (size_t)snprintf(joined + len, sizeof joined - len, "%s%s", i ? " " : "", q);
	}
	if (len >= LS_CMD_MAX_LINE)
		return;   /* quoting made it longer than a line may be */
	if (ls_cmd_split(joined, buf2, w2, LS_CMD_MAX_WORDS, &n2, err) != LS_OK || n2 != n)
		abort();
	for (i = 0; i < n; i++)
		if (strcmp(w[i], w2[i]) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char msg[LS_MSG_MAX];
	char *text = malloc(size + 1), *line, *save = NULL;
	enum ls_status s;

	memcpy(text, data, size);
	text[size] = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		roundtrip(line);
		if (strchr(line, '/') || strlen(line) >= LS_CMD_MAX_LINE)
			continue;
		msg[0] = 0;
		s = ls_cmd_exec(session(), line, msg);
		if (s != LS_OK && (!msg[0] || strchr(msg, '\n')))
			abort();
	}
	free(text);
	return 0;
}
