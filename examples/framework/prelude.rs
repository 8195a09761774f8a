//! What the plugins' code uses: the framework's stream, its errors and
//! Result, and the conversion of a Result into a C return value.

pub use core::ffi::CStr;

/// The C struct stream, opaque to Rust.
pub struct Stream {
    _private: [u8; 0],
}

/// An error, as a positive errno.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Error(pub i32);

pub const EINVAL: Error = Error(22);
pub const ENOTTY: Error = Error(25);

pub type Result<T = ()> = core::result::Result<T, Error>;

/// A value a Result carries that C can take.
pub trait IntoC<R> {
    fn into_c(self) -> R;
}

impl IntoC<i32> for () {
    fn into_c(self) -> i32 {
        0
    }
}

impl IntoC<i64> for usize {
    fn into_c(self) -> i64 {
        self as i64
    }
}

impl IntoC<i64> for i64 {
    fn into_c(self) -> i64 {
        self
    }
}

/// Turns a method's Result into what C returns: the value, or the negative
/// errno (the kernel's from_result).
pub fn from_result<T: IntoC<R>, R: From<i32>>(r: Result<T>) -> R {
    match r {
        Ok(v) => v.into_c(),
        Err(e) => R::from(-e.0),
    }
}

/// The kernel's c_str!: a C string literal.
#[macro_export]
macro_rules! c_str {
    ($s:literal) => {
        match ::core::ffi::CStr::from_bytes_with_nul(concat!($s, "\0").as_bytes()) {
            Ok(s) => s,
            Err(_) => panic!("c_str!: a NUL inside the string"),
        }
    };
}
