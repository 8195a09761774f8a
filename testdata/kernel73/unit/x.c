/* The headers of the structs the 7.3 Rust abstractions fill by hand, as
 * rust/bindings/bindings_helper.h includes them. */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/blk-mq.h>
#include <linux/cpufreq.h>
#include <linux/phy.h>
#include <linux/configfs.h>
#include <linux/serdev.h>
#include <linux/pm_opp.h>
