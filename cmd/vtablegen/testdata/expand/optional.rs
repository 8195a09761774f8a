// #[optional] trait methods (the unmerged series, -macro optional): the macro gives
// each a default body that calls ::kernel::build_assert::build_error!, so
// the program builds against a stand-in `kernel` crate; an impl that
// overrides the method gets HAS_* = true, one that does not, false.

#[vtable]
pub trait Device {
    fn probe(&self) -> i32;
    #[optional]
    fn suspend(&self) -> i32;
    /// Documented, cfg'd and optional.
    #[cfg(all())]
    #[optional]
    fn resume(&self) -> i32;
}

struct Full;

#[vtable]
impl Device for Full {
    fn probe(&self) -> i32 {
        0
    }
    fn suspend(&self) -> i32 {
        1
    }
    fn resume(&self) -> i32 {
        2
    }
}

struct Minimal;

#[vtable]
impl Device for Minimal {
    fn probe(&self) -> i32 {
        0
    }
}

fn main() {
    let _ = (Full.probe(), Full.suspend(), Full.resume(), Minimal.probe());
    println!(
        "Full probe={} suspend={} resume={}",
        <Full as Device>::HAS_PROBE,
        <Full as Device>::HAS_SUSPEND,
        <Full as Device>::HAS_RESUME
    );
    println!(
        "Minimal probe={} suspend={} resume={}",
        <Minimal as Device>::HAS_PROBE,
        <Minimal as Device>::HAS_SUSPEND,
        <Minimal as Device>::HAS_RESUME
    );
}

// want optional: Full probe=true suspend=true resume=true
// want optional: Minimal probe=true suspend=false resume=false
