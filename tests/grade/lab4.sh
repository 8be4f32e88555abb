# tests/grade/lab4.sh: lab 4, the compile pipeline. Every build runs on
# a copy of docs/stages in a scratch folder (the same stages.sh that
# `make stages` runs), so grading never touches your stages/ folder.
g_lab 4 "the compile pipeline"
g4_src=docs/stages/sample.c

# g4_build NAME [CFLAGS]: build a copy of the current sample.c with
# stages.sh into $T_TMP/NAME/stages/; its output in $T_TMP/NAME.log
g4_build() {
	g4_d=$T_TMP/$1
	rm -rf "$g4_d"
	mkdir -p "$g4_d/docs"
	cp -R docs/stages "$g4_d/docs/"
	STAGES_CFLAGS=${2:--O0} sh "$g4_d/docs/stages/stages.sh" \
		>"$g4_d.log" 2>&1
}

# g4_size DIR COLUMN: size(1)'s column (2 data, 3 bss) of DIR's sample
g4_size() {
	size "$1/stages/sample" | awk -v c="$2" 'NR == 2 { print $c }'
}

g4_tools() {
	for t in cc size nm readelf; do
		command -v "$t" || return 1
	done
}

g4_baseline() { # skipped while exercise 2 has its typo in
	g4_build base || { cat "$T_TMP/base.log"; return 1; }
	nm "$T_TMP/base/stages/sample.o" | grep -q ' bump$'
}

g_base "cc, size, nm and readelf are installed" \
	"sudo apt install gcc binutils" g4_tools
if grep -q 'prinft' "$g4_src"; then
	g_skip "make stages builds sample.c and nm shows bump" \
		"exercise 2's prinft is in sample.c"
else
	g_base "make stages builds sample.c and nm shows bump" \
		"run 'make stages' and read the failing step" g4_baseline
fi

g4_big() { grep -q 'big\[1000000\]' "$g4_src"; }
g4_big_effect() {
	g4_build ex1 || { cat "$T_TMP/ex1.log"; return 1; }
	g4_f=$(wc -c <"$T_TMP/ex1/stages/sample")
	if grep -q 'big\[1000000\] *= *{' "$g4_src"; then
		g4_n=$(g4_size "$T_TMP/ex1" 2)
		echo "with = {...}: file $g4_f bytes, data column $g4_n"
		nm "$T_TMP/ex1/stages/sample" | grep -q ' [dD] big$' &&
			[ "$g4_n" -ge 4000000 ] && [ "$g4_f" -ge 4000000 ]
	else
		g4_n=$(g4_size "$T_TMP/ex1" 3)
		echo "zeroed: file $g4_f bytes, bss column $g4_n"
		nm "$T_TMP/ex1/stages/sample" | grep -q ' [bB] big$' &&
			[ "$g4_n" -ge 4000000 ] && [ "$g4_f" -lt 1000000 ]
	fi
}
g_ex 4.1 "a 4 MB array: bss costs no file bytes, data does" "$g4_src" \
	g4_big "add static int big[1000000]; to sample.c, later = {1}" \
	"nm shows big as b (no value or = {0}) or d (= {1}, non-zero)" \
	g4_big_effect

g4_typo() { grep -q 'prinft' "$g4_src"; }
g4_typo_effect() { # it must fail, and say which name is missing
	if g4_build ex2; then
		echo "stages.sh built it: the prinft call is never compiled?"
		return 1
	fi
	grep -E 'stages: step [0-9]' "$T_TMP/ex2.log" | head -n 1
	grep -q 'prinft' "$T_TMP/ex2.log"
}
g_ex 4.2 "prinft: the build fails and names it" "$g4_src" g4_typo \
	"misspell one printf in sample.c as prinft" \
	"run make stages: which step fails, naming prinft?" \
	g4_typo_effect

g4_nobump() { ! grep -q 'row("bump"' "$g4_src"; }
g4_nobump_effect() { # at -O2, with no address taken, bump is inlined away
	g4_build ex3 -O2 || { cat "$T_TMP/ex3.log"; return 1; }
	if nm "$T_TMP/ex3/stages/sample.o" | grep -q ' bump$'; then
		echo "nm sample.o still shows bump at -O2"
		return 1
	fi
	echo "at -O2, nm sample.o has no bump: the call was inlined"
}
g_ex 4.3 "-O2 without bump's address: bump is inlined away" "$g4_src" \
	g4_nobump "in sample.c delete the line row(\"bump\", ...)" \
	"is its address still taken somewhere else in $g4_src?" \
	g4_nobump_effect
