/*
 * cmd_table.c: every command of the explorer's language, its arguments and
 * a line of help: the text of `help`, of the TUI's help screen and of the
 * COMMANDS section of linscope(1), in that order. Each entry (name,
 * arguments, help, completion, handler, argument bounds, how it is recorded)
 * is defined beside its handler, as tmux's cmd_entry is; this file only
 * lists them.
 */
#include <stddef.h>

#include "cmd_impl.h"

extern const struct cmd_entry cmd_entry_model;
extern const struct cmd_entry cmd_entry_bank;
extern const struct cmd_entry cmd_entry_labels;
extern const struct cmd_entry cmd_entry_factors;
extern const struct cmd_entry cmd_entry_dirs;
extern const struct cmd_entry cmd_entry_row;
extern const struct cmd_entry cmd_entry_z;
extern const struct cmd_entry cmd_entry_open;
extern const struct cmd_entry cmd_entry_dir;
extern const struct cmd_entry cmd_entry_pca;
extern const struct cmd_entry cmd_entry_sefa;
extern const struct cmd_entry cmd_entry_meandiff;
extern const struct cmd_entry cmd_entry_probe;
extern const struct cmd_entry cmd_entry_lda;
extern const struct cmd_entry cmd_entry_random;
extern const struct cmd_entry cmd_entry_select;
extern const struct cmd_entry cmd_entry_activate;
extern const struct cmd_entry cmd_entry_deactivate;
extern const struct cmd_entry cmd_entry_toggle;
extern const struct cmd_entry cmd_entry_alpha;
extern const struct cmd_entry cmd_entry_step;
extern const struct cmd_entry cmd_entry_reset;
extern const struct cmd_entry cmd_entry_range;
extern const struct cmd_entry cmd_entry_mark;
extern const struct cmd_entry cmd_entry_unmark;
extern const struct cmd_entry cmd_entry_marks;
extern const struct cmd_entry cmd_entry_diff;
extern const struct cmd_entry cmd_entry_ortho;
extern const struct cmd_entry cmd_entry_erase;
extern const struct cmd_entry cmd_entry_rm;
extern const struct cmd_entry cmd_entry_bookmark;
extern const struct cmd_entry cmd_entry_goto;
extern const struct cmd_entry cmd_entry_bookmarks;
extern const struct cmd_entry cmd_entry_undo;
extern const struct cmd_entry cmd_entry_redo;
extern const struct cmd_entry cmd_entry_region;
extern const struct cmd_entry cmd_entry_linearity;
extern const struct cmd_entry cmd_entry_where;
extern const struct cmd_entry cmd_entry_hist;
extern const struct cmd_entry cmd_entry_cos;
extern const struct cmd_entry cmd_entry_score;
extern const struct cmd_entry cmd_entry_units;
extern const struct cmd_entry cmd_entry_paint;
extern const struct cmd_entry cmd_entry_regionmap;
extern const struct cmd_entry cmd_entry_tropmap;
extern const struct cmd_entry cmd_entry_snapshot;
extern const struct cmd_entry cmd_entry_strip;
extern const struct cmd_entry cmd_entry_interp;
extern const struct cmd_entry cmd_entry_preview;
extern const struct cmd_entry cmd_entry_pixels;
extern const struct cmd_entry cmd_entry_save;
extern const struct cmd_entry cmd_entry_savestate;
extern const struct cmd_entry cmd_entry_print;
extern const struct cmd_entry cmd_entry_echo;
extern const struct cmd_entry cmd_entry_help;
extern const struct cmd_entry cmd_entry_quit;

static const struct cmd_entry *const table[] = {
	&cmd_entry_model,
	&cmd_entry_bank,
	&cmd_entry_labels,
	&cmd_entry_factors,
	&cmd_entry_dirs,
	&cmd_entry_row,
	&cmd_entry_z,
	&cmd_entry_open,
	&cmd_entry_dir,
	&cmd_entry_pca,
	&cmd_entry_sefa,
	&cmd_entry_meandiff,
	&cmd_entry_probe,
	&cmd_entry_lda,
	&cmd_entry_random,
	&cmd_entry_select,
	&cmd_entry_activate,
	&cmd_entry_deactivate,
	&cmd_entry_toggle,
	&cmd_entry_alpha,
	&cmd_entry_step,
	&cmd_entry_reset,
	&cmd_entry_range,
	&cmd_entry_mark,
	&cmd_entry_unmark,
	&cmd_entry_marks,
	&cmd_entry_diff,
	&cmd_entry_ortho,
	&cmd_entry_erase,
	&cmd_entry_rm,
	&cmd_entry_bookmark,
	&cmd_entry_goto,
	&cmd_entry_bookmarks,
	&cmd_entry_undo,
	&cmd_entry_redo,
	&cmd_entry_region,
	&cmd_entry_linearity,
	&cmd_entry_where,
	&cmd_entry_hist,
	&cmd_entry_cos,
	&cmd_entry_score,
	&cmd_entry_units,
	&cmd_entry_paint,
	&cmd_entry_regionmap,
	&cmd_entry_tropmap,
	&cmd_entry_snapshot,
	&cmd_entry_strip,
	&cmd_entry_interp,
	&cmd_entry_preview,
	&cmd_entry_pixels,
	&cmd_entry_save,
	&cmd_entry_savestate,
	&cmd_entry_print,
	&cmd_entry_echo,
	&cmd_entry_help,
	&cmd_entry_quit,
};

const struct cmd_entry *
cmd_entry_at(int i)
{
	return i >= 0 && (size_t)i < sizeof table / sizeof table[0] ? table[i] : NULL;
}

const struct ls_cmd_info *
ls_cmd_at(int i)
{
	const struct cmd_entry *e = cmd_entry_at(i);

	return e ? &e->info : NULL;
}
