//! A misc device driver in the style of the kernel's MiscDevice
//! abstraction (rust/kernel/miscdevice.rs): the #[vtable] trait a driver
//! implements, and one driver. vtablegen binds the trait to the real
//! struct file_operations of the kernel's headers (see vtable.toml).

use crate::prelude::*;

/// The operations of a misc device; a method a driver does not define is
/// NULL in its file_operations, and the VFS takes its default.
#[vtable]
pub trait MiscDevice {
    /// Opens the device: every driver defines it.
    fn open(inode: &Inode, file: &File) -> Result<()>;

    fn release(_inode: &Inode, _file: &File) -> Result<()> {
        Ok(())
    }

    fn read_iter(_kiocb: &mut Kiocb, _iov: &mut IovIter) -> Result<isize> {
        Err(EINVAL)
    }

    fn write_iter(_kiocb: &mut Kiocb, _iov: &mut IovIter) -> Result<isize> {
        Err(EINVAL)
    }

    fn llseek(_file: &File, _offset: i64, _whence: i32) -> Result<i64> {
        Err(EINVAL)
    }

    fn mmap(_file: &File, _vma: &mut VmArea) -> Result<()> {
        Err(ENODEV)
    }

    /// Fills unlocked_ioctl.
    fn ioctl(_file: &File, _cmd: u32, _arg: usize) -> Result<isize> {
        Err(ENOTTY)
    }

    fn compat_ioctl(_file: &File, _cmd: u32, _arg: usize) -> Result<isize> {
        Err(ENOTTY)
    }
}

/// A driver with reads, writes, seeking and ioctl, but neither mmap nor a
/// compat_ioctl of its own (it gets compat_ptr_ioctl).
pub struct RustMisc;

#[vtable]
impl MiscDevice for RustMisc {
    fn open(_inode: &Inode, _file: &File) -> Result<()> {
        Ok(())
    }

    fn read_iter(_kiocb: &mut Kiocb, _iov: &mut IovIter) -> Result<isize> {
        Ok(0)
    }

    fn write_iter(_kiocb: &mut Kiocb, _iov: &mut IovIter) -> Result<isize> {
        Ok(0)
    }

    fn llseek(_file: &File, offset: i64, _whence: i32) -> Result<i64> {
        Ok(offset)
    }

    fn ioctl(_file: &File, _cmd: u32, _arg: usize) -> Result<isize> {
        Ok(0)
    }
}
