#!/bin/sh
# memlayout --pid labels each mapping for what it is, and each label is
# checked here against another source: the helper that made the mapping
# (tests/helpers/oddmaps.c), smaps, auxv, the threads' stack pointers
# (/proc/PID/task/TID/syscall), readelf and stat; never memlayout's word.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
ODD=${HELPERBIN:-}/oddmaps
SLEEP=$(readlink -f "$(command -v sleep)")

if [ ! -x "$ODD" ] || ! command -v python3 >/dev/null 2>&1; then
	skip "memlayout labels" "helper oddmaps not built (HELPERBIN) or no python3"
	done_testing
	exit 0
fi

# reg FILE ADDR FIELD: FIELD of the region of --json FILE holding ADDR
# (hex); "none" if no region does. Paths are printed as Python repr, so
# that a newline is visible.
reg() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
a = int(sys.argv[2], 16)
for r in d["regions"]:
    if int(r["start"], 16) <= a < int(r["end"], 16):
        v = r[sys.argv[3]]
        print(repr(v) if sys.argv[3] == "path" else v)
        break
else:
    print("none")' "$@"
}

# field FILE KEY: a top-level field of --json FILE
field() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"
}

# sp PID TID: the thread's stack pointer, from task/TID/syscall (the
# second-to-last number; "running" has none)
sp() {
	awk 'NF >= 3 { print $(NF - 1) }' "/proc/$1/task/$2/syscall" 2>/dev/null
}

# maps_path PID ADDR: the path of /proc/PID/maps's line holding ADDR
maps_path() {
	python3 -c '
import sys
a = int(sys.argv[2], 16)
for l in open("/proc/%s/maps" % sys.argv[1]):
    f = l.split(None, 5)
    lo, hi = (int(x, 16) for x in f[0].split("-"))
    if lo <= a < hi:
        print(f[5].strip() if len(f) > 5 else "")
        break' "$@"
}

# Huge pages: reserve one for the test (root only), restore after.
hp=/proc/sys/vm/nr_hugepages
hp_old=
if [ "$(id -u)" = 0 ] && [ -w "$hp" ] && [ "$(cat "$hp")" = 0 ]; then
	hp_old=0
	echo 1 >"$hp" 2>/dev/null
fi
restore_hp() {
	[ -n "$hp_old" ] && echo "$hp_old" >"$hp" 2>/dev/null
	hp_old=
}
# restored whatever happens, before lib.sh's cleanup
trap 'restore_hp; t_cleanup' EXIT

# odd LABEL [thread]: start oddmaps, wait for "ready", read its JSON
odd() {
	o_dir=$T_TMP/$1
	mkdir -p "$o_dir"
	rm -f "$T_TMP/$1.fifo"
	mkfifo "$T_TMP/$1.fifo"
	spawn sh -c 'exec "$0" "$@" <"$1.fifo"' "$ODD" "$o_dir" ${2:+"$2"} \
		>"$T_TMP/$1.out"
	o_pid=$SPAWNED
	exec 4>"$T_TMP/$1.fifo" # holds its stdin open: it waits
	wait_for 30 has_line "$T_TMP/$1.out" '^ready$'
	wait_for 30 all_sleeping "$o_pid" # each thread's stack pointer holds
	"$ML" --pid "$o_pid" --json --rss >"$T_TMP/$1.json"
	o_rc=$?
}
addr() { # LABEL NAME
	awk -v n="$2" '$1 == n { print $2 }' "$T_TMP/$1.out"
}

# A single-threaded process.
odd one
p=$o_pid
is "$o_rc" 0 "--pid --json --rss of oddmaps exits 0"
is "$(ls "/proc/$p/task" | wc -l | tr -d ' ')" 1 "oddmaps is single-threaded (task/)"
is "$(maps_path "$p" "$(sp "$p" "$p")")" "[stack]" \
	"its one thread's stack pointer (task/TID/syscall) is in [stack]"
is "$(field "$T_TMP/one.json" thread_stacks_from)" "stack pointers" \
	"thread stacks found from the stack pointers"
for n in none rw; do
	like "$(reg "$T_TMP/one.json" "$(addr one $n)" segment)" \
		'^(reserved|mmap)$' \
		"a PROT_NONE page below a rw page, one thread: $n is no guard or thread stack"
done

# shared anonymous memory: the helper mapped MAP_SHARED|MAP_ANONYMOUS
a=$(addr one shared)
is "$(reg "$T_TMP/one.json" "$a" segment)" "shared anon" \
	"MAP_SHARED|MAP_ANONYMOUS is shared anon, not file"

# hugetlb: its size from smaps *_Hugetlb and KernelPageSize
a=$(addr one hugetlb)
if [ "$a" = none ] || [ -z "$a" ]; then
	skip "MAP_HUGETLB labelled hugetlb" "no huge page could be reserved (not root, or the kernel has none)"
else
	is "$(reg "$T_TMP/one.json" "$a" segment)" hugetlb "MAP_HUGETLB is hugetlb, not file"
	want=$(python3 -c '
import sys
a = int(sys.argv[2], 16); cur = None; h = 0; ps = 0
for l in open("/proc/%s/smaps" % sys.argv[1]):
    f = l.split()
    if "-" in f[0] and ":" not in f[0]:
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        cur = lo <= a < hi
    elif cur and f[0] in ("Private_Hugetlb:", "Shared_Hugetlb:"):
        h += int(f[1]) * 1024
    elif cur and f[0] == "KernelPageSize:":
        ps = int(f[1]) * 1024
print(h, ps)' "$p" "$a")
	is "$(reg "$T_TMP/one.json" "$a" hugetlb_bytes) $(reg "$T_TMP/one.json" "$a" page_size_bytes)" \
		"$want" "hugetlb: resident huge pages and page size as smaps says ($want)"
	like "$want" '^[1-9][0-9]* [1-9][0-9]{6,}$' "hugetlb: smaps shows a resident huge page"
fi
restore_hp

# files: a real "data file (deleted)", an unlinked one, a newline, a
# data file named like a library
d=$T_TMP/one
a=$(addr one dfile)
is "$(reg "$T_TMP/one.json" "$a" deleted) $(reg "$T_TMP/one.json" "$a" path)" \
	"False '$d/data file (deleted)'" \
	"a file named 'data file (deleted)' is not deleted, and keeps its name"
is "$(reg "$T_TMP/one.json" "$a" inode)" "$(stat -c %i "$d/data file (deleted)")" \
	"... it is that file (stat's inode)"
a=$(addr one gone)
ok "the unlinked file is gone (test -e)" sh -c "! test -e '$d/gone'"
is "$(reg "$T_TMP/one.json" "$a" deleted) $(reg "$T_TMP/one.json" "$a" path)" \
	"True '$d/gone'" "an unlinked file is deleted, suffix stripped"
a=$(addr one nlfile)
ok "the kernel writes the newline in octal (backslash 012) in maps" \
	grep -qF 'new\012line' "/proc/$p/maps"
is "$(reg "$T_TMP/one.json" "$a" path)" "'$d/new\\nline'" \
	"JSON has the path's exact bytes (a newline, not its octal escape)"
is "$(reg "$T_TMP/one.json" "$a" inode)" "$(stat -c %i "$d/new
line")" "... it is that file (stat's inode)"
# the escaper follows the locale, as ps does: '?' in UTF-8, '.' for a
# control character in the C locale (set here, not inherited from CI)
exits 0 "--pid text, C.UTF-8" env LC_ALL=C.UTF-8 "$ML" --pid "$p"
like "$OUT" "/new\\?line\$" "text, C.UTF-8: the newline is escaped (?)"
unlike "$OUT" '^line$' "text: no row is cut by the newline"
exits 0 "--pid text, C locale" env LC_ALL=C "$ML" --pid "$p"
like "$OUT" "/new\\.line\$" "text, C locale: the newline is escaped (.), as ps does"
unlike "$OUT" '^line$' "text, C locale: no row is cut by the newline"
a=$(addr one fakeso)
ok "libfake.so.1 is no ELF file (readelf -h fails)" sh -c \
	"! readelf -h '$d/libfake.so.1' >/dev/null 2>&1"
is "$(reg "$T_TMP/one.json" "$a" segment)" file \
	"a data file named *.so* is file, not library"
libc=$(awk '$6 ~ /\/libc[.-]/ { print $1; exit }' "/proc/$p/maps" | cut -d- -f1)
libc_path=$(maps_path "$p" "$libc")
like "$(readelf -h "$libc_path")" 'Type: +DYN' "libc's ELF header says DYN (readelf -h)"
is "$(reg "$T_TMP/one.json" "$libc" segment)" library "libc is library"

# the program's first page and RELRO, against readelf -l / -S
base=$(awk -v p="$ODD" '$3 == "00000000" { print $1; exit }' "/proc/$p/maps" | cut -d- -f1)
prog=$(maps_path "$p" "$base")
relro=$(readelf -lW "$prog" | awk '$1 == "GNU_RELRO" { print $3; exit }')
rodata=$(readelf -SW "$prog" | sed 's/^ *\[ *[0-9]*\] *//' |
	awk '$1 == ".rodata" { print $3; exit }')
dynsym=$(readelf -SW "$prog" | sed 's/^ *\[ *[0-9]*\] *//' |
	awk '$1 == ".dynsym" { print $3; exit }')
if [ -n "$relro" ] && [ -n "$rodata" ] && [ -n "$dynsym" ]; then
	# a PIE (DYN) is moved by its load base; readelf's addresses are
	# link-time ones
	off=0
	readelf -h "$prog" | grep -q 'Type: *DYN' && off=$((0x$base))
	at() { printf '%x' $((off + $1)); }
	is "$(reg "$T_TMP/one.json" "$(at "$relro")" segment)" relro \
		"GNU_RELRO's first byte (readelf -l) is in a relro mapping"
	is "$(reg "$T_TMP/one.json" "$(at "0x$dynsym")" segment)" headers \
		".dynsym (readelf -S) is in the headers mapping"
	is "$(reg "$T_TMP/one.json" "$(at "0x$rodata")" segment)" rodata \
		".rodata (readelf -S) is in the rodata mapping"
	is "$(reg "$T_TMP/one.json" "$base" segment)" headers \
		"the ELF header's page (offset 0, r--p) is headers"
else
	skip "headers and relro" "readelf shows no GNU_RELRO/.rodata/.dynsym"
fi
exec 4>&-
wait_exit "$p" 30 >/dev/null

# With a second thread: its stack holds its stack pointer.
odd two thread
p=$o_pid
tids=$(ls "/proc/$p/task")
nthr=2
# ThreadSanitizer runs a thread of its own in every process
case ${SAN:-} in *thread*) nthr=3 ;; esac
is "$(echo "$tids" | wc -l | tr -d ' ')" "$nthr" \
	"oddmaps thread: $nthr threads (task/), the helper's two and any the sanitizer adds"
for t in $tids; do
	s=$(sp "$p" "$t")
	if [ -z "$s" ]; then
		skip "thread $t's stack" "its stack pointer is not readable"
		continue
	fi
	want="thread stack"
	[ "$(maps_path "$p" "$s")" = "[stack]" ] && want=stack
	is "$(reg "$T_TMP/two.json" "$s" segment)" "$want" \
		"the mapping holding thread $t's stack pointer ($s) is $want"
done
exec 4>&-
wait_exit "$p" 30 >/dev/null

# A program started by naming the loader: exe is ld.so, the program is
# the file at auxv's AT_PHDR.
ld=$(awk '$6 ~ /ld-linux/ { print $6; exit }' "/proc/self/maps")
if [ -n "$ld" ] && [ -x "$ld" ]; then
	spawn "$ld" "$SLEEP" 30
	p=$SPAWNED
	wait_for 30 sh -c "grep -q '^State:.S' /proc/$p/status && grep -qF '$SLEEP' /proc/$p/maps"
	"$ML" --pid "$p" --json >"$T_TMP/ld.json"
	# the kernel's copy of the auxiliary vector names the loader; the
	# copy on the stack, after argv and envp, has been rewritten by it
	phdr=$(od -An -v -tx8 "/proc/$p/auxv" | tr -s ' ' '\n' | grep . |
		awk 'prev == "0000000000000003" { print; exit } { prev = $0 }')
	is "$(maps_path "$p" "$phdr")" "$(readlink -f "$ld")" \
		"/proc/PID/auxv's AT_PHDR lies in the loader"
	sphdr=$(python3 -c '
import struct, sys
p = sys.argv[1]
start = int(open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[25])
m = open("/proc/%s/mem" % p, "rb")
m.seek(start)
b = b""
try:  # page by page: the stack ends somewhere above
    b = m.read(4096 - start % 4096)
    while len(b) < 65536:
        b += m.read(4096)
except OSError:
    pass
w = struct.unpack("%dQ" % (len(b) // 8), b[:len(b) // 8 * 8])
i, nul = 1, 0
while nul < 2:
    nul += w[i] == 0
    i += 1
while w[i]:
    if w[i] == 3:
        print("%x" % w[i + 1])
    i += 2' "$p" 2>/dev/null)
	is "$(maps_path "$p" "${sphdr:-0}")" "$SLEEP" \
		"the stack's auxv (/proc/PID/mem) has AT_PHDR in sleep's file"
	is "$(readlink "/proc/$p/exe")" "$(readlink -f "$ld")" "exe names the loader"
	is "$(field "$T_TMP/ld.json" program) $(field "$T_TMP/ld.json" program_from)" \
		"$SLEEP stack auxv" "memlayout takes the program from the stack's auxv"
	code=$(awk -v f="$SLEEP" '$2 ~ /x/ && $6 == f { print $1; exit }' "/proc/$p/maps" | cut -d- -f1)
	is "$(reg "$T_TMP/ld.json" "$code" segment)" code "sleep's r-x is code"
	ldx=$(awk '$2 ~ /x/ && $6 ~ /ld-linux/ { print $1; exit }' "/proc/$p/maps" | cut -d- -f1)
	is "$(reg "$T_TMP/ld.json" "$ldx" segment)" library "the loader's r-x is library"
	kill "$p"
else
	skip "a program started by its loader" "no ld-linux in our map"
fi

# printf: the PLT stub or the real function, and which. hold_self LABEL
# BIN runs BIN --json --wait and copies its maps while it waits.
hold_self() {
	rm -f "$T_TMP/h.fifo"
	mkfifo "$T_TMP/h.fifo"
	spawn sh -c 'exec "$0" --json --wait <"$1"' "$2" "$T_TMP/h.fifo" \
		>"$T_TMP/$1.json" 2>"$T_TMP/$1.err"
	h_pid=$SPAWNED
	exec 5>"$T_TMP/h.fifo"
	wait_for 30 has_line "$T_TMP/$1.err" 'is waiting' &&
		cat "/proc/$h_pid/maps" >"$T_TMP/$1.maps"
	exec 5>&-
	wait_exit "$h_pid" 30
}
sym() { # LABEL NAME FIELD: a symbol's field
	python3 -c 'import json, sys
for s in json.load(open(sys.argv[1]))["symbols"]:
    if s["name"] == sys.argv[2]:
        print(s[sys.argv[3]])' "$T_TMP/$1.json" "$2" "$3"
}
# libc_printf LABEL: where the real printf is: libc's load base (its
# mapping at offset 0 in the test's copy of the maps) + nm -D's value
libc_printf() {
	l=$(awk '$6 ~ /\/libc[.-]/ && $3 == "00000000" { print $1, $6; exit }' "$T_TMP/$1.maps")
	[ -n "$l" ] || return
	o=$(nm -D "${l#* }" | awk '$3 ~ /^printf(@|$)/ { print $1; exit }')
	printf '0x%x\n' $((0x${l%%-*} + 0x$o))
}
top=$(cd "${0%/*}/../.." && pwd)
build() { # NAME FLAGS...: build memlayout as a student would, or fail
	b_name=$1
	shift
	(cd "$top" && cc -std=c11 -D_GNU_SOURCE -DVERSION='"t"' -Ilib -O2 \
		memlayout/*.c lib/*.c -pthread "$@" -lm \
		-o "$T_TMP/$b_name") >"$T_TMP/$b_name.cc" 2>&1
}
if [ -z "$SAN" ] && command -v nm >/dev/null 2>&1; then
	hold_self pie "$ML"
	is "$(sym pie printf address)" "$(libc_printf pie)" \
		"PIE: printf is libc's printf (libc base + nm -D)"
	is "$(sym pie printf@plt address)" "" "PIE: no PLT stub is shown"
else
	skip "PIE: printf is libc's" "sanitizer $SAN intercepts printf, or no nm"
fi
if command -v cc >/dev/null 2>&1 && build nopie -fno-pie -no-pie; then
	hold_self nopie "$T_TMP/nopie"
	plt=$(readelf --dyn-syms -W "$T_TMP/nopie" |
		awk '$8 ~ /^printf(@|$)/ { print $2; exit }' | sed 's/^0*//')
	is "$(sym nopie printf@plt address)" "0x$plt" \
		"-no-pie: printf@plt is at printf's canonical PLT address (readelf --dyn-syms)"
	is "$(sym nopie printf@plt segment)" code "-no-pie: the stub is the program's code"
	like "$(sym nopie printf@plt what)" 'PLT stub' "-no-pie: it says it is the PLT stub"
	is "$(sym nopie printf address)" "$(libc_printf nopie)" \
		"-no-pie: the printf row is libc's real printf (libc base + nm -D)"
	is "$(sym nopie printf segment)" library "-no-pie: the real printf is library"
else
	skip "-no-pie printf" "no cc, or: $(head -n 1 "$T_TMP/nopie.cc" 2>/dev/null)"
fi
if command -v cc >/dev/null 2>&1 && [ -z "$SAN" ] && build static -static &&
	[ -x "$T_TMP/static" ]; then
	hold_self static "$T_TMP/static"
	ok "-static: the program has no INTERP (readelf -l)" sh -c \
		"! readelf -lW '$T_TMP/static' | grep -q INTERP"
	ok "-static: no library is mapped" sh -c \
		"! grep -q '\.so' '$T_TMP/static.maps'"
	is "$(sym static printf address)" \
		"0x$(nm "$T_TMP/static" | awk '$3 == "printf" { print $1; exit }' | sed 's/^0*//')" \
		"-static: printf is at nm's address, in the program"
	is "$(sym static printf segment)" code "-static: printf is code"
	like "$(sym static printf what)" 'no library' "-static: it says no library"
else
	skip "-static printf" "no cc, a sanitizer build, or no static libc"
fi

done_testing
