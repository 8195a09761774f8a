#!/usr/bin/env bash
# bench-kernel.sh: times whole processes side by side on the reference
# Kbuild unit that `make test` builds in .cache/kernel (run `make test` or
# `bash scripts/kernel-fixtures.sh .cache` first):
#   - gcc -E with Kbuild's own flags (the preprocessing every build pays),
#   - gcc -fsyntax-only with the same flags,
#   - vtablegen structs -kbuild-cmd (gcc -E plus extraction) for file_operations,
#   - vtablegen structs -preprocessed on x.i for file_operations, and for all,
#   - vtablegen gen on examples/miscdev (file_operations through the Kbuild
#     command, the Rust driver, C and Rust outputs; nothing is rewritten
#     when the committed outputs are current),
# with hyperfine, then the peak resident memory of each vtablegen run.
# Targets: from x.i at most 0.15 s, through gcc -E at most 1.3 times gcc -E
# alone, peak memory at most 200 MB (issue 11); gen at most 1.3 times
# gcc -E, peak memory at most 250 MB (issue 19).
set -euo pipefail
cd "$(dirname "$0")/.."
name=bench-kernel
. scripts/bench-lib.sh
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null || { echo "bench-kernel: hyperfine missing" >&2; exit 1; }; }
# Kbuild's compile command, turned into a syntax-only one too.
syntax=$(echo "$cmd" | sed 's/ -c / -fsyntax-only /; s/ -o [^ ]*\.o / /')

cd "$objtree"
hyperfine -N -w 3 -r "${RUNS:-20}" \
	-n 'gcc -E' "$cpp" \
	-n 'gcc -fsyntax-only' "$syntax" \
	-n 'vtablegen -kbuild-cmd -struct file_operations' "$vg structs -kbuild-cmd $OLDPWD/$k/.x.o.cmd -struct file_operations" \
	-n 'vtablegen -preprocessed -struct file_operations' "$vg structs -preprocessed -struct file_operations $OLDPWD/$k/x.i" \
	-n 'vtablegen -preprocessed (all structs)' "$vg structs -preprocessed $OLDPWD/$k/x.i" \
	-n 'vtablegen gen (examples/miscdev)' "$vg gen -q -C $OLDPWD/examples/miscdev"

# hyperfine runs each command's runs back to back, and this machine's speed
# drifts by tens of milliseconds between them; the ratio to gcc -E is
# therefore measured with the two commands interleaved, run by run.
echo
python3 - "$cpp" "$vg" "$OLDPWD/$k/.x.o.cmd" "${RUNS:-20}" "$OLDPWD/examples/miscdev" <<'PY'
import shlex, statistics, subprocess, sys, time
cpp, vg, cmdfile, runs, misc = shlex.split(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
for name, ours in (("vtablegen structs -kbuild-cmd -struct file_operations", [vg, "structs", "-kbuild-cmd", cmdfile, "-struct", "file_operations"]),
                   ("vtablegen gen (examples/miscdev)", [vg, "gen", "-q", "-C", misc])):
    a, b = [], []
    for _ in range(runs):
        for cmd, acc in ((cpp, a), (ours, b)):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            acc.append(time.perf_counter() - t)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"interleaved, {runs} runs each: gcc -E median {ma*1e3:.1f} ms, "
          f"{name} median {mb*1e3:.1f} ms, ratio {mb/ma:.2f} (target 1.3)")
PY

echo
for args in "-kbuild-cmd $OLDPWD/$k/.x.o.cmd -struct file_operations" \
	"-preprocessed -struct file_operations $OLDPWD/$k/x.i" \
	"-preprocessed $OLDPWD/$k/x.i"; do
	rss=$(/usr/bin/time -f %M "$vg" structs $args 2>&1 >/dev/null | tail -n 1)
	echo "peak RSS $((rss / 1024)) MB: vtablegen structs ${args//$OLDPWD\//}"
done
rss=$(/usr/bin/time -f %M "$vg" gen -q -C "$OLDPWD/examples/miscdev" 2>&1 >/dev/null | tail -n 1)
echo "peak RSS $((rss / 1024)) MB: vtablegen gen -C examples/miscdev"
