// A file system of one file, /hello, on the trait 'vtablegen trait' wrote.

pub struct Hello;

#[vtable]
impl FuseOperations for Hello {
    fn getattr(path: *const c_char, _st: *mut stat, _fi: *mut fuse_file_info) -> c_int {
        match unsafe { core::ffi::CStr::from_ptr(path) }.to_bytes() {
            b"/" | b"/hello" => 0,
            _ => -2, // ENOENT
        }
    }

    fn read(path: *const c_char, buf: *mut c_char, size: usize, offset: off_t, _fi: *mut fuse_file_info) -> c_int {
        if unsafe { core::ffi::CStr::from_ptr(path) }.to_bytes() != b"/hello" {
            return -2;
        }
        let text = b"hello, world\n";
        let start = (offset as usize).min(text.len());
        let n = (text.len() - start).min(size);
        unsafe { core::ptr::copy_nonoverlapping(text[start..].as_ptr(), buf.cast::<u8>(), n) };
        n as c_int
    }
}
