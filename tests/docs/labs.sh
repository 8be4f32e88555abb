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
# PATH="$BIN:$PATH" and under `timeout`. A command that names a tool not
# built yet is skipped, with the reason.
#
# The Korean commands are checked equal to the English ones, so running
# the English list runs both.
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
labs=$top/docs/labs
tools="memlayout procview netlab thread_serv thread_cli"
# programs from elsewhere that a lab may use; missing ones skip the command
extern="nm size readelf objdump ps pgrep make gcc cc clang setarch"
limit=60
[ -n "$SAN" ] && limit=300

# commands FILE: the runnable commands of a lab, one a line
commands() {
	awk '/^[[:space:]]*```console[[:space:]]*$/ { inb = 1; next }
	     /^[[:space:]]*```/ { inb = 0; next }
	     inb && /^[[:space:]]*\$ / { sub(/^[[:space:]]*\$ /, ""); print }' "$1"
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

n=0
for en in "$labs"/[0-9]*.md; do
	[ -f "$en" ] || continue
	n=$((n + 1))
	name=${en##*/}
	ko=$labs/ko/$name
	if ! [ -f "$ko" ]; then
		t_result 1 "$name has a Korean version docs/labs/ko/$name"
		continue
	fi
	commands "$en" >"$T_TMP/en.cmd"
	commands "$ko" >"$T_TMP/ko.cmd"
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
	while IFS= read -r cmd; do
		i=$((i + 1))
		# the check's name: no backslash (echo would expand it), short
		what=$(printf '%s $ %s' "$name" "$cmd" | tr -d '\\' | cut -c 1-110)
		miss=$(missing_tool "$cmd")
		# The one deliberate data race: the tool itself refuses to run
		# it under ThreadSanitizer (which would report it), so skip it.
		case $SAN:$cmd in
		*thread*:*"race --mode none"*)
			miss="the deliberate race is not run under TSan" ;;
		esac
		if [ -n "$miss" ]; then
			skip "$what" "$miss"
			continue
		fi
		(cd "$root" && PATH="$BIN:$PATH" timeout -k 5 "$limit" \
			sh -c "$cmd") </dev/null >"$T_TMP/out" 2>&1
		rc=$?
		if [ "$rc" = 0 ]; then
			t_result 0 "$what"
		else
			t_result 1 "$what (exit $rc)"
			tail -n 15 "$T_TMP/out" | sed 's/^/#   /'
		fi
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
	like "$OUT" '^summary: ' "the server was stopped by SIGINT and logged"
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

# Every relative link of every lab page leads to a file that exists.
for f in "$labs"/*.md "$labs"/ko/*.md; do
	[ -f "$f" ] || continue
	bad=""
	for l in $(grep -oE '\]\([^)#:]+(#[^)]*)?\)' "$f" | sed -E 's/^\]\(//; s/[#)].*//'); do
		[ -e "${f%/*}/$l" ] || bad="$bad $l"
	done
	is "$bad" "" "${f#"$top"/}: relative links resolve"
done

# The index lists every lab, in both languages.
for f in "$labs"/[0-9]*.md; do
	[ -f "$f" ] || continue
	ok "README.md links ${f##*/}" grep -q "(${f##*/})" "$labs/README.md"
	ok "ko/README.md links ${f##*/}" grep -q "(${f##*/})" \
		"$labs/ko/README.md"
done
done_testing
