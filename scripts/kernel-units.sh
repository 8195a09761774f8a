#!/usr/bin/env bash
# kernel-units.sh CACHE: builds, with the Linux 6.12 headers that
# kernel-fixtures.sh installed, the wider Kbuild units the C front end's
# scale tests read, each preprocessed by Kbuild into CACHE/kernel/units:
#   mac80211.i  <linux/module.h>, <net/mac80211.h>
#   cfg80211.i  <linux/module.h>, <linux/netdevice.h>, <net/cfg80211.h>
# (units that once failed whole: a kept function body with asm inline).
set -euo pipefail

cache=${1:?usage: kernel-units.sh CACHE}
name=kernel-units skips="the wide-unit tests"
. "$(dirname "$0")/lib.sh"

dir=$cache/kernel
[ -f "$dir/version" ] || fail "$dir/version missing: run scripts/kernel-fixtures.sh first"
kbuild=/usr/src/linux-headers-$(cat "$dir/version")
[ -d "$kbuild" ] || fail "$kbuild missing: run scripts/kernel-fixtures.sh first"
mkdir -p "$dir/units"
unit() {
	local name=$1 src=$2
	if [ -f "$dir/units/$name.i" ] && [ "$(cat "$dir/units/$name.c" 2>/dev/null)" = "$src" ]; then
		return 0
	fi
	local mod
	mod=$(cd "$dir" && pwd)/units/mod-$name
	rm -rf "$mod"
	mkdir -p "$mod"
	printf '%s\n' "$src" >"$mod/$name.c"
	echo "obj-m := $name.o" >"$mod/Kbuild"
	make -s -C "$kbuild" M="$mod" "$name.i" >&2 || fail "Kbuild could not preprocess $name.c"
	cp "$mod/$name.i" "$dir/units/$name.i.tmp"
	mv "$dir/units/$name.i.tmp" "$dir/units/$name.i"
	printf '%s\n' "$src" >"$dir/units/$name.c"
	rm -rf "$mod"
}
unit mac80211 '#include <linux/module.h>
#include <net/mac80211.h>'
unit cfg80211 '#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/cfg80211.h>'
echo "kernel-units: $dir/units holds mac80211.i and cfg80211.i" >&2
