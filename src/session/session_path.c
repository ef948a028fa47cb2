/*
 * session_path.c: the exact path (path.h) of the selected direction, built
 * by a worker thread while the explorer keeps taking keys.
 *
 * The key of a path: the model, the selected index, its u, sigma and
 * range, and the base latent (z0 plus the other active directions at
 * their alpha, accumulated in double as strip_latent() does). The
 * selected alpha is not in the key: sliding never invalidates the path.
 *
 * One worker at most. session_path_sync() (the main thread only) collects
 * a finished job (kept only if its key is still the wanted one) and starts
 * a job for the wanted key when none is running. The worker reads the
 * decoder net (ls_path_create() never writes it; the forward's scratch is
 * per thread) and writes only its own job; the main thread reads the job
 * after seeing done set (under the mutex). A job whose key went stale is
 * cancelled (ls_path_create_cancel() stops between layers, pieces or
 * forward chunks), so a change never waits for a whole build; the model
 * is freed only after session_path_reset() cancelled and joined the
 * worker.
 */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "linscope/model.h"
#include "linscope/path.h"
#include "linscope/regions.h"
#include "session_impl.h"

struct spath_key {
	struct ls_model *model;
	int sel, d;
	double lo, hi, sigma;
	float *base, *u;   /* (d) each, one block */
};

struct spath_job {
	struct spath_key key;
	long long budget;
	struct ls_path *path;
	enum ls_status st;
	char err[LS_ERR_MAX];
	int done;
	atomic_int cancel;      /* set by the main thread: the key went stale */
	pthread_mutex_t mu;
};

struct spath {
	struct spath_key key;   /* of path / reason (valid when have_key) */
	int have_key;
	enum ls_session_path state;
	struct ls_path *path;
	double *bp;             /* (npoints - 2) breakpoints in alpha units */
	char reason[LS_ERR_MAX];
	struct spath_job *job;  /* running (or finished, not yet joined) */
	pthread_t th;
	long long budget;
};

static void
key_free(struct spath_key *k)
{
	free(k->base);
	memset(k, 0, sizeof *k);
}

static void
key_copy(struct spath_key *dst, const struct spath_key *src)
{
	key_free(dst);
	*dst = *src;
	dst->base = xreallocarray(NULL, 2 * (size_t)src->d, sizeof *dst->base);
	dst->u = dst->base + src->d;
	memcpy(dst->base, src->base, 2 * (size_t)src->d * sizeof *dst->base);
}

static int
key_equal(const struct spath_key *a, const struct spath_key *b)
{
	return a->model == b->model && a->sel == b->sel && a->d == b->d && a->lo == b->lo &&
	       a->hi == b->hi && a->sigma == b->sigma &&
	       !memcmp(a->base, b->base, 2 * (size_t)a->d * sizeof *a->base);
}

/* The wanted key into k (its block reused); 0, or -1 with a reason when
 * no path applies (no direction, an inactive one, no spread). */
static int
key_wanted(const struct ls_session *s, struct spath_key *k, const char **why)
{
	const struct sdir *dd;
	int i, j;

	if (s->sel < 0)
		return *why = "no direction", -1;
	dd = &s->dirs[s->sel];
	if (!dd->active)
		return *why = "direction off", -1;
	if (!(dd->sigma > 0))
		return *why = "no spread along the direction", -1;
	if (k->d != s->d || !k->base) {
		free(k->base);
		k->base = xreallocarray(NULL, 2 * (size_t)s->d, sizeof *k->base);
	}
	k->d = s->d, k->u = k->base + s->d;
	k->model = s->model, k->sel = s->sel;
	k->lo = dd->lo, k->hi = dd->hi, k->sigma = dd->sigma;
	for (j = 0; j < s->d; j++) {
		double v = s->z0[j];
		for (i = 0; i < s->ndirs; i++)
			if (i != s->sel && s->dirs[i].active)
				v += s->dirs[i].alpha * s->dirs[i].sigma * s->dirs[i].u[j];
		k->base[j] = (float)v;
		k->u[j] = dd->u[j];
	}
	return 0;
}

static void *
job_run(void *arg)
{
	struct spath_job *j = arg;
	struct spath_key *k = &j->key;

	j->st = ls_path_create_cancel(ls_model_decoder(k->model), k->base, k->u, k->lo * k->sigma,
				      k->hi * k->sigma, j->budget, &j->cancel, &j->path, j->err);
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static int
job_done(struct spath_job *j)
{
	int d;

	pthread_mutex_lock(&j->mu);
	d = j->done;
	pthread_mutex_unlock(&j->mu);
	return d;
}

static void
job_free(struct spath_job *j)
{
	ls_path_free(j->path);
	key_free(&j->key);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static struct spath *
sp_get(struct ls_session *s)
{
	if (!s->sp) {
		s->sp = xcalloc(1, sizeof *s->sp);
		s->sp->budget = LS_PATH_BUDGET;
	}
	return s->sp;
}

/* Drops the path (not the job). */
static void
sp_clear(struct spath *p)
{
	ls_path_free(p->path);
	free(p->bp);
	p->path = NULL;
	p->bp = NULL;
	p->have_key = 0;
	p->state = LS_SESSION_PATH_NONE;
	p->reason[0] = 0;
}

/* Sets the reason of a direct decode from a failed build. */
static void
sp_reason(struct spath *p, enum ls_status st, const char *err)
{
	if (st == LS_EINVAL && !strcmp(err, LS_NOT_PL_TEXT))
		snprintf(p->reason, sizeof p->reason, "not piecewise linear");
	else
		snprintf(p->reason, sizeof p->reason, "%s", err);
	p->state = LS_SESSION_PATH_DIRECT;
}

/* Joins the finished job; adopts its result when its key is still k. */
static void
sp_collect(struct spath *p, const struct spath_key *k, int have)
{
	struct spath_job *j = p->job;
	long i, n;

	pthread_join(p->th, NULL);
	p->job = NULL;
	if (!have || !key_equal(&j->key, k)) {
		job_free(j);
		return;
	}
	sp_clear(p);
	key_copy(&p->key, &j->key);
	p->have_key = 1;
	if (j->st != LS_OK) {
		sp_reason(p, j->st, j->err);
		job_free(j);
		return;
	}
	p->path = j->path, j->path = NULL;
	n = ls_path_npoints(p->path);
	p->bp = xreallocarray(NULL, (size_t)n, sizeof *p->bp);
	for (i = 1; i + 1 < n; i++)
		p->bp[i - 1] = ls_path_points(p->path)[i] / p->key.sigma;
	p->state = LS_SESSION_PATH_READY;
	job_free(j);
}

static void
sp_start(struct spath *p, const struct spath_key *k)
{
	struct spath_job *j = xcalloc(1, sizeof *j);

	key_copy(&j->key, k);
	j->budget = p->budget;
	pthread_mutex_init(&j->mu, NULL);
	p->job = j;
	if (pthread_create(&p->th, NULL, job_run, j) != 0) {
		p->job = NULL;
		job_free(j);
		sp_clear(p);
		snprintf(p->reason, sizeof p->reason, "cannot start a thread");
		p->state = LS_SESSION_PATH_DIRECT;
	}
}

/* Brings the path towards the wanted key without blocking (wait: block
 * until the build for the wanted key is done). */
static void
sp_sync(struct ls_session *s, int wait)
{
	struct spath *p = sp_get(s);
	struct spath_key want = { 0 };
	const char *why = NULL;
	int have = key_wanted(s, &want, &why) == 0;

	if (have && ls_net_pl_kind(ls_model_decoder(s->model), NULL) == LS_PL_NO)
		have = 0, why = "not piecewise linear";
	for (;;) {
		if (p->job && (!have || !key_equal(&p->job->key, &want)))
			atomic_store(&p->job->cancel, 1);   /* stale: stop it early */
		if (p->job && (wait || job_done(p->job)))
			sp_collect(p, &want, have);
		if (!have) {
			if (!p->have_key && p->state == LS_SESSION_PATH_DIRECT && !strcmp(p->reason, why))
				break;
			sp_clear(p);
			snprintf(p->reason, sizeof p->reason, "%s", why);
			p->state = LS_SESSION_PATH_DIRECT;
			break;
		}
		if (p->have_key && key_equal(&p->key, &want))
			break;
		if (p->state != LS_SESSION_PATH_BUILDING)
			sp_clear(p);
		p->state = LS_SESSION_PATH_BUILDING;
		if (!p->job)
			sp_start(p, &want);
		if (!wait || !p->job)
			break;
	}
	key_free(&want);
}

void
session_path_reset(struct ls_session *s)
{
	struct spath *p = s->sp;

	if (!p)
		return;
	if (p->job) {
		atomic_store(&p->job->cancel, 1);
		pthread_join(p->th, NULL);
		job_free(p->job);
	}
	sp_clear(p);
	key_free(&p->key);
	free(p);
	s->sp = NULL;
}

/* The path for the current key, or NULL (no build is started). */
static const struct spath *
sp_ready(struct ls_session *s)
{
	if (!s->background)
		return NULL;
	sp_sync(s, 0);
	return s->sp->state == LS_SESSION_PATH_READY ? s->sp : NULL;
}

int
session_path_frame(struct ls_session *s, double alpha, float *out)
{
	const struct spath *p = sp_ready(s);

	return p ? ls_path_frame(p->path, alpha * p->key.sigma, out) : -1;
}

enum ls_session_path
ls_session_path_poll(struct ls_session *s)
{
	sp_sync(s, 0);
	return s->sp->state;
}

enum ls_session_path
ls_session_path_wait(struct ls_session *s)
{
	sp_sync(s, 1);
	return s->sp->state;
}

const char *
ls_session_path_text(struct ls_session *s, char *buf, size_t n)
{
	struct spath *p = sp_get(s);

	switch (p->state) {
	case LS_SESSION_PATH_READY: snprintf(buf, n, "exact path"); break;
	case LS_SESSION_PATH_BUILDING: snprintf(buf, n, "building path"); break;
	case LS_SESSION_PATH_DIRECT: snprintf(buf, n, "direct decode (%s)", p->reason); break;
	default: snprintf(buf, n, "direct decode"); break;
	}
	return buf;
}

long
ls_session_path_breaks(struct ls_session *s, const double **alpha, int *nlinear)
{
	struct spath *p = sp_get(s);

	if (p->state != LS_SESSION_PATH_READY)
		return -1;
	*alpha = p->bp;
	if (nlinear)
		*nlinear = ls_path_nlinear(p->path);
	return ls_path_npoints(p->path) - 2;
}

void
ls_session_set_path_budget(struct ls_session *s, long long bytes)
{
	struct spath *p = sp_get(s);

	p->budget = bytes > 0 ? bytes : LS_PATH_BUDGET;
	if (p->state == LS_SESSION_PATH_DIRECT)
		sp_clear(p);   /* a refusal for the budget may not hold any more */
}
