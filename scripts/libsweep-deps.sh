#!/usr/bin/env bash
# libsweep-deps.sh [LIST...]: installs the Debian packages the library
# sweep (internal/libsweep) reads: the -dev package of every library of the
# lists (default scripts/libs.txt; make test's sample is
# scripts/libs-sample.txt), and pkg-config, whose flags it reads them with.
# Nothing is installed when all are there. Outside CI a machine without apt
# only gets a warning (the sweep then skips); under CI=true a failure is an
# error.
set -euo pipefail
cd "$(dirname "$0")/.."
lists=("$@")
[ ${#lists[@]} -gt 0 ] || lists=(scripts/libs.txt)
name=libsweep-deps skips="the library sweep's tests"
. scripts/lib.sh
for l in "${lists[@]}"; do [ -f "$l" ] || fail "no list $l"; done
# PACKAGE is the second field of each library's line (NAME PACKAGE ...).
pkgs="pkg-config $(awk '!/^[[:space:]]*(#|$)/ { print $2 }' "${lists[@]}" | sort -u | tr '\n' ' ')"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
command -v apt-get >/dev/null || fail "apt-get not found; install$missing"
apt-get update -qq || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || fail "apt-get install$missing failed"
