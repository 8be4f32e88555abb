# tests/grade/lab3.sh: lab 3, code is read-only and shared, fork and
# copy-on-write, ASLR (no code changes)
g_lab 3 "code is read-only and shared; fork and copy-on-write; ASLR"
for d in code-write cow aslr; do
	g_base "memlayout demo $d runs" \
		"run 'build/bin/memlayout demo $d' and read the error" \
		timeout 60 "$BIN/memlayout" demo "$d"
done
