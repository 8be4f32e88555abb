#!/bin/sh
# netlab_eof.sh: what the server log says. A client that connects and
# closes without a line: every server model logs the same event, "error:
# closed before a line", never an errno left over from an earlier call
# (the thread, fork and pool models once logged "Resource temporarily
# unavailable" from the non-blocking read that came before the poll).
# And every event line names its client.
. "${0%/*}/../lib.sh"

for m in thread fork pool epoll; do
	log=$T_TMP/$m.log
	spawn "$BIN/netlab" serve -m "$m" >"$log" 2>&1
	srv=$SPAWNED
	wait_for 30 has_line "$log" 'listening on'
	port=$(port_of "$log")
	# connect and close at once, sending nothing (bash's /dev/tcp)
	timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && exec 3>&-' \
		"$port"
	wait_for 30 has_line "$log" ': closed$'
	kill -INT "$srv"
	wait_exit "$srv" 30
	like "$(cat "$log")" ': error: closed before a line$' \
		"$m: end of file before a line is logged as such"
	unlike "$(cat "$log")" 'Resource temporarily|error: Success' \
		"$m: no stale errno in the log"
	like "$(cat "$log")" '^summary: 0 served, 1 errors' \
		"$m: counted as one error"
done

# Every event line names the client, BUSY and queued ones too (they were
# logged with '-'): a pool of one worker and a queue of one, three
# clients that hold their connections open without a line.
log=$T_TMP/pool.log
spawn "$BIN/netlab" serve -m pool --threads 1 --queue 1 >"$log" 2>&1
srv=$SPAWNED
wait_for 30 has_line "$log" 'listening on'
port=$(port_of "$log")
for i in 1 2 3; do
	spawn timeout 20 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"; read -r x <&3' \
		"$port"
done
wait_for 30 has_line "$log" 'sent BUSY'
like "$(cat "$log")" '^tid [0-9]+ 127\.0\.0\.1:[0-9]+: queued, 1 waiting$' \
	"pool: a queued line names the client"
like "$(cat "$log")" '^tid [0-9]+ 127\.0\.0\.1:[0-9]+: queue full: sent BUSY$' \
	"pool: a BUSY line names the client"
unlike "$(cat "$log")" ' -: ' "pool: no event without its client"
kill -INT "$srv"
wait_exit "$srv" 30

# The queued line is written after the push; a worker that has served
# and closed the connection by then made it read '-' (or another
# connection's address). 200 quick clients against 2 workers:
log=$T_TMP/pool2.log
spawn "$BIN/netlab" serve -m pool --threads 2 >"$log" 2>&1
srv=$SPAWNED
wait_for 30 has_line "$log" 'listening on'
port=$(port_of "$log")
"$BIN/netlab" bench -c 4 -n 200 127.0.0.1 "$port" >/dev/null 2>&1
kill -INT "$srv"
wait_exit "$srv" 30
is "$(grep -c ': queued, ' "$log")" 200 "pool: 200 clients, 200 queued lines"
is "$(grep ': queued, ' "$log" | grep -vc '^tid [0-9]* 127\.0\.0\.1:[0-9]*: ')" 0 \
	"pool: each queued line names a client"
done_testing
