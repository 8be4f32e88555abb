# tests/grade/lab5.sh: lab 5, seeing processes (no code changes). The
# lab's kill refusals (pid 1, -1) are not run here: a broken refusal
# would signal the machine (tests/cli/procview_kill.sh checks them in a
# private PID namespace).
g_lab 5 "seeing processes: ps, states, the tree, threads, kill"

g5_self() { # this shell is in the listing, with its parent's PID
	"$BIN/procview" -ef >"$T_TMP/l5" &&
		awk -v p=$$ -v pp="$PPID" '$2 == p && $3 == pp { f = 1 }
			END { exit !f }' "$T_TMP/l5"
}

g5_sig() {
	"$BIN/procview" kill -L >"$T_TMP/l5" && grep -q 'KILL' "$T_TMP/l5"
}

g_base "procview -ef lists this shell (PID $$, parent $PPID)" \
	"procview reads /proc/PID/stat: is /proc mounted?" g5_self
g_base "procview kill -L lists the signals" \
	"run 'build/bin/procview kill -L' and read the error" g5_sig
if command -v ps >/dev/null 2>&1; then
	g_base "ps is installed (the lab compares procview with it)" "" true
else
	g_base "ps is installed (the lab compares procview with it)" \
		"install procps: sudo apt install procps" false
fi
