# tests/grade/lab3.sh: lab 3, code is read-only and shared, fork and
# copy-on-write, ASLR. Exercise 1 changes memlayout/demo_cow.c.
g_lab 3 "code is read-only and shared; fork and copy-on-write; ASLR"
for d in code-write cow aslr; do
	g_base "memlayout demo $d runs" \
		"run 'build/bin/memlayout demo $d' and read the error" \
		timeout 60 "$BIN/memlayout" demo "$d"
done

g3_nowrite() { ! grep -q '^[[:space:]]*\*page = 1;' memlayout/demo_cow.c; }

# Never written, the page has no memory of its own before fork: reading
# it maps the kernel's zero page (kpagecount 0, as root), and smaps
# counts no dirty byte of it (any user).
g3_nowrite_effect() {
	timeout 60 "$BIN/memlayout" demo cow >"$T_TMP/l3" 2>&1 || {
		cat "$T_TMP/l3"
		return 1
	}
	# the "parent before fork:" line and the one after it
	g3_b=$(sed -n '/^parent before fork:/{N;p;}' "$T_TMP/l3" | tr '\n' ' ')
	g3_f=$(printf '%s\n' "$g3_b" |
		sed -n 's/.*frame \(0x[0-9a-f]*\), used by 0 mappings.*/\1/p')
	if [ -n "$g3_f" ]; then
		echo "before fork: frame $g3_f, used by 0 mappings: the zero page"
		echo "every unwritten page reads; the child's write got its own"
		return 0
	fi
	case $g3_b in
	*"Private_Dirty 0 kB, Shared_Dirty 0 kB"*)
		echo "before fork: Private_Dirty 0 kB: no page of its own yet"
		echo "(run it as root to see the zero page's frame)"
		return 0 ;;
	esac
	echo "before fork: $g3_b"
	return 1
}
g_ex 3.1 "no write before fork: the zero page" memlayout/demo_cow.c \
	g3_nowrite "delete the line *page = 1; before the fork in demo_cow" \
	"is there another write to page before fork?" g3_nowrite_effect
