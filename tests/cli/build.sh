#!/bin/sh
# build.sh: the built programs carry the hardening flags, and make
# install / uninstall put and remove exactly the programs and man pages.
. "${0%/*}/../lib.sh"

progs="memlayout procview netlab thread_serv thread_cli"
if [ -n "$VALGRIND" ]; then # BIN holds valgrind wrapper scripts
	skip "build checks" "not meaningful under make valgrind"
	done_testing
	exit
fi

check_hardening() { # PROG
	f="$BIN/$1"
	h=$(readelf -h "$f" 2>/dev/null)
	d=$(readelf -d "$f" 2>/dev/null)
	l=$(readelf -lW "$f" 2>/dev/null)
	s=$(readelf --dyn-syms -W "$f" 2>/dev/null)
	like "$h" 'Type: +DYN' "$1 is position independent (PIE)"
	like "$l" 'GNU_RELRO' "$1 has a RELRO segment"
	like "$d" 'BIND_NOW|FLAGS.*NOW' "$1 binds now (full RELRO)"
	unlike "$l" 'GNU_STACK.*RWE' "$1 has a non-executable stack"
	like "$s" '__stack_chk_fail' "$1 uses the stack protector"
	if [ -z "$SAN" ]; then
		like "$s" '__[a-z_]*_chk' "$1 calls fortified libc functions"
	fi
}

if ! command -v readelf >/dev/null 2>&1; then
	skip "hardening checks" "readelf not installed"
else
	for p in $progs; do
		if [ -x "$BIN/$p" ]; then
			check_hardening "$p"
		else
			skip "hardening of $p" "$p is not built yet"
		fi
	done
fi

# make install into a scratch DESTDIR, then uninstall leaves nothing.
dest="$T_TMP/dest"
make -s install SAN="$SAN" DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
is "$?" 0 "make install into DESTDIR succeeds"
for p in $progs; do
	[ -x "$BIN/$p" ] || continue
	ok "install put $p in bin" test -x "$dest/usr/bin/$p"
done
for m in docs/man/*.1; do
	[ -f "$m" ] || continue
	ok "install put ${m##*/} in man1" test -f "$dest/usr/share/man/man1/${m##*/}"
done
for p in thread_serv thread_cli; do
	is "$(cat "$dest/usr/share/man/man1/$p.1" 2>/dev/null)" ".so man1/netlab.1" \
		"man $p opens netlab(1)"
done
if command -v man >/dev/null 2>&1 && [ -f "$dest/usr/share/man/man1/netlab.1" ]; then
	like "$(MANPATH="$dest/usr/share/man" MANWIDTH=80 man thread_serv 2>/dev/null)" \
		'thread_serv' "man thread_serv renders the netlab page"
fi
make -s uninstall SAN="$SAN" DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
is "$?" 0 "make uninstall succeeds"
left=$(find "$dest" -type f | wc -l)
is "$left" 0 "uninstall removes every installed file"

done_testing
