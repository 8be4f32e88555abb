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

# Lab 4, section 5: an nm value is an address from the load base, not a
# file offset. Find the LOAD segment that holds counter (readelf -l), turn
# the address into a file offset, and read the 7 there with od.
if command -v readelf >/dev/null 2>&1 && command -v nm >/dev/null 2>&1; then
	caddr=$(nm "$st/sample" | awk '$3 == "counter" { print $1 }')
	coff=$(readelf -lW "$st/sample" | while read -r t o v p f m r; do
		[ "$t" = LOAD ] || continue
		[ $((0x$caddr)) -ge $((v)) ] && [ $((0x$caddr)) -lt $((v + f)) ] &&
			echo $((0x$caddr - v + o))
	done)
	is "$(od -A n -t d4 -j "${coff:-0}" -N 4 "$st/sample" | tr -d ' ')" 7 \
		"counter's 7 is at the file offset its LOAD segment gives"
	fsize=$(wc -c <"$st/sample")
	rw=$(readelf -lW "$st/sample" | awk '$1 == "LOAD" && $2 != $3' | wc -l)
	ok "a LOAD segment has Offset != VirtAddr (file layout is not memory layout)" \
		test "$rw" -gt 0
	# Relocations: the .o has many more than its undefined symbols need,
	# and the executable still has dynamic ones for the loader.
	und=$(nm -u "$st/sample.o" | awk '{ print $2 }' | tr '\n' '|')
	und=${und%|}
	rels=$(readelf -rW "$st/sample.o" | sed -n "/'.rela.text'/,/^\$/p" |
		awk '/ R_X86_64_| R_386_| R_AARCH64_/ { print $5 }')
	ext=$(printf '%s\n' "$rels" | grep -cxE "$und")
	all=$(printf '%s\n' "$rels" | grep -c .)
	ok "sample.o: $ext of $all code relocations are external, the rest internal" \
		test "$ext" -gt 0 -a "$all" -gt "$ext"
	dyn=$(readelf -rW "$st/sample" | grep -cE '_(RELATIVE|GLOB_DAT|JUMP_SLOT) ')
	ok "the executable keeps $dyn dynamic relocations for the loader" \
		test "$dyn" -gt 0
	# size's text is more than .text + .rodata (the legend lab 4 explains)
	tr=$(size -A "$st/sample" | awk '$1 == ".text" || $1 == ".rodata" { n += $2 } END { print n }')
	txt=$(size "$st/sample" | awk 'NR == 2 { print $1 }')
	ok "size text ($txt) > .text + .rodata ($tr)" test "$txt" -gt "$tr"
	# a tiny program's file is mostly the zeros of page alignment
	nz=$(tr -d '\000' <"$st/sample" | wc -c)
	ok "under half of the $fsize-byte file is not zero ($nz)" \
		test $((nz * 2)) -lt "$fsize"
	# The padding is the gaps between LOAD segments in the file (lab 4,
	# section 5): every byte of them zero, and they are over 40% of it.
	gaps=$(readelf -lW "$st/sample" | while read -r t o v p f r; do
		[ "$t" = LOAD ] || continue
		[ -n "$e" ] && echo "$e $((o - e))"
		e=$((o + f))
	done)
	pad=0
	nzpad=0
	while read -r at len; do
		[ -n "$at" ] || continue
		pad=$((pad + len))
		z=$(tail -c +$((at + 1)) "$st/sample" | head -c "$len" |
			tr -d '\000' | wc -c)
		nzpad=$((nzpad + z))
	done <<EOT
$gaps
EOT
	is "$nzpad" 0 "the gaps between LOAD segments ($pad bytes) are all zero"
	ok "the padding ($pad bytes) is over 40% of the $fsize-byte file" \
		test $((pad * 5)) -gt $((fsize * 2))
	# JUMP_SLOT: one per function with a stub in the lazy .plt (not
	# .plt.got, whose stubs use GLOB_DAT slots); __libc_start_main is
	# called through a GLOB_DAT slot of the GOT
	js=$(readelf -rW "$st/sample" | awk '/_JUMP_SLOT / { sub(/@.*/, "", $5); print $5 }' | sort)
	plt=$(objdump -d -j .plt "$st/sample" |
		sed -n 's/^[0-9a-f]* <\(.*\)@plt>:$/\1/p' | sort)
	is "$(echo $js)" "$(echo $plt)" "JUMP_SLOT relocations: the functions of .plt"
	gd=$(readelf -rW "$st/sample" |
		awk '/_GLOB_DAT .*__libc_start_main/ { print $1 }' | sed 's/^0*//')
	like "$(objdump -d "$st/sample")" \
		"call +\*0x[0-9a-f]+\(%rip\) +# $gd <__libc_start_main" \
		"_start calls __libc_start_main through its GLOB_DAT slot ($gd)"
	# The kernel starts the loader (AT_BASE), not _start (AT_ENTRY): AT_ENTRY
	# is the load base + _start's nm value
	aux=$(LD_SHOW_AUXV=1 "$st/sample")
	ent=$(printf '%s\n' "$aux" | awk '$1 == "AT_ENTRY:" { print $2 }')
	lb=$(printf '%s\n' "$aux" | awk '$1 == "load" { print $3 }')
	sa=$(nm "$st/sample" | awk '$3 == "_start" { print $1 }')
	if [ -n "$ent" ]; then
		is "$((ent - lb))" "$((0x${sa:-0}))" "AT_ENTRY is the load base + _start"
		bas=$(printf '%s\n' "$aux" | awk '$1 == "AT_BASE:" { print $2 }')
		ok "AT_BASE ($bas) is set: there is a loader" test "$((bas))" -ne 0
	else
		skip "AT_ENTRY" "the loader does not support LD_SHOW_AUXV"
	fi
	if command -v gdb >/dev/null 2>&1; then
		interp=$(readelf -lW "$st/sample" |
			sed -n 's/.*interpreter: \(.*\)]$/\1/p')
		like "$(gdb -nx -batch -ex starti -ex 'info symbol $pc' "$st/sample" 2>&1)" \
			"in section .* of ${interp}" \
			"gdb starti: the first instruction is in the loader"
	else
		skip "gdb starti" "gdb not installed"
	fi
else
	skip "readelf checks" "binutils not installed"
fi
unlike "$(sh "$root/docs/stages/stages.sh" 2>&1)" 'text = code \+ rodata' \
	"the size legend does not call text 'code + rodata'"

# Lazy binding: printf is bound after "transferring control" by default,
# before it with -z now (glibc's LD_DEBUG; skipped where it says nothing).
lazy=$(LD_DEBUG=bindings "$st/sample" 2>&1 | grep -E 'transferring|symbol .printf.')
if printf '%s\n' "$lazy" | grep -q transferring; then
	like "$(printf '%s\n' "$lazy" | sed -n 2p)" 'printf' \
		"default link: printf bound after control is transferred (lazy)"
	cc -O0 -Wl,-z,now "$st/sample.o" -o "$T_TMP/now" 2>/dev/null
	now=$(LD_DEBUG=bindings "$T_TMP/now" 2>&1 | grep -E 'transferring|symbol .printf.')
	like "$(printf '%s\n' "$now" | sed -n 2p)" 'transferring' \
		"-z now: printf bound before control is transferred"
else
	skip "LD_DEBUG=bindings" "the loader does not support LD_DEBUG"
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
