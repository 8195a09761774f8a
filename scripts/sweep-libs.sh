#!/usr/bin/env bash
# sweep-libs.sh [LIST]: the library sweep (not part of make test; make test
# runs scripts/libs-sample.txt). Installs the -dev packages of LIST (default
# scripts/libs.txt) when missing (scripts/libsweep-deps.sh), then puts every
# struct with function-pointer members of each library's headers through
# vtablegen trait, the harness's impls, vtablegen gen, rustc, gcc -Werror,
# the link and the check of each initializer's relocations
# (internal/libsweep's TestLibrarySweep). It prints one row per library
# (headers, structs, green, failures by class), each class with an example,
# the notes, and the times; every failure with its project is listed in
# .cache/libsweep/failures.txt (VTABLEGEN_LIBSWEEP_WORK to put it
# elsewhere), and the failed projects are kept there. It exits 1 when a
# failure fits no class of internal/libsweep/classify.go.
set -euo pipefail
cd "$(dirname "$0")/.."
list=$(realpath "${1:-scripts/libs.txt}")
bash scripts/libsweep-deps.sh "$list"
work=$(realpath -m "${VTABLEGEN_LIBSWEEP_WORK:-.cache/libsweep}")
rm -rf "$work"
mkdir -p "$work"
start=$(date +%s)
go test -c -o "$work/libsweep.test" ./internal/libsweep
status=0
(cd internal/libsweep && VTABLEGEN_LIBSWEEP_LIST=$list VTABLEGEN_LIBSWEEP_WORK=$work \
	"$work/libsweep.test" -test.run '^TestLibrarySweep$' -test.count 1 -test.timeout 0) || status=$?
echo "sweep-libs: $(($(date +%s) - start)) s in all (building the test and vtablegen included)"
exit $status
