#!/bin/sh
# bench-bigdata.sh: a 70M-parameter MLP decoder (64-4096-8192-4096-784,
# F32 safetensors written by bench_bigdata.py with numpy) opened and decoded
# by linscope, against references measured in the same run:
#   - `linscope info` (lazy open: header only) against reading the file once
#     (cat, page cache warm); target < 0.1 s;
#   - `linscope decode` of one latent (eager open: the NaN scan reads the
#     weights in place, then one GEMV pass) against the same read;
#   - one latent through the decoder (bench-decode: best of 30) against
#     numpy's W @ z chain on the same weights; target linscope <= numpy.
# Needs the configured python3 with numpy; skipped without it.
set -u
: "${abs_top_builddir:=.}"
: "${LINSCOPE:=$abs_top_builddir/linscope}"
here=$(dirname "$0")
T=$(mktemp -d "${TMPDIR:-/tmp}/bench-bigdata-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
py=${PYTHON3:-python3}
"$py" -c 'import numpy' 2>/dev/null || { echo "bench-bigdata: skipped (no python3 with numpy)"; exit 0; }
"$py" "$here/bench_bigdata.py" "$T/big.safetensors" F32 64,4096,8192,4096,784 > "$T/py.txt" || exit 1
z=$("$py" -c 'print(",".join(["0.1"] * 64))')
# best wall time of 5 runs of a command, in ms
best() {
	b=
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N); "$@" > /dev/null 2>&1 || return 1; t1=$(date +%s%N)
		t=$(( (t1 - t0) / 1000 ))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b" | awk '{ printf "%.1f", $1 / 1000 }'
}
cat "$T/big.safetensors" > /dev/null
read_ms=$(best cat "$T/big.safetensors") || exit 1
info_ms=$(best "$LINSCOPE" info "$T/big.safetensors") || exit 1
dec_ms=$(best "$LINSCOPE" decode -m "$T/big.safetensors" -z "$z" --npy "$T/y.npy") || exit 1
# interleaved rounds: linscope, numpy, ... (the best of each; the machine's
# load moves both by 2x from minute to minute)
: > "$T/ls.txt"
for r in 1 2 3; do
	"$abs_top_builddir/bench/bench-decode" "$T/big.safetensors" >> "$T/ls.txt" || exit 1
	"$py" "$here/bench_bigdata.py" "$T/big.safetensors" F32 64,4096,8192,4096,784 time >> "$T/py.txt" || exit 1
done
awk -v rd="$read_ms" -v info="$info_ms" -v dec="$dec_ms" '
	FILENAME ~ /py.txt$/ { if (!($1 in v) || $2 < v[$1]) v[$1] = $2; next }
	/big.safetensors/ { for (i = 1; i <= NF; i++) if ($i == "single" && (us == "" || $(i + 1) < us)) { us = $(i + 1); gbs = $(i + 3) } }
	END {
		printf "70M MLP decoder, %d parameters (%.0f MB F32)\n", v["params"], v["params"] * 4 / 1e6
		printf "  info (lazy open):       %7.1f ms; reading the file once %.1f ms: %.2fx (target < 100 ms)\n", info, rd, info / rd
		printf "  decode one latent (CLI, eager open): %.1f ms: %.2fx reading the file once\n", dec, dec / rd
		printf "  one latent (in memory): linscope %.2f ms (%.1f GB/s), numpy W @ z %.2f ms: %.2fx numpy time (target <= 1.0)\n",
			us / 1000, gbs, v["numpy_b1_ms"], us / 1000 / v["numpy_b1_ms"]
	}' "$T/py.txt" "$T/ls.txt"
