package rustparse

/*
#include <stdlib.h>

// go-tree-sitter's own definition, in its C code linked into the program.
extern void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
	void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

static void vtablegen_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }
*/
import "C"

// go-tree-sitter v0.25 routes every allocation of the tree-sitter library
// through Go (ts_set_allocator with callbacks into Go that call C's
// malloc): a C to Go to C round trip per node allocated and freed, about
// a fifth of the time of a parse. Nothing of vtablegen replaces those
// callbacks, so tree-sitter is given C's allocator directly, after
// go-tree-sitter's init (which this package's runs after).
func init() { C.vtablegen_libc_allocator() }
