//! The Rust side of the quickstart device framework. A driver implements
//! `DeviceOps`; an operation its impl does not define stays NULL in the C
//! `struct device_ops` (see device.h), and the framework falls back to its
//! default there.

/// The C `struct device`, opaque to Rust.
pub struct Device {
    _private: [u8; 0],
}

/// The operations of a device, one method per function member of the C
/// `struct device_ops`.
#[vtable]
pub trait DeviceOps {
    /// Opens the device; every driver defines it.
    fn open(dev: &Device, mode: i32) -> i32;

    /// Releases the device after its last user is gone.
    fn release(_dev: &Device) {}

    /// Reads into `buf`, returning the byte count or a negative errno.
    fn read(_dev: &Device, _buf: &mut [u8]) -> isize {
        -22
    }

    /// Writes `buf`, returning the byte count or a negative errno.
    fn write(_dev: &Device, _buf: &[u8]) -> isize {
        -22
    }

    /// Device-specific control requests.
    fn ioctl(_dev: &Device, _cmd: u32, _arg: usize) -> isize {
        -25
    }

    /// Writes back buffered state.
    fn flush(_dev: &Device, _flags: u32) -> i32 {
        0
    }
}

/// An LED: defines every operation but flush.
pub struct LedDevice;

#[vtable]
impl DeviceOps for LedDevice {
    fn open(_dev: &Device, _mode: i32) -> i32 {
        0
    }

    fn release(_dev: &Device) {}

    fn read(_dev: &Device, buf: &mut [u8]) -> isize {
        // The LED's state is one byte: '1' when lit.
        match buf.first_mut() {
            Some(b) => {
                *b = b'1';
                1
            }
            None => 0,
        }
    }

    fn write(_dev: &Device, buf: &[u8]) -> isize {
        buf.len() as isize
    }

    fn ioctl(_dev: &Device, cmd: u32, _arg: usize) -> isize {
        if cmd == 1 { 0 } else { -25 }
    }
}

/// A sink that discards what is written: defines few operations.
pub struct NullSink;

#[vtable]
impl DeviceOps for NullSink {
    // flush is here for Rust callers, but the framework's own flush is the
    // right one for a sink: keep the C slot NULL.
    const HAS_FLUSH: bool = false;

    fn open(_dev: &Device, _mode: i32) -> i32 {
        0
    }

    fn write(_dev: &Device, buf: &[u8]) -> isize {
        buf.len() as isize
    }

    fn flush(_dev: &Device, _flags: u32) -> i32 {
        0
    }
}
