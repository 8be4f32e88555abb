#!/bin/sh
# memlayout demo NAME: each demo exits 0 and its key claims hold. The
# numbers are read back from the output and checked here, not trusted.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
# whole lines, as a pipe gets them: COLUMNS would fit them to a terminal
unset COLUMNS

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
like "$OUT" '^dive\(0\)  0x[0-9a-f]+ +-$' "stack: dive(0) has no caller's local to measure from (-)"
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
	# The 1 MiB block's own mapping: the size of its mmap call (strace,
	# an independent source) is what the demo says anonymous memory grew
	# by, even when maps shows a larger merged range.
	grew=$(printf '%s\n' "$OUT" | sed -n 's/^anonymous memory grew by \([0-9]*\) bytes.*/\1/p')
	if command -v strace >/dev/null 2>&1 &&
		strace -f -e trace=mmap -o "$T_TMP/strace" "$ML" demo heap >/dev/null 2>&1; then
		ok "heap: an mmap of the block's size + one page (strace)" \
			grep -q "mmap(NULL, $(((1048576 + 4096))), PROT_READ|PROT_WRITE" "$T_TMP/strace"
		is "$grew" $((1048576 + 4096)) "heap: the demo reports that growth"
	else
		skip "heap: the block's mmap seen by strace" "strace not usable here"
	fi
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

# cow: the kernel's evidence, read back from the output and compared
# here: frame numbers (pagemap/kpagecount) as root, fault counts and
# smaps always.
cow_check() { # $1: who runs it (root or nobody)
	c_out=$OUT c_who=$1
	# the line starting with $1, and its smaps line if that is the next
	c_line() {
		printf '%s\n' "$c_out" | awk -v p="$1" 'f { if ($1 == "smaps:") print; exit }
			index($0, p) == 1 { print; if (/smaps:/) exit; f = 1 }' | tr '\n' ' '
	}
	c_pfn() { c_line "$1" | sed -n 's/.*frame \(0x[0-9a-f]*\), used by \([0-9]*\).*/\1 \2/p'; }
	c_kb() { c_line "$1" | sed -n 's/.*Private_Dirty \([0-9]*\) kB, Shared_Dirty \([0-9]*\) kB.*/\1 \2/p'; }
	like "$c_out" '^child write 1: +minor faults \+1 ' "cow ($c_who): first write faults once"
	like "$c_out" '^child write 2: +minor faults \+0 ' "cow ($c_who): second write does not fault"
	is "$(c_kb 'parent before fork')" "4 0" "cow ($c_who): parent's page private and dirty before fork"
	is "$(c_kb 'child after fork')" "0 4" "cow ($c_who): after fork the page is shared (smaps)"
	is "$(c_kb 'child after write')" "4 0" "cow ($c_who): after the write the child's copy is private"
	like "$c_out" "^values: +child's page holds 3, parent's 1" "cow ($c_who): values differ"
	if [ "$c_who" = root ]; then
		like "$c_out" '^evidence: frame numbers' "cow (root): says it uses frame numbers"
		before=$(c_pfn 'parent before fork')
		is "$(c_pfn 'child after fork')" "${before% *} 2" \
			"cow (root): the child uses the parent's frame, count 2"
		after=$(c_pfn 'child after write')
		ok "cow (root): the child's write gives it a new frame" \
			test -n "$after" -a "${after% *}" != "${before% *}"
		is "$(c_pfn 'parent after')" "${before% *} 1" \
			"cow (root): the parent keeps its frame, count back to 1"
		like "$c_out" '^code page 0x[0-9a-f]+: frame (0x[0-9a-f]+) in the parent, \1 in the child' \
			"cow (root): the code page is the same frame in both"
	else
		like "$c_out" '^evidence: minor faults .* frame numbers need root' \
			"cow (nobody): says frame numbers need root"
		# the shared code is counted whether its pages are clean or
		# still dirty in the page cache (a binary just written)
		c_sh=$(printf '%s\n' "$c_out" | tr '\n' ' ' | sed -n \
			's/.*child: \([0-9]*\) kB mapped more than once (smaps *Shared_Clean \([0-9]*\) kB + Shared_Dirty \([0-9]*\) kB.*/\1 \2 \3/p')
		set -- $c_sh
		ok "cow (nobody): code pages counted as shared ($c_sh)" \
			test -n "$c_sh" -a "${1:-0}" -gt 0 -a "${1:-0}" = "$((${2:-0} + ${3:-0}))"
	fi
}
exits 0 "demo cow" "$ML" demo cow
if [ -n "$VALGRIND" ]; then
	skip "cow: fault counts and frames" "valgrind runs the child on its JIT"
elif [ "$(id -u)" = 0 ] && [ "$(od -An -tx8 -j8 -N8 /proc/kpagecount 2>/dev/null)" ]; then
	cow_check root
	if command -v setpriv >/dev/null 2>&1; then
		exits 0 "demo cow as nobody" setpriv --reuid 65534 --regid 65534 \
			--clear-groups "$ML" demo cow
		cow_check nobody
		# a copy written just now: its page-cache pages are dirty
		mkdir "$T_TMP/pub" && cp "$ML" "$T_TMP/pub/ml" &&
			chmod 711 "$T_TMP" && chmod 755 "$T_TMP/pub"
		exits 0 "demo cow as nobody, from a binary just written" \
			setpriv --reuid 65534 --regid 65534 --clear-groups \
			"$T_TMP/pub/ml" demo cow
		cow_check nobody
	fi
else
	cow_check nobody
fi

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
# One thread read another's local through a pointer: the address it read
# is the other thread's local, inside that thread's stack mapping (from
# /proc/self/maps), and the value is the one that thread stored (100+id).
for i in 0 1 2; do
	j=$(((i + 1) % 3))
	a=$(printf '%s\n' "$OUT" | sed -n "s/^thread $j: local at \(0x[0-9a-f]*\) in \([0-9a-f]*\)-\([0-9a-f]*\) .*/\1 \2 \3/p")
	set -- $a
	like "$OUT" "^thread $i read thread $j's local at ${1:-none}: $((100 + j))\$" \
		"threads: thread $i read thread $j's local by pointer"
	ok "threads: that address is in thread $j's stack mapping" \
		test -n "$3" -a "$(($1 - 0x${2:-0}))" -ge 0 -a "$((0x${3:-0} - ${1:-0}))" -gt 0
done

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
			awk '{ print $4 }' | sort -u | wc -l | tr -d ' ')" 3 \
			"aslr: the stack moved in every randomised run"
		# x86-64 has four independent bases (PIE, brk, stack, mmap):
		# data moves with the code, libc and the vdso with mmap.
		if [ "$(uname -m)" = x86_64 ] && [ -z "$VALGRIND" ]; then
			like "$OUT" '^independent random bases: 4$' "aslr: four independent bases"
			like "$OUT" '^  data +with code$' "aslr: data moves with the code"
			like "$OUT" '^  libc +with mmap$' "aslr: libc moves with the mmap base"
		fi
	fi
fi
# The entropy shown is the kernel's own setting (root can read it).
if [ -r /proc/sys/vm/mmap_rnd_bits ] && [ "$(id -u)" = 0 ]; then
	b=$(cat /proc/sys/vm/mmap_rnd_bits)
	like "$OUT" "kernel: 2\\^$b pages = 2\\^$((b + 12)) bytes \\(vm/mmap_rnd_bits $b\\)" \
		"aslr: mmap entropy is vm/mmap_rnd_bits ($b)"
fi
# no run of the randomised series may spread past what the kernel allows
printf '%s\n' "$OUT" | sed -n 's/^  \(code\|mmap\) *spread 0x[0-9a-f]* (< 2^\([0-9]*\)).*/\2/p' >"$T_TMP/bits"
ok "aslr: code and mmap spreads fit in mmap_rnd_bits + 12 bits" \
	awk -v b="${b:-28}" '$1 > b + 12 { bad = 1 } END { exit bad }' "$T_TMP/bits"
exits 2 "demo aslr with a bad count" "$ML" demo aslr 1
like "$ERR" "invalid number of runs '1'" "aslr bad count: message"
like "$ERR" "^Try 'memlayout --help'" "aslr bad count: the Try line"

done_testing
