#!/usr/bin/env bash
# bench-gen.sh: times `vtablegen gen -config` on examples/framework (the
# binding file, the header through the embedded preprocessor, the Rust
# source, binding, emitting, writing) as a whole process with hyperfine,
# in the same run as `gcc -E` of its header with the same flags, and
# reports peak memory. Outputs go to a scratch copy of the example.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
mkdir -p .cache
go build -o .cache/vtablegen ./cmd/vtablegen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp examples/framework/plugin.h examples/framework/stream.rs examples/framework/vtable.toml "$work"
.cache/vtablegen gen -q -C "$work"
hyperfine -N -w 3 -r "${RUNS:-30}" \
	-n 'vtablegen gen -config (framework)' ".cache/vtablegen gen -q -C $work -config vtable.toml" \
	-n 'gcc -E plugin.h' "gcc -E -DSTREAM_HAVE_POLL -o /dev/null $work/plugin.h"
rss=$(/usr/bin/time -f %M .cache/vtablegen gen -q -C "$work" 2>&1 >/dev/null | tail -n 1)
echo "peak RSS $((rss / 1024)) MB"
