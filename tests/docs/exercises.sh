#!/bin/sh
# tests/docs/exercises.sh: every exercise of labs 4 and 6 that changes code
# or build flags is done here on a scratch copy (never in the tree), built,
# and its predicted effect is checked against an independent source (size,
# nm, readelf, the kernel's view of a process), as a student would check it.
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
ulimit -c 0 # the crashes of lab 6's exercise 2 leave no core files

# stages_copy DIR: what `make stages` needs, copied to DIR
stages_copy() {
	mkdir -p "$1/docs"
	cp "$top/Makefile" "$top/config.mk" "$1/" &&
		cp -R "$top/docs/stages" "$1/docs/"
}

# size_col DIR COLUMN: size(1)'s column (1 text, 2 data, 3 bss) for stages/sample
size_col() {
	size "$1/stages/sample" | awk -v c="$2" 'NR == 2 { print $c }'
}

# symtab_size DIR, symtab_entsize DIR: the size of .symtab of stages/sample
# and of one of its entries (readelf -S: Size and ES columns)
symtab_size() {
	printf '%d' "0x$(readelf -SW "$1/stages/sample" |
		awk '$2 == ".symtab" { print $6 }')"
}
symtab_entsize() {
	printf '%d' "0x$(readelf -SW "$1/stages/sample" |
		awk '$2 == ".symtab" { print $7 }')"
}

if ! command -v size >/dev/null 2>&1 || ! command -v nm >/dev/null 2>&1; then
	skip "lab 4 exercises" "binutils (size, nm) not installed"
else
	# Lab 4, exercise 1: a 4 MB zeroed array costs bss, not file bytes;
	# with an initial value it is .data and the file grows by 4 MB.
	r=$T_TMP/ex1
	stages_copy "$r"
	make -s -C "$r" stages >/dev/null 2>&1
	f0=$(wc -c <"$r/stages/sample")
	b0=$(size_col "$r" 3)
	y0=$(symtab_size "$r")
	sed -i 's/^static char buffer\[256\];.*/&\nstatic int big[1000000];/' \
		"$r/docs/stages/sample.c"
	exits 0 "lab 4 ex 1: make stages with static int big[1000000]" \
		make -s -C "$r" stages
	f1=$(wc -c <"$r/stages/sample")
	b1=$(size_col "$r" 3)
	ok "ex 1: bss grew by at least 4,000,000 ($b0 -> $b1)" \
		test $((b1 - b0)) -ge 4000000
	ok "ex 1: the file did not grow by 4 MB ($f0 -> $f1)" \
		test $((f1 - f0)) -lt 65536
	# answers/04.md: it grows by one symbol table entry (and the name)
	y1=$(symtab_size "$r")
	is "$((y1 - y0))" "$(symtab_entsize "$r")" \
		"ex 1: .symtab grew by one entry ($y0 -> $y1 bytes)"
	ok "ex 1: the file grew by that entry and at most 8 bytes more" \
		test $((f1 - f0)) -ge $((y1 - y0)) -a $((f1 - f0)) -le $((y1 - y0 + 8))
	like "$(nm "$r/stages/sample")" ' b big$' "ex 1: nm shows big in .bss (b)"
	sed -i 's/^static int big\[1000000\];/static int big[1000000] = {1};/' \
		"$r/docs/stages/sample.c"
	exits 0 "ex 1: make stages with big = {1}" make -s -C "$r" stages
	f2=$(wc -c <"$r/stages/sample")
	d2=$(size_col "$r" 2)
	ok "ex 1: with = {1} the file grew by at least 4,000,000 ($f0 -> $f2)" \
		test $((f2 - f0)) -ge 4000000
	ok "ex 1: and size's data column holds it ($d2)" test "$d2" -ge 4000000
	like "$(nm "$r/stages/sample")" ' d big$' "ex 1: nm shows big in .data (d)"

	# Lab 4, exercise 2: prinft. GCC 12 only warns at the compile step
	# (implicit declaration; GCC 14 stops there), the link step fails.
	r=$T_TMP/ex2
	stages_copy "$r"
	sed -i '0,/printf("%s (counter/s//prinft("%s (counter/' \
		"$r/docs/stages/sample.c"
	exits 1 "lab 4 ex 2: make stages with prinft fails" \
		sh "$r/docs/stages/stages.sh"
	like "$ERR" 'prinft' "ex 2: the message names prinft"
	like "$ERR" 'stages: step (2|4) ' "ex 2: the compile or the link step failed"
	major=$(cc -dumpversion 2>/dev/null | cut -d. -f1)
	if cc --version 2>/dev/null | grep -q 'Free Software' &&
		[ "${major:-0}" -lt 14 ]; then
		like "$ERR" "undefined reference to .prinft" \
			"ex 2: GCC $major: the link reports undefined reference"
		like "$ERR" 'stages: step 4 ' "ex 2: GCC $major: it is step 4 (link)"
	else
		skip "ex 2: link-step message" "not GCC before 14"
	fi

	# Lab 4, exercise 3: at -O2 the call to bump is inlined, but main
	# takes its address, so bump stays; without that use it disappears.
	r=$T_TMP/ex3
	stages_copy "$r"
	exits 0 "lab 4 ex 3: make stages STAGES_CFLAGS=-O2" \
		make -s -C "$r" stages STAGES_CFLAGS=-O2
	s=$(cat "$r/stages/sample.s")
	unlike "$s" 'call[[:space:]]+bump' "ex 3: -O2: no call to bump (inlined)"
	like "$s" '^bump:' "ex 3: -O2: bump: is still in the .s (address taken)"
	like "$(nm "$r/stages/sample.o")" ' t bump$' "ex 3: -O2: nm still shows bump"
	grep -q 'row("bump"' "$r/docs/stages/sample.c"
	t_result $? "ex 3: sample.c has the line the exercise deletes"
	sed -i '/row("bump"/d' "$r/docs/stages/sample.c"
	exits 0 "ex 3: -O2 without row(\"bump\", ...)" \
		make -s -C "$r" stages STAGES_CFLAGS=-O2
	unlike "$(cat "$r/stages/sample.s")" '^bump:' "ex 3: bump: gone from the .s"
	unlike "$(nm "$r/stages/sample.o")" ' bump$' "ex 3: bump gone from nm"
	like "$(nm "$r/stages/sample.o")" ' calls\.0$' \
		"ex 3: its static local calls.0 is still there (inlined into main)"

	# Lab 4, exercise 4: -no-pie: load base 0, nm values are the real
	# addresses, the same in every run.
	r=$T_TMP/ex4
	stages_copy "$r"
	exits 0 "lab 4 ex 4: make stages STAGES_CFLAGS='-O0 -no-pie'" \
		make -s -C "$r" stages "STAGES_CFLAGS=-O0 -no-pie"
	like "$(readelf -h "$r/stages/sample" 2>/dev/null)" 'Type: +EXEC' \
		"ex 4: the executable is EXEC, not DYN"
	a1=$("$r/stages/sample" | awk '$1 == "counter" { print $3 }')
	a2=$("$r/stages/sample" | awk '$1 == "counter" { print $3 }')
	is "$a1" "$a2" "ex 4: counter's address is the same in two runs"
	n=$(nm "$r/stages/sample" | awk '$3 == "counter" { print $1 }')
	is "$(printf '%d' "${a1:-0}")" "$(printf '%d' "0x${n:-0}")" \
		"ex 4: and it is nm's value"
	like "$("$r/stages/sample")" '^load base 0 ' "ex 4: load base 0"
fi

# Lab 6, exercise 2: a worker that crashes on a line longer than 10 bytes.
# Under fork one child dies and the server goes on; under thread the whole
# server dies. Built in a scratch copy with the project's own flags
# (-Werror), so the line the lab gives must compile as written.
r=$T_TMP/ex6
mkdir -p "$r"
cp -R "$top/Makefile" "$top/config.mk" "$top/lib" "$top/netlab" "$r/"
line='if (l.len > 10) *(volatile int *)0 = 1;'
ok "lab 6 ex 2: proto.c has the line the exercise names" \
	grep -q '^	if (r == 1) {$' "$r/netlab/proto.c"
sed -i "0,/^	if (r == 1) {\$/s//&\n		$line/" "$r/netlab/proto.c"
ok "ex 2: the line is in read_request" grep -qF "$line" "$r/netlab/proto.c"
exits 0 "ex 2: netlab builds with the line (-Werror)" \
	make -s -C "$r" -j2 SAN= build/bin/netlab
nl=$r/build/bin/netlab

# connected N LOG: the server logged at least N connections
connected() {
	[ "$(grep -c ': connected$' "$2")" -ge "$1" ]
}

for m in fork thread; do
	log=$T_TMP/serve.$m
	[ -x "$nl" ] || { skip "ex 2 under $m" "the build failed"; continue; }
	"$nl" serve -m "$m" -p 0 >"$log" 2>&1 &
	sp=$!
	T_PIDS="$T_PIDS $sp"
	if ! wait_for 10 has_line "$log" 'listening on'; then
		t_result 1 "ex 2 ($m): server started"
		continue
	fi
	port=$(port_of "$log")
	# first client run: 3 normal messages, sent 1 to 2 s after connecting
	"$nl" client -n 3 -d 1-2 -s 1 -t 10 127.0.0.1 "$port" >"$T_TMP/c1.$m" 2>&1 &
	c1=$!
	T_PIDS="$T_PIDS $c1"
	# second run, while the first one's clients wait: one long message
	wait_for 10 connected 3 "$log"
	"$nl" client -n 1 -d 0-0 -t 10 -m "a long message" 127.0.0.1 "$port" \
		>"$T_TMP/c2.$m" 2>&1
	wait_exit "$c1" 20
	rc1=$?
	if [ "$m" = fork ]; then
		is "$rc1" 0 "ex 2 (fork): the other clients all got ACK"
		ok "ex 2 (fork): the server is still running" kill -0 "$sp"
		"$nl" client -n 2 -d 0-0 -t 10 127.0.0.1 "$port" >/dev/null 2>&1
		t_result $? "ex 2 (fork): new clients are still served"
		kill -INT "$sp" 2>/dev/null
		wait_exit "$sp" 15
	else
		ok "ex 2 (thread): some client of the first run failed (rc $rc1)" \
			test "$rc1" != 0
		wait_exit "$sp" 10
		src=$?
		ok "ex 2 (thread): the whole server died of a signal (status $src)" \
			test "$src" -gt 128 -a "$src" != 255
	fi
done
done_testing
