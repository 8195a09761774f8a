/*
 * plugin.h: the plugin interface of a small stream framework. A plugin
 * fills in a stream_ops; an operation it leaves NULL makes the framework
 * fall back to its default.
 */
#ifndef FRAMEWORK_PLUGIN_H
#define FRAMEWORK_PLUGIN_H

#include <stddef.h>

struct stream;
struct module;

/* The module that owns a plugin's operations; THIS_PLUGIN is this one. */
extern struct module framework_module;
#define THIS_PLUGIN (&framework_module)

/* The ioctl operations' type, shared with the framework's dispatch table. */
typedef long (*stream_ioctl_fn)(struct stream *s, unsigned int cmd, unsigned long arg);

/* The framework's compat_ioctl for plugins whose ioctl takes pointers. */
long compat_ptr_ioctl(struct stream *s, unsigned int cmd, unsigned long arg);

typedef struct {
	/* The module that owns the plugin: THIS_PLUGIN. */
	struct module *owner;
	/* The plugin's name, e.g. "file". */
	const char *name;
	/* STREAM_* flags. */
	unsigned int flags;

	int (*open)(struct stream *s, int mode);
	void (*release)(struct stream *);
	long (*read)(struct stream *s, char *buf, size_t len);
	long (*write)(struct stream *s, const char *buf, size_t len);
	/* Seeking: one of the two. */
	union {
		long (*seek)(struct stream *, long, int);
		long (*seek64)(struct stream *, long long, int);
	};
	stream_ioctl_fn unlocked_ioctl;
	stream_ioctl_fn compat_ioctl;
	int (*connect)(struct stream *s, const char *peer);
	/* Creating a stream; for most plugins the same as connecting. */
	int (*create)(struct stream *s, const char *peer);
	int (*flush)(struct stream *);
#ifdef STREAM_HAVE_POLL
	unsigned int (*poll)(struct stream *s, int events);
#endif
	int (*fsync)(struct stream *s, int datasync);
} stream_ops;

#endif /* FRAMEWORK_PLUGIN_H */
