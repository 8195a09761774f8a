#!/usr/bin/env bash
# bench-audit.sh: times `vtablegen audit` over the whole Rust code of
# Linux 7.3 (rust/, drivers/, samples/ of .cache/linux-source-7.3) with its
# headers (the tree's bindings_helper.h preprocessed with Debian's 7.3
# headers, .cache/kernel-7.3/audit.i) as a whole process, beside
# `gcc -fsyntax-only` of that same unit with the kernel's C flags that
# shape parsing, in the same hyperfine run (issue 24's speed report).
set -euo pipefail
cd "$(dirname "$0")/.."
tree=.cache/linux-source-7.3/tree
unit=.cache/kernel-7.3/audit.i
[ -f $unit ] && [ -d $tree/rust ] || { echo "bench-audit: $unit or $tree missing: run make test first" >&2; exit 1; }
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
go build -o .cache/vtablegen ./cmd/vtablegen
echo "$(find $tree/rust $tree/drivers $tree/samples -name '*.rs' | wc -l) Rust files; unit $(wc -c <$unit) bytes"
# Exit status 1 means findings: hyperfine must not take it for a failure.
hyperfine -N -w 1 -r "${RUNS:-10}" -i \
	-n 'vtablegen audit' ".cache/vtablegen audit -preprocessed -header $unit $tree/rust $tree/drivers $tree/samples" \
	-n 'gcc -fsyntax-only' "gcc -fsyntax-only -std=gnu11 -fms-extensions -funsigned-char -fno-strict-aliasing -w $unit"
