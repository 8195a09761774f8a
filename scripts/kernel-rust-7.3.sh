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
#   debs/     every .deb installed there (hard links) and debootstrap's, so
#             a rebuilt chroot finds the pinned versions after the mirror
#             has dropped them
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
llvm=1:19.1.7-3+b1
# What reaches the crates and modules is pinned: the kernel packages and the
# toolchain the .config records (CONFIG_RUSTC_VERSION_TEXT, _BINDGEN_, _CC_,
# AS/LD and PAHOLE versions) with the libclang bindgen loads. The tools are
# not: a trixie point release replaces them, and they leave no trace.
pins="linux-headers-$release=$kv linux-headers-7.3.4+deb13-common=$kv
linux-kbuild-7.3.4+deb13=$kv linux-source-7.3=$kv
rustc=$rv rust-src=$rv libstd-rust-dev=$rv rustfmt=$rv bindgen=0.71.1-6
libclang1-19=$llvm libclang-19-dev=$llvm gcc-14=14.2.0-19 binutils=2.44-3 pahole=1.30-1"
tools="libelf-dev libc6-dev make bc flex bison libssl-dev openssl xz-utils cpio kmod python3
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

# 1. The chroot, by trixie's debootstrap (kept in debs/host); its base .debs
# kept in debs/base.
if [ ! -f "$dir/debootstrapped" ]; then
	deb=$dir/debs/host/debootstrap_1.0.141_all.deb
	if [ ! -f "$deb" ]; then
		got=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" debootstrap=1.0.141 | tail -n 1) || fail "fetching debootstrap failed"
		mkdir -p "$dir/debs/host"
		cp "$got" "$deb"
	fi
	uri=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" --uri) || fail "no Debian URI"
	rm -rf "$dir/debootstrap"
	dpkg-deb -x "$deb" "$dir/debootstrap" || fail "unpacking $deb failed"
	# --one-file-system: never into a mount a killed run might have left.
	rm -rf --one-file-system "$root"
	rm -f "$dir/installed" "$dir/crates"
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

# 2. The packages, the pinned ones at their versions, and the kernel image's
# .deb; every .deb kept by a hard link in debs/ (and taken from there first).
if [ "$(cat "$dir/installed" 2>/dev/null)" != "$stamp" ]; then
	ln -f "$dir/debs/"*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
	echo "$name: installing the kernel packages and toolchain into the chroot" >&2
	in_chroot apt-get update -qq >&2 || fail "apt-get update in the chroot failed"
	# With every pinned .deb kept, the kept .debs are installed as files (the
	# newest of each package, the image aside): the mirror may have dropped
	# those versions. Otherwise the mirror's, by name and version.
	kept=true
	for p in $pins; do
		v=${p#*=}
		ls "$dir/debs/${p%%=*}_${v//:/%3a}_"*.deb >/dev/null 2>&1 || kept=false
	done
	if $kept; then
		mapfile -t want < <(cd "$dir/debs" && ls -- *.deb | grep -v "^${image%%=*}_" |
			sort -t_ -k1,1 -k2,2Vr | awk -F_ '!seen[$1]++ {print "/var/cache/apt/archives/" $0}')
	else
		# shellcheck disable=SC2206
		want=($pins)
	fi
	in_chroot apt-get install -y -qq "${want[@]}" >"$dir/install.log" 2>&1 ||
		fail "apt-get install in the chroot failed (see $dir/install.log)"
	# shellcheck disable=SC2086
	in_chroot apt-get install -y -qq $tools >>"$dir/install.log" 2>&1 ||
		fail "apt-get install in the chroot failed (see $dir/install.log)"
	if [ ! -f "$root/var/cache/apt/archives/${image%%=*}_${kv//:/%3a}_amd64.deb" ]; then
		in_chroot sh -c "cd /var/cache/apt/archives && apt-get download -qq '$image' 2>&1" |
			grep -v 'Download is performed unsandboxed' >&2 || true
		[ -f "$root/var/cache/apt/archives/${image%%=*}_${kv//:/%3a}_amd64.deb" ] ||
			fail "apt-get download $image failed"
	fi
	ln -f "$root/var/cache/apt/archives/"*.deb "$dir/debs/"
	printf '%s\n' "$stamp" >"$dir/installed"
fi

# 3. The Rust crates, macros and target of this kernel, which the headers
# package lacks, regenerated from linux-source-7.3 with the headers' .config
# and proven to be the booted kernel's: each symbol they export is one
# vmlinux exports (Module.symvers), and each Rust symbol vmlinux exports is
# theirs.
if [ "$(cat "$dir/crates" 2>/dev/null)" != "$stamp" ]; then
	src=/usr/src/linux-source-7.3 obj=/usr/src/rust-obj
	rm -rf --one-file-system "$root$src" "$root$obj"
	echo "$name: building the Rust crates of $release (a few minutes)" >&2
	in_chroot tar -C /usr/src -xf "$src.tar.xz" || fail "unpacking $src.tar.xz failed"
	mkdir -p "$root$obj"
	cp "$root$headers/.config" "$root$obj/.config"
	kmake=(make -C "$src" O="$obj" ARCH=x86 CROSS_COMPILE=x86_64-linux-gnu- CC=x86_64-linux-gnu-gcc-14
		KERNELRELEASE="$release" -j"$(nproc)")
	in_chroot "${kmake[@]}" olddefconfig >"$dir/prepare.log" 2>&1 || fail "make olddefconfig failed (see $dir/prepare.log)"
	cmp -s "$root$headers/.config" "$root$obj/.config" ||
		fail "make olddefconfig changed the headers' .config (a toolchain differs from the kernel's): diff $root$headers/.config $root$obj/.config"
	in_chroot "${kmake[@]}" prepare >>"$dir/prepare.log" 2>&1 || fail "make prepare failed (see $dir/prepare.log)"
	ours=$(sed -n 's/^EXPORT_SYMBOL_RUST_GPL(\(.*\));$/\1/p' "$root$obj"/rust/exports_*_generated.h | sort -u)
	[ -n "$ours" ] || fail "make prepare left no rust/exports_*_generated.h"
	theirs=$(awk -F'\t' '$3 == "vmlinux" {print $2}' "$root$headers/Module.symvers" | sort -u)
	extra=$(comm -23 <(echo "$ours") <(echo "$theirs") | wc -l)
	lost=$(comm -13 <(echo "$ours") <(echo "$theirs" | grep -E '^(_R|rust_helper_)') | wc -l)
	[ "$extra" = 0 ] && [ "$lost" = 0 ] ||
		fail "the regenerated crates are not the kernel's: $extra of their $(echo "$ours" | wc -l) exports are not in Module.symvers, $lost Rust exports of Module.symvers are not theirs"
	mkdir -p "$root$headers/rust"
	cp "$root$obj"/rust/*.rmeta "$root$obj"/rust/*.so "$root$headers/rust/"
	cp "$root$obj/scripts/target.json" "$root$headers/scripts/"
	rm -rf --one-file-system "$root$src" "$root$obj"
	printf '%s\n' "$stamp" >"$dir/crates"
fi

# 4. The kernel image.
deb=$dir/debs/${image%%=*}_${kv//:/%3a}_amd64.deb
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/lib/modules/$release/vmlinuz" >"$dir/vmlinuz.tmp" ||
	fail "no vmlinuz in $deb"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
printf '%s\n' "$stamp" >"$dir/done"
echo "$name: $dir holds a trixie chroot with $headers ready for Rust modules, and vmlinuz" >&2
