// A file on the trait 'vtablegen trait -kernel' wrote for file_operations:
// a few methods, in the C types.

pub struct RawFile;

#[vtable]
impl FileOperations for RawFile {
    fn llseek(
        _file: *mut bindings::file,
        offset: bindings::loff_t,
        _whence: ::core::ffi::c_int,
    ) -> bindings::loff_t {
        offset
    }

    fn read(
        _file: *mut bindings::file,
        _buf: *mut ::core::ffi::c_char,
        len: usize,
        _pos: *mut bindings::loff_t,
    ) -> isize {
        len as isize
    }

    fn open(_inode: *mut bindings::inode, _file: *mut bindings::file) -> ::core::ffi::c_int {
        0
    }
}
