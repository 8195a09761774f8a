#!/usr/bin/env bash
# sweep-random.sh [FIRST-LAST]: runs the pipeline of the library sweep
# (internal/libsweep) over random ops structs, one header per seed
# (RandomHeader), seeds 1-500 by default; make test runs seeds 1-12. Prints
# the table; exits non-zero when a struct fails. A failure found here
# becomes a case of the tests (a txtar case, or a seed in make test's set).
# VTABLEGEN_LIBSWEEP_WORK=DIR keeps the failed projects there.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-1-500}
start=$(date +%s)
status=0
VTABLEGEN_RANDOPS_SEEDS=$seeds go test ./internal/libsweep -run '^TestRandomOpsStructs$' -count 1 -timeout 0 -v | grep -v '^=== RUN' || status=$?
echo "sweep-random: seeds $seeds, $(($(date +%s) - start)) s in all"
exit $status
