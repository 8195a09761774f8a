//! The filters, in Rust.

/// The C struct filter, opaque to Rust.
pub struct Filter {
    _private: [u8; 0],
}

#[vtable]
pub trait FilterOps {
    fn init(filter: &Filter) -> i32;
    fn apply(_filter: &Filter, _buf: &[u8]) -> i32 {
        0
    }
    fn destroy(_filter: &Filter) {}
}

pub struct Upper;

#[vtable]
impl FilterOps for Upper {
    fn init(_filter: &Filter) -> i32 {
        0
    }
    fn apply(_filter: &Filter, buf: &[u8]) -> i32 {
        buf.len() as i32
    }
}
