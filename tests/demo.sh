#!/bin/sh
# tests/demo.sh: the guided tour (make demo). Narrated: one line before
# each step says what to look at. Everything it starts, it stops by PID.
: "${BIN:?}"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -n "$NO_COLOR" ] || [ ! -t 1 ] && say() { printf '\n== %s\n' "$*"; }
say "the toolkit is built; its programs are in $BIN"
ls "$BIN"
