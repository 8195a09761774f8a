#!/usr/bin/env bash
# apt-newer.sh CACHE PACKAGE[=VERSION]...: downloads packages of newer
# Debian suites (sid, trixie, trixie-backports) into CACHE/apt-newer/debs
# through a private apt configuration: its own sources list, lists, cache
# and state under CACHE/apt-newer, built from this machine's own Debian
# entry (its URI and keyring). The system's apt sources are never changed.
# Prints the path of each .deb it has; with --names REGEX, the names of the
# packages that match; with --uri, the Debian URI it uses.
set -euo pipefail
cache=$1
shift
name=apt-newer skips="the Linux 7.x tests"
. "$(dirname "$0")/lib.sh"
mkdir -p "$cache"
root=$(cd "$cache" && pwd)/apt-newer
mkdir -p "$root/lists/partial" "$root/cache/archives/partial" "$root/debs" "$root/etc/preferences.d" "$root/etc/sources.list.d"
# This machine's Debian entry: its URI and keyring.
src=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
uri=$(printf '%s\n' "$src" | awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}')
[ -n "$uri" ] || uri=$(printf '%s\n' "$src" | awk '/^deb / && $2 ~ /\/debian\/?$/ {print $2; exit}')
[ -n "$uri" ] || fail "no Debian entry in /etc/apt"
if [ "${1:-}" = --uri ]; then
	echo "$uri"
	exit 0
fi
key=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$root/etc/sources.list" <<LIST
deb [signed-by=$key] $uri sid main
deb [signed-by=$key] $uri trixie main
deb [signed-by=$key] $uri trixie-backports main
LIST
: >"$root/status"
opts=(-o "Dir::Etc::SourceList=$root/etc/sources.list" -o "Dir::Etc::SourceParts=$root/etc/sources.list.d"
	-o "Dir::Etc::PreferencesParts=$root/etc/preferences.d" -o "Dir::State::Lists=$root/lists"
	-o "Dir::Cache=$root/cache" -o "Dir::State::Status=$root/status" -o "APT::Get::List-Cleanup=0")
# The stamp is the sources list the lists were fetched for: a changed list
# fetches them again.
if ! cmp -s "$root/etc/sources.list" "$root/updated"; then
	apt-get "${opts[@]}" update -qq >&2 || fail "apt-get update of sid, trixie and trixie-backports failed"
	cp "$root/etc/sources.list" "$root/updated"
fi
if [ "${1:-}" = --names ]; then
	# --names REGEX: the names of the packages the suites offer that match.
	apt-cache "${opts[@]}" search --names-only "$2" | awk '{print $1}' | sort -V
	exit 0
fi
for pkg in "$@"; do
	# A .deb is named NAME_VERSION_ARCH.deb, an epoch's ':' spelled %3a.
	glob=${pkg%%=*}_
	[ "$pkg" = "${pkg#*=}" ] || glob=${glob}${pkg#*=}_
	glob=${glob//:/%3a}
	if ! ls "$root/debs/$glob"*.deb >/dev/null 2>&1; then
		(cd "$root/debs" && apt-get "${opts[@]}" download -qq "$pkg" 2>&1 | grep -v 'Download is performed unsandboxed' >&2 || true)
	fi
	deb=$(ls "$root/debs/$glob"*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] || fail "apt-get download $pkg failed"
	echo "$deb"
done
