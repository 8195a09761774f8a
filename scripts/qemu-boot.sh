#!/usr/bin/env bash
# qemu-boot.sh: builds out-of-tree Rust kernel modules and static test
# programs in the chroot of scripts/kernel-rust-7.3.sh, and boots them under
# QEMU (TCG) with Debian's Linux 7.3.4+deb13-amd64. A test calls the modes in
# turn: kbuild, static, boot, then reads the log boot printed.
#
#   qemu-boot.sh kbuild CACHE MODDIR [MAKE-ARG...]
#       make -C /usr/src/linux-headers-7.3.4+deb13-amd64 M=MODDIR [MAKE-ARG...]
#       (default: modules), MODDIR bind-mounted at its own path in the
#       chroot, so make's output, .cmd files and diagnostics name the real
#       paths and what it builds (MODDIR/*.ko) lands in MODDIR. Prints make's
#       output; exits with make's status. Everything the module needs must be
#       inside MODDIR.
#   qemu-boot.sh run CACHE DIR CMD...
#       CMD in the chroot, in DIR, which is bind-mounted at its own path, with
#       the environment kbuild has (PATH, HOME, LANG; `env VAR=VALUE... CMD`
#       adds to it): a build as a user would type it on the 7.3 machine, e.g.
#       the README's kernel walkthrough. Exits with CMD's status.
#   qemu-boot.sh static CACHE OUT FILE... [-- GCC-ARG...]
#       x86_64-linux-gnu-gcc-14 -static -O2 -Wall -o OUT FILE.c... [GCC-ARG...]:
#       the .c FILEs are compiled, the others (headers) are only visible;
#       each FILE's and OUT's directory and the current one are bind-mounted
#       at their own paths, and gcc runs in the current one. OUT's directory
#       must exist.
#   qemu-boot.sh boot CACHE SCRIPT [FILE...]
#       Boots an initramfs of static busybox (its applets in /bin), with /proc,
#       /sys, /dev (devtmpfs: /dev/<misc device> appears) and /tmp mounted,
#       SCRIPT and each FILE (.ko, static programs) in /test, whose /init runs
#       `sh /test/SCRIPT` in /test (loading modules is the script's job:
#       insmod /test/x.ko), then prints
#           qemu-boot: exit STATUS      the script's exit status
#           qemu-boot: dmesg            followed by the kernel log
#           qemu-boot: end
#       and powers off. The serial log (without '\r') goes to stdout as it
#       comes. Exits 0 when the init reached its end, the script exited 0 and
#       the kernel log has no BUG, Oops, WARNING, Call Trace or panic; 1
#       otherwise, saying why on stderr. QEMU_BOOT_TIMEOUT (seconds, default
#       120) bounds the boot; QEMU_BOOT_MEM (MB, default 512) sizes the guest.
#
# All modes exit 1 with a message when CACHE/kernel-rust/done is missing
# (run scripts/kernel-rust-7.3.sh CACHE; a test checks that file and skips),
# 2 on a usage error. Each runs in a mount namespace of its own (unshare)
# holding /proc, a private /tmp and the bind mounts, so nothing stays
# mounted, however it ends, and parallel runs do not meet.
set -euo pipefail
usage() {
	sed -n 's/^#   qemu-boot.sh /usage: qemu-boot.sh /p' "$0" >&2
	exit 2
}
[ $# -ge 3 ] || usage
mode=$1 cache=$2
shift 2
release=7.3.4+deb13-amd64
headers=/usr/src/linux-headers-$release
dir=$(cd "$cache" 2>/dev/null && pwd -P)/kernel-rust
root=$dir/chroot
if [ ! -f "$dir/done" ]; then
	echo "qemu-boot: $cache/kernel-rust is not set up: run scripts/kernel-rust-7.3.sh $cache" >&2
	exit 1
fi

# abs PATH: PATH made absolute, its directory's symlinks resolved.
abs() {
	local d
	d=$(cd "$(dirname "$1")" && pwd -P) || {
		echo "qemu-boot: no directory for $1" >&2
		exit 1
	}
	echo "$d/$(basename "$1")"
}

# in_chroot DIR... -- CMD...: CMD in the chroot, in a private mount
# namespace with /proc, a tmpfs /tmp and each DIR bind-mounted at its own
# path.
in_chroot() {
	local binds=()
	while [ "$1" != -- ]; do
		case $1/ in
		"$root"/*)
			echo "qemu-boot: $1 is inside the chroot" >&2
			exit 1
			;;
		esac
		binds+=("$1")
		shift
	done
	shift
	unshare --mount --propagation private sh -ec '
		root=$1
		shift
		mount -t proc proc "$root/proc"
		mount -t tmpfs tmpfs "$root/tmp"
		while [ "$1" != -- ]; do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			shift
		done
		shift
		exec chroot "$root" "$@"' sh "$root" "${binds[@]}" -- \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}

case $mode in
kbuild)
	moddir=$(cd "$1" 2>/dev/null && pwd -P) || {
		echo "qemu-boot: no directory $1" >&2
		exit 1
	}
	shift
	[ $# -gt 0 ] || set -- modules
	status=0
	in_chroot "$moddir" -- make -C "$headers" M="$moddir" "$@" || status=$?
	exit "$status"
	;;
run)
	rundir=$(cd "$1" 2>/dev/null && pwd -P) || {
		echo "qemu-boot: no directory $1" >&2
		exit 1
	}
	shift
	[ $# -gt 0 ] || usage
	status=0
	# shellcheck disable=SC2016
	in_chroot "$rundir" -- sh -c 'cd "$0" && exec "$@"' "$rundir" "$@" || status=$?
	exit "$status"
	;;
static)
	out=$(abs "$1")
	shift
	files=() gccargs=() binds=("$(dirname "$out")")
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		f=$(abs "$1")
		[ -f "$f" ] || {
			echo "qemu-boot: no file $1" >&2
			exit 1
		}
		case $f in *.c) files+=("$f") ;; esac
		binds+=("$(dirname "$f")")
		shift
	done
	[ $# -eq 0 ] || shift
	gccargs=("$@")
	[ ${#files[@]} -gt 0 ] || usage
	# gcc runs in this directory, for relative GCC-ARGs (-Iinc).
	cwd=$(pwd -P)
	[ "$cwd" = / ] || binds+=("$cwd")
	# Each directory once, parents before children.
	mapfile -t binds < <(printf '%s\n' "${binds[@]}" | LC_ALL=C sort -u)
	# shellcheck disable=SC2016
	in_chroot "${binds[@]}" -- sh -c 'cd "$0" && exec "$@"' "$cwd" \
		x86_64-linux-gnu-gcc-14 -static -O2 -Wall -o "$out" "${files[@]}" "${gccargs[@]}"
	;;
boot)
	script=$(abs "$1")
	shift
	[ -f "$script" ] || {
		echo "qemu-boot: no script $script" >&2
		exit 1
	}
	stage=$(mktemp -d "${TMPDIR:-/tmp}/qemu-boot.XXXXXX")
	trap 'rm -rf --one-file-system "$stage"' EXIT
	fs=$stage/rootfs
	mkdir -p "$fs/bin" "$fs/dev" "$fs/proc" "$fs/sys" "$fs/tmp" "$fs/test"
	cp "$root/bin/busybox" "$fs/bin/busybox"
	mknod -m 600 "$fs/dev/console" c 5 1
	cp "$script" "$fs/test/"
	for f in "$@"; do
		[ -f "$f" ] || {
			echo "qemu-boot: no file $f" >&2
			exit 1
		}
		cp "$f" "$fs/test/"
	done
	cat >"$fs/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
cd /test
sh /test/$(basename "$script")
echo "qemu-boot: exit \$?"
echo "qemu-boot: dmesg"
dmesg
echo "qemu-boot: end"
poweroff -f
INIT
	chmod +x "$fs/init"
	ln "$dir/vmlinuz" "$stage/vmlinuz" 2>/dev/null || cp "$dir/vmlinuz" "$stage/vmlinuz"
	status=0
	# shellcheck disable=SC2016
	in_chroot "$stage" -- sh -c '
		cd "$1/rootfs" && find . | cpio -o -H newc --quiet | gzip -1 >"$1/initramfs.cpio.gz" &&
		exec timeout -k 5 "$2" qemu-system-x86_64 -accel tcg -m "$3" -nodefaults -display none \
			-monitor none -serial stdio -no-reboot -kernel "$1/vmlinuz" -initrd "$1/initramfs.cpio.gz" \
			-append "console=ttyS0 panic=-1 quiet"' sh "$stage" "${QEMU_BOOT_TIMEOUT:-120}" "${QEMU_BOOT_MEM:-512}" \
		</dev/null | tr -d '\r' | tee "$stage/log" || status=$?
	log=$stage/log
	if [ "$status" = 124 ]; then
		echo "qemu-boot: timed out after ${QEMU_BOOT_TIMEOUT:-120} s" >&2
		exit 1
	elif [ "$status" != 0 ]; then
		echo "qemu-boot: qemu failed with status $status" >&2
		exit 1
	elif ! grep -qx 'qemu-boot: end' "$log"; then
		echo "qemu-boot: the init did not reach its end" >&2
		exit 1
	fi
	bad=$(sed -n '/^qemu-boot: dmesg$/,/^qemu-boot: end$/p' "$log" |
		grep -E 'BUG:|Oops|WARNING:|Call Trace:|Kernel panic|general protection' || true)
	if [ -n "$bad" ]; then
		printf 'qemu-boot: the kernel log has:\n%s\n' "$bad" >&2
		exit 1
	fi
	s=$(sed -n 's/^qemu-boot: exit //p' "$log" | tail -n 1)
	if [ "$s" != 0 ]; then
		echo "qemu-boot: the script exited $s" >&2
		exit 1
	fi
	;;
*) usage ;;
esac
