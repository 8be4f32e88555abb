#!/bin/sh
# docs/stages/stages.sh: `make stages` (lab 4). Builds docs/stages/sample.c
# one pipeline step at a time, keeping every artifact in stages/ at the
# top of the repository, and says what each step did:
#
#   sample.c --gcc -E--> sample.i --gcc -S--> sample.s --gcc -c--> sample.o
#            preprocess           compile            assemble
#   sample.o --gcc (link)--> sample
#
# CC picks the compiler (default cc: `make stages CC=clang` works too).
# STAGES_CFLAGS are the flags of every step (default -O0, so that the
# assembly stays close to the C you read). Exit status 0, or 1 if a step
# fails (its error is shown as the compiler printed it).

top=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$top" || exit 1
CC=${CC:-cc}
CFLAGS=${STAGES_CFLAGS:--O0}
src=docs/stages/sample.c
out=stages

have() { command -v "$1" >/dev/null 2>&1; }
bytes() { wc -c <"$1" | tr -d ' '; }
lines() { wc -l <"$1" | tr -d ' '; }

# step N WHAT CMD...: show the command, run it, stop on failure
step() {
	n=$1
	what=$2
	shift 2
	printf '\n%s. %-11s $ %s\n' "$n" "$what" "$*"
	if ! "$@"; then
		echo "stages: step $n ($what) failed" >&2
		exit 1
	fi
}

if ! have "$CC"; then
	echo "stages: compiler '$CC' not found (set CC)" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out" || exit 1
echo "compile pipeline of $src into $out/ with $CC $CFLAGS"
echo "($("$CC" --version 2>/dev/null | head -n 1))"

# 1. The preprocessor works on text only: it knows nothing about C types.
step 1 preprocess "$CC" $CFLAGS -E "$src" -o "$out/sample.i"
echo "   $src: $(bytes "$src") bytes, $(lines "$src") lines" \
	"-> $out/sample.i: $(bytes "$out/sample.i") bytes," \
	"$(lines "$out/sample.i") lines"
echo "   #include pasted in every header it names (and theirs), #define"
echo "   macros were replaced by their text, comments became spaces."
headers=$(sed -n 's/^# [0-9]* "\(\/[^"]*\)".*/\1/p' "$out/sample.i" |
	sort -u | wc -l | tr -d ' ')
echo "   \"GREETING\" appears $(grep -c GREETING "$src") times in the .c and" \
	"$(grep -c GREETING "$out/sample.i") in the .i, which is still C text;"
echo "   $headers header files came in through $(grep -c "^#include" "$src") #include lines."

# 2. The compiler proper: C to assembly text for this CPU.
step 2 compile "$CC" $CFLAGS -S "$out/sample.i" -o "$out/sample.s"
echo "   $out/sample.s: $(bytes "$out/sample.s") bytes," \
	"$(lines "$out/sample.s") lines of assembly for $(uname -m)"
echo "   types were checked here; every C function became a label with" \
	"instructions:" \
	"$(grep -oE '^(main|bump):' "$out/sample.s" | tr '\n' ' ')"
echo "   and each object was put in a section:" \
	"$(grep -oE '^[[:space:]]*\.(section[[:space:]]+\.rodata|data|bss|text)' \
		"$out/sample.s" | sed 's/.*\.//' | sort -u |
		sed 's/^/./' | tr '\n' ' ')"

# 3. The assembler: text to machine code in an ELF relocatable object.
step 3 assemble "$CC" $CFLAGS -c "$out/sample.s" -o "$out/sample.o"
echo "   $out/sample.o: $(bytes "$out/sample.o") bytes of ELF relocatable" \
	"object: machine code, data and a symbol table,"
if have nm; then
	echo "   with addresses still 0-based and these symbols undefined" \
		"(U), left for the linker: $(nm -u "$out/sample.o" |
			awk '{ print $2 }' | tr '\n' ' ')"
else
	echo "   (install binutils for nm to list its symbols)"
fi

# 4. The linker: one executable, library calls resolved, addresses fixed.
step 4 link "$CC" $CFLAGS "$out/sample.o" -o "$out/sample"
echo "   $out/sample: $(bytes "$out/sample") bytes of ELF executable"
if have readelf; then
	echo "   type: $(readelf -h "$out/sample" | sed -n 's/^ *Type: *//p');" \
		"needs: $(readelf -d "$out/sample" |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
	echo "   the loader maps it as $(readelf -lW "$out/sample" |
		grep -c '^ *LOAD') LOAD segments (readelf -lW $out/sample)"
fi
if have size; then
	# Why not "text = code": size(1) adds up every read-only section
	# (.text, .rodata, .eh_frame, and in the executable also .dynsym,
	# .rela.*, .plt, notes...); `size -A` lists them one by one.
	echo "   size (text = every read-only section, not only code; data ="
	echo "   writable with bytes in the file; bss = zeroed; size -A lists each):"
	size "$out/sample.o" "$out/sample" | sed 's/^/     /'
fi

# 5. Run it: the loader picks a base address, the program prints it.
step 5 run "$out/sample"
echo
echo "artifacts in $out/ (bytes):"
for f in "$src" "$out/sample.i" "$out/sample.s" "$out/sample.o" \
	"$out/sample"; do
	printf '   %8s  %s\n' "$(bytes "$f")" "$f"
done
