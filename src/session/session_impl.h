/*
 * session_impl.h: the inside of struct ls_session, shared by session*.c.
 *
 * Invariants:
 *   - z (d) always equals z0 + sum over active dirs of alpha * sigma * u
 *     (session_update() restores it after every change).
 *   - version increases on every change of z, z0 or the direction list;
 *     frame_version / z0_version say what the buffers hold; strip_z the
 *     latents the strip was decoded from.
 *   - sel is -1 exactly when ndirs == 0, else 0 <= sel < ndirs.
 *   - every u is unit length (within float rounding).
 */
#ifndef LINSCOPE_SESSION_IMPL_H
#define LINSCOPE_SESSION_IMPL_H

#include "linscope/model.h"
#include "linscope/png.h"
#include "linscope/session.h"

struct spath;

struct sdir {
	char name[LS_SESSION_NAME_MAX];
	char *source, *method;   /* owned */
	float *u;                /* (d), owned */
	double sigma, alpha, lo, hi;
	int active, saved;
	double accuracy, auc, var_share;   /* NAN when unknown */
	double target;           /* alpha of the row diff aims at, NAN if none */
	int truth;               /* factor column it moves most, or -1 */
	double truth_r, truth_leak;   /* its r and the leak (NAN: no factors) */
};

/* A saved state for undo/redo. */
struct snap {
	float *z0;               /* (d) */
	long row;
	struct sdir *dirs;       /* (ndirs), deep copies */
	int ndirs, sel;
};

struct bookmark {
	char name[LS_SESSION_NAME_MAX];
	float *z;                /* (d) */
	char note[LS_SESSION_NOTE_MAX];   /* where it was: z0's row, label, alphas */
};

struct ls_session {
	struct ls_model *model;
	char *model_spec;        /* as given ("digits" when defaulted) */
	struct ls_model_opts mopts;   /* what the model was opened with (encoder absolute) */
	struct ls_bank *bank;
	char *bank_spec;         /* NULL: the bundled default (or none) */
	struct ls_labels *labels;
	char *labels_spec;
	struct ls_factors *factors;   /* ground truth of the bank, or NULL */
	char *factors_spec;      /* given by `factors FILE`; NULL: bundled/none */
	int erased;              /* concepts erased from the bank since it was loaded */
	int d, od, c, h, w;
	float lo, hi;

	float *z0, *z;           /* (d) each */
	long row;
	float *input;            /* (od) the image opened last, or NULL; shown */
	unsigned long input_version;   /* while z0_version equals this */
	struct sdir *dirs;
	int ndirs, sel;
	int trop_set, trop_k;      /* tropmap's output unit (unset: the centre pixel) */

	long marks[LS_SESSION_MAX_MARKS];
	int nmarks;
	struct bookmark *bm;
	int nbm;

	struct snap *undo, *redo;
	int nundo, nredo;
	int undo_hold;           /* > 0: pushes are skipped (one step) */

	unsigned long version, frame_version, z0_version, z0_drawn;
	float *zb;               /* (2, d) decode batch */
	float *frame;            /* (2, od): z then z0 */
	float *strip_z, *strip;  /* (strip_cap, d), (strip_cap, od) */
	int strip_n, strip_cap;

	char *preview_path, *last_png;
	int preview_on, preview_dirty, scale;
	double debounce, last_write;

	struct analysis *an;     /* caches of session_analysis.c, or NULL */
	int background;          /* the k-NN gauge is built by ls_session_gauges_step() */
	struct spath *sp;        /* the exact path of the selected direction (session_path.c) */
	int units;               /* enum ls_units */

	char *record_path;
	char *rec;               /* (rec_n) bytes of lines not yet appended */
	size_t rec_n, rec_cap;
	int rec_fd, rec_dirty;   /* the record, open for appending, or -1 */
	double rec_synced;       /* ls_now() of its last fsync */
	int quit;
};

/* session_path.c */
/* Joins the path's worker and drops the path (before the model goes). */
void session_path_reset(struct ls_session *s);
/* With background on and the path ready for the current state, the frame
 * of the selected direction at alpha into out (0); else -1. */
int session_path_frame(struct ls_session *s, double alpha, float *out);
/* session.c */
void session_update(struct ls_session *s);
void session_z0_changed(struct ls_session *s);
void sdir_free(struct sdir *d);
void sdir_copy(struct sdir *dst, const struct sdir *src, int d);
/* o NULL: the process defaults (ls_model_defaults()). */
enum ls_status session_open_model(const char *spec, const struct ls_model_opts *o,
				  struct ls_model **m, char **bank_p, char **labels_p, char *err);
/* session_undo.c */
void session_push_undo(struct ls_session *s);
void session_clear_undo(struct ls_session *s);
void snap_free(struct snap *p);
/* session_frame.c */
void session_frame_alloc(struct ls_session *s);
void session_frame_free(struct ls_session *s);
/* session_files.c */
enum ls_status session_record_write(struct ls_session *s, int sync, char *err);
void session_record_free(struct ls_session *s);
/* session_analysis.c */
/* Drops every analysis cache (the model, bank or labels changed). */
void session_analysis_reset(struct ls_session *s);
/* Quality figures of a new direction: NAN, and the variance share. */
void session_quality_init(const struct ls_session *s, struct sdir *d);
/* session_files.c */
/* Writes r to file atomically, or (file NULL) to the first free name
 * fmt % k; the path goes to out (PATH_MAX, may be NULL). */
enum ls_status session_write_raster(struct ls_session *s, const char *file, const char *fmt,
				    const struct ls_raster *r, char *out, char *err);
/* session_state.c */
char *session_state_text(struct ls_session *s);
/* LS_OK when every line of a state text reads back as a script line
 * (cmd_state.c, with session_state_text). */
enum ls_status session_state_fits(const char *text, char *err);
/* session.c: the bank's rows changed in place (erase): sigmas, scores,
 * and z0 when it is a bank row. */
void session_bank_changed(struct ls_session *s);
/* session_truth.c */
/* d's score against the factors (truth -1 without them). */
void session_truth(const struct ls_session *s, struct sdir *d);
/* The bundled factors when the bank is the bundled one, else none;
 * rescores every direction. */
void session_factors_reset(struct ls_session *s);
void session_factors_free(struct ls_session *s);
/* session.c: path, or the bundled asset of that name when path has no
 * '/' and no such file is here ("faces-glasses.txt"); malloc'd. */
char *session_data_path(const char *path);
/* session.c: a relative path of an existing file made absolute. */
char *session_abs_spec(const char *spec);
/* Direction sigma over the bank (1 without one, or when degenerate). */
double session_sigma(const struct ls_session *s, const float *u);

#endif
