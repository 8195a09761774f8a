#!/usr/bin/env bash
# userspace-deps.sh: installs the Debian packages whose headers the C front
# end's userspace tests read and check against gcc's DWARF: libfuse3-dev
# (struct fuse_operations) and libsqlite3-dev (sqlite3_io_methods,
# sqlite3_vfs, sqlite3_module), and bindgen with libclang-dev, whose
# bindings of the framework example the generated Rust VTABLE is checked
# against. Nothing is installed when all are there.
# Outside CI a machine without apt only gets a warning (those tests then
# skip); under CI=true a failure is an error.
set -euo pipefail
pkgs="libfuse3-dev libsqlite3-dev bindgen libclang-dev"
if dpkg -s $pkgs >/dev/null 2>&1; then exit 0; fi
name=userspace-deps skips="the FUSE, SQLite and bindgen tests"
. "$(dirname "$0")/lib.sh"
command -v apt-get >/dev/null || fail "apt-get not found; install $pkgs"
apt-get update -qq || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null || fail "apt-get install $pkgs failed"
