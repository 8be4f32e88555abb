# tests/grade/common.sh: what every tests/grade/labN.sh uses; sourced by
# tests/grade/grade.sh. It also sources tests/lib.sh for its process
# helpers (spawn, wait_for, wait_exit, port_of, has_line): every process
# a check starts is ended, by PID, when grade.sh exits.

. tests/lib.sh
ulimit -c 0 # an exercise that crashes a server leaves no core file
G_BASE=0    # baseline checks run
G_BASE_OK=0 # ... passed
G_EX=0      # exercise checks
G_EX_OK=0   # ... done and passed
G_FAIL=0

# g_lab N TITLE: the heading of one lab
g_lab() {
	printf '\nlab %s: %s\n' "$1" "$2"
}

# g_line WORD WHAT [NOTE...]: one check's line, then indented notes
g_line() {
	printf '  %-8s %s\n' "$1" "$2"
	shift 2
	for n in "$@"; do
		printf '           %s\n' "$n"
	done
}

# g_base WHAT HINT CMD...: a baseline check passes if CMD exits 0
g_base() {
	g_what=$1
	g_hint=$2
	shift 2
	G_BASE=$((G_BASE + 1))
	if "$@" >"$T_TMP/g.out" 2>&1; then
		G_BASE_OK=$((G_BASE_OK + 1))
		g_line PASS "$g_what"
	else
		G_FAIL=$((G_FAIL + 1))
		g_line FAIL "$g_what" "hint: $g_hint"
		sed -n '1,5s/^/           | /p' "$T_TMP/g.out"
	fi
}

# g_skip WHAT WHY: a baseline check that cannot run now (not a failure)
g_skip() {
	g_line "--" "$1" "skipped: $2"
}

# g_ex ID WHAT FILE DONE TODO HINT CMD...: an exercise check. DONE is
# a command that says whether the change is in FILE; if not, print "not
# done" and TODO (what to change). If so, CMD measures the effect: PASS,
# or FAIL with HINT. Either way say how to restore FILE.
g_ex() {
	g_id=$1
	g_what=$2
	g_file=$3
	g_done=$4
	g_todo=$5
	g_hint=$6
	shift 6
	G_EX=$((G_EX + 1))
	g_back="afterwards: git checkout -- $g_file, then make"
	if ! $g_done; then
		g_line "not done" "ex $g_id: $g_what" "to do: $g_todo" \
			"then: make grade LAB=${g_id%%.*} (it rebuilds first)" \
			"$g_back"
		return 0
	fi
	if "$@" >"$T_TMP/g.out" 2>&1; then
		G_EX_OK=$((G_EX_OK + 1))
		g_line PASS "ex $g_id: $g_what"
		sed 's/^/           /' "$T_TMP/g.out"
		printf '           %s\n' "$g_back"
	else
		G_FAIL=$((G_FAIL + 1))
		g_line FAIL "ex $g_id: $g_what" "hint: $g_hint"
		sed 's/^/           | /' "$T_TMP/g.out"
		printf '           %s\n' "$g_back"
	fi
}

# g_serve LOG CMD...: start a server (listening on 127.0.0.1 port 0) in
# the background with lib.sh's serve_bg; sets G_SPID and G_PORT, returns
# 1 if it did not say where it listens within 30 s
g_serve() {
	serve_bg "$@"
	g_rc=$?
	G_SPID=$SRV
	G_PORT=$PORT
	return "$g_rc"
}

# g_stop PID: Ctrl-C a server we started, and wait (bounded) for it;
# reaped, its PID leaves the cleanup list (the number may be reused)
g_stop() {
	kill -INT "$1" 2>/dev/null
	wait_exit "$1" 10 >/dev/null 2>&1
	# (127: still running after 10 s, so the cleanup still needs it)
	[ $? = 127 ] || T_PIDS=$(printf ' %s ' "$T_PIDS" | sed "s/ $1 / /")
}

# g_score: the final lines; the exit status of grade.sh
g_score() {
	printf '\nscore: baseline %d/%d passed, exercises %d/%d done\n' \
		"$G_BASE_OK" "$G_BASE" "$G_EX_OK" "$G_EX"
	[ "$G_FAIL" = 0 ]
}
