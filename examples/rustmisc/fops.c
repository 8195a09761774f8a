/* What the binding reads, as Kbuild preprocesses it (fops.i): the
 * kernel's headers that define struct file_operations. */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
