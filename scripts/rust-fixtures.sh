#!/usr/bin/env bash
# rust-fixtures.sh CACHE: fetches Debian's linux-source-6.12 (the kernel
# tree as a tarball, about 150 MB) and unpacks only its Rust code, rust/,
# samples/rust/ and the .rs files of drivers/, into CACHE/linux-source (never
# into git), for the Rust front end's tests on real #[vtable] code.
# Outside CI a machine without apt only gets a warning (those tests then
# skip); under CI=true every failure is an error.
set -euo pipefail
cache=${1:?usage: rust-fixtures.sh CACHE}
dir=$cache/linux-source
[ -f "$dir/done" ] && exit 0
name=rust-fixtures skips="the kernel Rust tests"
. "$(dirname "$0")/lib.sh"
mkdir -p "$dir"
apt_update_once "$cache"
rm -f "$dir"/*.deb
apt_download "$dir" linux-source-6.12
deb=$(ls "$dir"/linux-source-6.12_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "apt-get download linux-source-6.12 failed"
rm -rf "$dir/tree"
mkdir -p "$dir/tree"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc |
	tar -x -C "$dir/tree" --strip-components=1 --wildcards \
		'linux-source-6.12/rust/*' 'linux-source-6.12/samples/rust/*' 'linux-source-6.12/drivers/*.rs' ||
	fail "unpacking linux-source-6.12 failed"
rm -f "$deb"
basename "${deb%_all.deb}" | sed 's/^linux-source-6.12_//' >"$dir/version"
touch "$dir/done"
echo "rust-fixtures: $dir/tree holds the Rust code of linux-source-6.12 $(cat "$dir/version")" >&2
