# tests/grade/lab2.sh: lab 2, the stack, the heap, overflow and leaks
# (no code changes)
g_lab 2 "the stack, the heap, overflow and leaks"
for d in stack heap overflow leak; do
	g_base "memlayout demo $d runs" \
		"run 'build/bin/memlayout demo $d' and read the error" \
		timeout 60 "$BIN/memlayout" demo "$d"
done
