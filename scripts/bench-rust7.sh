#!/usr/bin/env bash
# bench-rust7.sh: times `vtablegen consts` over the whole Rust code of
# Linux 7.3 (every .rs file under rust/, drivers/, samples/ that make test
# unpacks into .cache/linux-source-7.3) as a whole process, on one core and
# on two (taskset), beside the bare single-threaded tree-sitter parse of the
# same files (BenchmarkBareParse, as a whole process) in the same run.
# Target (issue 20): at most 1.2 times the bare parse on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.cache/linux-source-7.3/tree
[ -d $tree/rust ] || { echo "bench-rust7: $tree missing: run make test first" >&2; exit 1; }
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
go build -o .cache/vtablegen ./cmd/vtablegen
files=$(find $tree -name '*.rs' | sort)
echo "$(echo "$files" | wc -l) files, $(cat $files | wc -c) bytes"
go test -c -o .cache/rustparse.test ./rustparse
# The bare parse as a whole process too: the benchmark binary reading the
# same files and parsing each once (-benchtime 1x), in the same hyperfine
# run, so that a noisy machine slows both alike.
hyperfine -N -w 2 -r "${RUNS:-10}" \
	-n 'consts, 1 core' "taskset -c 0 .cache/vtablegen consts $(echo $files)" \
	-n 'bare parse, 1 core' "taskset -c 0 env VTABLEGEN_BENCH_TREE=$PWD/$tree .cache/rustparse.test -test.run XXX -test.bench BareParse -test.benchtime 1x" \
	-n 'consts, 2 cores' ".cache/vtablegen consts $(echo $files)"
# What the front end adds in-process (parse, error scan, extraction) over
# the bare parse, without process start-up and file reading.
VTABLEGEN_BENCH_TREE=$PWD/$tree taskset -c 0 .cache/rustparse.test -test.run XXX -test.bench 'BareParse|ParseTree' -test.benchtime 5x | grep Benchmark
