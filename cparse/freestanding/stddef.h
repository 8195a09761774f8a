/* stddef.h: vtablegen's freestanding <stddef.h>, used only when no host C
 * compiler is installed to provide its own. Written for vtablegen (MIT). */
#ifndef __VTABLEGEN_STDDEF_H
#define __VTABLEGEN_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;
typedef struct {
	long long __max_align_ll __attribute__((__aligned__(__alignof__(long long))));
	long double __max_align_ld __attribute__((__aligned__(__alignof__(long double))));
} max_align_t;
#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
