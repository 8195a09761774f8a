// SPDX-License-Identifier: GPL-2.0
//! Linux 7.3's `rust/kernel/miscdevice.rs`, compiled as this crate's module
//! `miscdevice` (the test copies it here and appends two `include!`s: the
//! VTABLE vtablegen generated for its trait, renamed `VTABLE_VTABLEGEN`, and
//! `tables.rs`), so that the abstraction's `MiscdeviceVTable::<T>::VTABLE`
//! and vtablegen's are built from the same callbacks, for the impls below:
//! `tables.rs` puts both tables of each impl in the object, where the test
//! compares their bytes and relocations.

// What miscdevice.rs names through crate:: in the kernel crate.
use kernel::{bindings, device, error, fs, iov, mm, module, prelude, seq_file, str, types};

use kernel::prelude::*;
use miscdevice::{MiscDevice, MiscDeviceRegistration};

#[path = "miscdevice.rs"]
#[allow(dead_code, unreachable_pub)]
mod miscdevice;

module! {
    type: Vt73,
    name: "vt73",
    authors: ["vtablegen"],
    description: "The 7.3 miscdevice VTABLE beside vtablegen's",
    license: "GPL",
}

struct Vt73;

impl kernel::Module for Vt73 {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Vt73)
    }
}

/// Every method of the trait. Each method (and each impl's open) returns
/// something of its own, so that no two adapters are the same code, which
/// LLVM would merge into one function.
struct Full;

#[vtable]
impl MiscDevice for Full {
    type Ptr = ();

    fn open(_file: &fs::File, _misc: &MiscDeviceRegistration<Self>) -> Result<()> {
        Err(EPERM)
    }

    fn release(_device: (), _file: &fs::File) {
        pr_info!("full release\n");
    }

    fn mmap(_device: (), _file: &fs::File, _vma: &mm::virt::VmaNew) -> Result {
        Err(ENODEV)
    }

    fn read_iter(_kiocb: fs::Kiocb<'_, ()>, _iov: &mut iov::IovIterDest<'_>) -> Result<usize> {
        Ok(1)
    }

    fn write_iter(_kiocb: fs::Kiocb<'_, ()>, _iov: &mut iov::IovIterSource<'_>) -> Result<usize> {
        Ok(2)
    }

    fn ioctl(_device: (), _file: &fs::File, _cmd: u32, _arg: usize) -> Result<isize> {
        Ok(3)
    }

    #[cfg(CONFIG_COMPAT)]
    fn compat_ioctl(_device: (), _file: &fs::File, _cmd: u32, _arg: usize) -> Result<isize> {
        Ok(4)
    }

    fn show_fdinfo(_device: (), _m: &seq_file::SeqFile, _file: &fs::File) {
        pr_info!("full fdinfo\n");
    }
}

/// ioctl without compat_ioctl: compat_ioctl falls back to compat_ptr_ioctl.
struct IoctlOnly;

#[vtable]
impl MiscDevice for IoctlOnly {
    type Ptr = ();

    fn open(_file: &fs::File, _misc: &MiscDeviceRegistration<Self>) -> Result<()> {
        Err(ENOENT)
    }

    fn ioctl(_device: (), _file: &fs::File, _cmd: u32, _arg: usize) -> Result<isize> {
        Ok(5)
    }
}

/// compat_ioctl without ioctl.
struct CompatOnly;

#[vtable]
impl MiscDevice for CompatOnly {
    type Ptr = ();

    fn open(_file: &fs::File, _misc: &MiscDeviceRegistration<Self>) -> Result<()> {
        Err(ESRCH)
    }

    #[cfg(CONFIG_COMPAT)]
    fn compat_ioctl(_device: (), _file: &fs::File, _cmd: u32, _arg: usize) -> Result<isize> {
        Ok(6)
    }
}

/// Only the required method: release is the trait's default.
struct Bare;

#[vtable]
impl MiscDevice for Bare {
    type Ptr = ();

    fn open(_file: &fs::File, _misc: &MiscDeviceRegistration<Self>) -> Result<()> {
        Err(EINTR)
    }
}
