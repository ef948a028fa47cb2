#!/bin/sh
# layers.sh: the include lines obey the architecture (HACKING.md).
#
# Layers, bottom first:  base < formats < model < dirs, analysis < session
# < cmd < cli < ui. A file may include headers of its own layer or of a
# layer below; dirs and analysis are siblings and may not include each other.
# Every public header (include/linscope/*.h) belongs to one layer (the table
# below: a new header must be added to it). Only ui/ may include curses or
# readline. TAP output; exit 0 when every check passes.
top=${srcdir:-.}
cd "$top" || exit 99

rank() { # LAYER -> rank
	case $1 in
	base) echo 0 ;; formats) echo 1 ;; model) echo 2 ;;
	dirs | analysis) echo 3 ;; session) echo 4 ;; cmd) echo 5 ;;
	cli) echo 6 ;; ui) echo 7 ;; *) echo 99 ;;
	esac
}
header_layer() { # linscope/NAME.h -> layer
	case ${1#linscope/} in
	status.h | assets.h | progress.h) echo base ;;
	st.h | npy.h | png.h | dirfile.h | labels.h | factors.h | onnx.h | sniff.h) echo formats ;;
	model.h | bank.h) echo model ;;
	dir.h | dirs.h) echo dirs ;;
	regions.h | linearity.h | tropical.h | path.h) echo analysis ;;
	session.h) echo session ;;
	cmd.h | linscope.h) echo cmd ;;
	*) echo unknown ;;
	esac
}
file_layer() { # PATH -> layer
	case $1 in
	src/*/*) f=${1#src/}; echo "${f%%/*}" ;;
	include/linscope/*) header_layer "${1#include/}" ;;
	cli/*) echo cli ;; ui/*) echo ui ;;
	*) echo unknown ;;
	esac
}
target_layer() { # FROM-LAYER INCLUDED-NAME -> layer of the included file
	case $2 in
	linscope/*) header_layer "$2" ;;
	base/* | formats/* | model/* | dirs/* | analysis/* | session/* | cmd/*) echo "${2%%/*}" ;;
	cli/*) echo cli ;;
	render/* | config.h) echo "$1" ;;
	*/*) echo unknown ;;
	*) echo "$1" ;; # a header beside the file: same folder, same layer
	esac
}

n=0 bad=0
check() { # OK? DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=$((bad + 1)); fi
}

files=$(find src include cli ui -name '*.[ch]' | LC_ALL=C sort)
for f in $files; do
	from=$(file_layer "$f")
	if [ "$(rank "$from")" = 99 ]; then
		check 1 "$f: belongs to no layer (add it to tests/lint/layers.sh)"
		continue
	fi
	errs=
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		to=$(target_layer "$from" "$inc")
		rf=$(rank "$from") rt=$(rank "$to")
		if [ "$rt" -gt "$rf" ] || { [ "$rt" = "$rf" ] && [ "$to" != "$from" ]; }; then
			errs="$errs $inc($to)"
		fi
	done
	check "$([ -z "$errs" ] && echo 0 || echo 1)" "$f ($from) includes only its layer or below${errs:+:$errs}"
done

curses=$(grep -lE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(n?curses|ncursesw/|readline/|term\.h)' \
	$(find src include cli -name '*.[ch]') 2>/dev/null)
check "$([ -z "$curses" ] && echo 0 || echo 1)" "only ui/ includes curses or readline${curses:+: $curses}"

weak=$(grep -lE '__attribute__ *\(\( *weak' $(find src include cli ui -name '*.[ch]') 2>/dev/null)
check "$([ -z "$weak" ] && echo 0 || echo 1)" "no weak symbols (everything is always linked)${weak:+: $weak}"

echo "1..$n"
[ "$bad" = 0 ]
