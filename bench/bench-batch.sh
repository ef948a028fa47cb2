#!/bin/sh
# bench-batch.sh: a batch of 256 latents through the bundled digits decoder
# (16-128-256-784, relu, sigmoid) by linscope (bench-batch, OpenBLAS with
# its default threads, and with one) and by PyTorch with one thread on the
# same weights (bench_batch.py), in three interleaved rounds; target:
# linscope at least as fast as single-threaded PyTorch. Needs Debian's
# python3-torch; skipped without it.
set -u
: "${abs_top_builddir:=.}"
here=$(dirname "$0")
model=${LINSCOPE_DATADIR:-$here/../assets}/digits.safetensors
py=
for p in "${PYTHON3:-python3}" python3 /usr/bin/python3; do
	if "$p" -c 'import torch, numpy' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || { echo "bench-batch: skipped (no python3 with torch)"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-batch-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
for r in 1 2 3; do
	"$py" -W ignore "$here/bench_batch.py" "$model" >> "$T/t.txt" || exit 1
	"$abs_top_builddir/bench/bench-batch" "$model" >> "$T/l.txt" || exit 1
	OPENBLAS_NUM_THREADS=1 "$abs_top_builddir/bench/bench-batch" "$model" 1 | sed 's/^linscope_/one_/' >> "$T/o.txt" || exit 1
done
paste "$T/t.txt" "$T/l.txt" "$T/o.txt" | awk '
	{ r++; t = $2; l = $4; o = $6
	  printf "round %d: PyTorch (1 thread) %.3f ms, linscope %.3f ms (%.2fx PyTorch throughput), linscope 1 thread %.3f ms (%.2fx)\n",
		r, t, l, t / l, o, t / o
	  tt[r] = t; ll[r] = l; oo[r] = o }
	END {
		# the median round of each ratio (insertion sort: mawk has no asort)
		for (i = 1; i <= r; i++) { a[i] = tt[i] / ll[i]; b[i] = tt[i] / oo[i] }
		for (i = 2; i <= r; i++)
			for (j = i; j > 1 && a[j] < a[j - 1]; j--) { x = a[j]; a[j] = a[j - 1]; a[j - 1] = x }
		for (i = 2; i <= r; i++)
			for (j = i; j > 1 && b[j] < b[j - 1]; j--) { x = b[j]; b[j] = b[j - 1]; b[j - 1] = x }
		m = int((r + 1) / 2)
		printf "batch of 256, digits decoder: linscope %.2fx, linscope 1 thread %.2fx single-threaded PyTorch throughput (median of %d rounds; target >= 1.0)\n",
			a[m], b[m], r
	}'
