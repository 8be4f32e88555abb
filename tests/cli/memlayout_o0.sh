#!/bin/sh
# memlayout built at -O0 (make OPTFLAGS='-O0 -g', as a student debugging
# with gdb builds it): it compiles under -Werror, and every demo exits 0.
# gcc -O0 sees other things than -O2 (a freed pointer compared after
# free(), for one), so this build is tested, not assumed.
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
if [ -n "$VALGRIND" ]; then
	skip "memlayout -O0 build" "BIN holds valgrind wrappers"
	done_testing
	exit
fi
o0=$T_TMP/o0
make -s -C "$top" -j2 SAN= O="$o0" OPTFLAGS='-O0 -g' "$o0/bin/memlayout" \
	>"$T_TMP/make.log" 2>&1
is "$?" 0 "make OPTFLAGS='-O0 -g' builds memlayout"
[ -s "$T_TMP/make.log" ] && sed 's/^/# /' "$T_TMP/make.log"
if [ -x "$o0/bin/memlayout" ]; then
	for d in stack heap overflow code-write cow threads leak "aslr 2"; do
		# shellcheck disable=SC2086 # "aslr 2" is a demo and its count
		exits 0 "-O0 build: demo $d" "$o0/bin/memlayout" demo $d
	done
	like "$(cd "$T_TMP" && "$o0/bin/memlayout" demo heap)" \
		'the same block, reused' "-O0 build: heap reuse still seen"
fi
done_testing
