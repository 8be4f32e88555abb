#!/bin/sh
# memlayout --json is a documented interface: every output is checked
# against the field list of docs/man/memlayout.1 (section JSON OUTPUT),
# parsed here, so that the page cannot drift from the program: every key
# emitted is documented, every required key is there, each value has the
# documented type (and one of the listed values where the page lists
# them). A zombie and a kernel thread say their state (from their own
# /proc/PID/stat) and have an explicit empty map.
. "${0%/*}/../lib.sh"

ML=$BIN/memlayout
man=$(cd "${0%/*}/../.." && pwd)/docs/man/memlayout.1

if ! command -v python3 >/dev/null 2>&1; then
	skip "memlayout --json against its man page" "no python3"
	done_testing
	exit 0
fi

cat >"$T_TMP/check.py" <<'EOF'
import json, re, sys

def fields(man):
    """{object: {key: (types, presence, values)}} from JSON OUTPUT."""
    text = open(man, encoding="utf-8").read()
    sec = text.split(".SH JSON OUTPUT", 1)[1].split("\n.SH ", 1)[0]
    sec = sec.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    out = {}
    lines = sec.split("\n")
    for i, l in enumerate(lines):
        m = re.match(r"^\.B ([a-z_]+)\.([a-z_]+)$", l)
        if not m or i == 0 or lines[i - 1] != ".TP":
            continue
        d = re.match(r"^\(([^,]+), (required|with --rss)\)(.*)", lines[i + 1])
        if not d:
            sys.exit("undocumented type for %s.%s" % m.groups())
        vals = None
        v = re.match(r"^ One of: (.*?)\.$", d.group(3))
        if v:
            vals = set(x.strip() for x in v.group(1).split(","))
        out.setdefault(m.group(1), {})[m.group(2)] = (
            d.group(1), d.group(2), vals)
    return out

def check(obj, name, doc, rss, where, errs):
    if not isinstance(obj, dict):
        errs.append("%s: not an object" % where)
        return
    spec = doc.get(name)
    if spec is None:
        errs.append("%s: object %s is not documented" % (where, name))
        return
    for k in obj:
        if " " in k:
            errs.append("%s: key with a space: %r" % (where, k))
        if k not in spec:
            errs.append("%s: key %s.%s is not documented" % (where, name, k))
    for k, (typ, pres, vals) in spec.items():
        if k not in obj:
            if pres == "required" or rss:
                errs.append("%s: %s.%s (%s) missing" % (where, name, k, pres))
            continue
        if pres == "with --rss" and not rss:
            errs.append("%s: %s.%s without --rss" % (where, name, k))
        value(obj[k], typ, doc, rss, "%s.%s" % (where, k), errs)
        if vals is not None and obj[k] not in vals:
            errs.append("%s.%s: %r not one of the listed values"
                        % (where, k, obj[k]))

def value(v, typ, doc, rss, where, errs):
    if typ.endswith(" or null"):
        if v is None:
            return
        typ = typ[:-len(" or null")]
    if typ.startswith("array of "):
        if not isinstance(v, list):
            errs.append("%s: not an array" % where)
            return
        for i, x in enumerate(v):
            value(x, typ[len("array of "):], doc, rss, "%s[%d]" % (where, i),
                  errs)
        return
    simple = {"string": str, "boolean": bool}
    if typ == "integer":
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif typ == "hex":
        ok = isinstance(v, str) and re.match(r"^0x[0-9a-f]+$", v) is not None
    elif typ in simple:
        ok = isinstance(v, simple[typ])
    else:
        check(v, typ, doc, rss, where, errs)
        return
    if not ok:
        errs.append("%s: %r is not %s" % (where, v, typ))

doc = fields(sys.argv[1])
if sys.argv[2] == "--objects":
    print(" ".join(sorted(doc)))
    sys.exit(0)
top, rss, path = sys.argv[2], sys.argv[3] == "1", sys.argv[4]
errs = []
try:
    data = json.load(open(path, encoding="utf-8"))
except ValueError as e:
    sys.exit("not JSON: %s" % e)
check(data, top, doc, rss, top, errs)
for e in errs[:20]:
    print(e)
sys.exit(1 if errs else 0)
EOF

# valid LABEL TOP RSS FILE: FILE is what the man page documents
valid() {
	python3 "$T_TMP/check.py" "$man" "$2" "$3" "$4" >"$T_TMP/why" 2>&1
	t_result $? "$1: every field documented, present and of its type"
	sed 's/^/#   /' "$T_TMP/why" | head -n 20
}

# The page itself: the parser finds the objects it should.
python3 "$T_TMP/check.py" "$man" --objects >"$T_TMP/objs" 2>&1
is "$(cat "$T_TMP/objs")" "boundaries process region self symbol total" \
	"the man page documents the six JSON objects"

exits 0 "memlayout --json" "$ML" --json
printf '%s\n' "$OUT" >"$T_TMP/self.json"
valid "default table" self 0 "$T_TMP/self.json"

# wait_sleeping PID: the process has reached its nanosleep (state S)
wait_sleeping() {
	grep -q '^State:.S' "/proc/$1/status" 2>/dev/null
}
spawn sleep 30
p=$SPAWNED
wait_for 30 wait_sleeping "$p"
"$ML" --pid "$p" --json >"$T_TMP/pid.json"
valid "--pid" process 0 "$T_TMP/pid.json"
"$ML" --pid "$p" --json --rss >"$T_TMP/rss.json"
valid "--pid --rss" process 1 "$T_TMP/rss.json"

# A zombie: sh starts a child that exits at once, then becomes sleep,
# which never reaps it (for 300 s: python starts slowly on a loaded
# machine; the cleanup ends it)
spawn sh -c 'sleep 0 & exec sleep 300'
zp=$SPAWNED
z=
zombie() {
	z=$(awk -v pp="$zp" '$4 == pp && $3 == "Z" { print $1 }' \
		/proc/[0-9]*/stat 2>/dev/null | head -n 1)
	[ -n "$z" ]
}
if wait_for 30 zombie; then
	exits 0 "--pid of a zombie --json" "$ML" --pid "$z" --json --rss
	printf '%s\n' "$OUT" >"$T_TMP/z.json"
	valid "--pid of a zombie" process 1 "$T_TMP/z.json"
	is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["state"], len(d["regions"]), d["totals"][0]["segment"],
      d["totals"][0]["count"], len(d["totals"]))' "$T_TMP/z.json")" \
		"$(cut -d' ' -f3 "/proc/$z/stat") 0 all 0 1" \
		"zombie: its state (as its stat says), no regions, all = 0"
	exits 0 "--pid of a zombie, text" "$ML" --pid "$z"
	like "$OUT" 'no user-space mappings \(state Z' "zombie text: its state"
else
	skip "--pid of a zombie" "no zombie appeared"
fi

# A kernel thread: in /proc, no map. kthreadd (PID 2) starts them all:
# any of its children is one. (After the name's ")": state, then PPID.)
k=
if kthreads_visible; then
	k=$(awk '{ p = $1; sub(/^.*\) /, "") } $2 == 2 { print p; exit }' \
		/proc/[0-9]*/stat 2>/dev/null)
fi
if [ -n "$k" ]; then
	# a kernel thread may wake between two reads: its state before or
	# after memlayout's read
	s1=$(awk '{ print $3 }' "/proc/$k/stat")
	"$ML" --pid "$k" --json >"$T_TMP/k.json"
	s2=$(awk '{ print $3 }' "/proc/$k/stat")
	valid "--pid of a kernel thread" process 0 "$T_TMP/k.json"
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["state"], len(d["regions"]), d["totals"][0]["segment"],
      d["totals"][0]["count"])' "$T_TMP/k.json")
	case $got in "$s1 0 all 0" | "$s2 0 all 0") k_ok=0 ;; *) k_ok=1 ;; esac
	t_result $k_ok "kernel thread $k: its state ($s1), no regions, all = 0"
	[ $k_ok = 0 ] || echo "#   got: $got"
else
	skip "--pid of a kernel thread" "no kernel thread visible here"
fi

done_testing
