# tests/grade/lab2.sh: lab 2, the stack, the heap, overflow and leaks.
# Exercises 1 and 2 change dive() in memlayout/demo_stack.c.
g_lab 2 "the stack, the heap, overflow and leaks"

# g2_size: the size of dive's local array as the file has it now
g2_size() {
	sed -n 's/^[[:space:]]*volatile char local\[\([0-9]*\)\];.*/\1/p' \
		memlayout/demo_stack.c | head -n 1
}
g2_bigger() { [ -n "$(g2_size)" ] && [ "$(g2_size)" != 32 ]; }
# the line above "dive(int level)" names NOINLINE while it is as shipped
g2_inline() {
	! sed -n '/^dive(int level)$/{x;p;};h' memlayout/demo_stack.c |
		grep -q NOINLINE
}

for d in stack heap overflow leak; do
	if [ "$d" = stack ] && g2_inline; then
		g_skip "memlayout demo stack runs" \
			"exercise 2 took NOINLINE out (the demo then says so)"
		continue
	fi
	g_base "memlayout demo $d runs" \
		"run 'build/bin/memlayout demo $d' and read the error" \
		timeout 60 "$BIN/memlayout" demo "$d"
done

# g2_per FILE: the demo's "bytes per frame"
g2_per() {
	sed -n 's/^bytes per frame: \(-\{0,1\}[0-9]*\)$/\1/p' "$1"
}

g2_bigger_effect() { # each frame holds the array: at least its size
	timeout 60 "$BIN/memlayout" demo stack >"$T_TMP/l2" || {
		cat "$T_TMP/l2"
		return 1
	}
	g2_n=$(g2_per "$T_TMP/l2")
	echo "bytes per frame: $g2_n, for a local of $(g2_size) bytes"
	echo "(the 32-byte local gave 64: the array plus the same 32 bytes of"
	echo "return address, canary and padding)"
	[ "${g2_n:-0}" -ge "$(g2_size)" ]
}
g_ex 2.1 "a bigger local: bigger frames" memlayout/demo_stack.c \
	g2_bigger "make dive's local volatile char local[1024];" \
	"is the array still volatile, and did make rebuild memlayout?" \
	g2_bigger_effect

# Inlined, the levels share one frame: some level's local is not below
# its caller's (a difference of 0 or less), and the demo says so.
g2_inline_effect() {
	timeout 60 "$BIN/memlayout" demo stack >"$T_TMP/l2" 2>&1
	g2_rc=$?
	g2_up=$(awk '$1 ~ /^dive\(/ && $3 ~ /^-?[0-9]+$/ && $3 <= 0 {
		print $1 " " $3; exit }' "$T_TMP/l2")
	if [ -z "$g2_up" ]; then
		echo "every local is below its caller's: dive was not inlined"
		echo "(objdump -d build/bin/memlayout | grep -c 'call.*<dive' says"
		echo "how many calls are left)"
		return 1
	fi
	echo "$g2_up bytes below its caller: the calls were inlined into one"
	echo "frame; the demo says the stack did not grow down (exit $g2_rc)"
}
g_ex 2.2 "no NOINLINE: the calls share one frame" memlayout/demo_stack.c \
	g2_inline "remove NOINLINE from the line above dive(int level)" \
	"is the build -O2 (config.mk)? at -O0 nothing is inlined" \
	g2_inline_effect
