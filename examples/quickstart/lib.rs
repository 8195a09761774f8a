//! The quickstart's Rust side as one crate: the driver code with its
//! #[vtable] attributes expanded, and the trampolines that export each
//! impl's methods under the names the C initializers use. Build it with
//! plain rustc, then link it with the C side:
//!
//!     rustc --edition 2021 --crate-type staticlib -o libdevice.a lib.rs
//!     gcc main.c gen/device_ops_vtable.c libdevice.a -lpthread -ldl -lm

#[path = "gen/device_expanded.rs"]
mod device;
pub use device::*;

include!("gen/device_ops_vtable.rs");
