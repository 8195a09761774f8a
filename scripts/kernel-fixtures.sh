#!/usr/bin/env bash
# kernel-fixtures.sh CACHE: fetches the newest Linux 6.12 headers and Kbuild
# that Debian's apt offers, without a kernel image, and builds the reference
# translation unit of the C front end's kernel tests into CACHE/kernel:
#   x.c       the module source: <linux/module.h>, <linux/fs.h>,
#             <linux/miscdevice.h>, <linux/phy.h>, <linux/blk-mq.h>,
#             <linux/cpufreq.h>
#   x.i       what Kbuild's preprocessor makes of it
#   x.o       the same unit compiled with -g -fno-eliminate-unused-debug-types:
#             the DWARF oracle the tests compare with
#   .x.o.cmd  Kbuild's record of the command
#   version   the kernel release, e.g. 6.12.117+deb12-amd64
# Nothing here goes into git (.cache is ignored). The headers' Makefiles name
# /usr/src/linux-headers-<ver>-common and /usr/lib/linux-kbuild-<ver> by
# absolute path, so the unpacked trees are copied there when missing (this
# needs root, which every machine of ours, CI included, gives).
#
# Outside CI a machine without apt only gets a warning (the kernel tests then
# skip); under CI=true every failure is an error.
set -euo pipefail

cache=${1:?usage: kernel-fixtures.sh CACHE}
dir=$cache/kernel
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

name=kernel-fixtures skips="the kernel tests"
. "$(dirname "$0")/lib.sh"

xc='#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/phy.h>
#include <linux/blk-mq.h>
#include <linux/cpufreq.h>'
# Built already, from this x.c (a changed list of headers rebuilds it).
if [ -f "$dir/x.o" ] && [ -f "$dir/x.i" ] && [ -f "$dir/version" ] &&
	[ "$(cat "$dir/x.c" 2>/dev/null)" = "$xc" ] &&
	[ -d "/usr/src/linux-headers-$(cat "$dir/version")" ]; then
	exit 0
fi
apt_update_once "$cache"
ver=$(apt-cache search --names-only '^linux-kbuild-6\.12\.[0-9]+\+deb12$' |
	awk '{print $1}' | sed 's/^linux-kbuild-//' | sort -V | tail -n 1)
[ -n "$ver" ] || fail "apt offers no linux-kbuild-6.12.*+deb12"
release=$ver-amd64

mkdir -p "$dir/debs" "$dir/root"
apt_download "$dir/debs" "linux-headers-$release" "linux-headers-$ver-common" "linux-kbuild-$ver"
for pkg in "linux-headers-$release" "linux-headers-$ver-common" "linux-kbuild-$ver"; do
	deb=$(ls "$dir/debs/${pkg}"_*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "apt-get download $pkg failed"
	dpkg-deb -x "$deb" "$dir/root"
done
for p in "usr/src/linux-headers-$release" "usr/src/linux-headers-$ver-common" "usr/lib/linux-kbuild-$ver" "usr/src/linux-kbuild-$ver"; do
	if [ ! -e "/$p" ] && [ ! -L "/$p" ]; then
		mkdir -p "$(dirname "/$p")"
		cp -a "$dir/root/$p" "/$p" || fail "cannot copy $p into place (not root?)"
	fi
done

mod=$dir/mod
rm -rf "$mod"
mkdir -p "$mod"
printf '%s\n' "$xc" >"$mod/x.c"
echo 'obj-m := x.o' >"$mod/Kbuild"
kbuild=/usr/src/linux-headers-$release
make -s -C "$kbuild" M="$mod" x.i >&2 || fail "Kbuild could not preprocess x.c"
make -s -C "$kbuild" M="$mod" x.o KCFLAGS="-g -fno-eliminate-unused-debug-types" >&2 ||
	fail "Kbuild could not compile x.c"
cp "$mod/x.c" "$mod/x.i" "$mod/x.o" "$mod/.x.o.cmd" "$dir/"
echo "$release" >"$dir/version.tmp"
mv "$dir/version.tmp" "$dir/version"
echo "kernel-fixtures: $dir holds the $release unit" >&2
