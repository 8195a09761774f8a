#!/usr/bin/env bash
# rust-fixtures-7.sh CACHE: fetches linux-source-7.2 (Debian sid) and
# linux-source-7.3 (trixie-backports) through apt-newer.sh's private apt
# configuration and unpacks only their Rust code (rust/, samples/rust/, the
# .rs files of drivers/) into CACHE/linux-source-<version>/tree, never into
# git. Outside CI a machine without apt only gets a warning (those tests
# then skip); under CI=true every failure is an error.
set -euo pipefail
cache=${1:?usage: rust-fixtures-7.sh CACHE}
name=rust-fixtures-7 skips="the Linux 7.x Rust tests"
. "$(dirname "$0")/lib.sh"
for v in 7.2 7.3; do
	dir=$cache/linux-source-$v
	[ -f "$dir/done" ] && continue
	deb=$(bash "$(dirname "$0")/apt-newer.sh" "$cache" "linux-source-$v" | tail -n 1) || fail "fetching linux-source-$v failed"
	[ -f "$deb" ] || fail "fetching linux-source-$v failed"
	rm -rf "$dir/tree"
	mkdir -p "$dir/tree"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$v.tar.xz" | xz -dc |
		tar -x -C "$dir/tree" --strip-components=1 --wildcards \
			"linux-source-$v/rust/*" "linux-source-$v/samples/rust/*" "linux-source-$v/drivers/*.rs" ||
		fail "unpacking linux-source-$v failed"
	basename "${deb%_all.deb}" | sed "s/^linux-source-${v}_//" >"$dir/version"
	rm -f "$deb"
	touch "$dir/done"
	echo "rust-fixtures-7: $dir/tree holds the Rust code of linux-source-$v $(cat "$dir/version")" >&2
done
