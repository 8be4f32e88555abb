#!/bin/sh
# memlayout: the default table tells the truth. Each run is held open
# (--wait) while the test copies /proc/PID/maps itself, then every symbol
# is looked up in that copy: the address must lie in the line memlayout
# named, with the permissions its kind demands. The same checks run on a
# normal build, under `setarch -R`, and on a -no-pie build.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout

# Under valgrind (make valgrind) some layout facts are valgrind's, not
# the kernel's: the program runs on a stack valgrind made (an anonymous
# mapping, not [stack]), malloc is valgrind's (no [heap]), the program is
# loaded by valgrind at its own base, and /proc/self/exe names valgrind's
# tool, so memlayout cannot tell which file is the program (its mappings
# show as "file", not code/rodata/data/bss). Those checks are skipped with
# these reasons; every other check still runs.
VG_STACK="valgrind runs the program on its own stack (anonymous, not [stack])"
VG_MALLOC="valgrind has its own malloc"

exits 0 "--help" "$ML" --help
like "$OUT" '^usage: memlayout \[-j\] \[-n\] \[-w\]$' "--help: usage line"
like "$OUT" 'memlayout -p PID \[-j\] \[-r\]' "--help: --pid usage"
like "$OUT" '^  code-write ' "--help lists the demos"
exits 0 "--version" "$ML" --version
like "$OUT" '^memlayout [0-9]' "--version prints the version"
exits 2 "unknown option" "$ML" --bogus
exits 2 "unknown command" "$ML" frobnicate
like "$ERR" "unknown command 'frobnicate'" "unknown command: message"
for args in "--bogus" "-x" "-p" "demo stack extra" "demo aslr 3 4"; do
	# shellcheck disable=SC2086
	exits 2 "bad usage: memlayout $args" "$ML" $args
	# the short name, not the path getopt would have printed
	like "$(echo "$ERR" | head -n 1)" "^memlayout: " "memlayout $args: says why"
done
exits 0 "demo --help" "$ML" demo --help
like "$OUT" '^  aslr ' "demo --help lists the demos"
exits 2 "--rss without --pid" "$ML" --rss
like "$ERR" 'needs --pid' "--rss without --pid: message"
if [ -w /dev/full ]; then
	exits 1 "a write error is a failure" sh -c "\"$ML\" -n >/dev/full"
	like "$ERR" 'cannot write output' "write error: message"
fi

# The man page: renders without warnings, its synopsis is --help's usage,
# and it documents every long option --help lists.
man=$(cd "${0%/*}/../.." && pwd)/docs/man/memlayout.1
exits 0 "--help again" "$ML" --help
help=$OUT
if command -v groff >/dev/null 2>&1; then
	is "$(groff -man -ww -z "$man" 2>&1)" "" "man page renders without warnings"
	syn_man=$(groff -man -Tascii -P-c -P-b -P-u "$man" 2>/dev/null |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
		sed 's/^ *//' | grep .)
	syn_help=$(printf '%s\n' "$help" | sed -n '1,/^$/p' |
		sed 's/^usage: //; s/^ *//' | grep .)
	is "$syn_man" "$syn_help" "man SYNOPSIS matches the --help usage"
else
	skip "man page renders without warnings" "groff not installed"
	skip "man SYNOPSIS matches the --help usage" "groff not installed"
fi
for o in $(printf '%s\n' "$help" | grep -o -- '--[a-z-]*' | sort -u); do
	ok "man page documents $o" grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" "$man"
done
for d in stack heap overflow code-write cow threads leak aslr; do
	ok "man page documents demo $d" grep -q "^\.B.* $(printf '%s' "$d" | sed 's/-/\\\\-/g')" "$man"
done

# Colour: never in a pipe, never under NO_COLOR; on a terminal, yes.
exits 0 "table into a pipe" "$ML" --no-diagram
unlike "$OUT" "$(printf '\033')" "no escape codes when piped"
if command -v script >/dev/null 2>&1; then
	NO_COLOR= TERM=xterm script -qec "$ML -n" /dev/null >"$T_TMP/tty" 2>&1
	ok "colour on a terminal" grep -q "$(printf '\033')\[" "$T_TMP/tty"
	NO_COLOR=1 TERM=xterm script -qec "$ML -n" /dev/null >"$T_TMP/tty" 2>&1
	ok "no colour under NO_COLOR" sh -c \
		"! grep -q \"$(printf '\033')\" '$T_TMP/tty'"
else
	skip "colour on a terminal" "script(1) not installed"
	skip "no colour under NO_COLOR" "script(1) not installed"
fi

# The text form names every segment and draws the diagram.
exits 0 "default table" "$ML"
for n in main string const_global init_global static_local uninit_global \
	zero_static heap_small heap_large local local_level1 local_level2 \
	local_level3 thread_local printf argv argv0 environ; do
	like "$OUT" "^$n " "table has a row for $n"
done
like "$OUT" '^  etext +0x[0-9a-f]+' "table shows etext"
like "$OUT" '^  brk +0x[0-9a-f]+' "table shows the program break"
like "$OUT" 'high addresses on top' "diagram follows the table"
like "$OUT" '~   gap: [0-9.]+ [KMGTP]iB +unmapped' "diagram: gap sizes"
like "$OUT" 'grows down' "diagram: the stack grows down"

# hold LABEL CMD...: run CMD --json --wait, copy its maps while it waits.
hold() {
	h_label=$1
	shift
	rm -f "$T_TMP/fifo"
	mkfifo "$T_TMP/fifo"
	exec 3<>"$T_TMP/fifo"
	# An async command gets /dev/null as stdin: redirect inside it.
	spawn sh -c 'exec "$0" "$@" --json --wait <&3' "$@" \
		>"$T_TMP/$h_label.json" 2>"$T_TMP/$h_label.err"
	h_pid=$SPAWNED
	if wait_for 30 has_line "$T_TMP/$h_label.err" 'is waiting'; then
		cat "/proc/$h_pid/maps" >"$T_TMP/$h_label.maps"
		# and the same process seen from outside, with --pid
		"$ML" --pid "$h_pid" --json >"$T_TMP/$h_label.pid"
	fi
	echo >&3
	wait_exit "$h_pid" 30
	h_rc=$?
	exec 3>&-
	is "$h_rc" 0 "$h_label: memlayout --json --wait exits 0"
	like "$(cat "$T_TMP/$h_label.json")" "^\{\"pid\":$h_pid," \
		"$h_label: the JSON names its own pid"
}

# For every symbol: NAME|ADDR|SEGMENT|FOUND_START|FOUND_END|PERMS|PATH|AGREES
# where FOUND_* is the maps line (from the test's own copy) that holds
# ADDR, and AGREES is 1 if memlayout named that very line.
facts() {
	awk '
	function pad(h) { sub(/^0x/, "", h); while (length(h) < 16) h = "0" h; return h }
	function jget(s, k,   r) {
		if (!match(s, "\"" k "\":\"[^\"]*\"")) return ""
		r = substr(s, RSTART + length(k) + 4, RLENGTH - length(k) - 5)
		return r
	}
	# Under valgrind the stack is a mapping valgrind extends a page at
	# a time as it is used: it may have grown down after memlayout read
	# the maps. Then the line may start lower; its end and permissions
	# are the same.
	function grown(name, f) {
		return vg && name ~ /^(local|local_level[123]|argv|argv0|environ)$/ &&
			ms > lo[f] && a >= ms && me == hi[f] && mp == perms[f]
	}
	FNR == NR {
		split($1, r, "-"); lo[NR] = pad(r[1]); hi[NR] = pad(r[2])
		perms[NR] = $2; p = ""
		for (i = 6; i <= NF; i++) p = p (i > 6 ? " " : "") $i
		path[NR] = p; n = NR; next
	}
	/"address":/ {
		name = jget($0, "name"); a = pad(jget($0, "address"))
		seg = jget($0, "segment")
		ms = pad(jget($0, "start")); me = pad(jget($0, "end"))
		mp = jget($0, "perms")
		f = 0
		for (i = 1; i <= n; i++) if (a >= lo[i] && a < hi[i]) f = i
		if (!f) { print name "|" a "|" seg "|none|none|none|none|0"; next }
		agree = (ms == lo[f] && me == hi[f] && mp == perms[f]) ? 1 : 0
		if (grown(name, f)) agree = 1
		print name "|" a "|" seg "|" lo[f] "|" hi[f] "|" perms[f] "|" path[f] "|" agree
	}
	' vg="$(under_vg "$1")" "$1.maps" "$1.json"
}

# under_vg FILE-PREFIX: 1 if memlayout said it ran under valgrind
under_vg() {
	grep -q '"valgrind":true' "$1.json" && echo 1
}

fact() { # LABEL NAME FIELD
	grep "^$2|" "$T_TMP/$1.facts" | cut -d'|' -f"$3"
}

boundary() { # LABEL NAME -> padded hex
	sed -n "s/.*\"$2\":\"0x\([0-9a-f]*\)\".*/\1/p" "$T_TMP/$1.json" |
		head -n 1 | awk '{ while (length($0) < 16) $0 = "0" $0; print }'
}

lt() { # A B: string comparison of padded hex
	[ -n "$1" ] && [ -n "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort | head -n 1)" = "$1" ] && [ "$1" != "$2" ]
}

# kind LABEL NAME SEGMENT: memlayout calls NAME's mapping SEGMENT
kind() {
	is "$(fact "$1" "$2" 3)" "$3" "$1: $2 is $3"
}

# check LABEL KIND: all the truths about one held run.
check() {
	c=$1
	facts "$T_TMP/$c" >"$T_TMP/$c.facts"
	# $ML is valgrind's wrapper under make valgrind; the -no-pie build
	# is run as it is. memlayout must tell which.
	vg=$(under_vg "$T_TMP/$c")
	want_vg=
	[ -n "$VALGRIND" ] && [ "$2" = pie ] && want_vg=1
	is "$vg" "$want_vg" "$c: the JSON says whether valgrind runs it"
	is "$(wc -l <"$T_TMP/$c.facts" | tr -d ' ')" 18 "$c: 18 symbols"
	while IFS='|' read -r name addr seg lo hi perms path agree; do
		is "$agree" 1 "$c: $name ($addr) lies in the maps line memlayout named"
	done <"$T_TMP/$c.facts"
	like "$(fact "$c" main 6)" '^r-x' "$c: main is in an r-x mapping (not writable)"
	kind "$c" main code
	for n in string const_global; do
		like "$(fact "$c" $n 6)" '^r--' "$c: $n is read-only"
		kind "$c" $n rodata
	done
	for n in init_global static_local; do
		like "$(fact "$c" $n 6)" '^rw' "$c: $n is writable"
		kind "$c" $n data
	done
	edata=$(boundary "$c" edata)
	end=$(boundary "$c" end)
	etext=$(boundary "$c" etext)
	brk=$(boundary "$c" brk)
	for n in uninit_global zero_static; do
		like "$(fact "$c" $n 6)" '^rw' "$c: $n is writable"
		kind "$c" $n bss
		a=$(fact "$c" $n 2)
		ok "$c: $n lies between edata and end" sh -c \
			"[ '$edata' = '$a' ] || [ \"\$(printf '%s\n%s\n' '$edata' '$a' | sort | head -n1)\" = '$edata' ]"
		ok "$c: $n is below end" lt "$a" "$end"
	done
	ok "$c: etext < edata" lt "$etext" "$edata"
	ok "$c: edata < end" lt "$edata" "$end"
	ok "$c: end < brk" lt "$end" "$brk"
	ok "$c: init_global below edata" lt "$(fact "$c" init_global 2)" "$edata"
	if [ -n "$SAN" ]; then
		skip "$c: heap_small is in [heap]" "sanitizer $SAN has its own malloc"
	elif [ -n "$vg" ]; then
		skip "$c: heap_small is in [heap]" "$VG_MALLOC"
	else
		is "$(fact "$c" heap_small 7)" "[heap]" "$c: heap_small is in [heap]"
		is "$(fact "$c" heap_small 3)" heap "$c: heap_small is heap"
	fi
	is "$(fact "$c" heap_large 7)" "" "$c: heap_large is in an anonymous mapping"
	like "$(fact "$c" heap_large 6)" '^rw' "$c: heap_large is writable"
	for n in local local_level1 local_level2 local_level3 argv argv0 environ; do
		if [ -n "$vg" ]; then
			skip "$c: $n is in [stack]" "$VG_STACK"
			# but still all on the one main stack
			is "$(fact "$c" $n 4)-$(fact "$c" $n 5)" \
				"$(fact "$c" local 4)-$(fact "$c" local 5)" \
				"$c: $n is in the mapping that holds local"
		else
			is "$(fact "$c" $n 7)" "[stack]" "$c: $n is in [stack]"
		fi
	done
	ok "$c: level1's local below cmd_self's" lt "$(fact "$c" local_level1 2)" "$(fact "$c" local 2)"
	ok "$c: level2's local below level1's" lt "$(fact "$c" local_level2 2)" "$(fact "$c" local_level1 2)"
	ok "$c: level3's local below level2's" lt "$(fact "$c" local_level3 2)" "$(fact "$c" local_level2 2)"
	is "$(fact "$c" thread_local 7)" "" "$c: thread_local is in an anonymous mapping"
	like "$(fact "$c" thread_local 6)" '^rw' "$c: thread_local is writable"
	is "$(fact "$c" thread_local 3)" "thread stack" "$c: thread_local is a thread stack"
	like "$(fact "$c" printf 6)" '^r-x' "$c: printf is executable"
	# --pid, run from outside on the same process, agrees on the kinds.
	is "$(grep -c '^,\{0,1\}{"start":' "$T_TMP/$c.pid")" \
		"$(wc -l <"$T_TMP/$c.maps" | tr -d ' ')" \
		"$c: --pid of it has one region per maps line"
	for pair in main=code string=rodata init_global=data local=stack \
		thread_local="thread stack"; do
		n=${pair%%=*}
		if [ -n "$vg" ] && [ "$n" = local ]; then
			skip "$c: --pid classifies $n's mapping as stack" "$VG_STACK"
			continue
		fi
		lo=$(fact "$c" "$n" 4 | sed 's/^0*//')
		is "$(grep "\"start\":\"0x$lo\"" "$T_TMP/$c.pid" |
			sed -n 's/.*"segment":"\([^"]*\)".*/\1/p')" "${pair#*=}" \
			"$c: --pid classifies $n's mapping as ${pair#*=}"
	done
	if [ "$2" = pie ] && [ -z "$SAN" ]; then
		like "$(fact "$c" printf 7)" '/libc[.-]' "$c: printf is in libc"
		is "$(fact "$c" printf 3)" library "$c: printf is library"
	fi
}

# nm_check LABEL EXE: memlayout's addresses are the link-time offsets
# that nm reads from the file, plus the load base: the start of the
# mapping of the file's first page. Only a position-independent
# executable (ELF e_type 3, the byte at offset 16) is moved; a -no-pie
# one (e_type 2) runs at nm's addresses as they are.
nm_check() {
	c=$1
	if ! command -v nm >/dev/null 2>&1; then
		skip "$c: addresses match nm" "nm not installed"
		return
	fi
	exe=$2
	# under valgrind $2 is the wrapper script: the program is the file
	# that holds main in the test's copy of the maps
	[ -n "$(under_vg "$T_TMP/$c")" ] && exe=$(fact "$c" main 7)
	base=0
	if [ "$(od -An -tu1 -j16 -N1 "$exe" | tr -d ' ')" = 3 ]; then
		base=$(awk -v p="$exe" '$3 == "00000000" && $6 == p {
			split($1, r, "-"); print r[1]; exit }' "$T_TMP/$c.maps")
	fi
	nm "$exe" >"$T_TMP/$c.nm"
	for n in main const_global init_global uninit_global zero_static \
		etext edata end; do
		# a function's static gets a suffix from the compiler (x.0)
		off=$(awk -v n="$n" '$3 == n || index($3, n ".") == 1 {
			print $1; exit }' "$T_TMP/$c.nm")
		want=$(printf '%016x' $((0x$base + 0x${off:-0})))
		got=$(fact "$c" "$n" 2)
		[ -n "$got" ] || got=$(boundary "$c" "$n")
		is "$got" "$want" "$c: $n is at the load base + nm's offset"
	done
	# .bss starts at __bss_start (nm), not at edata: shown apart
	off=$(awk '$3 == "__bss_start" { print $1; exit }' "$T_TMP/$c.nm")
	bss=$(boundary "$c" bss_start)
	is "$bss" "$(printf '%016x' $((0x$base + 0x${off:-0})))" \
		"$c: __bss_start is at the load base + nm's offset"
	ok "$c: edata <= __bss_start" sh -c "[ '$(boundary "$c" edata)' = '$bss' ] ||
		[ \"\$(printf '%s\n%s\n' '$(boundary "$c" edata)' '$bss' | sort | head -n1)\" != '$bss' ]"
	ok "$c: uninit_global at or above __bss_start" sh -c "[ '$bss' = '$(fact "$c" uninit_global 2)' ] ||
		[ \"\$(printf '%s\n%s\n' '$bss' '$(fact "$c" uninit_global 2)' | sort | head -n1)\" = '$bss' ]"
}

hold normal "$ML"
check normal pie
nm_check normal "$ML"

if [ -x /usr/bin/setarch ] && /usr/bin/setarch -R true 2>/dev/null; then
	hold setarch /usr/bin/setarch -R "$ML"
	check setarch pie
	nm_check setarch "$ML"
	# Without randomisation, the PIE program sits at the same address.
	if [ -n "$(under_vg "$T_TMP/setarch")" ]; then
		skip "setarch: the program is at 0x555555554000" \
			"valgrind loads the program at its own base"
	else
		ok "setarch: the program is at 0x555555554000" \
			grep -q '^555555554000-' "$T_TMP/setarch.maps"
	fi
else
	skip "setarch -R" "setarch missing or personality not allowed"
fi

# A -no-pie build from the same sources: code at a fixed low address.
top=$(cd "${0%/*}/../.." && pwd)
if command -v cc >/dev/null 2>&1; then
	(cd "$top" && cc -std=c11 -D_GNU_SOURCE -DVERSION='"t"' -Ilib \
		-O2 memlayout/*.c lib/*.c -pthread -no-pie -lm \
		-o "$T_TMP/memlayout-nopie") 2>"$T_TMP/cc.err"
	if [ -x "$T_TMP/memlayout-nopie" ]; then
		hold nopie "$T_TMP/memlayout-nopie"
		check nopie nopie
		nm_check nopie "$T_TMP/memlayout-nopie"
		like "$(fact nopie main 4)" '^00000000004' "nopie: main is near 0x400000"
	else
		skip "-no-pie build" "cc failed: $(head -n 1 "$T_TMP/cc.err")"
	fi
else
	skip "-no-pie build" "no cc"
fi

# Run through the loader as a command, AT_BASE is 0 as in a static
# program; printf must still be libc's, found through the GOT.
ld=$(readelf -lW "$ML" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]$/\1/p')
if [ -n "$ld" ] && [ -x "$ld" ]; then
	exits 0 "run through the loader ($ld)" "$ld" "$ML" -w
	like "$OUT" '^printf +library function \(via the GOT\) +0x[0-9a-f]+ +library ' \
		"through the loader: printf is libc's (not 'no library')"
else
	skip "run through the loader" "no PT_INTERP in $ML (readelf)"
fi

# The second thread's stack is found by its stack pointer every time,
# not by a guess when it is caught between "ready" and its wait.
if [ -n "${VALGRIND:-}" ]; then
	skip "thread stacks by stack pointer, 10 runs" "$VG_STACK"
else
	: >"$T_TMP/from"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$ML" -j | grep -o '"thread_stacks_from":"[a-z ]*"' >>"$T_TMP/from"
	done
	is "$(sort "$T_TMP/from" | uniq -c | tr -s ' ')" \
		' 10 "thread_stacks_from":"stack pointers"' \
		"10 runs: thread stacks found by stack pointer each time"
fi

done_testing
