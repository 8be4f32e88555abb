# tests/grade/lab1.sh: lab 1, a process and its segments (its exercises
# change no code)
g_lab 1 "a process and its segments"

# g_has TEXT-FILE ERE: the output of the last check matches
g_has() {
	grep -Eq -- "$2" "$1"
}

g1_self() {
	"$BIN/memlayout" >"$T_TMP/l1" &&
		g_has "$T_TMP/l1" '\[stack\]' && g_has "$T_TMP/l1" '\[heap\]'
}

g1_pid() { # this shell's own maps, read through /proc/PID
	"$BIN/memlayout" --pid $$ >"$T_TMP/l1" && g_has "$T_TMP/l1" "$$"
}

g_base "memlayout shows its own stack and heap" \
	"run 'build/bin/memlayout' and read its error" g1_self
g_base "memlayout --pid reads another process" \
	"memlayout needs /proc/PID/maps (Linux, /proc mounted)" g1_pid
g_base "memlayout -n runs" "run 'build/bin/memlayout -n' and read the error" \
	"$BIN/memlayout" -n
