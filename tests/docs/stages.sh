#!/bin/sh
# tests/docs/stages.sh: `make stages` (lab 4) builds docs/stages/sample.c
# through -E, -S, -c and the link, keeps each artifact in stages/, and the
# numbers it prints are true (compared with nm, not with a hard-coded text).
# Works on a copy of the build files in a temp folder, never in the tree.
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
root=$T_TMP/root
mkdir -p "$root/docs"
cp "$top/Makefile" "$top/config.mk" "$root/" && cp -R "$top/docs/stages" "$root/docs/"

exits 0 "make stages" make -s -C "$root" stages
st=$root/stages
for f in sample.i sample.s sample.o sample; do
	ok "artifact stages/$f kept" test -s "$st/$f"
done
ok "stages/sample is executable" test -x "$st/sample"
like "$OUT" '^1\. preprocess .* -E ' "step 1 shown as gcc -E"
like "$OUT" '^2\. compile .* -S ' "step 2 shown as gcc -S"
like "$OUT" '^3\. assemble .* -c ' "step 3 shown as gcc -c"
like "$OUT" '^4\. link ' "step 4 shown"

csize=$(wc -c <"$top/docs/stages/sample.c")
isize=$(wc -c <"$st/sample.i" 2>/dev/null || echo 0)
ok ".i ($isize bytes) is larger than the .c ($csize bytes)" \
	test "$isize" -gt "$csize"
ok ".i has no #include left" sh -c "! grep -q '^#include' '$st/sample.i'"
ok ".i has the macro expanded (no GREETING)" \
	sh -c "! grep -q GREETING '$st/sample.i'"
ok ".s is assembly with a main label" grep -q '^main:' "$st/sample.s"

if command -v nm >/dev/null 2>&1; then
	syms=$(nm "$st/sample.o")
	like "$syms" ' T main$' "nm sample.o: main in .text (T)"
	like "$syms" ' t bump$' "nm sample.o: static bump is local (t)"
	like "$syms" ' D counter$' "nm sample.o: counter in .data (D)"
	like "$syms" ' B zeroed$' "nm sample.o: zeroed in .bss (B)"
	like "$syms" ' R answer$' "nm sample.o: answer in .rodata (R)"
	like "$syms" ' U printf$' "nm sample.o: printf undefined until the link"
	exe=$(nm "$st/sample")
	unlike "$exe" ' U (main|counter|bump)$' "the link defined every own symbol"
	# The program prints each symbol's offset from its load base: it must
	# be the value nm prints for the executable (that is lab 4's claim).
	run=$("$st/sample")
	for s in main bump answer counter zeroed buffer; do
		got=$(printf '%s\n' "$run" | awk -v s="$s" '$1 == s { print $4 }')
		want=$(printf '%s\n' "$exe" | awk -v s="$s" '$3 == s { print $1 }')
		is "$(printf '%d' "$got" 2>/dev/null)" \
			"$(printf '%d' "0x$want" 2>/dev/null)" \
			"run-time offset of $s matches nm"
	done
else
	skip "nm checks" "nm (binutils) not installed"
fi

if command -v clang >/dev/null 2>&1; then
	exits 0 "make stages CC=clang" make -s -C "$root" stages CC=clang
	like "$OUT" 'with clang' "CC=clang is the compiler used"
	ok "clang build runs" "$st/sample"
else
	skip "make stages CC=clang" "clang not installed"
fi

exits 1 "a missing compiler fails" env CC=/nonexistent/cc sh "$root/docs/stages/stages.sh"
like "$ERR" "compiler '/nonexistent/cc' not found" "and says which compiler"
# From any folder, the artifacts go to stages/ at the top.
rm -rf "$st"
exits 0 "stages.sh from another folder" sh -c "cd '$root/docs' && sh stages/stages.sh"
ok "artifacts still in stages/ at the top" test -x "$st/sample"
done_testing
