#!/usr/bin/env bash
# bench-cfront.sh: the C front end's speed and memory targets (issue 22),
# each measured side by side with gcc in one run, whole processes, the
# commands interleaved run by run (this machine's speed drifts between
# hyperfine's back-to-back batches):
#   1. structs -preprocessed -json of the reference unit (every struct)
#      against gcc -E of that unit with Kbuild's flags: at most 0.6 times;
#   2. structs -kbuild-cmd -struct file_operations against gcc -E alone:
#      at most 1.1 times;
#   3. structs through the embedded preprocessor (vtablegen's own) on sqlite3.h
#      and on fuse.h against gcc -E of the same: at most 2 times;
#   4. peak resident memory of structs -preprocessed -json on every unit
#      of the sweep: at most 100 MB (the sample make test builds, the
#      reference units, and the full sweep's units when
#      .cache/kernel/sweep-all holds them: scripts/sweep-kernel.sh).
# Needs the fixtures make test builds. RUNS sets the runs per command.
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-cfront
. scripts/bench-lib.sh

python3 - "$objtree" "$cpp" "$vg" "$PWD" "${RUNS:-20}" <<'PY'
import os, shlex, statistics, subprocess, sys, time
objtree, cpp, vg, root, runs = sys.argv[1], shlex.split(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
k = os.path.join(root, ".cache/kernel")
fuse = ["-DFUSE_USE_VERSION=31", "-I/usr/include/fuse3", "/usr/include/fuse3/fuse.h"]
cases = [
    ("whole reference unit, every struct", 0.6, cpp,
     [vg, "structs", "-preprocessed", "-json", f"{k}/x.i"]),
    ("-kbuild-cmd -struct file_operations", 1.1, cpp,
     [vg, "structs", "-kbuild-cmd", f"{k}/.x.o.cmd", "-struct", "file_operations"]),
    ("embedded preprocessor, sqlite3.h", 2.0, ["gcc", "-E", "-o", "/dev/null", "/usr/include/sqlite3.h"],
     [vg, "structs", "/usr/include/sqlite3.h"]),
    ("embedded preprocessor, fuse.h", 2.0, ["gcc", "-E", "-o", "/dev/null"] + fuse,
     [vg, "structs", "-D", "FUSE_USE_VERSION=31", "-I", "/usr/include/fuse3", "/usr/include/fuse3/fuse.h"]),
]
for name, target, gcc, ours in cases:
    subprocess.run(gcc, cwd=objtree, stdout=subprocess.DEVNULL, check=True)  # warm-up
    subprocess.run(ours, cwd=objtree, stdout=subprocess.DEVNULL, check=True)
    a, b = [], []
    for _ in range(runs):
        for c, acc in ((gcc, a), (ours, b)):
            t = time.perf_counter()
            subprocess.run(c, cwd=objtree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            acc.append(time.perf_counter() - t)
    ma, mb = statistics.median(a), statistics.median(b)
    verdict = "met" if mb / ma <= target else "NOT met"
    print(f"{name}: gcc {ma*1e3:.1f} ms, vtablegen {mb*1e3:.1f} ms (medians of {runs}), "
          f"ratio {mb/ma:.2f}, target {target}: {verdict}")
PY

# Peak memory, unit by unit, two at a time (each is its own process).
units=$(ls $k/x.i $k/audit.i $k/units/*.i $k/sweep/*.i .cache/kernel-7.*/x.i .cache/kernel-7.*/audit.i 2>/dev/null || true)
if [ -d $k/sweep-all ]; then
	units="$units $(find $k/sweep-all -name '*.i' | sort)"
fi
printf '%s\n' $units | xargs -P 2 -I{} sh -c '
	rss=$(/usr/bin/time -f %M "$0" structs -preprocessed -json "$1" 2>&1 >/dev/null | tail -n 1)
	echo "$rss $1"' "$vg" {} | sort -n >"$k/bench-memory.txt"
n=$(wc -l <"$k/bench-memory.txt")
over=$(awk '$1 > 100 * 1024' "$k/bench-memory.txt" | wc -l)
awk '$1 > 100 * 1024 { printf "over 100 MB: %d MB %s\n", $1 / 1024, $2 }' "$k/bench-memory.txt"
tail -n 3 "$k/bench-memory.txt" | awk '{ printf "largest: %d MB %s\n", $1 / 1024, $2 }'
echo "peak memory: $n units, $over over 100 MB (all in $k/bench-memory.txt)"
