struct ops { int (*f)(void); };
static inline enum e1
f1(void) { asm inline ("nop"); return 0; }
struct s1 *
f2(int a) { asm inline ("nop"); return 0; }
static __attribute__((always_inline)) inline int __attribute__((unused)) f3(void) { asm inline ("nop"); return 0; }
int f4(a, b) int a; char b; { asm inline ("nop"); return a; }
int f5(void) __attribute__((noinline)) { asm inline ("nop"); return 0; }
static inline struct { int x; } f6(void) { asm inline ("nop"); }
unsigned long
__attribute__((pure))
f7(const void *p)
{ asm inline ("nop"); return 0; }
struct ops2 { int (*g)(void); };
