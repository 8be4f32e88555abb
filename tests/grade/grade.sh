#!/bin/sh
# tests/grade/grade.sh: `make grade` and `make grade LAB=N`, as in MIT
# 6.S081: run each lab's checks on the tree as it is now (the Makefile
# builds it first) and print one line per check and a score.
#
#   BIN=build/bin sh tests/grade/grade.sh [N]
#
# Two kinds of check (tests/grade/labN.sh, one file per lab):
#   baseline  the lab's tools build and do what the lab relies on; each
#             prints PASS, or FAIL with a hint; the unmodified tree
#             passes every one;
#   exercise  an exercise that asks you to change code: "not done" while
#             the file is as shipped, PASS once the change is made AND the
#             effect the lab predicts is measured, FAIL if the change is
#             there but the effect is not. Each says how to restore.
# Exit status 0 if nothing failed ("not done" is not a failure), else 1.

top=$(cd "${0%/*}/../.." && pwd)
cd "$top" || exit 2
: "${BIN:?BIN must name the folder with the built programs}"
labs=${1:-1 2 3 4 5 6 7 8}
case $labs in
[1-8] | "1 2 3 4 5 6 7 8") ;;
*)
	echo "grade: no lab '$labs' (1 to 8)" >&2
	echo "Try 'make grade LAB=N' with N from 1 to 8." >&2
	exit 2
	;;
esac
. tests/grade/common.sh

for n in $labs; do
	. "tests/grade/lab$n.sh"
done
g_score
