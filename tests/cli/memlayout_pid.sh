#!/bin/sh
# memlayout --pid: another process's map, compared with /proc/PID/maps
# itself; bad PIDs; paths with spaces, " (deleted)" and 4000 characters.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
SLEEP=$(readlink -f "$(command -v sleep)")

# regions FILE: the number of regions in a --json output
regions() {
	grep -c '^,\{0,1\}{"start":' "$1"
}

# wait_mapped PID FILE: the process has FILE mapped (its exec is done)
# and sleeps (state S). Right after the exec, ld.so is still mapping
# the libraries: a map read then has fewer lines than one read a moment
# later (seen: 23 against 37). sleep(1) is in state S only once it has
# reached its nanosleep, with every library in place.
wait_mapped() {
	grep -qF "$2" "/proc/$1/maps" 2>/dev/null &&
		grep -q '^State:.S' "/proc/$1/status" 2>/dev/null
}

# A helper process: its map, line for line in count.
spawn "$SLEEP" 30
p=$SPAWNED
wait_for 30 wait_mapped "$p" "$SLEEP"
"$ML" --pid "$p" --json >"$T_TMP/p.json"
is "$?" 0 "--pid --json exits 0"
is "$(regions "$T_TMP/p.json")" "$(wc -l <"/proc/$p/maps" | tr -d ' ')" \
	"--pid: as many regions as /proc/PID/maps has lines"
# every region's start-end perms appear in the real maps, in order
awk '{ print $1, $2 }' "/proc/$p/maps" >"$T_TMP/real"
sed -n 's/^,\{0,1\}{"start":"0x\([0-9a-f]*\)","end":"0x\([0-9a-f]*\)",.*"perms":"\([^"]*\)".*/\1-\2 \3/p' \
	"$T_TMP/p.json" | awk '{ split($1, r, "-");
		while (length(r[1]) < 8) r[1] = "0" r[1];
		while (length(r[2]) < 8) r[2] = "0" r[2];
		print r[1] "-" r[2], $2 }' >"$T_TMP/mine"
ok "--pid: the same ranges and permissions as /proc/PID/maps" \
	cmp -s "$T_TMP/real" "$T_TMP/mine"
like "$(cat "$T_TMP/p.json")" '"segment":"code".*"path":"[^"]*sleep"' \
	"--pid: the program's code is found"
like "$(cat "$T_TMP/p.json")" '"segment":"heap"' "--pid: the heap is found"
like "$(cat "$T_TMP/p.json")" '"segment":"stack","offset":0.*"path":"\[stack\]"' \
	"--pid: the stack is found"
like "$(cat "$T_TMP/p.json")" '"segment":"library".*"path":"[^"]*/libc[.-]' \
	"--pid: libraries are found"
like "$(cat "$T_TMP/p.json")" '"totals":\[\{"segment":"all","count":[1-9]' \
	"--pid: totals per segment"

exits 0 "--pid text" "$ML" -w -p "$p"
is "$(printf '%s\n' "$OUT" | grep -c '^[0-9a-f]\{16\} [0-9a-f]\{16\} ')" \
	"$(wc -l <"/proc/$p/maps" | tr -d ' ')" \
	"--pid text: one row per maps line"
like "$OUT" '^  all +[0-9]+ mappings' "--pid text: a total line"

exits 0 "--pid --rss" "$ML" --pid "$p" --rss
like "$OUT" 'RSS\(KiB\) +PSS\(KiB\)' "--rss: RSS and PSS columns"
"$ML" --pid "$p" --rss --json >"$T_TMP/r.json"
awk 'match($0, /"rss_bytes":-?[0-9]+,"pss_bytes":-?[0-9]+/) {
	s = substr($0, RSTART, RLENGTH); gsub(/[^-0-9,]/, "", s)
	split(s, v, ","); if (v[2] > v[1]) bad++; if (v[1] > 0) res++ }
	END { print (bad ? "pss>rss" : "fine"), (res ? "resident" : "none") }' \
	"$T_TMP/r.json" >"$T_TMP/rss"
is "$(cat "$T_TMP/rss")" "fine resident" \
	"--rss: every Pss <= Rss, and something is resident"

# Bad PIDs: usage errors exit 2, a missing process exits 1.
for bad in 0 -1 +5 abc "" 99999999999999999999 12x " 5"; do
	exits 2 "--pid '$bad'" "$ML" --pid "$bad"
	# like takes an ERE: "+5" needs its + escaped
	like "$ERR" "invalid pid '$(printf '%s' "$bad" | sed 's/+/\\+/g')'" \
		"--pid '$bad': clear message"
done
exits 2 "--pid without a value" "$ML" --pid
exits 1 "--pid of no process" "$ML" --pid 2147483647
like "$ERR" '^memlayout: no process with pid 2147483647$' \
	"--pid of no process: clear message"

# A process we may not read: EACCES, exit 1.
if [ "$(id -u)" = 0 ] && [ -n "$VALGRIND" ]; then
	# $ML is a wrapper in run.sh's private log folder (mode 0700), and
	# valgrind writes its log there: another user can run neither
	skip "--pid of a process we may not read" \
		"the valgrind wrapper and its log folder are root's only"
elif [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1 &&
		setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		exits 1 "--pid of a process we may not read" setpriv \
			--reuid=65534 --regid=65534 --clear-groups "$ML" --pid "$p"
		like "$ERR" "cannot read '/proc/$p/maps': Permission denied" \
			"EACCES: clear message"
	else
		skip "--pid of a process we may not read" "no setpriv"
	fi
else
	exits 1 "--pid of a process we may not read" "$ML" --pid 1
	like "$ERR" "Permission denied" "EACCES: clear message"
fi

# A program whose file name has spaces, deleted while it runs.
cp "$SLEEP" "$T_TMP/my sleep (copy)"
spawn "$T_TMP/my sleep (copy)" 30
d=$SPAWNED
wait_for 30 wait_mapped "$d" "my sleep (copy)"
rm -f "$T_TMP/my sleep (copy)"
wait_for 30 wait_mapped "$d" "my sleep (copy) (deleted)"
exits 0 "--pid of a deleted program with spaces" "$ML" --pid "$d" --json
like "$OUT" '"deleted":true,"path":"[^"]*/my sleep \(copy\)"' \
	"spaces and (deleted): path parsed, flag set"
like "$OUT" '"segment":"code","offset":[0-9]+,"dev":"[^"]*","inode":[0-9]+,"deleted":true' \
	"deleted program: its code is still recognised"
printf '%s\n' "$OUT" >"$T_TMP/d.json"
is "$(regions "$T_TMP/d.json")" "$(wc -l <"/proc/$d/maps" | tr -d ' ')" \
	"deleted program: region count matches"
exits 0 "--pid text of a deleted program" "$ML" -w --pid "$d"
like "$OUT" 'my sleep \(copy\) \(deleted\)$' "text shows ' (deleted)'"

# A 4000-character path (about PATH_MAX): parsed whole.
long=$T_TMP
while [ ${#long} -lt 3900 ]; do
	long=$long/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
done
mkdir -p "$long"
long=$long/$(printf '%*s' $((4000 - ${#long} - 1)) '' | tr ' ' 'x')
if cp "$SLEEP" "$long" 2>/dev/null; then
	spawn "$long" 30
	l=$SPAWNED
	wait_for 30 wait_mapped "$l" "xxxxxxxx"
	exits 0 "--pid with a 4000-character path" "$ML" --pid "$l" --json
	printf '%s\n' "$OUT" >"$T_TMP/l.json"
	is "$(sed -n 's/.*"segment":"code".*"path":"\([^"]*\)".*/\1/p' "$T_TMP/l.json" |
		head -n 1 | awk '{ print length($0) }')" "${#long}" \
		"the long path is read whole (${#long} characters)"
	is "$(regions "$T_TMP/l.json")" "$(wc -l <"/proc/$l/maps" | tr -d ' ')" \
		"long path: region count matches"
else
	skip "4000-character path" "cannot create it here"
fi

done_testing
