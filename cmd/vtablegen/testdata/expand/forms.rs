// A program of #[vtable] traits and impls: user overrides, cfg'd methods,
// generics, nested modules. The test expands it with vtablegen in each
// form, builds it with plain rustc and compares what it prints with the
// "// want" lines below.

mod drivers {
    /// An operations trait inside a module, with a generic method.
    #[vtable]
    pub trait Ops {
        fn open(&self) -> i32;
        fn read(&self, _buf: &mut [u8]) -> usize {
            0
        }
        fn poll(&self) -> bool {
            false
        }
        fn map<T: Copy>(&self, v: T) -> T {
            v
        }
    }
}

use drivers::Ops;

/// Defines open and read, and forces read's slot off with its own const.
struct Plain;

#[vtable]
impl Ops for Plain {
    const HAS_READ: bool = false;
    fn open(&self) -> i32 {
        1
    }
    fn read(&self, _buf: &mut [u8]) -> usize {
        1
    }
}

/// A generic impl with a where clause; poll exists only under a cfg that is
/// never set, which the 6.12 macro ignores and 7.x copies.
struct Wrapper<T>(T);

#[macros::vtable]
impl<T> drivers::Ops for Wrapper<T>
where
    T: Copy,
{
    fn open(&self) -> i32 {
        2
    }
    #[cfg(any())]
    fn poll(&self) -> bool {
        true
    }
    fn map<U: Copy>(&self, v: U) -> U {
        v
    }
}

/// An unsafe trait and impl, the attribute written with a full path.
#[::kernel::prelude::vtable]
unsafe trait Raw {
    fn raw(&self) {}
}

#[vtable]
unsafe impl Raw for Plain {}

fn main() {
    let _ = (Plain.open(), Wrapper(1u8).open(), Plain.read(&mut []), Wrapper(0).map(3), Plain.raw());
    println!(
        "Plain open={} read={} poll={} map={} raw={}",
        <Plain as Ops>::HAS_OPEN,
        <Plain as Ops>::HAS_READ,
        <Plain as Ops>::HAS_POLL,
        <Plain as Ops>::HAS_MAP,
        <Plain as Raw>::HAS_RAW
    );
    println!(
        "Wrapper open={} read={} poll={} map={}",
        <Wrapper<u8> as Ops>::HAS_OPEN,
        <Wrapper<u8> as Ops>::HAS_READ,
        <Wrapper<u8> as Ops>::HAS_POLL,
        <Wrapper<u8> as Ops>::HAS_MAP
    );
}

// want 7.2: Plain open=true read=false poll=false map=false raw=false
// want 7.2: Wrapper open=true read=false poll=false map=true
// want 6.12: Plain open=true read=false poll=false map=false raw=false
// want 6.12: Wrapper open=true read=false poll=true map=true
