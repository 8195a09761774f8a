/*
 * main.c: the quickstart framework's side. It calls each operation of each
 * driver's device_ops through the struct, the Rust callbacks behind them,
 * and takes its default where an operation is NULL.
 */
#include <stdio.h>
#include "device.h"

struct device {
	int id;
};

extern const struct device_ops led_device_device_ops;
extern const struct device_ops null_sink_device_ops;

static void run(const char *name, const struct device_ops *ops)
{
	struct device dev = {1};
	char buf[4] = {0};

	if (ops->open)
		printf("%s.open(0) = %d\n", name, ops->open(&dev, 0));
	else
		printf("%s.open: NULL, default\n", name);
	if (ops->read) {
		long n = ops->read(&dev, buf, sizeof buf);
		printf("%s.read = %ld, buf[0] = '%c'\n", name, n, buf[0] ? buf[0] : '-');
	} else
		printf("%s.read: NULL, default\n", name);
	if (ops->write)
		printf("%s.write(\"hello\") = %ld\n", name, ops->write(&dev, "hello", 5));
	else
		printf("%s.write: NULL, default\n", name);
	if (ops->ioctl)
		printf("%s.ioctl(1) = %ld, ioctl(2) = %ld\n", name, ops->ioctl(&dev, 1, 0), ops->ioctl(&dev, 2, 0));
	else
		printf("%s.ioctl: NULL, default\n", name);
	if (ops->flush)
		printf("%s.flush = %d\n", name, ops->flush(&dev, 0));
	else
		printf("%s.flush: NULL, default\n", name);
	if (ops->release) {
		ops->release(&dev);
		printf("%s.release: called\n", name);
	} else
		printf("%s.release: NULL, default\n", name);
}

int main(void)
{
	run("led_device", &led_device_device_ops);
	run("null_sink", &null_sink_device_ops);
	return 0;
}
