#!/usr/bin/env bash
# kernel-headers-7.sh CACHE: fetches Debian's newest linux-headers-7.3.*
# (trixie-backports; -common and -amd64) through apt-newer.sh's private apt
# configuration, unpacks them under CACHE/kernel-7.3/root (never into
# /usr/src or git), and preprocesses the same unit as the 6.12 fixture
# (CACHE/kernel/x.c) into CACHE/kernel-7.3/x.i. The package's Kbuild
# programs are built for a newer Debian and may not run here, so the unit
# is preprocessed with this machine's gcc and the flags Kbuild passes for
# the 6.12 unit (CACHE/kernel/.x.o.cmd), the header paths moved to 7.3's
# trees: the flags that decide the declarations (-nostdinc, the -I and
# -include paths, -D__KERNEL__, -std=gnu11) are the same in both versions.
set -euo pipefail
cache=${1:?usage: kernel-headers-7.sh CACHE}
name=kernel-headers-7 skips="the drift tests on Linux 7.3 headers"
. "$(dirname "$0")/lib.sh"
dir=$cache/kernel-7.3
[ -f "$dir/x.i" ] && [ -f "$dir/version" ] && exit 0
[ -f "$cache/kernel/.x.o.cmd" ] || fail "no 6.12 unit: run scripts/kernel-fixtures.sh first"
ver=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" --names '^linux-headers-7\.3\.[0-9]+\+deb13-common$' |
	tail -n 1 | sed 's/^linux-headers-//; s/-common$//') || fail "searching linux-headers-7.3 failed"
[ -n "$ver" ] || fail "no linux-headers-7.3.*+deb13-common in trixie-backports"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/root"
mkdir -p "$dir/root"
for pkg in "linux-headers-$ver-common" "linux-headers-$ver-amd64"; do
	deb=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" "$pkg" | tail -n 1) || fail "fetching $pkg failed"
	dpkg-deb -x "$deb" "$dir/root" || fail "unpacking $pkg failed"
	rm -f "$deb"
done
common=$dir/root/usr/src/linux-headers-$ver-common
objtree=$dir/root/usr/src/linux-headers-$ver-amd64
[ -d "$common/include/linux" ] && [ -f "$objtree/include/generated/autoconf.h" ] || fail "the 7.3 headers are not where expected"
# The 6.12 command, its common tree replaced by 7.3's; relative paths
# (./include/generated, ...) are 7.3's object tree, where it runs.
old=$(sed -n 's/^savedcmd_[^ ]* := *//p' "$cache/kernel/.x.o.cmd" | head -n 1 | cut -d';' -f1)
old612=$(echo "$old" | grep -o -- '-I/usr/src/linux-headers-[^ ]*-common/include ' | head -n 1 | sed 's/^-I//; s|/include $||')
[ -n "$old612" ] || fail "cannot find the 6.12 common tree in .x.o.cmd"
cmd=${old//$old612/$common}
cmd=$(echo "$cmd" | sed -E 's/-Wp,-MMD,[^ ]+//; s/ -c -o [^ ]+ [^ ]+ *$//')
cp "$cache/kernel/x.c" "$dir/x.c"
(cd "$objtree" && eval "$cmd -E -o $dir/x.i.tmp $dir/x.c") || fail "gcc could not preprocess the unit with the 7.3 headers"
mv "$dir/x.i.tmp" "$dir/x.i"
echo "$ver" >"$dir/version"
echo "kernel-headers-7: $dir/x.i is the 6.12 fixture's unit preprocessed with linux-headers-$ver" >&2
