#!/bin/sh
# bench-graph.sh: a DCGAN generator (64x64x3, 3.58M parameters) exported by
# PyTorch and decoded by linscope and by PyTorch CPU in the same run, with
# the same thread count ($BENCH_THREADS, default 1): one latent (target:
# linscope <= 0.5x PyTorch's time) and a batch of 256 (target: >= 1.0x
# PyTorch's throughput). Then, on the same exported files: the slider step
# -> frame p50/p99 on that generator (bench-frame, target p99 < 16 ms), and
# the exact 1-D pieces (+-3 sigma, target < 0.5 s) and a 2-D map of a
# 32x32x3 DCGAN (bench-regions). Needs Debian's python3-torch; skipped
# without it.
set -u
: "${abs_top_builddir:=.}"
: "${BENCH_THREADS:=1}"
here=$(dirname "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-graph-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
py=
for p in "${PYTHON3:-python3}" python3 /usr/bin/python3; do
	if "$p" -c 'import torch, onnx' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || { echo "bench-graph: skipped (no python3 with torch and onnx)"; exit 0; }
"$py" -W ignore "$here/bench_graph.py" "$T" "$BENCH_THREADS" > "$T/py.txt" 2>/dev/null || exit 1
OPENBLAS_NUM_THREADS=$BENCH_THREADS "$abs_top_builddir/bench/bench-graph" "$T/dcgan.onnx" "$BENCH_THREADS" > "$T/ls.txt" || exit 1
awk -v th="$BENCH_THREADS" '
	{ v[$1] = $2 }
	END {
		printf "DCGAN 64x64x3, %d parameters, %d thread(s)\n", v["params"], th
		printf "  one latent:   linscope %.3f ms, PyTorch %.3f ms: %.2fx PyTorch time (target <= 0.5)\n",
			v["linscope_b1_ms"], v["torch_b1_ms"], v["linscope_b1_ms"] / v["torch_b1_ms"]
		printf "  batch of 256: linscope %.1f ms, PyTorch %.1f ms: %.2fx PyTorch throughput (target >= 1.0)\n",
			v["linscope_b256_ms"], v["torch_b256_ms"], v["torch_b256_ms"] / v["linscope_b256_ms"]
	}' "$T/py.txt" "$T/ls.txt"
echo "slider on the DCGAN 64x64x3 (bench-frame):"
OPENBLAS_NUM_THREADS=$BENCH_THREADS "$abs_top_builddir/bench/bench-frame" "$T/dcgan.onnx" || exit 1
echo "exact regions of a 32x32x3 DCGAN (bench-regions):"
OPENBLAS_NUM_THREADS=$BENCH_THREADS "$abs_top_builddir/bench/bench-regions" "$T/dcgan32.onnx" || exit 1
