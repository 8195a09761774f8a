#!/usr/bin/env bash
# kernel-sweep.sh CACHE OUT HEADER...: builds, for each header (as
# #include names it: linux/fs.h, asm/mce.h), the unit Kbuild would compile
# for a module that includes <linux/module.h> and then it, with the flags
# of the 6.12 reference unit (CACHE/kernel/.x.o.cmd, -g included) in the
# Debian 6.12 object tree: OUT/<name>.i (gcc -E) and OUT/<name>.o (the
# DWARF cparse's tests compare with), <name> the header with / as __.
# A header gcc cannot compile alone gets OUT/<name>.err instead. Two
# headers at a time. With HEADER "-", the headers are read from stdin.
set -euo pipefail
cache=${1:?usage: kernel-sweep.sh CACHE OUT HEADER...}
out=${2:?usage: kernel-sweep.sh CACHE OUT HEADER...}
shift 2
name=kernel-sweep skips="the kernel header sweep tests"
. "$(dirname "$0")/lib.sh"
[ -f "$cache/kernel/.x.o.cmd" ] && [ -f "$cache/kernel/version" ] || fail "no 6.12 unit: run scripts/kernel-fixtures.sh first"
objtree=/usr/src/linux-headers-$(cat "$cache/kernel/version")
[ -d "$objtree" ] || fail "$objtree missing: run scripts/kernel-fixtures.sh first"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cmd=$(sed -n 's/^savedcmd_[^ ]* := *//p' "$cache/kernel/.x.o.cmd" | head -n 1 | cut -d';' -f1)
cmd=$(echo "$cmd" | sed -E 's/-Wp,-MMD,[^ ]+//; s/ -c -o [^ ]+ [^ ]+ *$//')
export cmd out objtree
build() {
	local h=$1 n
	n=${h//\//__}
	[ -f "$out/$n.o" ] || [ -f "$out/$n.err" ] && return 0
	printf '#include <linux/module.h>\n#include <%s>\n' "$h" >"$out/$n.c"
	if (cd "$objtree" && eval "$cmd -c -o '$out/$n.o.tmp' '$out/$n.c'") 2>"$out/$n.log" &&
		(cd "$objtree" && eval "$cmd -E -o '$out/$n.i.tmp' '$out/$n.c'") 2>>"$out/$n.log"; then
		mv "$out/$n.i.tmp" "$out/$n.i"
		mv "$out/$n.o.tmp" "$out/$n.o"
		rm -f "$out/$n.log"
	else
		rm -f "$out/$n.o.tmp" "$out/$n.i.tmp"
		grep -m 1 -E 'error' "$out/$n.log" >"$out/$n.err" || echo "gcc failed" >"$out/$n.err"
		rm -f "$out/$n.log"
	fi
}
export -f build
if [ "${1:-}" = - ]; then
	cat
else
	printf '%s\n' "$@"
fi | grep -v -e '^#' -e '^$' | xargs -P 2 -I{} bash -c 'build "$@"' _ {}
