#!/bin/sh
# tests/coverage.sh: line and branch coverage per source file and in
# total, from the .gcda files a --coverage build left after the suite
# ran (make coverage). Plain gcov, which comes with gcc: nothing to
# install.
#
#   sh tests/coverage.sh OBJDIR [uncovered]
#
# OBJDIR is the build folder (build/coverage). With "uncovered", also
# list every line never run, file:line and its text, for reading the
# error paths that no test reaches.

obj=${1:?usage: coverage.sh OBJDIR [uncovered]}
top=$(cd "${0%/*}/.." && pwd)
cd "$top" || exit 2
if ! command -v gcov >/dev/null 2>&1; then
	echo "coverage: gcov not found (it comes with gcc)" >&2
	exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/tkt-cov.XXXXXX")
trap 'rm -rf "$work"' EXIT

# one row per file: "file lines_run lines branches_taken branches"
for src in lib/*.c memlayout/*.c procview/*.c netlab/*.c; do
	o=$obj/${src%/*}
	[ -f "$obj/${src%.c}.gcno" ] || continue
	if [ ! -f "$obj/${src%.c}.gcda" ]; then
		# compiled but never run: every line is uncovered
		gcov -b -n -o "$o" "$src" 2>/dev/null | awk -v f="$src" '
			/^File / { in_f = index($0, "'"'"'" f "'"'"'") > 0 }
			in_f && /^Lines executed:/ { split($0, a, " of "); l = a[2] }
			in_f && /^Branches executed:/ { split($0, a, " of "); b = a[2] }
			END { print f, 0, l + 0, 0, b + 0 }'
		continue
	fi
	gcov -b -n -o "$o" "$src" 2>/dev/null | awk -v f="$src" '
		/^File / { in_f = index($0, "'"'"'" f "'"'"'") > 0 }
		in_f && /^Lines executed:/ {
			split($0, a, ":|% of "); lp = a[2]; l = a[3] }
		in_f && /^Taken at least once:/ {
			split($0, a, ":|% of "); bp = a[2]; b = a[3] }
		in_f && /^No branches/ { bp = 0; b = 0 }
		END { printf "%s %d %d %d %d\n", f,
			lp * l / 100 + 0.5, l, bp * b / 100 + 0.5, b }'
done >"$work/rows"

awk '
function pct(a, b) { return b ? sprintf("%5.1f%%", 100 * a / b) : "    -" }
function row(name, lr, l, br, b) {
	printf "%-28s %6d/%-6d %s   %6d/%-6d %s\n", name, lr, l, pct(lr, l),
		br, b, pct(br, b)
}
{
	split($1, p, "/"); d = p[1]
	lr[d] += $2; l[d] += $3; br[d] += $4; b[d] += $5
	LR += $2; L += $3; BR += $4; B += $5
	line[NR] = $0
	if (!(d in seen)) { seen[d] = 1; order[++nd] = d }
}
END {
	printf "%-28s %13s %6s   %13s %6s\n", "file", "lines run", "",
		"branches taken", ""
	for (i = 1; i <= NR; i++) {
		split(line[i], x, " ")
		row(x[1], x[2], x[3], x[4], x[5])
	}
	print ""
	for (i = 1; i <= nd; i++) {
		d = order[i]
		row(d "/ (total)", lr[d], l[d], br[d], b[d])
	}
	row("all", LR, L, BR, B)
}' "$work/rows"

[ "$2" = uncovered ] || exit 0
echo
echo "lines never run (##### in gcov), file:line: text"
for src in lib/*.c memlayout/*.c procview/*.c netlab/*.c; do
	[ -f "$obj/${src%.c}.gcda" ] || continue
	# -t: the annotated source on stdout, one block per file it covers
	gcov -t -o "$obj/${src%/*}" "$src" 2>/dev/null | awk -v f="$src" '
		/^ *-: *0:Source:/ { t = $0; sub(/^.*:Source:/, "", t);
			in_f = (t == f); next }
		in_f && /^ *#####:/ { n = $0; sub(/^ *#####: */, "", n);
			l = n; sub(/:.*/, "", l); sub(/^[0-9]*:/, "", n);
			print f ":" l ":" n }'
done
