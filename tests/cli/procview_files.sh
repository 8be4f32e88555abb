#!/bin/sh
# procview_files.sh: the FILES section of procview.1 says which keys make
# procview read /proc/PID/status, cmdline and wchan; that is true.
#
# Two independent sources: the key table in procview/keys.c (each key's
# NEED_* bit) must name the same keys as the man page, and strace shows
# the files really opened (or not) for a few keys of each kind.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
TOP=$(cd "${0%/*}/../.." && pwd)
KEYS=$TOP/procview/keys.c
MAN=$TOP/docs/man/procview.1

# table_keys NEED_X: the keys whose table row carries that bit
table_keys() {
	sed -n 's/^ *{"\([^"]*\)", "[^"]*", [^,]*, [^,]*, \([^,]*\),.*/\1 \2/p' \
		"$KEYS" | awk -v b="$1" '$0 ~ b { print $1 }' | sort | tr '\n' ' '
}

# man_keys FILE: the key names in the FILES entry of /proc/PID/FILE
man_keys() {
	all=$(sed -n 's/^ *{"\([^"]*\)", .*/\1/p' "$KEYS" | sort -u)
	sed -n "/^\\.I \\/proc\\/PID\\/$1\$/,/^\\.TP/p" "$MAN" |
		grep -v '^\.' | tr -s ' ,;()' '\n\n\n\n\n' |
		while read -r w; do
			printf '%s\n' "$all" | grep -Fqx -- "$w" && echo "$w"
		done | sort -u | tr '\n' ' '
}

for f in status:NEED_STATUS cmdline:NEED_CMDLINE wchan:NEED_WCHAN; do
	file=${f%%:*}
	bit=${f#*:}
	want=$(table_keys "$bit")
	ok "keys.c has $bit keys" test -n "$want"
	is "$(man_keys "$file")" "$want" "FILES /proc/PID/$file names the $bit keys"
done

# strace: which of the three files a listing of one process opens
if ! command -v strace >/dev/null 2>&1; then
	skip "strace checks" "strace not installed"
	done_testing
	exit
fi
if ! strace -o /dev/null true 2>/dev/null; then
	skip "strace checks" "ptrace not allowed here"
	done_testing
	exit
fi
spawn sleep 300
sl=$SPAWNED
status_keys=$(man_keys status)
cmdline_keys=$(man_keys cmdline)
wchan_keys=$(man_keys wchan)
for k in pid rss rsz pmem stat s user uid ruser suid vsz args comm wchan; do
	traced -f -e trace=open,openat -o "$T_TMP/tr" "$PV" -o "pid,$k" \
		-p "$sl" >/dev/null 2>&1
	for file in status cmdline wchan; do
		eval "listed=\$${file}_keys"
		case " $listed " in
		*" $k "*) want=yes ;;
		*) want=no ;;
		esac
		if grep -q "\"\\(/proc/[0-9]*/\\)\\{0,1\\}$file\"" "$T_TMP/tr"; then
			got=yes
		else
			got=no
		fi
		is "$got" "$want" "-o pid,$k opens $file: $want"
	done
done
done_testing
