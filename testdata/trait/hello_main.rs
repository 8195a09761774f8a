#![allow(non_camel_case_types, non_snake_case, dead_code)]

include!("gen/fuse_operations_trait_expanded.rs");
include!("gen/hello_expanded.rs");
include!("gen/fuse_operations_vtable.rs");

fn main() {
    let ops = fuse_operations_vtable::Vtable::<Hello>::VTABLE;
    assert!(ops.write.is_none() && ops.mkdir.is_none() && ops.readdir.is_none());
    let getattr = ops.getattr.expect("getattr");
    let read = ops.read.expect("read");
    let mut buf = [0u8; 64];
    unsafe {
        assert_eq!(getattr(c"/hello".as_ptr(), core::ptr::null_mut(), core::ptr::null_mut()), 0);
        assert_eq!(getattr(c"/nope".as_ptr(), core::ptr::null_mut(), core::ptr::null_mut()), -2);
        let n = read(c"/hello".as_ptr(), buf.as_mut_ptr().cast(), buf.len(), 7, core::ptr::null_mut());
        println!("read {} {:?}", n, core::str::from_utf8(&buf[..n as usize]).unwrap());
    }
}
