#!/usr/bin/env bash
# kernel-rust-7.3.sh CACHE: sets up what building an out-of-tree Rust kernel
# module against Debian's Linux 7.3.4+deb13-amd64 (CONFIG_RUST=y) and booting
# it under QEMU need, all under CACHE/kernel-rust (never in git or /usr):
#   chroot/   a Debian trixie chroot (minbase, by trixie's own debootstrap,
#             fetched through apt-newer.sh): the kernel's own toolchain (rustc
#             1.85.1, bindgen 0.71.1, gcc-14 14.2.0-19), Debian's
#             linux-headers-7.3.4+deb13-amd64 and Kbuild at
#             /usr/src/linux-headers-7.3.4+deb13-amd64, completed with what
#             the headers package lacks for Rust modules (rust/*.rmeta,
#             rust/libmacros.so, scripts/target.json), regenerated from
#             linux-source-7.3 with the headers' own .config; busybox-static
#             and qemu-system-x86 for scripts/qemu-boot.sh
#   debs/     every .deb installed there (hard links), so a rebuilt chroot
#             finds the pinned versions after the mirror has dropped them
#   vmlinuz   the matching kernel image (of linux-binary-7.3.4+deb13-amd64)
#   done      the stamp: the pinned versions it was made with
# The host (Debian 12) cannot run trixie's rustc (glibc 2.38+), hence the
# chroot. Every command in it runs in a mount namespace of its own
# (unshare), so its /proc mount ends with it, however it ends. It takes about
# 5 GB and a few minutes once; a re-run with everything in place prints
# nothing and exits at once. Outside CI a failure only warns (the tests that
# need it skip); under CI=true it is an error.
set -euo pipefail
cache=${1:?usage: kernel-rust-7.3.sh CACHE}
name=kernel-rust-7.3 skips="the Rust kernel module boot tests"
. "$(dirname "$0")/lib.sh"

release=7.3.4+deb13-amd64
kv=7.3.4-1~bpo13+1
rv=1.85.1+dfsg1-1+deb13u1
pins="linux-headers-$release=$kv linux-headers-7.3.4+deb13-common=$kv
linux-kbuild-7.3.4+deb13=$kv linux-source-7.3=$kv
rustc=$rv rust-src=$rv libstd-rust-dev=$rv bindgen=0.71.1-6 gcc-14=14.2.0-19"
tools="libelf-dev make bc flex bison libssl-dev openssl xz-utils cpio kmod python3
busybox-static qemu-system-x86"
image=linux-binary-$release=$kv
stamp=$(printf '%s\n' $pins $image)

mkdir -p "$cache/kernel-rust"
dir=$(cd "$cache/kernel-rust" && pwd)
root=$dir/chroot
headers=/usr/src/linux-headers-$release
if [ "$(cat "$dir/done" 2>/dev/null)" = "$stamp" ] && [ -f "$dir/vmlinuz" ] &&
	[ -f "$root$headers/scripts/target.json" ]; then
	exit 0
fi
rm -f "$dir/done"
for t in unshare chroot dpkg-deb; do
	command -v "$t" >/dev/null || fail "$t not found"
done

# in_chroot CMD...: CMD in the chroot, /proc mounted in a private mount
# namespace.
in_chroot() {
	unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# 1. The chroot, by trixie's debootstrap; its base .debs kept in debs/base.
if [ ! -f "$dir/debootstrapped" ]; then
	deb=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" debootstrap=1.0.141 | tail -n 1) || fail "fetching debootstrap failed"
	uri=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" --uri) || fail "no Debian URI"
	rm -rf "$dir/debootstrap"
	dpkg-deb -x "$deb" "$dir/debootstrap" || fail "unpacking $deb failed"
	# --one-file-system: never into a mount a killed run might have left.
	rm -rf --one-file-system "$root"
	mkdir -p "$root" "$dir/debs/base"
	echo "$name: debootstrap trixie into $root" >&2
	DEBOOTSTRAP_DIR=$dir/debootstrap/usr/share/debootstrap unshare --mount --propagation private \
		"$dir/debootstrap/usr/sbin/debootstrap" --variant=minbase --cache-dir="$dir/debs/base" \
		trixie "$root" "$uri" >"$dir/debootstrap.log" 2>&1 ||
		fail "debootstrap failed (see $dir/debootstrap.log)"
	cat >"$root/etc/apt/sources.list" <<LIST
deb $uri trixie main
deb $uri trixie-backports main
LIST
	cat >"$root/etc/apt/apt.conf.d/90kernel-rust" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT::Keep-Downloaded-Packages "true";
CONF
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod +x "$root/usr/sbin/policy-rc.d"
	touch "$dir/debootstrapped"
fi
