#!/bin/sh
# cli-dir-bad.sh: bad input to `linscope dir` (unknown label, empty class,
# k > d, a direction of the wrong length, a missing name, a corrupt
# directions file, an existing name) gives a one-line message, exit 2, and
# leaves the directions file byte for byte as it was.
. "$srcdir/tests/lib/lib.sh"
B=$FIX/dir-logreg-x.npy
L=$FIX/dir-logreg-y.txt
F=$T/dirs.safetensors

"$LS" dir pca -b "$B" -k 2 -o "$F" >/dev/null || { echo "Bail out! cannot make a directions file"; exit 99; }
SUM=$(cksum < "$F")
untouched() { t_is "$1: file untouched" "$(cksum < "$F")" "$SUM"; }
# bad DESC PATTERN ARGS...: exits 2 with PATTERN in a one-line message, F untouched
bad() {
	d=$1 pat=$2; shift 2
	t_fails "$d" 2 "$pat" "$LS" "$@"
	t_is "$d: one line" "$(wc -l < "$T/.err" | tr -d ' ')" "1"
	untouched "$d"
}

bad "unknown label" "no row has the label 'zz'" dir probe -b "$B" -l "$L" --pos zz --neg b -o "$F"
bad "unknown label in a set" "'zz'" dir mean-diff -b "$B" -l "$L" --pos a,zz --neg b -o "$F"
bad "empty class (same label both sides)" "both sets" dir lda -b "$B" -l "$L" --pos a --neg a -o "$F"
bad "missing --neg" "needs --from B --to A (or --neg B --pos A)" dir mean-diff -b "$B" -l "$L" --pos a -o "$F"
bad "k > d" "-k 6" dir pca -b "$B" -k 6 -o "$F"
bad "k = 0" "-k 0" dir pca -b "$B" -k 0 -o "$F"
bad "existing name" "already exists" dir pca -b "$B" -k 1 -o "$F"
bad "existing name (learned)" "already exists" dir mean-diff -b "$B" -l "$L" --pos a --neg b -o "$F" --name pc2
bad "bad name" "direction name" dir mean-diff -b "$B" -l "$L" --pos a --neg b -o "$F" --name 'x:y'
bad "missing name: show" "nope" dir show "$F:nope"
bad "missing name: rm" "nope" dir rm "$F:nope"
bad "missing name: export" "nope" dir export "$F:nope" --txt
bad "missing name: rename" "nope" dir rename "$F:nope" other
bad "rename onto an existing name" "already exists" dir rename "$F:pc1" pc2
bad "length != d: traverse" "latent dimension is 16" traverse --row 0 --dir "$F:pc1" --range 0:1 --steps 2 -o "$T/x.png"
bad "length != d: decode -z" "latent dimension is 16" decode -z "$F:pc2" --npy "$T/x.npy"
bad "length != d: combine" "latent dimension" dir combine -o "$F" --name c -m digits "$F:pc1"
"$LS" dir export "$F:pc1" --npy "$T/v5.npy"
bad "length != d: import" "latent dimension is 16" dir import "$F" v16 "$T/v5.npy" -m digits
bad "export without --npy/--txt" "--npy" dir export "$F:pc1"
bad "unknown subcommand" "not a dir subcommand" dir frobnicate
bad "no -o" "needs -o FILE" dir pca -b "$B" -k 1
bad "orthogonalize in the span" "span" dir orthogonalize -o "$F" --name o "$F:pc1" "$F:pc1"
for x in "$T/x.png" "$T/x.npy"; do
	[ ! -e "$x" ]; t_result $? "no output left: $(basename "$x")"
done

# corrupt directions files
C=$T/corrupt.safetensors
head -c 40 "$F" > "$C"
CSUM=$(cksum < "$C")
t_fails "corrupt file: list" 2 "corrupt.safetensors" "$LS" dir list "$C"
t_fails "corrupt file: pca -o refuses to add" 2 "corrupt.safetensors" "$LS" dir pca -b "$B" -k 1 -o "$C"
t_fails "corrupt file: FILE:NAME" 2 "corrupt.safetensors" "$LS" traverse --row 0 --dir "$C:pc1" --range 0:1 --steps 2 -o "$T/x.png"
t_is "corrupt file untouched" "$(cksum < "$C")" "$CSUM"
printf 'not a safetensors file at all' > "$C"
t_fails "garbage file: show" 2 "corrupt.safetensors" "$LS" dir show "$C:pc1"
t_fails "missing file: list" 2 "no such directions file" "$LS" dir list "$T/absent.safetensors"
[ ! -e "$T/absent.safetensors" ]; t_result $? "list does not create a file"
t_done
