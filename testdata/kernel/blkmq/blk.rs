//! A block driver in the style of the kernel's blk-mq abstraction
//! (rust/kernel/block/mq/operations.rs of 6.12): the #[vtable] trait
//! Operations, and a null block driver in the style of rnull.rs.
//! vtable.toml binds the trait to the real struct blk_mq_ops of the 6.12
//! headers, every member written out as OperationsVTable::VTABLE has it.

use crate::prelude::*;

#[macros::vtable]
pub trait Operations: Sized {
    /// Called by the kernel to queue a request with the driver.
    fn queue_rq(rq: ARef<Request<Self>>, is_last: bool) -> Result;

    /// Called by the kernel to indicate that queued requests should be submitted.
    fn commit_rqs();

    /// Called by the kernel to poll the device for completed requests.
    fn poll() -> bool {
        build_error()
    }
}

/// A null block device, as drivers/block/rnull.rs has it.
pub struct NullBlkDevice;

#[vtable]
impl Operations for NullBlkDevice {
    fn queue_rq(_rq: ARef<Request<Self>>, _is_last: bool) -> Result {
        Ok(())
    }

    fn commit_rqs() {}
}
