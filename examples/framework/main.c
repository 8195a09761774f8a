/*
 * main.c: the framework's side. It prints, for each plugin's stream_ops
 * that vtablegen generated, what each member holds: the name of the
 * function it points to (looked up with dladdr, so link with -rdynamic),
 * NULL, or the data.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#include "plugin.h"

struct module {
	const char *name;
};

struct module framework_module = {"framework"};

long compat_ptr_ioctl(struct stream *s, unsigned int cmd, unsigned long arg)
{
	(void)s;
	(void)cmd;
	(void)arg;
	return 0;
}

extern const stream_ops file_stream_stream_ops;
extern const stream_ops null_sink_stream_ops;

static const char *symbol(const void *p)
{
	Dl_info info;

	if (p == NULL)
		return "NULL";
	if (dladdr(p, &info) && info.dli_sname != NULL)
		return info.dli_sname;
	return "?";
}

#define FUNC(m) printf("%s.%s = %s\n", impl, #m, symbol((const void *)ops->m))

static void dump(const char *impl, const stream_ops *ops)
{
	printf("%s.owner = %s\n", impl, ops->owner == THIS_PLUGIN ? "THIS_PLUGIN" : "?");
	printf("%s.name = %s\n", impl, ops->name != NULL ? ops->name : "NULL");
	printf("%s.flags = %u\n", impl, ops->flags);
	FUNC(open);
	FUNC(release);
	FUNC(read);
	FUNC(write);
	FUNC(seek);
	FUNC(unlocked_ioctl);
	FUNC(compat_ioctl);
	FUNC(connect);
	FUNC(create);
	FUNC(flush);
#ifdef STREAM_HAVE_POLL
	FUNC(poll);
#endif
	FUNC(fsync);
}

int main(void)
{
	dump("FileStream", &file_stream_stream_ops);
	dump("NullSink", &null_sink_stream_ops);
	return 0;
}
