/* C stand-ins for the callbacks the Rust side exports, for the Kbuild test. */
#include <linux/fs.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");

loff_t rust_misc_llseek(struct file *f, loff_t off, int whence);
ssize_t rust_misc_read_iter(struct kiocb *k, struct iov_iter *i);
ssize_t rust_misc_write_iter(struct kiocb *k, struct iov_iter *i);
long rust_misc_unlocked_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
int rust_misc_open(struct inode *inode, struct file *f);

loff_t rust_misc_llseek(struct file *f, loff_t off, int whence) { return off; }
ssize_t rust_misc_read_iter(struct kiocb *k, struct iov_iter *i) { return 0; }
ssize_t rust_misc_write_iter(struct kiocb *k, struct iov_iter *i) { return 0; }
long rust_misc_unlocked_ioctl(struct file *f, unsigned int cmd, unsigned long arg) { return 0; }
int rust_misc_open(struct inode *inode, struct file *f) { return 0; }
