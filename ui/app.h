/*
 * app.h: the explorer's front end (ui/): view state around a core session.
 *
 * struct app holds what only the screen needs (focus, cursors, scroll
 * offsets, the bank filter, the layout, messages, caches of what was drawn)
 * and a pointer to the core session, which holds everything else. Key
 * handlers turn keys into command lines for ls_cmd_exec() (so --record
 * captures them) and return reaction flags; draw functions only read.
 *
 * Invariants: rows[0..nrows) are the bank rows that pass the filter, in
 * order; 0 <= bank_cur < nrows when nrows > 0; the layout matches LINES x
 * COLS after layout_compute().
 */
#ifndef LINSCOPE_UI_APP_H
#define LINSCOPE_UI_APP_H

#include <stdint.h>

#include "linscope/linscope.h"
#include "base/blas.h"
#include "base/util.h"
#include "linscope/cmd.h"
#include "linscope/png.h"
#include "linscope/session.h"
#include "render/render.h"

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 20
#define UI_FILTER_MAX 128
#define UI_STRIP_MAX 15

/* Reaction flags returned by key handlers (as htop's Htop_Reaction). */
enum {
	R_NONE = 0,
	R_REDRAW = 1 << 0,   /* draw the screen again */
	R_LAYOUT = 1 << 1,   /* recompute the layout first (resize) */
	R_QUIT = 1 << 2      /* leave the main loop */
};

enum pane { PANE_BANK, PANE_DIRS, PANE_COUNT };

/* Colour pairs of the UI (images use RENDER_PAIR_BASE and up). */
enum { C_TITLE = 1, C_FOCUS, C_STATUS, C_ERROR, C_MARK, C_ACTIVE, C_TICK, C_KNOB };

/* Screen areas in cells. */
struct box {
	int y, x, h, w;
};

struct layout {
	int too_small;
	struct box bank, dirs, preview, slider, info, strip, status, msg;
	struct box peek;      /* under the bank: the cursor row decoded (h 0: none) */
	int bar_x0, bar_x1;   /* slider bar cells [x0, x1] on row slider.y + 1 */
	int strip_n;          /* thumbnails in the strip (0: none) */
	int thumb_w;          /* cells a thumbnail takes, gutter included */
};

/* The strip and region ticks of the selected direction are recomputed
 * only when the latent without the selected direction, the direction or
 * its range change (not on alpha steps). */
struct strip_cache {
	const struct ls_model *model;   /* the model it was made with */
	int valid, n, sel, d;
	double lo, hi, sigma;
	float *base;      /* (d) z without the selected direction's part */
	float *next;      /* (d) scratch: the base of the state to draw */
	unsigned long recomputed;   /* how many times (for the timing test) */
	float *u;         /* (d) */
	float *imgs;      /* (n, C*H*W) */
	int have_pieces, npieces, nlinear;
	int pieces_tried; /* the synchronous fallback ran for this cache */
	double *bp;       /* breakpoints in alpha units */
	int nbp;
};

/* The analysis shown on the info line (draw_info.c): the region of z is
 * redone on every change (one forward pass); the linearity meter and the
 * off-data gauges at once when they were cheap last time, else once the
 * state has been still for INFO_DEBOUNCE seconds. */
#define INFO_DEBOUNCE 0.15
#define INFO_CHEAP 0.002   /* seconds: below this, no debounce */
struct info_cache {
	unsigned long v;        /* session version the values are for */
	int sel, valid;
	int stale;              /* the meter and gauges are for an older state */
	double changed;         /* when the state last changed (ls_now) */
	double cost;            /* seconds the last meter + gauges took */
	int have_reg, units, flips;
	uint64_t id;
	int have_lin, vi;
	struct ls_linearity lin;
	int have_off;
	struct ls_where off;
	double edge;
};

/* A rectangle being painted on the preview image (mouse drag). */
struct paint_sel {
	int on;                 /* button 1 held since a press on the image */
	int y0, x0, y1, x1;     /* cells: where it started, where it is now */
};

/* What the preview pane shows: the image, the histogram (key i), the
 * region map of the plane of two directions (M), the tropical map of a
 * pixel's logit over a 2-D latent (T); draw_views.c. */
enum face { FACE_IMAGE, FACE_HIST, FACE_MAP, FACE_TROP };

/* The raster of the map views, kept until what it shows changes (the
 * region map: once the state has been still for INFO_DEBOUNCE). */
struct view_cache {
	enum face face;
	int valid, pending;      /* pending: recompute at the next frame */
	int w, h, output, i, j;
	const struct ls_model *model;
	unsigned long v;         /* session version it was made at */
	unsigned long seen;      /* the version the last frame saw */
	double changed;          /* when that version was first seen */
	struct ls_raster r;
	struct ls_session_tropinfo ti;
	long regions;
	double seconds;
	char err[LS_ERR_MAX];
};

enum mode { MODE_NORMAL, MODE_PROMPT, MODE_HELP, MODE_CONFIRM };

/* The layouts (key z zooms in, Z out): all panes; preview and strip for
 * a projector; the preview alone. */
enum view { VIEW_NORMAL, VIEW_PRESENT, VIEW_ZOOM };

struct app {
	struct ls_session *s;
	struct ls_bank *bank;   /* the bank rows[] was built for */
	long bank_n;
	int utf8;         /* the locale is UTF-8 (line drawing, half blocks) */
	int path_state;   /* enum ls_session_path last drawn */
	enum pane focus;
	enum mode mode;

	long *rows;       /* (nrows) bank rows shown */
	long nrows, bank_cur, bank_top;
	char filter[UI_FILTER_MAX];   /* label filter, "" for none */
	int dir_top;

	char *help_text;  /* key and command help, built once */
	char *pager_text; /* text shown by MODE_HELP: help_text or owned */
	const char *pager_title;
	int pager_top;
	int pager_popup;  /* short text: a box over the screen, any key closes */

	char msg[LS_MSG_MAX];
	int msg_err;

	struct layout lay;
	struct strip_cache sc;
	struct info_cache ic;
	struct paint_sel ps;
	struct box img;   /* cells of the image of z in the preview (h 0: none) */
	enum face face;   /* what the preview pane shows */
	struct view_cache vc;
	int drag;         /* button 1 held on the slider */
	long peek_row;    /* the bank row peek_img holds (-1: none) */
	const struct ls_model *peek_model;
	const struct ls_bank *peek_bank;
	float *peek_img;  /* (C*H*W) */
	enum view view;   /* the layout (layout.c) */
	int map_lost_said; /* the truncated-file message was shown */
	int exit_code;
};

/* ---- main.c ---- */
/* Runs a command line, leaving its last line or error in a->msg. */
int app_exec(struct app *a, const char *line);
/* Same, with printf-style formatting (words quoted by the caller). */
int app_execf(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_message(struct app *a, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A line typed at the ':' prompt (asks before an unsaved `quit`). */
int app_command(struct app *a, const char *line);
/* A label typed at the '/' prompt: filters the bank, says how many. */
void app_filter_cmd(struct app *a, const char *label);
/* Recomputes rows[] from the filter, keeping the cursor on its row. */
void app_filter(struct app *a, const char *label);

/* ---- layout.c ---- */
void layout_compute(struct app *a);
/* The integer scale the preview's image of z alone gets in its box. */
int layout_preview_scale(const struct app *a);
int box_hit(const struct box *b, int y, int x);

/* ---- draw_*.c: read-only drawing of each pane ---- */
void draw_all(struct app *a);
void bank_draw(const struct app *a);
/* The bank cursor's row decoded, under the bank list (draw_bank.c). */
void peek_draw(struct app *a);
void dirs_draw(const struct app *a);
void slider_draw(const struct app *a);
void preview_draw(struct app *a);
void strip_draw(struct app *a);
void status_draw(const struct app *a);
/* draw_info.c: the info line (region, meter, gauges), the histogram pane
 * and the parallel-directions warning. */
void info_update(struct app *a);
void info_draw(const struct app *a);
/* Is a debounced value due (the loop redraws when it is)? */
int info_due(const struct app *a);
/* The most parallel pair of active directions as text ("" when none). */
void parallel_warning(const struct app *a, char *out, size_t n);
void hist_draw(struct app *a);
/* draw_views.c: the preview pane's face; is a recomputation due? */
void view_draw(struct app *a);
int view_due(const struct app *a);
void view_free(struct view_cache *vc);
/* Key i, M, T: shows that face, or the image when it is shown. */
int view_toggle(struct app *a, enum face f);
/* alpha of direction i in the session's units, as text. */
void units_text(const struct app *a, int i, double alpha, char *out, size_t n);
void pager_draw(const struct app *a);
void too_small_draw(const struct app *a);
/* Text clipped to w cells at (y, x). */
void draw_text(int y, int x, int w, const char *s);
/* Title row of a pane, highlighted when focused. */
void draw_title(const struct box *b, const char *title, int focused);
/* Selected direction's strip and breakpoints, refreshed if stale. */
void strip_update(struct app *a);
void strip_free(struct strip_cache *sc);

/* ---- keys.c ---- */
int app_key(struct app *a, int ch, int is_key);
int bank_key(struct app *a, int k);
int dirs_key(struct app *a, int k);
/* Asks before quitting when directions are unsaved; else quits. */
int app_quit(struct app *a);
/* Keeps the bank cursor and the selected direction inside their panes. */
void bank_scroll(struct app *a);
void dirs_scroll(struct app *a);
int pager_key(struct app *a, int ch);
/* Shows text (copied) in the pager; NULL shows the help. */
void pager_open(struct app *a, const char *text);
int mouse_key(struct app *a);
/* Builds the help text (keys, then the command table). */
void help_build(struct app *a);

/* ---- prompt.c ---- */
enum prompt_kind { PROMPT_CMD, PROMPT_FILTER };
void prompt_init(struct app *a);
void prompt_done(void);
void prompt_open(struct app *a, enum prompt_kind kind);
/* Opens the ':' prompt with text already typed. */
void prompt_open_text(struct app *a, const char *text);
int prompt_key(struct app *a, int ch, int is_key);
void prompt_draw(const struct app *a);
int prompt_active(void);

/* ---- signals.c ---- */
void sig_save_tty(void);
void sig_install(void);
int sig_pending(void);
void sig_restore(void);

#endif
