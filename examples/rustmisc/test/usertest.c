/*
 * usertest: uses the two misc devices of rustmisc.ko from userspace and
 * checks what the kernel does with each member of their file_operations,
 * which vtablegen generated (Linux 7.3's behaviour for a NULL member is in
 * the comment of each check). Prints one line per check, PASS or FAIL and
 * its name, and exits 1 when any failed. Run it as root with rustmisc.ko
 * loaded: it unloads the module itself (delete_module) at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ECHO "/dev/rustmisc-echo"
#define QUIET "/dev/rustmisc-quiet"
#define MODULE "rustmisc"
/* The driver's ioctl: the length of what the last write wrote. */
#define RUSTMISC_LEN _IO('r', 1)

static int failed;

static void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s", ok ? "PASS" : "FAIL", name);
	if (fmt) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed = 1;
}

/* count_log returns how many lines of the kernel log contain s. */
static int count_log(const char *s)
{
	static char buf[1 << 20];
	int n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	if (n <= 0 || n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, n);
	if (n < 0)
		return -1;
	buf[n] = 0;
	int count = 0;
	for (char *p = buf; (p = strstr(p, s)) != NULL; p += strlen(s))
		count++;
	return count;
}

/* refcnt returns the module's reference count from sysfs, -1 on error. */
static int refcnt(void)
{
	FILE *f = fopen("/sys/module/" MODULE "/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

static long delete_module(const char *name)
{
	/* What rmmod does (busybox and kmod alike). */
	return syscall(SYS_delete_module, name, O_NONBLOCK);
}

int main(void)
{
	static const char msg[] = "written by usertest, read back from Rust\n";
	char buf[256];

	int fd = open(ECHO, O_RDWR);
	if (fd < 0) {
		printf("FAIL open %s: %s\n", ECHO, strerror(errno));
		return 1;
	}
	check(1, "open-echo", NULL);

	/* owner = THIS_MODULE: misc_open's fops_get holds the module. */
	int refs = refcnt();
	check(refs == 1, "owner-holds-module", "refcnt %d while open", refs);

	/* write_iter then read_iter: the bytes round-trip. */
	ssize_t w = write(fd, msg, strlen(msg));
	ssize_t r = read(fd, buf, sizeof buf);
	check(w == (ssize_t)strlen(msg) && r == w && memcmp(buf, msg, strlen(msg)) == 0,
	      "write-read-roundtrip", "wrote %zd, read %zd", w, r);

	/* unlocked_ioctl = the driver's ioctl: its value. */
	long v = ioctl(fd, RUSTMISC_LEN);
	check(v == (long)strlen(msg), "ioctl-value", "RUSTMISC_LEN = %ld", v);
	errno = 0;
	v = ioctl(fd, _IO('r', 2));
	check(v == -1 && errno == ENOTTY, "ioctl-unknown-enotty", "%ld (%s)", v, strerror(errno));

	/* llseek NULL: do_dentry_open clears FMODE_LSEEK, vfs_llseek gives ESPIPE. */
	errno = 0;
	off_t off = lseek(fd, 0, SEEK_SET);
	check(off == -1 && errno == ESPIPE, "lseek-espipe", "%lld (%s)", (long long)off, strerror(errno));

	/* mmap and mmap_prepare NULL: can_mmap_file is false, do_mmap gives ENODEV. */
	errno = 0;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(p == MAP_FAILED && errno == ENODEV, "mmap-enodev", "%s", strerror(errno));
	if (p != MAP_FAILED)
		munmap(p, 4096);

	/* poll NULL: vfs_poll returns DEFAULT_POLLMASK. */
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM | POLLPRI };
	int pn = poll(&pfd, 1, 0);
	check(pn == 1 && pfd.revents == (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM), "poll-default-mask",
	      "revents %#x", pfd.revents);

	/* While a file is open the module is in use: delete_module refuses. */
	errno = 0;
	long d = delete_module(MODULE);
	check(d == -1 && errno == EWOULDBLOCK, "rmmod-while-open-fails", "%ld (%s)", d, strerror(errno));

	/* release runs on the last close (the driver's pr_info). */
	int before = count_log(MODULE ": echo: release");
	close(fd);
	int after = count_log(MODULE ": echo: release");
	check(before >= 0 && after == before + 1, "release-on-close", "%d log lines before, %d after", before, after);
	refs = refcnt();
	check(refs == 0, "owner-put-on-close", "refcnt %d after close", refs);

	/* The second driver: open and release only. */
	int q = open(QUIET, O_RDWR);
	check(q >= 0, "open-quiet", q < 0 ? "%s" : NULL, strerror(errno));
	if (q >= 0) {
		/* read and read_iter NULL: FMODE_CAN_READ unset, vfs_read gives EINVAL. */
		errno = 0;
		r = read(q, buf, sizeof buf);
		check(r == -1 && errno == EINVAL, "quiet-read-einval", "%zd (%s)", r, strerror(errno));
		/* write and write_iter NULL: FMODE_CAN_WRITE unset, EINVAL. */
		errno = 0;
		w = write(q, msg, strlen(msg));
		check(w == -1 && errno == EINVAL, "quiet-write-einval", "%zd (%s)", w, strerror(errno));
		/* unlocked_ioctl NULL: vfs_ioctl gives ENOTTY. */
		errno = 0;
		v = ioctl(q, RUSTMISC_LEN);
		check(v == -1 && errno == ENOTTY, "quiet-ioctl-enotty", "%ld (%s)", v, strerror(errno));
		before = count_log(MODULE ": quiet: release");
		close(q);
		after = count_log(MODULE ": quiet: release");
		check(after == before + 1, "quiet-release-on-close", "%d log lines before, %d after", before, after);
	}

	/* Nothing open: the module unloads and its devices go. */
	errno = 0;
	d = delete_module(MODULE);
	check(d == 0, "rmmod-after-close", "%ld (%s)", d, d ? strerror(errno) : "ok");
	check(access(ECHO, F_OK) == -1 && errno == ENOENT, "device-gone", NULL);
	check(count_log(MODULE ": unloaded") == 1, "module-exit-ran", NULL);

	printf("usertest: %s\n", failed ? "FAIL" : "PASS");
	return failed;
}
