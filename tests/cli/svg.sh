#!/bin/sh
# --svg FILE: memlayout's address space, netlab client's timeline and
# netlab bench --compare's bars. Every picture must be valid XML
# (xmllint, an independent parser), hostile names included; the address
# ranges drawn must be those of /proc/PID/maps; a renderer, where one is
# installed, must draw something that is not blank; `make pictures` must
# work into another folder.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
NL=$BIN/netlab
ROOT=$(cd "${0%/*}/../.." && pwd)
SLEEP=$(readlink -f "$(command -v sleep)")

XMLLINT=$(command -v xmllint)
RSVG=$(command -v rsvg-convert)
CHROME=$(command -v chromium || command -v chromium-browser ||
	command -v google-chrome)

# valid FILE WHAT: the file is well-formed XML with an <svg> root
valid() {
	if [ -z "$XMLLINT" ]; then
		skip "$2: valid XML" "xmllint not installed (libxml2-utils)"
		return
	fi
	ok "$2: valid XML (xmllint)" "$XMLLINT" --noout "$1"
	like "$(head -c 400 "$1")" '<svg xmlns="http://www.w3.org/2000/svg"' \
		"$2: an SVG document"
	unlike "$(cat "$1")" '<script|href=|@import|url\(http' \
		"$2: no script, no external resource"
}

# pngstat PNG: "W H DISTINCT NONWHITE" of an 8-bit RGB(A) PNG, read
# with zlib only (no imaging package needed)
pngstat() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
i, idat = 8, b''
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    c = d[i + 8:i + 8 + n]
    if t == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', c[:10])
    elif t == b'IDAT':
        idat += c
    i += 12 + n
assert depth == 8 and ctype in (2, 6)
bpp = 3 if ctype == 2 else 4
raw, stride, prev = zlib.decompress(idat), w * bpp, bytearray(w * bpp)
colours, nonwhite, pos = set(), 0, 0
for y in range(h):
    f, row = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
    pos += 1 + stride
    for x in range(stride):
        a = row[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: row[x] = (row[x] + a) & 255
        elif f == 2: row[x] = (row[x] + b) & 255
        elif f == 3: row[x] = (row[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
            row[x] = (row[x] + pr) & 255
    for x in range(0, stride, bpp):
        px = bytes(row[x:x + 3])
        colours.add(px)
        if px != b'\xff\xff\xff':
            nonwhite += 1
    prev = row
print(w, h, len(colours), nonwhite)
PY
}

# rendered SVG WHAT: where a renderer exists, the picture is not blank
rendered() {
	if [ -n "$RSVG" ]; then
		"$RSVG" -o "$1.png" "$1" 2>"$T_TMP/rsvg.err"
	elif [ -n "$CHROME" ]; then
		"$CHROME" --headless --disable-gpu --no-sandbox \
			--window-size=1280,1400 --screenshot="$1.png" \
			"file://$1" >/dev/null 2>&1
	else
		skip "$2: renders, not blank" \
			"no renderer (rsvg-convert from librsvg2-bin, chromium)"
		return
	fi
	if ! command -v python3 >/dev/null; then
		skip "$2: renders, not blank" "python3 not installed"
		return
	fi
	set -- "$1" "$2" $(pngstat "$1.png" 2>/dev/null)
	# a blank page has one colour; our boxes and bars have six or more,
	# and at least 2% of the pixels are not white
	ok "$2: renders with several colours ($5 distinct)" \
		test "${5:-0}" -ge 6
	ok "$2: renders, not blank (${6:-0} of $(( ${3:-0} * ${4:-0} )) px)" \
		test "${6:-0}" -gt $(( ${3:-0} * ${4:-0} / 50 ))
}

# ---- memlayout --svg: itself, and --pid of a helper ----
exits 0 "memlayout --svg FILE" "$ML" --svg "$T_TMP/self.svg"
is "$OUT" "" "memlayout --svg: nothing else on stdout"
valid "$T_TMP/self.svg" "memlayout --svg"
rendered "$T_TMP/self.svg" "memlayout --svg"
like "$(cat "$T_TMP/self.svg")" '>stack<' "memlayout --svg: the stack box"
like "$(cat "$T_TMP/self.svg")" 'gap: [0-9.]+ [KMGT]iB unmapped' \
	"memlayout --svg: gaps drawn as gaps, with their size"

exits 0 "memlayout --svg - (stdout)" "$ML" --svg -
printf '%s\n' "$OUT" >"$T_TMP/stdout.svg"
valid "$T_TMP/stdout.svg" "memlayout --svg -"
ok "memlayout --svg -: no FILE named '-'" test ! -e ./-

spawn "$SLEEP" 30
p=$SPAWNED
wait_for 30 grep -q '^State:.S' "/proc/$p/status"
exits 0 "memlayout --pid PID --svg FILE" "$ML" --pid "$p" --svg "$T_TMP/p.svg"
valid "$T_TMP/p.svg" "memlayout --pid --svg"
# the ranges drawn are the ranges in the kernel's own maps, all of them
awk '{ print $1 }' "/proc/$p/maps" | sort >"$T_TMP/real"
grep -o '>[0-9a-f]\{8,\}-[0-9a-f]\{8,\} ' "$T_TMP/p.svg" |
	tr -d '> ' | sort >"$T_TMP/drawn"
ok "--pid --svg: every address range of /proc/PID/maps, no other" \
	cmp -s "$T_TMP/real" "$T_TMP/drawn"
is "$(grep -c . "$T_TMP/drawn")" "$(grep -c . "/proc/$p/maps")" \
	"--pid --svg: one box per maps line"
# (sleep's heap: memlayout's own is ASan's arena in a sanitizer build)
like "$(cat "$T_TMP/p.svg")" '>heap<' "--pid --svg: the heap box"

# a program whose path holds < & " ESC and bytes that are not UTF-8
HOST="$T_TMP/a<b&c\"$(printf '\033[31m\377\376')d"
cp "$SLEEP" "$HOST"
spawn "$HOST" 30
h=$SPAWNED
wait_for 30 grep -q '^State:.S' "/proc/$h/status"
exits 0 "--svg of a process with a hostile path" \
	"$ML" --pid "$h" --svg "$T_TMP/h.svg"
valid "$T_TMP/h.svg" "hostile path"
like "$(cat "$T_TMP/h.svg")" 'a&lt;b&amp;c&quot;\[31md<' \
	"hostile path: escaped, ESC and bad bytes dropped"

# errors: nothing half-written, nothing left claiming success
exits 1 "unwritable FILE" "$ML" --svg "$T_TMP/no/such/dir/x.svg"
is "$ERR" "memlayout: cannot write '$T_TMP/no/such/dir/x.svg': No such file or directory" \
	"unwritable FILE: says which file and why"
if [ -w /dev/full ]; then
	exits 1 "a full disk" "$ML" --svg /dev/full
	like "$ERR" "cannot write '/dev/full'" "a full disk: said"
else
	skip "a full disk" "no /dev/full"
	skip "a full disk: said" "no /dev/full"
fi
mkdir "$T_TMP/ro" && echo old >"$T_TMP/ro/old.svg" && chmod 555 "$T_TMP/ro"
"$ML" --svg "$T_TMP/ro/old.svg" 2>/dev/null
if [ "$(id -u)" = 0 ]; then
	skip "read-only folder: the old file kept" "root writes anyway"
else
	is "$(cat "$T_TMP/ro/old.svg")" old "read-only folder: the old file kept"
fi
chmod 755 "$T_TMP/ro"
exits 2 "--svg with --json" "$ML" --svg x.svg --json
like "$ERR" "^memlayout: --svg goes alone" "--svg with --json: said"
exits 2 "--svg without FILE" "$ML" --svg

# ---- netlab client --svg, bench --compare --svg ----
spawn "$NL" serve -m thread -q >"$T_TMP/srv" 2>&1
wait_for 30 has_line "$T_TMP/srv" 'listening on'
PORT=$(port_of "$T_TMP/srv")
exits 0 "client --svg FILE" "$NL" client -n 4 -d 0.01-0.05 -s 3 \
	--svg "$T_TMP/c.svg" 127.0.0.1 "$PORT"
valid "$T_TMP/c.svg" "client --svg"
rendered "$T_TMP/c.svg" "client --svg"
is "$(grep -c '>thread [0-9]*<' "$T_TMP/c.svg")" 4 \
	"client --svg: one lane per thread"
is "$(grep -c '>ACK<' "$T_TMP/c.svg")" 5 \
	"client --svg: 4 ACKs (and the legend's)"
exits 2 "client --svg -" "$NL" client --svg - 127.0.0.1 "$PORT"
exits 1 "client: unwritable FILE" "$NL" client -n 1 -d 0 \
	--svg "$T_TMP/no/c.svg" 127.0.0.1 "$PORT"
like "$ERR" "cannot write '$T_TMP/no/c.svg'" "client: unwritable FILE said"

exits 0 "bench --compare --svg FILE" "$NL" bench --compare -n 100 \
	--idle 10 --svg "$T_TMP/b.svg"
valid "$T_TMP/b.svg" "bench --compare --svg"
rendered "$T_TMP/b.svg" "bench --compare --svg"
for w in 'conn/s' 'microseconds' 'KB'; do
	like "$(cat "$T_TMP/b.svg")" "$w" "bench --svg: '$w' in an axis title"
done
exits 2 "bench --svg without --compare" "$NL" bench --svg x.svg 127.0.0.1 1

# ---- make pictures into another folder ----
if command -v make >/dev/null; then
	exits 0 "make pictures PICTURES_DIR=DIR" env -u MAKEFLAGS \
		make -s -C "$ROOT" pictures PICTURES_DIR="$T_TMP/pics" \
		SAN="${SAN:-}"
	for f in memlayout client bench-compare; do
		valid "$T_TMP/pics/$f.svg" "make pictures: $f.svg"
	done
else
	skip "make pictures" "make not installed"
fi

done_testing
