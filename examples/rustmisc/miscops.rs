// SPDX-License-Identifier: GPL-2.0
//! A small misc device abstraction, in the style of the kernel's
//! `rust/kernel/miscdevice.rs`, whose `struct file_operations` vtablegen
//! writes: `MiscOps` is the `#[vtable]` trait a driver implements, the
//! adapters below turn the C arguments into its methods', and
//! `MiscOpsAdapter::<T>::VTABLE` (in `file_operations_vtable.rs`, generated
//! from the kernel's header and this trait by `vtablegen gen`) is the table
//! `MiscRegistration` registers.

use core::marker::PhantomData;
use kernel::{
    bindings,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi::{c_int, c_long, c_uint, c_ulong},
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    prelude::*,
    types::{ForeignOwnable, Opaque},
};

/// The operations of a misc device. A method a driver does not define is
/// NULL in its `file_operations`, and the kernel does what it does for a
/// NULL member (`read` fails with `EINVAL`, `ioctl` with `ENOTTY`).
#[vtable]
pub(crate) trait MiscOps: Sized {
    /// What the file's private data is, from `open` to `release`.
    type Ptr: ForeignOwnable + Send + Sync;

    /// Called when the device is opened: returns the file's private data.
    fn open(file: &File) -> Result<Self::Ptr>;

    /// Called when the last reference to the file is gone.
    fn release(device: Self::Ptr, file: &File);

    /// Reads from the device.
    fn read_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterDest<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Writes to the device.
    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterSource<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Handles an ioctl; fills `unlocked_ioctl`.
    fn ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Handles an ioctl of 32-bit userspace; without it, a driver with
    /// `ioctl` gets `compat_ptr_ioctl`.
    fn compat_ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The adapters of `T`: the callbacks the generated `VTABLE` names.
pub(crate) struct MiscOpsAdapter<T: MiscOps>(PhantomData<T>);

// The generated table: `MiscOpsAdapter::<T>::VTABLE`.
include!("file_operations_vtable.rs");

impl<T: MiscOps> MiscOpsAdapter<T> {
    /// The `open` of `file_operations`: calls `T::open`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `open`, for a file of a `MiscRegistration<T>`.
    unsafe extern "C" fn open_callback(inode: *mut bindings::inode, raw: *mut bindings::file) -> c_int {
        // SAFETY: The pointers are valid and for a file being opened.
        let ret = unsafe { bindings::generic_file_open(inode, raw) };
        if ret != 0 {
            return ret;
        }
        // SAFETY: The file is valid for the call; no fdget_pos region is active on it.
        let file = unsafe { File::from_raw_file(raw) };
        match T::open(file) {
            Ok(ptr) => {
                // SAFETY: The open call of a file owns its private data
                // (misc_open left the miscdevice there, which we do not use).
                unsafe { (*raw).private_data = ptr.into_foreign() };
                0
            }
            Err(err) => err.to_errno(),
        }
    }

    /// The `release` of `file_operations`: calls `T::release`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `release`, for a file `open_callback` opened.
    unsafe extern "C" fn release_callback(_inode: *mut bindings::inode, raw: *mut bindings::file) -> c_int {
        // SAFETY: The release call of a file owns the private data `open_callback` set.
        let ptr = unsafe { <T::Ptr as ForeignOwnable>::from_foreign((*raw).private_data) };
        // SAFETY: The file is valid for the call; no fdget_pos region is active on it.
        T::release(ptr, unsafe { File::from_raw_file(raw) });
        0
    }

    /// The `read_iter` of `file_operations`: calls `T::read_iter`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `read_iter`, for a file `open_callback`
    /// opened and an `iov_iter` to write to.
    unsafe extern "C" fn read_iter_callback(kiocb: *mut bindings::kiocb, iter: *mut bindings::iov_iter) -> isize {
        // SAFETY: The kiocb is of a file of this device.
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: The iov_iter is valid for writing during the call.
        let iov = unsafe { IovIterDest::from_raw(iter) };
        match T::read_iter(kiocb, iov) {
            Ok(n) => n as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// The `write_iter` of `file_operations`: calls `T::write_iter`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `write_iter`, for a file `open_callback`
    /// opened and an `iov_iter` to read from.
    unsafe extern "C" fn write_iter_callback(kiocb: *mut bindings::kiocb, iter: *mut bindings::iov_iter) -> isize {
        // SAFETY: The kiocb is of a file of this device.
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: The iov_iter is valid for reading during the call.
        let iov = unsafe { IovIterSource::from_raw(iter) };
        match T::write_iter(kiocb, iov) {
            Ok(n) => n as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// The `unlocked_ioctl` of `file_operations`: calls `T::ioctl`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `unlocked_ioctl`, for a file `open_callback` opened.
    unsafe extern "C" fn ioctl_callback(raw: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
        // SAFETY: The private data is `open_callback`'s until `release_callback`.
        let device = unsafe { <T::Ptr as ForeignOwnable>::borrow((*raw).private_data) };
        // SAFETY: The file is valid for the call; no fdget_pos region is active on it.
        let file = unsafe { File::from_raw_file(raw) };
        match T::ioctl(device, file, cmd, arg as usize) {
            Ok(ret) => ret as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }

    /// The `compat_ioctl` of `file_operations`: calls `T::compat_ioctl`.
    ///
    /// # Safety
    ///
    /// Called by the C side as `compat_ioctl`, for a file `open_callback` opened.
    unsafe extern "C" fn compat_ioctl_callback(raw: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
        // SAFETY: The private data is `open_callback`'s until `release_callback`.
        let device = unsafe { <T::Ptr as ForeignOwnable>::borrow((*raw).private_data) };
        // SAFETY: The file is valid for the call; no fdget_pos region is active on it.
        let file = unsafe { File::from_raw_file(raw) };
        match T::compat_ioctl(device, file, cmd, arg as usize) {
            Ok(ret) => ret as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }
}

/// A registered misc device of driver `T`, whose `file_operations` is the
/// generated `MiscOpsAdapter::<T>::VTABLE`; deregistered when dropped.
#[pin_data(PinnedDrop)]
pub(crate) struct MiscRegistration<T: MiscOps> {
    #[pin]
    inner: Opaque<bindings::miscdevice>,
    _t: PhantomData<T>,
}

// SAFETY: misc_deregister may be called on any thread.
unsafe impl<T: MiscOps> Send for MiscRegistration<T> {}
// SAFETY: A shared reference gives no access to the miscdevice.
unsafe impl<T: MiscOps> Sync for MiscRegistration<T> {}

impl<T: MiscOps> MiscRegistration<T> {
    /// Registers `/dev/<name>` with `misc_register`.
    pub(crate) fn register(name: &'static CStr) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            inner <- Opaque::try_ffi_init(move |slot: *mut bindings::miscdevice| {
                let mut misc: bindings::miscdevice = pin_init::zeroed();
                misc.minor = bindings::MISC_DYNAMIC_MINOR as c_int;
                misc.name = name.as_char_ptr();
                misc.fops = &MiscOpsAdapter::<T>::VTABLE;
                // SAFETY: The initializer may write to `slot`.
                unsafe { slot.write(misc) };
                // SAFETY: `slot` holds a miscdevice whose name and fops are
                // static; it is pinned and deregistered before it is freed.
                to_result(unsafe { bindings::misc_register(slot) })
            }),
            _t: PhantomData,
        })
    }
}

#[pinned_drop]
impl<T: MiscOps> PinnedDrop for MiscRegistration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: The device was registered by `register`.
        unsafe { bindings::misc_deregister(self.inner.get()) };
    }
}
