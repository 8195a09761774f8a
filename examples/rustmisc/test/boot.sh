# boot.sh: the guest's script (scripts/qemu-boot.sh boot runs it in /test):
# loads the module, runs the checks, which unload it. qemu-boot.sh fails the
# boot when the kernel log has a BUG, Oops or WARNING.
set -e
insmod /test/rustmisc.ko
ls -l /dev/rustmisc-echo /dev/rustmisc-quiet
/test/usertest
