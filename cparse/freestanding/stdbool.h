/* stdbool.h: vtablegen's freestanding <stdbool.h>, used only when no host
 * C compiler is installed to provide its own. Written for vtablegen (MIT). */
#ifndef __VTABLEGEN_STDBOOL_H
#define __VTABLEGEN_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
