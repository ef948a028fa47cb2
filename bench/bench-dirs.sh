#!/bin/sh
# bench-dirs.sh: PCA and the logistic-regression probe on a 100,000 x 64
# bank: linscope against numpy and scikit-learn (Debian's python3-numpy and
# python3-sklearn), run in the same script on the same data (every row, no
# split; C = 1; K = 8; best of 5 on both sides, file loading excluded).
# Prints times, ratios (reference / linscope; the target is >= 5) and how
# closely the answers agree. The first of $PYTHON3, python3 on PATH and the
# system's /usr/bin/python3 that has numpy and sklearn is used.
set -u
: "${abs_top_builddir:=.}"
: "${PYTHON3:=python3}"
here=$(dirname "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-dirs-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
"$abs_top_builddir/bench/bench-dirs" "$T" > "$T/ls.txt" || exit 1
py=
for p in "$PYTHON3" python3 /usr/bin/python3; do
	if "$p" -c 'import numpy, sklearn' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "bench-dirs: skipped the comparison (no python3 with numpy and sklearn)"
	cat "$T/ls.txt"
	exit 0
fi
"$py" -W ignore "$here/bench_dirs.py" "$T" > "$T/py.txt" || exit 1
awk '
	FNR == NR { ls[$1] = $2; next }
	{ ref[$1] = $2 }
	END {
		printf "%-6s %10s %10s %7s  %-28s %s\n", "task", "linscope", "reference", "ratio", "reference", "agreement"
		printf "%-6s %9.4fs %9.4fs %6.1fx  %-28s min |cos| of the 8 PCs %.7f\n", "pca", ls["pca"], ref["numpy_pca"], ref["numpy_pca"] / ls["pca"], "(numpy cov + eigh)", ref["numpy_pca_cos"]
		printf "%-6s %9.4fs %9.4fs %6.1fx  %-28s min |cos| of the 8 PCs %.7f\n", "pca", ls["pca"], ref["sklearn_pca"], ref["sklearn_pca"] / ls["pca"], "(sklearn PCA)", ref["sklearn_pca_cos"]
		printf "%-6s %9.4fs %9.4fs %6.1fx  %-28s cos %.7f, max |coef diff| %s (iters %d vs %d)\n", "probe", ls["probe"], ref["sklearn_probe"], ref["sklearn_probe"] / ls["probe"], "(sklearn LogisticRegression)", ref["sklearn_probe_cos"], ref["sklearn_probe_maxdiff"], ls["probe_iters"], ref["sklearn_probe_iters"]
	}' "$T/ls.txt" "$T/py.txt"
