#!/bin/sh
# bench-dirs.sh: PCA and the logistic-regression probe on a 100,000 x 64
# bank: linscope against numpy and scikit-learn (Debian's python3-numpy and
# python3-sklearn), run in the same script on the same data. Prints times
# and ratios (reference / linscope; the target is >= 5).
set -u
: "${abs_top_builddir:=.}"
: "${PYTHON3:=python3}"
here=$(dirname "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-dirs-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
"$abs_top_builddir/bench/bench-dirs" "$T" > "$T/ls.txt" || exit 1
if ! "$PYTHON3" -c 'import numpy, sklearn' 2>/dev/null; then
	echo "bench-dirs: skipped the comparison (no numpy/sklearn for $PYTHON3)"
	cat "$T/ls.txt"
	exit 0
fi
"$PYTHON3" "$here/bench_dirs.py" "$T" > "$T/py.txt" || exit 1
awk '
	FNR == NR { ls[$1] = $2; next }
	{ ref[$1] = $2 }
	END {
		printf "%-14s %10s %10s %8s\n", "task", "linscope", "reference", "ratio"
		printf "%-14s %9.4fs %9.4fs %7.1fx  (numpy cov + eigh)\n", "pca", ls["pca"], ref["numpy_pca"], ref["numpy_pca"] / ls["pca"]
		printf "%-14s %9.4fs %9.4fs %7.1fx  (sklearn PCA)\n", "pca", ls["pca"], ref["sklearn_pca"], ref["sklearn_pca"] / ls["pca"]
		printf "%-14s %9.4fs %9.4fs %7.1fx  (sklearn LogisticRegression)\n", "probe", ls["probe"], ref["sklearn_probe"], ref["sklearn_probe"] / ls["probe"]
	}' "$T/ls.txt" "$T/py.txt"
