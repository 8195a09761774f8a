//! The Rust side of the stream framework: a plugin is an impl of the
//! #[vtable] trait StreamOps, and vtablegen binds it to stream_ops.

use crate::prelude::*;

/// The operations of a stream plugin; a method an impl does not define is
/// NULL in its stream_ops, so that the framework uses its default.
#[vtable]
pub trait StreamOps {
    /// The plugin's name; fills stream_ops.name.
    const NAME: &'static CStr;

    fn open(stream: &Stream, mode: i32) -> Result<()>;
    fn release(_stream: &Stream) {}
    fn read(_stream: &Stream, _buf: &mut [u8]) -> Result<usize> {
        Err(EINVAL)
    }
    fn write(_stream: &Stream, _buf: &[u8]) -> Result<usize> {
        Err(EINVAL)
    }
    fn seek(_stream: &Stream, _offset: i64, _whence: i32) -> Result<i64> {
        Err(EINVAL)
    }
    /// Fills unlocked_ioctl.
    fn ioctl(_stream: &Stream, _cmd: u32, _arg: usize) -> Result<i64> {
        Err(ENOTTY)
    }
    fn compat_ioctl(_stream: &Stream, _cmd: u32, _arg: usize) -> Result<i64> {
        Err(ENOTTY)
    }
    /// Fills connect, and create too.
    fn connect(_stream: &Stream, _peer: &CStr) -> Result<()> {
        Err(EINVAL)
    }
    fn flush(_stream: &Stream) -> Result<()> {
        Ok(())
    }
    fn poll(_stream: &Stream, _events: i32) -> u32 {
        0
    }
    fn fsync(_stream: &Stream, _datasync: bool) -> Result<()> {
        Ok(())
    }
}

/// A stream on a file: most operations.
pub struct FileStream;

#[vtable]
impl StreamOps for FileStream {
    const NAME: &'static CStr = c"file";

    fn open(_stream: &Stream, _mode: i32) -> Result<()> {
        Ok(())
    }
    fn release(_stream: &Stream) {}
    fn read(_stream: &Stream, buf: &mut [u8]) -> Result<usize> {
        Ok(buf.len())
    }
    fn write(_stream: &Stream, buf: &[u8]) -> Result<usize> {
        Ok(buf.len())
    }
    fn seek(_stream: &Stream, offset: i64, _whence: i32) -> Result<i64> {
        Ok(offset)
    }
    fn ioctl(_stream: &Stream, cmd: u32, _arg: usize) -> Result<i64> {
        if cmd == 1 { Ok(0) } else { Err(ENOTTY) }
    }
    fn connect(_stream: &Stream, peer: &CStr) -> Result<()> {
        if peer.to_bytes() == b"ok" { Ok(()) } else { Err(EINVAL) }
    }
    fn poll(_stream: &Stream, _events: i32) -> u32 {
        1
    }
    fn fsync(_stream: &Stream, datasync: bool) -> Result<()> {
        if datasync { Ok(()) } else { Err(EINVAL) }
    }
}

/// A stream that swallows what is written: the minimum.
pub struct NullSink;

#[vtable]
impl StreamOps for NullSink {
    const NAME: &'static CStr = c_str!("null");

    fn open(_stream: &Stream, _mode: i32) -> Result<()> {
        Ok(())
    }
    fn write(_stream: &Stream, buf: &[u8]) -> Result<usize> {
        Ok(buf.len())
    }
    fn flush(_stream: &Stream) -> Result<()> {
        Ok(())
    }
}
