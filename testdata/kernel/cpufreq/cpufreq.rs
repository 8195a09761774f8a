//! A CPU frequency driver in the style of the kernel's cpufreq abstraction
//! (rust/kernel/cpufreq.rs of 7.x): the #[vtable] trait Driver with its
//! data consts, and a driver in the style of rcpufreq_dt.rs. vtable.toml
//! binds the trait to the real struct cpufreq_driver of the 6.12 headers:
//! the name copied into its char array, flags from a const, init and
//! verify always set.

use crate::prelude::*;

#[vtable]
pub trait Driver {
    /// Driver's name.
    const NAME: &'static CStr;

    /// Driver's flags.
    const FLAGS: u16;

    /// Boost support.
    const BOOST_ENABLED: bool;

    fn init(policy: &mut Policy) -> Result;

    fn exit(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn online(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn offline(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn suspend(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn resume(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn ready(_policy: &mut Policy) {
        build_error()
    }

    fn verify(data: &mut PolicyData) -> Result;

    fn setpolicy(_policy: &mut Policy) -> Result {
        build_error()
    }

    fn target(_policy: &mut Policy, _target_freq: u32, _relation: u32) -> Result {
        build_error()
    }

    fn target_index(_policy: &mut Policy, _index: u32) -> Result {
        build_error()
    }

    fn fast_switch(_policy: &mut Policy, _target_freq: u32) -> u32 {
        build_error()
    }

    fn get_intermediate(_policy: &mut Policy, _index: u32) -> u32 {
        build_error()
    }

    fn target_intermediate(_policy: &mut Policy, _index: u32) -> Result {
        build_error()
    }

    fn get(_policy: &mut Policy) -> Result<u32> {
        build_error()
    }

    fn update_limits(_policy: &mut Policy) {
        build_error()
    }

    fn bios_limit(_policy: &mut Policy) -> Result<u32> {
        build_error()
    }

    fn set_boost(_policy: &mut Policy, _state: i32) -> Result {
        build_error()
    }

    fn register_em(_policy: &mut Policy) {
        build_error()
    }
}

/// A device-tree cpufreq driver, as drivers/cpufreq/rcpufreq_dt.rs has it.
pub struct CPUFreqDTDriver;

#[vtable]
impl Driver for CPUFreqDTDriver {
    const NAME: &'static CStr = c_str!("cpufreq-dt");
    const FLAGS: u16 = 1 << 0 | 1 << 5;
    const BOOST_ENABLED: bool = true;

    fn init(_policy: &mut Policy) -> Result {
        Ok(())
    }

    fn exit(_policy: &mut Policy) -> Result {
        Ok(())
    }

    fn online(_policy: &mut Policy) -> Result {
        Ok(())
    }

    fn offline(_policy: &mut Policy) -> Result {
        Ok(())
    }

    fn verify(_data: &mut PolicyData) -> Result {
        Ok(())
    }

    fn target_index(_policy: &mut Policy, _index: u32) -> Result {
        Ok(())
    }

    fn get(_policy: &mut Policy) -> Result<u32> {
        Ok(0)
    }

    fn set_boost(_policy: &mut Policy, _state: i32) -> Result {
        Ok(())
    }

    fn register_em(_policy: &mut Policy) {}
}
