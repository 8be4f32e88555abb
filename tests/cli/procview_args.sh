#!/bin/sh
# procview_args.sh: numbers and lists from the user are refused with the
# right reason, as ps refuses them.
#
# A sign is not part of an id or a count: strtol reads "-5" as minus five
# and "+5" as five, and the BSD retry (ps -aux) used to take the dash off
# "-5" and select pid 5. ps says "process ID out of range" (exit 1) for
# "ps -p -5"; procview makes it a usage error (exit 2) that names the
# list and the rule. Names that do not exist are named as what they are
# (terminal, group), checked against getent, not against procview.
. "${0%/*}/../lib.sh"

PV=$BIN/procview
TRY="Try 'procview --help' for more information."

# refused WHAT ERE ARGS...: exit 2, the reason on the first line of
# stderr, the Try line on the second, nothing on stdout
refused() {
	r_what=$1
	r_ere=$2
	shift 2
	exits 2 "$r_what" "$PV" "$@"
	like "$(printf '%s\n' "$ERR" | head -n 1)" "$r_ere" "$r_what: reason"
	is "$(printf '%s\n' "$ERR" | sed -n 2p)" "$TRY" "$r_what: Try line"
	is "$OUT" "" "$r_what: no rows"
}

# ps agrees that a negative pid is out of range (ps exits 1, we 2)
if [ -x /usr/bin/ps ]; then
	/usr/bin/ps -p -5 >/dev/null 2>"$T_TMP/pserr"
	is "$?" 1 "ps -p -5 is refused"
	like "$(cat "$T_TMP/pserr")" "out of range" "ps: 'out of range'"
else
	skip "ps -p -5 is refused" "no /usr/bin/ps"
	skip "ps: 'out of range'" "no /usr/bin/ps"
fi

rule='process ids are numbers from 1, without a sign'
refused "-p -5" "^procview: bad process id list '-5': $rule\$" -p -5
refused "-p +5" "^procview: bad process id list '\\+5': $rule\$" -p +5
refused "-p 1,-5" "list '1,-5': $rule\$" -p 1,-5
refused "--pid=-5" "list '-5': $rule\$" --pid=-5
refused "BSD p -5" "list '-5': $rule\$" p -5
refused "--ppid -1" "^procview: bad parent process id list '-1': $rule\$" \
	--ppid -1
refused "-s -1" "bad session id list '-1': session ids are numbers" -s -1
refused "-u -0" "^procview: bad user list '-0': user ids are numbers without a sign\$" \
	-u -0
refused "-u +0" "bad user list '\\+0': user ids are numbers without" -u +0
refused "-U -0" "bad real user list '-0': user ids are numbers" -U -0
refused "-G -0" "bad real group list '-0': group ids are numbers" -G -0
refused "-g -1" "bad session or group list '-1': ids are numbers without" \
	-g -1
refused "-p ," "bad process id list ',': empty list\$" -p ,

# the values of options: a sign is refused, and the range is the man's
refused "--count -3" "^procview: --count wants a number of frames >= 1\$" \
	--watch 0.1 --count -3
refused "--count +3" "--count wants a number" --watch 0.1 --count +3
refused "--watch -1" "^procview: --watch wants seconds from 0.1 to 86400\$" \
	--watch -1 --count 1
refused "--watch +1" "--watch wants seconds" --watch +1 --count 1
refused "--cols +80" "invalid value '\\+80' for --cols" --cols +80 -p 1
refused "--tree=-1" "--tree wants a process id" --tree=-1

# names that do not exist: the reason names what was looked for
tty=nosuchtty$$
[ ! -e "/dev/$tty" ] &&
	refused "-t $tty" "^procview: bad terminal list '$tty': no such terminal\$" \
		-t "$tty"
group=nosuchgroup$$
if ! getent group "$group" >/dev/null 2>&1; then
	refused "-G $group" \
		"^procview: bad real group list '$group': no such group\$" \
		-G "$group"
	refused "-g $group" "list '$group': no such group, and not a session id\$" \
		-g "$group"
else
	skip "-G $group" "a group of that name exists"
fi
user=nosuchuser$$
if ! getent passwd "$user" >/dev/null 2>&1; then
	refused "-U $user" "^procview: bad real user list '$user': no such user\$" \
		-U "$user"
	refused "-u $user" "^procview: bad user list '$user': no such user\$" \
		-u "$user"
else
	skip "-U $user" "a user of that name exists"
fi

# what is still accepted: plain numbers, ps -aux's retry, .5 seconds
exits 0 "-p 1 still lists pid 1" "$PV" -o pid= -p 1
is "$(echo $OUT)" 1 "-p 1: the row of pid 1"
exits 0 "-u 0 still selects uid 0" "$PV" -o uid= -u 0 -p 1
exits 0 "-aux still reads as aux" "$PV" -aux
exits 0 "--watch .5 --count 1" "$PV" --watch .5 --count 1 -p 1
done_testing
