#!/bin/sh
# tests/docs/grade.sh: `make grade` on a scratch copy of the tree. As
# shipped, every baseline check passes and every exercise says "not done";
# then each code-change exercise of the labs is made on the copy (the
# change a student would make), the copy rebuilt, and exactly that
# exercise's check must pass, the others of its lab stay "not done".
. "${0%/*}/../lib.sh"

top=$(cd "${0%/*}/../.." && pwd)
r=$T_TMP/tree
mkdir -p "$r/tests"
cp -R "$top/Makefile" "$top/config.mk" "$top/lib" "$top/memlayout" \
	"$top/procview" "$top/netlab" "$top/docs" "$r/" &&
	cp -R "$top/tests/lib.sh" "$top/tests/grade" "$r/tests/"
t_result $? "a scratch copy of the tree"

# As shipped: make grade builds, every baseline passes, nothing is done.
make -s -C "$r" -j2 SAN= grade >"$T_TMP/all" 2>&1
is "$?" 0 "make grade on the unmodified tree exits 0"
out=$(cat "$T_TMP/all")
if command -v ps >/dev/null 2>&1; then # lab 5's baseline wants procps
	unlike "$out" '^  FAIL ' "no check fails"
	like "$out" '^score: baseline ([0-9]+)/\1 passed, exercises 0/' \
		"every baseline check passes, no exercise is done"
else
	skip "no check fails" "ps (procps) is not installed"
fi
is "$(grep -c '^  PASS     ex ' "$T_TMP/all")" 0 "no exercise passes"
is "$(grep -c '^  not done ex ' "$T_TMP/all")" 11 \
	"11 exercises say not done (2.1, 2.2, 3.1, 4.1-4.3, 6.2, 7.2, 7.3, 8.2, 8.3)"
like "$out" 'afterwards: git checkout -- netlab/race.c' \
	"a not-done exercise says how to restore its file"
for n in 1 2 3 4 5 6 7 8; do
	like "$out" "^lab $n: " "lab $n is graded"
done
exits 2 "make grade LAB=9 is a usage error" \
	make -s -C "$r" SAN= grade LAB=9
like "$ERR" "^grade: no lab '9'" "and says so"

# exercise ID FILE PROGRAM: after a change to FILE, rebuild PROGRAM (or
# none: -), grade the lab, check that ID alone passes, restore FILE
exercise() {
	ex_lab=${1%%.*}
	if [ "$3" != - ]; then
		make -s -C "$r" -j2 SAN= "build/bin/$3" >"$T_TMP/mk" 2>&1
		t_result $? "ex $1: the changed $2 builds (-Werror)"
		sed 's/^/#   /' "$T_TMP/mk"
	fi
	(cd "$r" && BIN=$r/build/bin sh tests/grade/grade.sh "$ex_lab") \
		>"$T_TMP/g" 2>&1
	g_rc=$?
	is "$g_rc" 0 "ex $1: make grade LAB=$ex_lab exits 0"
	is "$(sed -n 's/^  PASS     ex \([0-9.]*\):.*/\1/p' "$T_TMP/g")" "$1" \
		"ex $1: exactly its check passes"
	unlike "$(cat "$T_TMP/g")" '^  FAIL ' "ex $1: nothing fails"
	[ "$g_rc" = 0 ] || sed 's/^/#   /' "$T_TMP/g"
	cp "$top/$2" "$r/$2"
	[ "$3" != - ] && make -s -C "$r" -j2 SAN= "build/bin/$3" >/dev/null 2>&1
}

f=memlayout/demo_stack.c
sed -i 's/volatile char local\[32\];/volatile char local[1024];/' "$r/$f"
exercise 2.1 "$f" memlayout
sed -i 's/^static NOINLINE int$/static int/' "$r/$f"
exercise 2.2 "$f" memlayout
f=memlayout/demo_cow.c
sed -i '/^	\*page = 1; /d' "$r/$f"
exercise 3.1 "$f" memlayout

s=docs/stages/sample.c
sed -i 's/^static char buffer\[256\];.*/&\nstatic int big[1000000];/' "$r/$s"
exercise 4.1 "$s" -
sed -i 's/^static char buffer\[256\];.*/&\nstatic int big[1000000] = {1};/' \
	"$r/$s"
exercise 4.1 "$s" -
sed -i '0,/printf("%s (counter/s//prinft("%s (counter/' "$r/$s"
exercise 4.2 "$s" -
sed -i '/row("bump"/d' "$r/$s"
exercise 4.3 "$s" -

f=netlab/proto.c
sed -i '0,/^	if (r == 1) {$/s//&\n		if (l.len > 10) *(volatile int *)0 = 1;/' \
	"$r/$f"
exercise 6.2 "$f" netlab

f=netlab/race.c
sed -i '/^add_mutex(/,/^}/{/pthread_mutex_\(un\)\{0,1\}lock/d}' "$r/$f"
exercise 7.2 "$f" netlab
sed -i '/^add_mutex(/,/^}/{
	/pthread_mutex_\(un\)\{0,1\}lock/d
	s/^	for (/	pthread_mutex_lock(\&r->lock);\n&/
	s/^}/	pthread_mutex_unlock(\&r->lock);\n}/
}' "$r/$f"
if [ -x /usr/bin/time ]; then # 7.3 counts context switches with it
	exercise 7.3 "$f" netlab
else
	skip "ex 7.3" "GNU time (/usr/bin/time) is not installed"
	cp "$top/$f" "$r/$f"
fi

f=netlab/thread_serv.c
sed -i '/^	pthread_detach(tid);$/d' "$r/$f"
exercise 8.2 "$f" thread_serv
# the &fd mistake: main passes the address of its one fd variable, the
# thread reads through it (maybe after the next accept overwrote it)
sed -i -e 's/^start_client(int fd)$/start_client(int *fdp)/' \
	-e 's/^	pthread_t tid;$/&\n	int fd = *fdp;/' \
	-e 's/(void \*)(intptr_t)fd)/fdp)/' \
	-e 's/int fd = (int)(intptr_t)arg;/int fd = *(int *)arg;/' \
	-e 's/start_client(fd);/start_client(\&fd);/' "$r/$f"
exercise 8.3 "$f" thread_serv
done_testing
