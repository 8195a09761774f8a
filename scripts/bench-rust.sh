#!/usr/bin/env bash
# bench-rust.sh: times `vtablegen consts` over the whole rust/ tree of Linux
# 6.12 (unpacked by `make test` into .cache/linux-source) as a whole process
# with hyperfine, beside a bare single-threaded tree-sitter parse of the
# same files (the Go benchmark BenchmarkBareParse), and reports peak memory.
# Target (issue 13): at most 0.25 s wall on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.cache/linux-source/tree
[ -d $tree/rust ] || { echo "bench-rust: $tree missing: run make test first" >&2; exit 1; }
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
go build -o .cache/vtablegen ./cmd/vtablegen
files=$(find $tree/rust -name '*.rs' | sort)
echo "$(echo "$files" | wc -l) files, $(cat $files | wc -c) bytes"
hyperfine -N -w 3 -r "${RUNS:-20}" -n 'vtablegen consts rust/' ".cache/vtablegen consts $(echo $files)"
rss=$(/usr/bin/time -f %M .cache/vtablegen consts $files 2>&1 >/dev/null | tail -n 1)
echo "peak RSS $((rss / 1024)) MB"
go test ./rustparse -run XXX -bench 'BareParse' -benchtime 10x | grep Benchmark
