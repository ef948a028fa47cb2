#!/bin/sh
# cli-lessons.sh: every lesson of examples/ runs with `linscope run` in a
# fresh folder, without an error, and writes the pictures its "# writes:"
# line promises (and any snapshots it takes), each a valid PNG: the
# signature, an IHDR chunk first with a non-zero size, an IEND chunk last.
. "$srcdir/tests/lib/lib.sh"
EX=$srcdir/examples

# png_ok FILE: 0 when FILE looks like a whole PNG
png_ok() {
	[ -s "$1" ] || return 1
	[ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = 89504e470d0a1a0a ] || return 1
	[ "$(od -An -c -j12 -N4 "$1" | tr -d ' \n')" = IHDR ] || return 1
	wh=$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')
	[ "${wh%????????}" != 00000000 ] && [ "${wh#????????}" != 00000000 ] || return 1
	n=$(wc -c < "$1")
	[ "$(od -An -c -j$((n - 8)) -N4 "$1" | tr -d ' \n')" = IEND ]
}

nl=0
for f in "$EX"/*.ls; do
	l=$(basename "$f" .ls)
	nl=$((nl + 1))
	mkdir "$T/$l" || exit 99
	t_ok "$l: runs" sh -c "cd '$T/$l' && exec '$(cd "$(dirname "$LS")" && pwd)/$(basename "$LS")' run -m faces '$(cd "$EX" && pwd)/$l.ls'"
	want=$(sed -n 's/^# writes: *//p' "$f")
	t_ok "$l: names the pictures it writes" test -n "$want"
	for p in $want; do
		t_ok "$l: wrote $p, a valid PNG" png_ok "$T/$l/$p"
	done
	for p in "$T/$l"/linscope-*.png; do
		[ -e "$p" ] || continue
		t_ok "$l: snapshot $(basename "$p") is a valid PNG" png_ok "$p"
	done
done
t_ok "there are eight lessons" test "$nl" -eq 8
t_done
