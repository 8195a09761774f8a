/*
 * device.h: the plugin interface of a small device framework. A driver
 * fills in a struct device_ops; an operation it leaves NULL makes the
 * framework fall back to its default.
 */
#ifndef QUICKSTART_DEVICE_H
#define QUICKSTART_DEVICE_H

#include <stddef.h>

struct device;

/* The ioctl operation's type, shared with the framework's dispatch table. */
typedef long (*device_ioctl_fn)(struct device *dev, unsigned int cmd, unsigned long arg);

struct device_ops {
	/* The driver's name, e.g. "led". */
	const char *name;
	/* DEVICE_* flags. */
	unsigned int flags;

	int (*open)(struct device *dev, int mode);
	void (*release)(struct device *);
	long (*read)(struct device *dev, char *buf, size_t len);
	long (*write)(struct device *dev, const char *buf, size_t len);
	device_ioctl_fn ioctl;
	int (*flush)(struct device *, unsigned int);
};

#endif /* QUICKSTART_DEVICE_H */
