#!/usr/bin/env bash
# build-tools.sh: installs the build systems whose vtablegen fragments the
# tests run for real: make (Make and Kbuild), cmake with ninja-build, and
# meson, bazel-bootstrap (Bazel 4, which builds the vtablegen_gen rule
# offline; cc_library needs rules_cc from the network), and dwarves (pahole,
# which Kbuild runs on every module of a kernel built with BTF, as Debian's
# are). Nothing is installed when all are there. Outside CI a machine
# without apt only gets a warning (those tests then skip); under CI=true a
# failure is an error.
set -euo pipefail
pkgs="make cmake ninja-build meson bazel-bootstrap dwarves"
if dpkg -s $pkgs >/dev/null 2>&1; then exit 0; fi
name=build-tools skips="the build-system tests"
. "$(dirname "$0")/lib.sh"
command -v apt-get >/dev/null || fail "apt-get not found; install $pkgs"
apt-get update -qq || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null || fail "apt-get install $pkgs failed"
