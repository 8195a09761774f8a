//! A PHY driver in the style of the kernel's net::phy abstraction
//! (rust/kernel/net/phy.rs of 6.12): the #[vtable] trait Driver with its
//! data consts, and a driver in the style of ax88796b_rust.rs. vtable.toml
//! binds the trait to the real struct phy_driver of the 6.12 headers.

use crate::prelude::*;

#[vtable]
pub trait Driver {
    /// Defines certain other features this PHY supports.
    const FLAGS: u32 = 0;

    /// The friendly name of this PHY type.
    const NAME: &'static CStr;

    /// This driver only works for PHYs with IDs which match this field.
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_custom_mask(0, 0);

    fn soft_reset(_dev: &mut Device) -> Result {
        build_error()
    }

    fn probe(_dev: &mut Device) -> Result {
        build_error()
    }

    fn get_features(_dev: &mut Device) -> Result {
        build_error()
    }

    fn match_phy_device(_dev: &Device) -> bool {
        false
    }

    fn config_aneg(_dev: &mut Device) -> Result {
        build_error()
    }

    fn read_status(_dev: &mut Device) -> Result<u16> {
        build_error()
    }

    fn suspend(_dev: &mut Device) -> Result {
        build_error()
    }

    fn resume(_dev: &mut Device) -> Result {
        build_error()
    }

    fn read_mmd(_dev: &mut Device, _devnum: u8, _regnum: u16) -> Result<u16> {
        build_error()
    }

    fn write_mmd(_dev: &mut Device, _devnum: u8, _regnum: u16, _val: u16) -> Result {
        build_error()
    }

    fn link_change_notify(_dev: &mut Device) {}
}

/// The ASIX AX88772A PHY, as drivers/net/phy/ax88796b_rust.rs has it.
pub struct PhyAX88772A;

#[vtable]
impl Driver for PhyAX88772A {
    const FLAGS: u32 = 1;
    const NAME: &'static CStr = c_str!("Asix Electronics AX88772A");
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_exact_mask(0x003b1861);

    fn soft_reset(_dev: &mut Device) -> Result {
        Ok(())
    }

    fn read_status(_dev: &mut Device) -> Result<u16> {
        Ok(0)
    }

    fn suspend(_dev: &mut Device) -> Result {
        Ok(())
    }

    fn resume(_dev: &mut Device) -> Result {
        Ok(())
    }

    fn link_change_notify(_dev: &mut Device) {}
}
