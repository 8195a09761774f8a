// Linux 7.3's #[vtable] adds an associated type: on the trait
// `type OwnerModule: ::kernel::ModuleMetadata;`, on an impl
// `type OwnerModule = crate::LocalModule;` unless the impl defines it
// itself, which keeps its own. Built against the stand-in kernel crate,
// which has ModuleMetadata; the program has its LocalModule.

pub struct LocalModule;
impl kernel::ModuleMetadata for LocalModule {}

pub struct Custom;
impl kernel::ModuleMetadata for Custom {}

#[vtable]
pub trait Ops {
    fn open(&self) -> i32;
    fn close(&self) {}
}

struct A;

#[vtable]
impl Ops for A {
    fn open(&self) -> i32 {
        1
    }
}

struct B;

#[vtable]
impl Ops for B {
    type OwnerModule = Custom;
    fn open(&self) -> i32 {
        2
    }
    fn close(&self) {}
}

fn main() {
    use std::any::TypeId;
    let _ = (A.open(), B.open(), B.close());
    println!(
        "A open={} close={} local={}",
        <A as Ops>::HAS_OPEN,
        <A as Ops>::HAS_CLOSE,
        TypeId::of::<<A as Ops>::OwnerModule>() == TypeId::of::<LocalModule>()
    );
    println!(
        "B open={} close={} custom={}",
        <B as Ops>::HAS_OPEN,
        <B as Ops>::HAS_CLOSE,
        TypeId::of::<<B as Ops>::OwnerModule>() == TypeId::of::<Custom>()
    );
}

// want 7.3: A open=true close=false local=true
// want 7.3: B open=true close=true custom=true
