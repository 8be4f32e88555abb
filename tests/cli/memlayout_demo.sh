#!/bin/sh
# memlayout demo NAME: each demo exits 0 and its key claims hold. The
# numbers are read back from the output and checked here, not trusted.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout

# Under ASan or TSan the sanitizer owns SIGSEGV: those demos say so.
segv_owned=""
case "$SAN" in
*address* | *thread*) segv_owned=$SAN ;;
esac

# Under valgrind (make valgrind) the program runs on a stack valgrind
# made (an anonymous mapping, not [stack]) and malloc is valgrind's (no
# [heap], the break never moves, a freed block is not handed out again).
VG_STACK="valgrind runs the program on its own stack (anonymous, not [stack])"
VG_MALLOC="valgrind has its own malloc (no [heap], the break does not move)"

exits 2 "demo without a name" "$ML" demo
like "$ERR" 'demo needs a NAME' "demo without a name: message"
exits 2 "unknown demo" "$ML" demo nosuch
like "$ERR" "unknown demo 'nosuch'" "unknown demo: message"
exits 2 "demo with an option before it" "$ML" --json demo stack

# stack: addresses go down, call after call.
exits 0 "demo stack" "$ML" demo stack
like "$OUT" '^grows: down$' "stack: says it grows down"
printf '%s\n' "$OUT" | sed -n 's/^dive([0-9]*)  0x\([0-9a-f]*\).*/\1/p' |
	awk '{ while (length($0) < 16) $0 = "0" $0; print }' >"$T_TMP/frames"
is "$(wc -l <"$T_TMP/frames" | tr -d ' ')" 6 "stack: six frames shown"
ok "stack: each frame below its caller's (checked here)" \
	sh -c "sort -r '$T_TMP/frames' | cmp -s - '$T_TMP/frames' &&
		[ \$(sort -u '$T_TMP/frames' | wc -l) -eq 6 ]"
if [ -n "$VALGRIND" ]; then
	skip "stack: the frames are in [stack]" "$VG_STACK"
else
	like "$OUT" '^mapping: .* \[stack\]$' "stack: the frames are in [stack]"
fi

# heap
exits 0 "demo heap" "$ML" demo heap
if [ -n "$SAN" ]; then
	skip "heap: small blocks in [heap]" "sanitizer $SAN has its own malloc"
	skip "heap: freed block reused" "sanitizer quarantine"
elif [ -n "$VALGRIND" ]; then
	like "$OUT" '^note: running under valgrind: its own malloc' \
		"heap: says the claims are not checked under valgrind"
	skip "heap: small blocks in [heap]" "$VG_MALLOC"
	skip "heap: freed block reused" "$VG_MALLOC"
	skip "heap: the break moved up" "$VG_MALLOC"
else
	like "$OUT" '^  first small block .* rw-p \[heap\]$' \
		"heap: small blocks in [heap]"
	like "$OUT" 'the same block, reused' "heap: freed block reused"
	like "$OUT" 'program break after: .*moved \+[1-9]' "heap: the break moved up"
fi
# valgrind's malloc hands out blocks from rwx mappings of its own
rw=rw-p
[ -n "$VALGRIND" ] && rw='rw[-x]p'
like "$OUT" "^  the 1 MiB block .* $rw \\(anonymous\\)\$" \
	"heap: 1 MiB block in an anonymous mapping"
like "$OUT" '^malloc\(0\) = 0x[0-9a-f]+, again = 0x[0-9a-f]+: two distinct' \
	"heap: malloc(0) gives distinct blocks"

# overflow: the process survives its own stack overflow.
if [ -n "$VALGRIND" ]; then
	# valgrind writes "Stack overflow in thread #1: can't grow stack"
	# to its log before it passes the SIGSEGV on: that report is the
	# expected result here, but it would fail the run.
	skip "demo overflow" "overflows the stack on purpose: valgrind reports it"
elif [ -n "$segv_owned" ]; then
	exits 0 "demo overflow" "$ML" demo overflow
	like "$OUT" '^skipped: built with -fsanitize' "overflow: says why it skips"
	skip "overflow: SIGSEGV caught" "$segv_owned sanitizer owns SIGSEGV"
else
	exits 0 "demo overflow" "$ML" demo overflow
	like "$OUT" '^caught SIGSEGV .* at depth [0-9]{3,}' \
		"overflow: SIGSEGV caught after many calls"
	like "$OUT" '^survived: yes' "overflow: the process survived"
	like "$OUT" '^RLIMIT_STACK: [0-9]+ KiB' "overflow: shows RLIMIT_STACK"
	like "$OUT" '^fault address: 0x[0-9a-f]+ = \[stack\] start [-+][0-9]+ bytes' \
		"overflow: fault address relative to [stack]"
fi

# code-write
exits 0 "demo code-write" "$ML" demo code-write
if [ -n "$segv_owned" ]; then
	skip "code-write: faults caught" "$segv_owned sanitizer owns SIGSEGV"
else
	is "$(printf '%s\n' "$OUT" | grep -c 'caught SIGSEGV, si_code SEGV_ACCERR')" \
		2 "code-write: both writes fault with SEGV_ACCERR"
	like "$OUT" '^read  victim\(\) .*first byte 0x[0-9a-f]{2}' \
		"code-write: reading code works"
	# the fault address is the address we wrote to
	a=$(printf '%s\n' "$OUT" | sed -n 's/^read  victim() *at \(0x[0-9a-f]*\).*/\1/p')
	like "$OUT" "^write victim\(\) .*address $a\$" \
		"code-write: fault address is the function's"
	like "$OUT" '^  victim\(\) .* r-xp ' "code-write: code mapping is r-x"
	like "$OUT" '^  string literal .* r--p ' "code-write: literal mapping is r--"
fi

# cow: same address, different values, read from both lines.
exits 0 "demo cow" "$ML" demo cow
ca=$(printf '%s\n' "$OUT" | sed -n 's/^child .*address \(0x[0-9a-f]*\) holds \([0-9]*\)$/\1 \2/p')
pa=$(printf '%s\n' "$OUT" | sed -n 's/^parent .*address \(0x[0-9a-f]*\) holds \([0-9]*\)$/\1 \2/p')
is "${ca% *}" "${pa% *}" "cow: parent and child show the same address"
is "${ca#* } ${pa#* }" "2 1" "cow: the child sees 2, the parent still 1"
like "$OUT" '^code shared: yes' "cow: code pages shared (Pss < Rss)"

# threads
exits 0 "demo threads" "$ML" demo threads
is "$(printf '%s\n' "$OUT" | grep -c '^thread [0-9]: local at .* rw-p (anonymous)')" \
	3 "threads: three stacks in anonymous mappings"
is "$(printf '%s\n' "$OUT" | grep -c '^          guard below: .* ---p')" 3 \
	"threads: a guard page below each"
is "$(printf '%s\n' "$OUT" | sed -n 's/^thread [0-9]: local at 0x[0-9a-f]* in \([0-9a-f-]*\) .*/\1/p' | sort -u | wc -l | tr -d ' ')" \
	3 "threads: the three stacks are different mappings"
if [ -n "$VALGRIND" ]; then
	skip "threads: main's local in [stack]" "$VG_STACK"
else
	like "$OUT" '^main: +local at .* in \[stack\]$' "threads: main's local in [stack]"
fi
like "$OUT" 'incremented once per thread: 3 ' "threads: the global is shared"

# leak
exits 0 "demo leak" "$ML" demo leak
like "$OUT" '^leak measured: yes' "leak: growth measured"
g=$(printf '%s\n' "$OUT" | sed -n 's/^grew: \([0-9]*\) KiB resident.*/\1/p')
ok "leak: VmRSS grew by at least 5 MiB (checked here)" [ "${g:-0}" -ge 5120 ]

# aslr: the no-randomize runs are identical; the sysctl is reported.
exits 0 "demo aslr 3" "$ML" demo aslr 3
like "$OUT" "^/proc/sys/kernel/randomize_va_space = $(cat /proc/sys/kernel/randomize_va_space) " \
	"aslr: reports randomize_va_space"
if printf '%s\n' "$OUT" | grep -q 'is not allowed here'; then
	skip "aslr: ADDR_NO_RANDOMIZE runs identical" "personality() refused"
else
	like "$OUT" '^no-randomize runs identical: yes' \
		"aslr: ADDR_NO_RANDOMIZE runs identical"
	# the last three "run" rows are the no-randomize ones: compare them
	is "$(printf '%s\n' "$OUT" | grep '^[123] ' | tail -n 3 |
		sed 's/^[0-9]* *//' | sort -u | wc -l | tr -d ' ')" 1 \
		"aslr: the three no-randomize rows are equal (checked here)"
	if [ "$(cat /proc/sys/kernel/randomize_va_space)" = 2 ] &&
		[ -z "$SAN" ]; then
		is "$(printf '%s\n' "$OUT" | grep '^[123] ' | head -n 3 |
			awk '{ print $5 }' | sort -u | wc -l | tr -d ' ')" 3 \
			"aslr: the stack moved in every randomised run"
	fi
fi
exits 2 "demo aslr with a bad count" "$ML" demo aslr 1
like "$ERR" "invalid number of runs '1'" "aslr bad count: message"

done_testing
