/*
 * callbacks_test.c: C stand-ins for the callbacks the Rust side exports
 * (generating those is the trampolines' job), so that the generated C and
 * main.c link and run in the tests. Each has the prototype the generated
 * file declares.
 */
#include "plugin.h"

#define UNUSED(x) (void)(x)

int file_stream_open(struct stream *s, int mode) { UNUSED(s); UNUSED(mode); return 0; }
void file_stream_release(struct stream *s) { UNUSED(s); }
long file_stream_read(struct stream *s, char *buf, size_t len) { UNUSED(s); UNUSED(buf); return (long)len; }
long file_stream_write(struct stream *s, const char *buf, size_t len) { UNUSED(s); UNUSED(buf); return (long)len; }
long file_stream_seek(struct stream *s, long off, int whence) { UNUSED(s); UNUSED(whence); return off; }
long file_stream_unlocked_ioctl(struct stream *s, unsigned int cmd, unsigned long arg) { UNUSED(s); UNUSED(cmd); UNUSED(arg); return 0; }
int file_stream_connect(struct stream *s, const char *peer) { UNUSED(s); UNUSED(peer); return 0; }
#ifdef STREAM_HAVE_POLL
unsigned int file_stream_poll(struct stream *s, int events) { UNUSED(s); UNUSED(events); return 1; }
#endif

int null_sink_open(struct stream *s, int mode) { UNUSED(s); UNUSED(mode); return 0; }
long null_sink_write(struct stream *s, const char *buf, size_t len) { UNUSED(s); UNUSED(buf); return (long)len; }
int null_sink_flush(struct stream *s) { UNUSED(s); return 0; }
