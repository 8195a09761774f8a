//! A stand-in for the kernel crate's `build_assert::build_error!`, which in
//! the kernel fails the build when a call to it is not optimized away.
//! Here it panics; the programs never call it.

#[macro_export]
macro_rules! build_error {
    ($msg:expr) => {
        panic!("{}", $msg)
    };
}

pub mod build_assert {
    pub use crate::build_error;
}

/// Linux 7.3's module metadata, which #[vtable] names for OwnerModule.
pub trait ModuleMetadata {}
