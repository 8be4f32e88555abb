#!/bin/sh
# memlayout_bss.sh: memlayout --pid calls the anonymous tail of a
# program's BSS "bss", checked against an independent source: the .bss
# section from readelf -S, moved by the load base read from
# /proc/PID/maps. The helper (tests/helpers/bigbss.c) has a 1 MiB static
# array, every page written, so the tail is a mapping of its own right
# after the program's last rw file mapping.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
H=${HELPERBIN:-}/bigbss

if ! [ -x "$H" ] || ! [ -x "$ML" ]; then
	skip "memlayout --pid and the BSS" "memlayout or helper bigbss not built"
	done_testing
	exit
fi
if ! command -v readelf >/dev/null 2>&1; then
	skip "memlayout --pid and the BSS" "readelf (binutils) not installed"
	done_testing
	exit
fi

exe=$(readlink -f "$H")
# .bss: address and size (hex), from the section headers
set -- $(readelf -SW "$exe" | sed -n 's/^.*\] \.bss  *NOBITS  *\([0-9a-f]*\) [0-9a-f]* \([0-9a-f]*\) .*/\1 \2/p')
bss_addr=$((0x${1:-0}))
bss_size=$((0x${2:-0}))
ok "readelf: .bss is at least 1 MiB ($bss_size bytes)" \
	test "$bss_size" -ge 1048576
# the lowest PT_LOAD address: the file's offset-0 mapping lies there,
# moved by the load base (0 for a position-dependent program)
load0=$(readelf -lW "$exe" | awk '$1 == "LOAD" { print $3; exit }')
load0=$(($load0 & ~4095))

spawn "$H" >"$T_TMP/ready"
p=$SPAWNED
wait_for 30 has_line "$T_TMP/ready" '^ready$'
cp "/proc/$p/maps" "$T_TMP/maps"

# the load base: the start of the program's mapping at file offset 0
first=$(awk -v f="$exe" '$6 == f && $3 == "00000000" { print $1; exit }' \
	"$T_TMP/maps")
start=$((0x${first%-*}))
base=$((start - load0))
lo=$((base + bss_addr))
hi=$((lo + bss_size))
printf '# .bss at 0x%x size 0x%x, load base 0x%x: 0x%x-0x%x\n' \
	"$bss_addr" "$bss_size" "$base" "$lo" "$hi"

# the anonymous mappings (no path, inode 0) that hold part of the BSS
awk '$5 == 0 && NF == 5 { print $1 }' "$T_TMP/maps" >"$T_TMP/anon"
: >"$T_TMP/tail"
while IFS=- read -r s e; do
	if [ $((0x$s)) -lt "$hi" ] && [ $((0x$e)) -gt "$lo" ]; then
		echo "$s $e" >>"$T_TMP/tail"
	fi
done <"$T_TMP/anon"
n=$(wc -l <"$T_TMP/tail" | tr -d ' ')
is "$n" 1 "one anonymous mapping holds the BSS tail"
read -r ts te <"$T_TMP/tail"
ts=${ts:-0}
te=${te:-0}
# the kernel maps the tail up to the page after the BSS's end, from the
# page after the program's last file mapping
is "$((0x$te))" "$(((hi + 4095) & ~4095))" \
	"the tail ends at .bss's end rounded up to a page"
last_file=$(awk -v f="$exe" '$6 == f { e = $1 } END { sub(/^.*-/, "", e);
	print e }' "$T_TMP/maps")
is "$ts" "$last_file" "the tail starts where the program's file mappings end"

"$ML" --pid "$p" --json >"$T_TMP/json"
is "$?" 0 "memlayout --pid --json exits 0"
seg=$(tr ',' '\n' <"$T_TMP/json" | awk -v s="\"start\":\"0x$(echo "$ts" |
	sed 's/^0*//')\"" '$0 == "{" s { f = 1; next }
	f && /^"segment":/ { gsub(/"/, "", $0); sub(/^segment:/, "");
		print; exit }')
is "$seg" bss "--json: the anonymous BSS tail (0x$ts) is bss"
"$ML" --pid "$p" >"$T_TMP/text"
like "$(cat "$T_TMP/text")" "^0*$(echo "$ts" | sed 's/^0*//') .* bss *\$" \
	"the table calls it bss too"

done_testing
