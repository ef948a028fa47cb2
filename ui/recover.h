/*
 * recover.h: session recovery for the explorer.
 *
 * While the explorer runs, its session state (the script of
 * ls_cmd_state_text) is kept in $XDG_STATE_HOME/linscope/session
 * (default ~/.local/state/linscope/session), written atomically and
 * durably at most every RECOVER_EVERY seconds once the state differs from
 * the state at start. A clean quit removes the file; SIGINT/TERM/HUP and
 * crashes leave it. The next start finds it and asks whether to restore it
 * (y: load it; n: keep it aside as session.old). A file that does not load
 * is moved to session.bad. One explorer at a time owns the file (a lock
 * on session.lock); a second one runs without recovery.
 */
#ifndef LINSCOPE_UI_RECOVER_H
#define LINSCOPE_UI_RECOVER_H

#define RECOVER_EVERY 0.5   /* seconds between writes of the session file */

struct app;

/* After the screen is up: takes the lock, and when a previous session file
 * exists either asks to restore it (the message line) or, with no_ask,
 * moves it to session.old. */
void recover_start(struct app *a, int no_ask);

/* While the question is open, takes a key: y restores, n or Escape keeps
 * the file aside. Returns 1 when the key was consumed. */
int recover_key(struct app *a, int ch, int is_key);

/* From the main loop: notes that a key was handled and writes the session
 * file when due. Never fails loudly: an error goes to the message line
 * once. */
void recover_tick(struct app *a, int key_seen);

/* $XDG_STATE_HOME/linscope (default ~/.local/state/linscope), created with
 * mode 0700: malloc'd, or NULL. Also holds the command-line history. */
char *ui_state_dir(void);

/* The view after the session was replaced under it (main.c). */
void app_sync(struct app *a);

/* At exit: clean (quit) removes the session file, otherwise it stays. */
void recover_end(struct app *a, int clean);

#endif
