//! The framework example's Rust side as one crate: the plugins with their
//! #[vtable] attributes expanded, the trampolines and VTABLE vtablegen
//! generated, and a registration call that hands each plugin's Rust-built
//! VTABLE to the C framework.
//!
//!     rustc --edition 2021 --crate-type staticlib --cfg 'feature="poll"' lib.rs

#[macro_use]
mod prelude;

#[path = "gen/stream_expanded.rs"]
mod stream;

use prelude::*;
pub use stream::*;

include!("gen/stream_ops_vtable.rs");

use stream_ops_vtable::{stream_ops, Vtable};

unsafe extern "C" {
    /// The framework's module, which owns the operations (THIS_PLUGIN).
    pub static mut framework_module: stream_ops_vtable::module;
    fn register_stream(name: *const core::ffi::c_char, ops: *const stream_ops);
}

/// Registers each plugin's stream_ops, as Rust builds it at compile time,
/// with the framework.
#[unsafe(no_mangle)]
pub extern "C" fn rust_register_streams() {
    unsafe {
        register_stream(c"FileStream".as_ptr(), &Vtable::<FileStream>::VTABLE);
        register_stream(c"NullSink".as_ptr(), &Vtable::<NullSink>::VTABLE);
    }
}
