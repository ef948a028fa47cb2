/*
 * progress.h: how long work reports how far it has got, and is stopped.
 * The core never draws anything: a caller that wants a progress line (the
 * command line on a terminal) passes a struct ls_progress whose function it
 * owns; NULL means no reports. Budgets (pieces, regions, bytes) are options
 * of each analysis, not of this struct.
 */
#ifndef LINSCOPE_PROGRESS_H
#define LINSCOPE_PROGRESS_H

struct ls_progress {
	/* done out of total (total > 0, same units; done grows), now and then
	 * from the thread doing the work. Returns nonzero to stop it (the work
	 * then returns LS_ENOMEM saying it was stopped). */
	int (*fn)(void *ctx, double done, double total);
	void *ctx;
};

/* Calls p->fn when p is not NULL; 0 when there is no p. */
int ls_progress_report(const struct ls_progress *p, double done, double total);

#endif
