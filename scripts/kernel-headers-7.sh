#!/usr/bin/env bash
# kernel-headers-7.sh CACHE: fetches Debian's newest linux-headers-7.2.*
# (sid) and -7.3.* (trixie-backports), -common and -amd64, through
# apt-newer.sh's private apt configuration, unpacks them under
# CACHE/kernel-<v>/root (never into /usr/src or git), and preprocesses:
#   CACHE/kernel-7.3/x.i     the 6.12 fixture's unit (CACHE/kernel/x.c), for drift
#   CACHE/kernel-<v>/audit.i for 6.12, 7.2 and 7.3: the kernel tree's own
#                            rust/bindings/bindings_helper.h (of
#                            CACHE/linux-source*/tree), for audit
# The packages' Kbuild programs are built for a newer Debian and may not
# run here, so the units are preprocessed with this machine's gcc and the
# flags Kbuild passes for the 6.12 unit (CACHE/kernel/.x.o.cmd), the header
# paths moved to the version's trees: the flags that decide the
# declarations (-nostdinc, the -I and -include paths, -D__KERNEL__,
# -std=gnu11) are the same in these versions. bindings_helper.h loses its
# includes that a headers package does not ship: "..." and <../../...>
# ones (drivers' private headers) and <trace/events/...> (which need the
# tracing build).
set -euo pipefail
cache=${1:?usage: kernel-headers-7.sh CACHE}
name=kernel-headers-7 skips="the drift and audit tests on Linux 7.x headers"
. "$(dirname "$0")/lib.sh"
[ -f "$cache/kernel/.x.o.cmd" ] || fail "no 6.12 unit: run scripts/kernel-fixtures.sh first"
cache=$(cd "$cache" && pwd)
# The 6.12 compile command, up to its first ';' (objtool and the rest).
cmd612=$(sed -n 's/^savedcmd_[^ ]* := *//p' "$cache/kernel/.x.o.cmd" | head -n 1 | cut -d';' -f1)
cmd612=$(echo "$cmd612" | sed -E 's/-Wp,-MMD,[^ ]+//; s/ -c -o [^ ]+ [^ ]+ *$//')
common612=$(echo "$cmd612" | grep -o -- '-I/usr/src/linux-headers-[^ ]*-common/include ' | head -n 1 | sed 's/^-I//; s|/include $||')
[ -n "$common612" ] || fail "cannot find the 6.12 common tree in .x.o.cmd"

# helper SRC OUT: the kernel tree's bindings_helper.h without the includes
# a headers package lacks.
helper() {
	[ -f "$1" ] || fail "no $1: run scripts/rust-fixtures*.sh first"
	grep -v -e '#include "' -e '#include <\.\./' -e '#include <trace/' "$1" >"$2"
}

# preprocess OBJTREE CMD SRC OUT
preprocess() {
	(cd "$1" && eval "$2 -E -o '$4.tmp' '$3'") || fail "gcc could not preprocess $3 in $1"
	mv "$4.tmp" "$4"
}

# 6.12: Debian's headers are installed by kernel-fixtures.sh.
if [ ! -f "$cache/kernel/audit.i" ]; then
	helper "$cache/linux-source/tree/rust/bindings/bindings_helper.h" "$cache/kernel/audit.c"
	preprocess "/usr/src/linux-headers-$(cat "$cache/kernel/version")" "$cmd612" "$cache/kernel/audit.c" "$cache/kernel/audit.i"
fi

for v in 7.2 7.3; do
	dir=$cache/kernel-$v
	[ -f "$dir/done" ] && continue
	ver=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" --names "^linux-headers-${v//./\\.}\\.[0-9]+\\+deb1[0-9]-common\$" |
		tail -n 1 | sed 's/^linux-headers-//; s/-common$//') || fail "searching linux-headers-$v failed"
	[ -n "$ver" ] || fail "no linux-headers-$v.*-common in sid or trixie-backports"
	rm -rf "$dir"
	mkdir -p "$dir/root"
	for pkg in "linux-headers-$ver-common" "linux-headers-$ver-amd64"; do
		deb=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" "$pkg" | tail -n 1) || fail "fetching $pkg failed"
		dpkg-deb -x "$deb" "$dir/root" || fail "unpacking $pkg failed"
		rm -f "$deb"
	done
	common=$dir/root/usr/src/linux-headers-$ver-common
	objtree=$dir/root/usr/src/linux-headers-$ver-amd64
	[ -d "$common/include/linux" ] && [ -f "$objtree/include/generated/autoconf.h" ] || fail "the $v headers are not where expected"
	cmd=${cmd612//$common612/$common}
	cp "$cache/kernel/x.c" "$dir/x.c"
	preprocess "$objtree" "$cmd" "$dir/x.c" "$dir/x.i"
	helper "$cache/linux-source-$v/tree/rust/bindings/bindings_helper.h" "$dir/audit.c"
	preprocess "$objtree" "$cmd" "$dir/audit.c" "$dir/audit.i"
	echo "$ver" >"$dir/version"
	touch "$dir/done"
	echo "kernel-headers-7: $dir holds linux-headers-$ver and the units x.i and audit.i" >&2
done
