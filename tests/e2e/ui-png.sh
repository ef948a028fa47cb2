#!/bin/sh
# ui-png.sh: the PNG files the explorer writes, compared byte for byte with
# `linscope decode` for the same latent: a snapshot of a bank row, a
# snapshot after sliding (z read back with `print z`), the debounced live
# preview; snapshots never overwrite; `p` switches the preview off; the
# terminal image modes (text, 256 colours, truecolor) and the pixels
# setting: inside tmux (no passthrough) auto falls back to chafa symbols;
# --pixels half, LINSCOPE_PIXELS, :pixels at run time, a bad mode.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"
W=$T/work

ui_start 80 24
ui_wait "the explorer starts" 'directions 0'
ui_keys j j j j j Enter
ui_wait "row 5 is z0" 'z0: row 5'
ui_keys s
ui_wait "s writes a numbered snapshot" 'wrote linscope-0001\.png'
t_ok "the snapshot of row 5 is what 'linscope decode' writes for it" \
	sh -c "'$LS' decode -b '$LINSCOPE_DATADIR/digits.npy' --rows 5:6 -o '$T/ref1.png' && cmp '$T/ref1.png' '$W/linscope-0001.png'"

ui_type ':dir axis 2'
ui_keys Enter
ui_type ':alpha 1.5'
ui_keys Enter
ui_wait "alpha is 1.5" 'axis_2 +\+1\.50'
ui_keys s
ui_wait "the second snapshot" 'wrote linscope-0002\.png'
tm resize-window -x 250 -y 24
ui_wait "wide enough for the whole latent" 'bank 10000 '
ui_type ':print z'
ui_keys Enter
F='-?[0-9][-+.0-9e]*'
ui_wait "print z shows the latent" "^$F(,$F){15} *\$"
z=$(grep -Eo "^$F(,$F){15}" "$T/screen")
t_ok "the snapshot after sliding is what 'linscope decode -z' writes for z" \
	sh -c "'$LS' decode -z '$z' -o '$T/ref2.png' && cmp '$T/ref2.png' '$W/linscope-0002.png'"
tm resize-window -x 80 -y 24
ui_file "$W/linscope-preview.png"
t_ok "the debounced preview shows the same latent" sh -c "
	for i in \$(seq 1200); do cmp -s '$T/ref2.png' '$W/linscope-preview.png' && exit 0; sleep 0.05; done; exit 1"

echo junk >"$W/linscope-0003.png"
ui_keys s
ui_wait "a snapshot skips a name in use" 'wrote linscope-0004\.png'
t_is "and leaves the file there alone" "$(cat "$W/linscope-0003.png")" junk
ui_keys p
ui_wait "p switches the preview off" 'preview off'
ui_type ':strip'
ui_keys Enter
ui_wait ":strip writes a strip" 'wrote linscope-strip-0001\.png'
t_ok "the strip is a PNG" sh -c "head -c 8 '$W/linscope-strip-0001.png' | od -An -c | grep -q 'P   N   G'"
ui_keys q y
ui_exit "quit: exit status 0" 0

ui_start 80 24 TERM=screen-256color -- --pixels auto
ui_wait "256 colours in tmux, --pixels auto: chafa symbols (no graphics without passthrough)" 'z +\(28x28, sym 256\)'
t_ok "the images are block symbols" grep -q '[▀▄▌▐▖▗▘▝▙▚▛▜▞▟█]' "$T/screen"
ui_wait "the status line says so too" '\| sym 256 \|'
ui_type ':pixels half'
ui_keys Enter
ui_wait ":pixels half: half blocks" 'z +\(28x28, half 256\)'
ui_wait "and the message says it in words" 'pixels: half blocks \(256 colours\)'
t_ok "cells are upper half blocks" grep -q '▀' "$T/screen"
ui_type ':pixels bogus'
ui_keys Enter
ui_wait ":pixels with an unknown mode: an error, the mode stays" 'pixels bogus: want auto'
t_ok "still half blocks" grep -q 'half 256' "$T/screen"
ui_keys q
ui_exit "quit: exit status 0" 0

ui_start 80 24 TERM=screen-256color LINSCOPE_PIXELS=half
ui_wait "LINSCOPE_PIXELS=half: half blocks" 'z +\(28x28, half 256\)'
ui_keys q
ui_exit "quit: exit status 0" 0
t_fails "--pixels with an unknown mode: exit 2, says why" 2 "pixels bogus: want auto" \
	sh -c "'$LS' tui --pixels bogus </dev/null"
t_fails "LINSCOPE_PIXELS with an unknown mode too" 2 "pixels sixel,blurry: want auto" \
	sh -c "LINSCOPE_PIXELS=sixel,blurry '$LS' tui </dev/null"

ui_start 80 24 TERM=screen-256color NO_COLOR=1
ui_wait "NO_COLOR: text mode" 'z +\(28x28, text\)'
t_ok "and no half blocks" sh -c "! grep -q '▀' '$T/screen'"
ui_keys q
ui_exit "quit: exit status 0" 0

# A direct-colour terminfo entry of our own (Debian ships xterm-direct in
# ncurses-term, which may be absent).
if command -v tic >/dev/null 2>&1; then
	cat >"$T/direct.ti" <<'TI'
xterm-direct|xterm with direct colour (test),
	colors#0x1000000, pairs#0x10000, RGB,
	setab=\E[48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%dm,
	setaf=\E[38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%dm,
	use=xterm-256color,
TI
	tic -x -o "$T/terminfo" "$T/direct.ti" 2>/dev/null
	ui_start 80 24 TERM=xterm-256color COLORTERM=truecolor TERMINFO="$T/terminfo"
	ui_wait "COLORTERM=truecolor with a direct-colour terminfo: truecolor symbols" 'sym rgb'
	t_ok "cells carry 24-bit colours" sh -c "'$TMUX_BIN' -L '$UI_SOCK' capture-pane -p -e | grep -q '38;2;'"
	ui_keys q
	ui_exit "quit: exit status 0" 0
fi

t_done
