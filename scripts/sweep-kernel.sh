#!/usr/bin/env bash
# sweep-kernel.sh [DIR...]: the kernel header sweep (not part of make
# test). For every header under the Debian 6.12 tree's include/linux,
# include/net, include/drm, include/sound, include/media, include/rdma,
# include/scsi, include/crypto and arch/x86/include/asm (or only under the
# DIRs given, e.g. include/net), builds with Kbuild's flags the unit of
# <linux/module.h> then the header and its DWARF object
# (scripts/kernel-sweep.sh, into .cache/kernel/sweep-all; a header gcc
# cannot compile alone is counted and skipped), reads each whole unit as
# `structs -preprocessed` does and compares every struct with
# function-pointer members with the DWARF (cparse's TestKernelHeaderSweep).
# It prints one line per header that fails and a total:
#   sweep: N headers tried, C compiled alone after <linux/module.h>, M matched DWARF
# make test checks scripts/sweep-sample.txt the same way; add to it any
# header that fails here once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .cache/kernel/version ] || { echo "sweep-kernel: run make test first" >&2; exit 1; }
common=$(sed -n 's/^savedcmd_[^ ]* := *//p' .cache/kernel/.x.o.cmd | grep -o -- '-I/usr/src/linux-headers-[^ ]*-common/include ' | head -n 1 | sed 's/^-I//; s|/include $||')
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(include/linux include/net include/drm include/sound include/media include/rdma include/scsi include/crypto arch/x86/include/asm)
list=.cache/kernel/sweep-all.txt
: >"$list"
for d in "${dirs[@]}"; do
	[ -d "$common/$d" ] || { echo "sweep-kernel: no $common/$d" >&2; exit 1; }
	case $d in
	arch/x86/include/*) base=$common/arch/x86/include ;;
	*) base=$common/include ;;
	esac
	(cd "$base" && find "${d#"${base#"$common"/}"/}" -name '*.h' | sort) >>"$list"
done
echo "sweep-kernel: $(wc -l <"$list") headers" >&2
bash scripts/kernel-sweep.sh .cache .cache/kernel/sweep-all - <"$list"
VTABLEGEN_SWEEP_DIR=$PWD/.cache/kernel/sweep-all VTABLEGEN_SWEEP_LIST=$PWD/$list \
	go test ./cparse -run TestKernelHeaderSweep -count=1 -v -timeout 0 | grep '^sweep: '
