#!/bin/sh
# tests/docs/labs.sh: the labs cannot rot. Every command of every lab is
# run and must exit 0; the Korean labs must have the same commands and the
# same structure as the English ones.
#
# The convention (docs/labs/README.md): inside a ```console block, a line
# that starts with "$ " is a command; the lines after it are its sample
# output and are not run. Any other block (```text, ```c, ```sh) is an
# illustration and is never run. Commands run in order, one `sh -c` each,
# from the top of a fresh copy of the source tree (so `make stages` and
# relative paths work and nothing is written into the real tree), with
# PATH="$BIN:$PATH", LC_ALL=C.UTF-8 and under `timeout`. A command that
# names a tool not built yet is skipped, with the reason.
#
# A command may go on over several lines, as bash shows them: the lines
# right after a "$ " line that start with "> " (bash's PS2) are part of it.
#
# The samples cannot rot either: the stable parts of each sample are
# compared with what the command really printed (docs/labs/README.md,
# "What a sample promises"). Volatile parts (PIDs, addresses, times,
# sizes) are never compared:
# - header: when the sample's first line has no digit, the first line of
#   the real output (or of its error output) must be the same, blanks
#   squeezed (blank lines and a shell's job lines such as "[1] 1234" or
#   "[1]+  Done" left out);
# - line count: a command whose last stage is `head -n N` or `tail -n N`
#   prints as many lines (on its standard output) as its sample shows;
# - `grep -n` on a file of the source tree: the whole sample (line
#   numbers and text) must be what grep prints.
#
# The Korean commands are checked equal to the English ones, so running
# the English list runs both; the Korean samples are compared with the
# same real outputs.
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
labs=$top/docs/labs
tools="memlayout procview netlab thread_serv thread_cli"
# programs from elsewhere that a lab may use; missing ones skip the command
extern="nm size readelf objdump ps pgrep make gcc cc clang setarch strace perf od"
# seconds a lab command may take: the longest, lab 6's bench --compare
# --runs 5, takes about 18 s on an idle 2-core machine
limit=120
[ -n "$SAN" ] && limit=300

# split_lab FILE DIR: each runnable command of FILE into DIR/c.N (its
# lines, continuation lines included), its sample output into DIR/s.N,
# and the number of commands into DIR/n
split_lab() {
	mkdir -p "$2"
	awk -v d="$2" '
	function to(f, line) { if (f != cur) { if (cur != "") close(cur); cur = f }
		print line >> f }
	/^[[:space:]]*```console[[:space:]]*$/ { inb = 1; next }
	/^[[:space:]]*```/ { inb = 0; cont = 0; next }
	!inb { next }
	/^[[:space:]]*\$ / { n++; cont = 1; l = $0; sub(/^[[:space:]]*\$ /, "", l)
		to(d "/c." n, l); printf "" > (d "/s." n); close(d "/s." n); next }
	cont && /^[[:space:]]*>( |$)/ { l = $0; sub(/^[[:space:]]*> ?/, "", l)
		to(d "/c." n, l); next }
	{ cont = 0; if (n) to(d "/s." n, $0) }
	END { if (cur != "") close(cur); print n + 0 > (d "/n") }' "$1"
}

# commands DIR: the commands split_lab found, one per line (a command of
# several lines has them joined by " <NL> ")
commands() {
	i=0
	while [ "$i" -lt "$(cat "$1/n")" ]; do
		i=$((i + 1))
		awk 'NR > 1 { printf " <NL> " } { printf "%s", $0 } END { print "" }' "$1/c.$i"
	done
}

# stable FILE: the lines of a sample or an output that are compared:
# no blank lines, no job lines of an interactive shell, blanks squeezed
stable() {
	grep -Ev '^[[:space:]]*$|^\[[0-9]+\][-+]? ' "$1" |
		sed 's/[[:space:]][[:space:]]*/ /g; s/ $//'
}

# check_sample WHAT CMD SAMPLE OUT ERR: the sample's stable parts against
# the real standard output OUT and error output ERR (a sample shows both,
# as a terminal does: its header may be the first line of either)
check_sample() {
	[ -s "$3" ] || return 0
	stable "$3" >"$T_TMP/s.st"
	stable "$4" >"$T_TMP/o.st"
	stable "$5" >"$T_TMP/e.st"
	first=$(head -n 1 "$T_TMP/s.st")
	case $first in
	*[0-9]*) ;;
	*)
		got=$(head -n 1 "$T_TMP/o.st")
		[ "$first" = "$(head -n 1 "$T_TMP/e.st")" ] && got=$first
		is "$got" "$first" "$1: sample header"
		;;
	esac
	last=$(printf '%s\n' "$2" | tail -n 1 | sed -n \
		's/.*|[[:space:]]*\(head\|tail\) -n \{0,1\}\([0-9][0-9]*\)[[:space:]]*$/\2/p')
	if [ -n "$last" ]; then
		is "$(grep -Evc '^\[[0-9]+\][-+]? ' "$4")" \
			"$(grep -Evc '^\[[0-9]+\][-+]? ' "$3")" \
			"$1: as many lines as the sample"
	fi
	# grep -n on a file of the source tree: line numbers are quoted
	f=$(printf '%s\n' "$2" | sed -n "s/^grep -n .* '[^']*' \([^ |;&]*\)\$/\1/p")
	if [ -n "$f" ] && [ -f "$top/$f" ]; then
		is "$(cat "$4")" "$(cat "$3")" "$1: grep -n output as quoted"
	fi
}

# shape FILE: what must match between languages (headings per level,
# fenced blocks by kind, numbered exercises)
shape() {
	awk '/^[[:space:]]*```/ { print "fence " $0; inb = !inb; next }
	     inb { next }
	     /^#+ / { print "heading " $1 }
	     /^[0-9]+\. / { print "item" }' "$1"
}

# missing_tool CMD: the first toolkit program CMD names that is not built
missing_tool() {
	for t in $tools; do
		if printf '%s\n' "$1" | grep -Eq "(^|[^a-z_])$t([^a-z_]|\$)" &&
			[ ! -x "$BIN/$t" ]; then
			echo "$t is not built yet"
			return
		fi
	done
	for t in $extern; do
		if printf '%s\n' "$1" | grep -Eq "(^|[^a-z_./-])$t([^a-z_-]|\$)" &&
			! command -v "$t" >/dev/null 2>&1; then
			echo "$t is not installed"
			return
		fi
	done
}

# A lab must leave no process behind: any process whose working folder
# is inside the lab's copy of the tree is a leftover. Kill it, report it.
leftovers() { # DIR
	found=""
	for c in /proc/[0-9]*/cwd; do
		d=$(readlink "$c" 2>/dev/null) || continue
		case $d in
		"$1" | "$1"/*)
			p=${c#/proc/}
			p=${p%/cwd}
			[ "$p" = "$$" ] && continue
			found="$found $p($(cat "/proc/$p/comm" 2>/dev/null))"
			kill -9 "$p" 2>/dev/null
			;;
		esac
	done
	echo "$found"
}

# copy_tree DIR: the source tree without build output and git metadata
copy_tree() {
	mkdir -p "$1"
	for e in "$top"/* "$top"/.[!.]*; do
		[ -e "$e" ] || continue
		case ${e##*/} in
		build | stages | .git) continue ;;
		esac
		cp -R "$e" "$1/"
	done
}

ok "docs/labs/README.md exists" test -f "$labs/README.md"
ok "docs/labs/ko/README.md exists" test -f "$labs/ko/README.md"

pidns_why=$(pidns_why)
n=0
# LAB=N runs the commands of lab N only (while writing a lab)
for en in "$labs"/${LAB:+0}${LAB:-[0-9]}*.md; do
	[ -f "$en" ] || continue
	n=$((n + 1))
	name=${en##*/}
	ko=$labs/ko/$name
	if ! [ -f "$ko" ]; then
		t_result 1 "$name has a Korean version docs/labs/ko/$name"
		continue
	fi
	rm -rf "$T_TMP/en" "$T_TMP/ko"
	split_lab "$en" "$T_TMP/en"
	split_lab "$ko" "$T_TMP/ko"
	commands "$T_TMP/en" >"$T_TMP/en.cmd"
	commands "$T_TMP/ko" >"$T_TMP/ko.cmd"
	is "$(cat "$T_TMP/ko.cmd")" "$(cat "$T_TMP/en.cmd")" \
		"$name: Korean and English have the same commands"
	is "$(shape "$ko" | tr '\n' ' ')" "$(shape "$en" | tr '\n' ' ')" \
		"$name: Korean and English have the same sections and blocks"
	ok "$name: has runnable commands" test -s "$T_TMP/en.cmd"
	for h in Goal Predict Run Why Exercises; do
		ok "$name: has a '$h' section" grep -q "^## $h" "$en"
	done

	root=$T_TMP/root.${name%.md}
	copy_tree "$root"
	i=0
	while IFS= read -r line; do
		i=$((i + 1))
		cmd=$(cat "$T_TMP/en/c.$i")
		# the check's name: no backslash (echo would expand it), short
		what=$(printf '%s $ %s' "$name" "$line" | tr -d '\\' | cut -c 1-110)
		miss=$(missing_tool "$cmd")
		# The one deliberate data race: the tool itself refuses to run
		# it under ThreadSanitizer (which would report it), so skip it.
		case $SAN:$cmd in
		*thread*:*"race --mode none"*)
			miss="the deliberate race is not run under TSan" ;;
		esac
		# procview kill (its refusals of 1 and -1 are shown in lab 5)
		# runs only in a private PID namespace (tests/lib.sh)
		ns=
		case $cmd in
		*"procview kill"*)
			ns=in_pidns
			[ -n "$pidns_why" ] && miss="$pidns_why (procview kill)" ;;
		esac
		if [ -n "$miss" ]; then
			skip "$what" "$miss"
			continue
		fi
		# LeakSanitizer cannot work under ptrace: a lab command that
		# traces a sanitizer build (strace, perf) runs without it.
		# Nor beside timeout's SIGCONT: at exit LSan stops its own
		# process with PTRACE_ATTACH's SIGSTOP, and timeout follows
		# its signal with SIGCONT, which discards a pending SIGSTOP.
		# A program that exits fast enough then waits for its
		# tracer, and the tracer for it, forever (seen once under
		# load: 'timeout -s INT 1 thread_serv ... | head -n 2').
		lsan=${ASAN_OPTIONS:-}
		case $cmd in
		*strace* | *"perf "* | *"timeout "*)
			lsan="$lsan:detect_leaks=0" ;;
		esac
		# the samples were captured in C.UTF-8 (gcc's quotes are
		# ‘f’ there and 'f' in the C locale): run them in it
		(cd "$root" && PATH="$BIN:$PATH" ASAN_OPTIONS=$lsan \
			LC_ALL=C.UTF-8 $ns timeout -k 5 "$limit" sh -c "$cmd") </dev/null \
			>"$T_TMP/out" 2>"$T_TMP/err"
		rc=$?
		if [ "$rc" = 0 ]; then
			t_result 0 "$what"
		else
			t_result 1 "$what (exit $rc)"
			cat "$T_TMP/out" "$T_TMP/err" | tail -n 15 | sed 's/^/#   /'
			continue
		fi
		# A sanitizer build prints its own notes (some memlayout demos
		# say they cannot run there): samples are compared without SAN.
		[ -n "$SAN" ] && continue
		short=$(printf '%s' "$what" | cut -c 1-60)
		check_sample "$short" "$cmd" "$T_TMP/en/s.$i" "$T_TMP/out" \
			"$T_TMP/err"
		cmp -s "$T_TMP/en/c.$i" "$T_TMP/ko/c.$i" &&
			check_sample "ko/$short" "$cmd" "$T_TMP/ko/s.$i" \
				"$T_TMP/out" "$T_TMP/err"
	done <"$T_TMP/en.cmd"
	left=$(leftovers "$root")
	is "$left" "" "$name: no process left behind"
done
ok "there are labs" test "$n" -gt 0

# The labs' helper for a server and its clients (docs/labs/with-server.sh)
ws=$labs/with-server.sh
exits 2 "with-server.sh without a command: usage" sh "$ws" thread_serv 0
like "$ERR" '^usage: with-server.sh' "with-server.sh prints its usage"
if [ -x "$BIN/thread_serv" ]; then
	export PATH="$BIN:$PATH"
	exits 0 "with-server.sh runs the commands with PORT and SERVER_PID" \
		sh "$ws" thread_serv 0 -- 'echo "port=$PORT pid=$SERVER_PID"'
	like "$OUT" '^port=[0-9]+ pid=[0-9]+$' "PORT and SERVER_PID are set"
	like "$OUT" '^stopped: 0 clients served$' "the server was stopped by SIGINT and logged"
	sp=$(printf '%s\n' "$OUT" | sed -n 's/^port=.* pid=//p')
	ok "the server ($sp) is gone afterwards" \
		sh -c "! kill -0 '${sp:-0}' 2>/dev/null"
	exits 3 "with-server.sh passes on the commands' failure" \
		sh "$ws" thread_serv 0 -- 'exit 3'
	exits 1 "with-server.sh: a server that cannot start" \
		sh "$ws" thread_serv 99999 -- 'true'
	like "$ERR" 'did not start listening' "and says so"
else
	skip "with-server.sh with a real server" "thread_serv is not built yet"
fi

# Every Korean lab has its English original.
for ko in "$labs"/ko/[0-9]*.md; do
	[ -f "$ko" ] || continue
	ok "ko/${ko##*/} has an English original" test -f "$labs/${ko##*/}"
done

# links_resolve FILE: every relative link of FILE leads to a file
links_resolve() {
	bad=""
	for l in $(grep -oE '\]\([^)#:]+(#[^)]*)?\)' "$1" | sed -E 's/^\]\(//; s/[#)].*//'); do
		[ -e "${1%/*}/$l" ] || bad="$bad $l"
	done
	is "$bad" "" "${1#"$top"/}: relative links resolve"
}

# Every relative link of every lab page leads to a file that exists.
for f in "$labs"/*.md "$labs"/ko/*.md; do
	[ -f "$f" ] || continue
	links_resolve "$f"
done

# Every lab has an answer key in both languages (docs/labs/answers/),
# and the keys' links resolve.
for f in "$labs"/[0-9]*.md; do
	[ -f "$f" ] || continue
	k=${f##*/}
	k=${k%%-*}.md
	ok "answers/$k exists for ${f##*/}" test -f "$labs/answers/$k"
	ok "answers/ko/$k exists for ${f##*/}" test -f "$labs/answers/ko/$k"
done
for f in "$labs"/answers/*.md "$labs"/answers/ko/*.md; do
	[ -f "$f" ] || continue
	links_resolve "$f"
done

# The index lists every lab, in both languages.
for f in "$labs"/[0-9]*.md; do
	[ -f "$f" ] || continue
	ok "README.md links ${f##*/}" grep -q "(${f##*/})" "$labs/README.md"
	ok "ko/README.md links ${f##*/}" grep -q "(${f##*/})" \
		"$labs/ko/README.md"
done
done_testing
