#!/bin/sh
# build.sh: the built programs carry the hardening flags, make install /
# uninstall put and remove exactly the programs and man pages, with the
# same modes under any umask, and the build is quiet unless V=1.
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

# Under umask 000 every mode still comes out as it should: install is
# given each one (-d -m 755, -m 755, -m 644), none is left to the umask.
dest0="$T_TMP/dest000"
(umask 000 && make -s install SAN="$SAN" DESTDIR="$dest0" PREFIX=/usr \
	>/dev/null 2>&1)
is "$?" 0 "make install under umask 000 succeeds"
is "$(find "$dest0" -type d ! -perm 755)" "" \
	"umask 000: every directory made is 755"
is "$(find "$dest0/usr/bin" -type f | wc -l)" "$(echo $progs | wc -w)" \
	"umask 000: every program is installed"
is "$(find "$dest0/usr/bin" ! -type d ! -perm 755)" "" \
	"umask 000: every program is 755"
is "$(find "$dest0/usr/share/man/man1" -type f | wc -l)" \
	"$(($(ls docs/man/*.1 | wc -l) + 2))" \
	"umask 000: every page and both .so stubs are installed"
is "$(find "$dest0/usr/share/man/man1" ! -type d ! -perm 644)" "" \
	"umask 000: every man page, .so stubs too, is 644"

# Quiet by default, full commands with V=1. Built in scratch O= folders,
# so the main build is not touched: one object, the library, one link.
# MAKEFLAGS is emptied: a calling make's -s or -j (whose jobserver this
# make cannot reach, and says so) must not change what is printed.
q="$T_TMP/quiet"
out=$(MAKEFLAGS= make --no-print-directory V=0 O="$q" SAN="$SAN" \
	"$q/tests/test_sig" 2>&1)
is "$?" 0 "a quiet build succeeds"
like "$out" '^  CC lib/sig\.c$' "quiet: a compile is one short CC line"
like "$out" "^  AR $q/libutil\\.a\$" "quiet: the archive is one AR line"
like "$out" "^  LD $q/tests/test_sig\$" "quiet: a link is one LD line"
is "$(printf '%s\n' "$out" | grep -Ev '^  (CC|AR|LD) ')" "" \
	"quiet: no other line (no compiler command)"
v="$T_TMP/verbose"
out=$(MAKEFLAGS= make --no-print-directory V=1 O="$v" SAN="$SAN" \
	"$v/lib/sig.o" 2>&1)
is "$?" 0 "a V=1 build succeeds"
like "$out" "^${CC:-cc} .* -c -o $v/lib/sig\\.o lib/sig\\.c\$" \
	"V=1: the compiler's command line in full"
unlike "$out" '^  CC ' "V=1: no short CC line"

# A program listed with a main file that does not exist is an error.
m="$T_TMP/missing"
out=$(MAKEFLAGS= make --no-print-directory O="$m" SAN="$SAN" \
	memlayout_MAIN=memlayout/no-such-main.c "$m/bin/memlayout" 2>&1)
is "$?" 2 "a missing main file stops make"
ok "and nothing is linked" test ! -e "$m/bin/memlayout"
like "$out" "missing main file.*memlayout/no-such-main\\.c" \
	"and make names the file"

# README says gcc or clang: every program builds with -Werror under both
# (a GCC-only attribute or a format clang checks harder once broke clang).
for cc in gcc clang; do
	if ! command -v "$cc" >/dev/null 2>&1; then
		skip "the programs build with $cc" "$cc is not installed"
		continue
	fi
	o="$T_TMP/with-$cc"
	out=$(MAKEFLAGS= make --no-print-directory -j2 O="$o" CC="$cc" \
		"$o/bin/memlayout" "$o/bin/procview" "$o/bin/netlab" \
		"$o/bin/thread_serv" "$o/bin/thread_cli" 2>&1)
	is "$?" 0 "the programs build with $cc, warnings as errors"
	is "$(printf '%s\n' "$out" | grep -E 'warning:|error:' | head -n 3)" "" \
		"$cc: no warning"
done

done_testing
