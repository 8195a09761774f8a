/*
 * main.c: the framework's side. For each plugin's stream_ops it prints the
 * data members, then calls every operation through the struct and prints
 * what it returns, or takes the framework's default where it is NULL.
 *
 * The stream_ops come either from the C initializers vtablegen generated
 * (the default) or, built with -DRUST_VTABLE, from the Rust side's
 * compile-time VTABLE, which Rust hands over with register_stream(); both
 * print the same lines.
 */
#include <stdio.h>
#include <string.h>

#include "plugin.h"

struct module {
	const char *name;
};

struct module framework_module = {"framework"};

struct stream {
	int id;
};

long compat_ptr_ioctl(struct stream *s, unsigned int cmd, unsigned long arg)
{
	(void)s;
	(void)arg;
	return 1000 + cmd; /* tells the fallback apart from the plugin's ioctl */
}

static void dump(const char *impl, const stream_ops *ops)
{
	struct stream st = {1};
	char buf[8];

	printf("%s.owner = %s\n", impl, ops->owner == THIS_PLUGIN ? "THIS_PLUGIN" : "?");
	printf("%s.name = %s\n", impl, ops->name != NULL ? ops->name : "NULL");
	printf("%s.flags = %u\n", impl, ops->flags);
#define CALL(op, fmt, ...)                                                   \
	do {                                                                 \
		if (ops->op == NULL)                                         \
			printf("%s." #op ": NULL, default\n", impl);        \
		else                                                         \
			printf("%s." #op " = " fmt "\n", impl, ops->op(__VA_ARGS__)); \
	} while (0)
	CALL(open, "%d", &st, 0);
	memset(buf, 0, sizeof buf);
	CALL(read, "%ld", &st, buf, sizeof buf);
	CALL(write, "%ld", &st, "hello", 5);
	CALL(seek, "%ld", &st, 42, 0);
	CALL(unlocked_ioctl, "%ld", &st, 1, 0);
	CALL(unlocked_ioctl, "%ld", &st, 2, 0);
	CALL(compat_ioctl, "%ld", &st, 1, 0);
	CALL(connect, "%d", &st, "ok");
	CALL(connect, "%d", &st, "nope");
	CALL(create, "%d", &st, "ok");
	CALL(flush, "%d", &st);
#ifdef STREAM_HAVE_POLL
	CALL(poll, "%u", &st, 1);
#endif
	CALL(fsync, "%d", &st, 1);
	CALL(fsync, "%d", &st, 0);
	if (ops->release == NULL) {
		printf("%s.release: NULL, default\n", impl);
	} else {
		ops->release(&st);
		printf("%s.release: called\n", impl);
	}
}

/* Rust's rust_register_streams() calls it with each plugin's VTABLE. */
void register_stream(const char *name, const stream_ops *ops);

void register_stream(const char *name, const stream_ops *ops)
{
	dump(name, ops);
}

#ifdef RUST_VTABLE
void rust_register_streams(void);

int main(void)
{
	rust_register_streams();
	return 0;
}
#else
extern const stream_ops file_stream_stream_ops;
extern const stream_ops null_sink_stream_ops;

int main(void)
{
	dump("FileStream", &file_stream_stream_ops);
	dump("NullSink", &null_sink_stream_ops);
	return 0;
}
#endif
