#!/bin/sh
# ui-teach.sh: the teacher's three keystrokes on the bundled faces. D
# opens the command line with 'meandiff frown smile' typed (the labels'
# first and last classes), Enter learns it and the status line shows its
# ground-truth score beside it (the factor it moves: smile, r > 0.8),
# L slides it half a sigma. The help lists D. With labels of one class
# D says what it needs.
. "$srcdir/tests/lib/lib.sh"
. "$srcdir/tests/lib/ui-lib.sh"

ui_start 100 30 -- -m faces
ui_wait "the faces open: bank with 30000 rows" 'bank 30000'
ui_keys D
ui_wait "D: the prompt with the first and last label classes" ':meandiff frown smile'
ui_keys Enter
ui_wait "Enter learns it" 'meandiff_frown_to_smile'
ui_wait "the status line shows its ground-truth score" 'truth smile r\+0\.8[0-9]'
ui_wait "the slider line too, with the leak" 'truth smile r\+0\.8[0-9] leak 0\.[0-9]'
ui_wait "and the directions pane" 'meandiff_fro.* smile\+0\.8[0-9]'
ui_keys L
ui_wait "L slides it half a sigma" 'α=\+0\.50 truth smile'
ui_keys '?'
ui_wait "the help lists D" 'D +learn a direction from the labels'
ui_keys q
ui_wait "q closes the help" 'meandiff_frown_to_smile'
ui_keys q y
ui_exit "quit: exit status 0" 0

# One class only: D explains instead of opening a prompt.
yes same | head -30000 > "$T/one.txt"
ui_start 100 30 -- -m faces -l "$T/one.txt"
ui_wait "faces with one-class labels" 'bank 30000'
ui_keys D
ui_wait "D: needs two classes" 'D: needs labels with two classes'
ui_keys q
ui_exit "quit: exit status 0" 0
t_done
