#!/bin/sh
# tests/docs/man.sh: every docs/man/NAME.1 renders without a warning, and
# every option that the program's --help prints is in the page.
#
# The programs a page documents: NAME itself, plus every other built
# program whose name the page's NAME section lists (netlab.1 covers
# thread_serv and thread_cli). For a program with subcommands, the help of
# each subcommand the page documents as "NAME SUB" is checked too (found
# by asking `NAME SUB --help` for each SUB of the program's --help usage
# lines that exits 0).
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
progs_all="memlayout procview netlab thread_serv thread_cli"

if ! command -v groff >/dev/null 2>&1; then
	skip "man pages render" "groff is not installed"
	done_testing
	exit
fi

# render PAGE: plain text, no hyphenation, very long lines, so that an
# option is never split across lines or hyphenated
render() {
	groff -man -Tascii -rHY=0 -rLL=250n -P-cbou "$1" 2>/dev/null
}

# options: the options a --help text (stdin) names, one a line
options() {
	grep -oE -- '(^|[][ ,|(=])(--[a-z][a-z0-9-]*[a-z0-9]|-[A-Za-z0-9])([][ ,|)=.:;]|$)' |
		sed -E 's/^[][ ,|(=]//; s/[][ ,|)=.:;]$//' | sort -u
}

# has_option TEXT OPT: TEXT names OPT as a whole word
has_option() {
	printf '%s\n' "$1" |
		grep -Eq -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)"
}

pages=0
for page in "$top"/docs/man/*.1; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	name=${page##*/}
	name=${name%.1}
	exits 0 "$name.1: groff -man -ww -z" groff -man -ww -z "$page"
	is "$ERR" "" "$name.1: renders with no warnings"
	text=$(render "$page")
	like "$text" "^NAME" "$name.1: has a NAME section"
	like "$text" "^SYNOPSIS" "$name.1: has a SYNOPSIS section"
	like "$text" "^EXIT STATUS" "$name.1: has an EXIT STATUS section"

	# the programs it documents: itself and those listed under NAME
	head=$(printf '%s\n' "$text" | sed -n '/^NAME/,/^SYNOPSIS/p')
	progs=$name
	for p in $progs_all; do
		[ "$p" = "$name" ] && continue
		has_option "$head" "$p" && progs="$progs $p"
	done

	for p in $progs; do
		if [ ! -x "$BIN/$p" ]; then
			skip "$name.1 documents $p --help" "$p is not built yet"
			continue
		fi
		helps="$p"
		# subcommands: the second word of "usage: PROG SUB" lines, and
		# the first word of indented lines of a command list
		subs=$("$BIN/$p" --help 2>&1 </dev/null | sed -nE \
			-e "s/^[[:space:]]*(usage:[[:space:]]*)?$p ([a-z][a-z-]+)([[:space:]].*)?\$/\\2/p" \
			-e 's/^  ([a-z][a-z-]+)( .*)?$/\1/p' | sort -u)
		for s in $subs; do
			timeout 10 "$BIN/$p" "$s" --help 2>&1 </dev/null |
				grep -qi usage &&
				timeout 10 "$BIN/$p" "$s" --help >/dev/null 2>&1 \
					</dev/null && helps="$helps|$p $s"
		done
		oldifs=$IFS
		IFS='|'
		for h in $helps; do
			IFS=$oldifs
			# shellcheck disable=SC2086
			help=$(timeout 10 "$BIN"/$h --help 2>&1 </dev/null)
			opts=$(printf '%s\n' "$help" | options)
			ok "$name.1: '$h --help' names options" test -n "$opts"
			missing=""
			for o in $opts; do
				has_option "$text" "$o" || missing="$missing $o"
			done
			is "$missing" "" "$name.1 documents every option of '$h --help'"
			IFS='|'
		done
		IFS=$oldifs
	done
done
if [ "$pages" = 0 ]; then
	skip "man pages" "no docs/man/*.1 yet"
fi
done_testing
