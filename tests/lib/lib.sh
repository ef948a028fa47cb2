# lib.sh: helpers for the shell tests (TAP). Source it, then call ok/not_ok.
#   t_ok "description" command...   runs the command, ok if it exits 0
#   t_is "description" got want     string equality
#   t_done                          prints the plan; exit status 1 on failure
# $T is a private temporary folder removed at exit. $LS is the binary.
set -u
: "${srcdir:=.}"
: "${LINSCOPE:=./linscope}"
LS=$LINSCOPE
FIX=$srcdir/tests/fixtures
T=$(mktemp -d "${TMPDIR:-/tmp}/linscope-sh-XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
_n=0
_fail=0
t_result() { # status description
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _fail=$((_fail + 1)); fi
}
t_ok() { local d=$1; shift; "$@" >"$T/.out" 2>"$T/.err"; local s=$?; t_result $s "$d"; [ $s -eq 0 ] || sed 's/^/# /' "$T/.err" | head -5; return 0; }
t_is() { if [ "$2" = "$3" ]; then t_result 0 "$1"; else t_result 1 "$1"; echo "# got:  $2"; echo "# want: $3"; fi; }
# t_fails "desc" EXIT_CODE PATTERN command...: exits with EXIT_CODE and stderr matches PATTERN
t_fails() {
	local d=$1 code=$2 pat=$3; shift 3
	"$@" >"$T/.out" 2>"$T/.err"; local s=$?
	if [ $s -eq "$code" ] && grep -q -- "$pat" "$T/.err" && [ "$(wc -l <"$T/.err")" -ge 1 ]; then t_result 0 "$d"
	else t_result 1 "$d"; echo "# exit $s (want $code); stderr:"; sed 's/^/#   /' "$T/.err" | head -5; fi
}
t_done() { echo "1..$_n"; [ $_fail -eq 0 ]; exit $?; }
