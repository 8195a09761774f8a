// SPDX-License-Identifier: GPL-2.0
//! Two misc device drivers on the `MiscOps` abstraction (miscops.rs), whose
//! `struct file_operations` vtablegen generated:
//!
//! - `/dev/rustmisc-echo` (`Echo`): open, release, read_iter, write_iter and
//!   ioctl; a read returns what the last write wrote, ioctl `RUSTMISC_LEN`
//!   returns its length.
//! - `/dev/rustmisc-quiet` (`Quiet`): open and release only, so every other
//!   member of its table is NULL and the kernel's defaults answer.

use kernel::{
    fs::{File, Kiocb},
    ioctl::_IO,
    iov::{IovIterDest, IovIterSource},
    new_mutex,
    prelude::*,
    sync::Mutex,
};

mod miscops;
use miscops::{MiscOps, MiscRegistration};

/// `ioctl(fd, RUSTMISC_LEN)`: the length of what the last write wrote.
const RUSTMISC_LEN: u32 = _IO('r' as u32, 1);

module! {
    type: RustMisc,
    name: "rustmisc",
    authors: ["vtablegen"],
    description: "Misc devices whose file_operations vtablegen generated",
    license: "GPL",
}

/// The module: both devices, registered while it is loaded. 7.3's
/// `#[vtable]` gives each impl `type OwnerModule = crate::LocalModule`, this
/// type, whose `THIS_MODULE` is the tables' `owner`; were `MiscOps` `pub`,
/// this would have to be `pub` too (E0446).
#[pin_data(PinnedDrop)]
struct RustMisc {
    #[pin]
    _echo: MiscRegistration<Echo>,
    #[pin]
    _quiet: MiscRegistration<Quiet>,
}

impl kernel::InPlaceModule for RustMisc {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!("loaded\n");
        try_pin_init!(Self {
            _echo <- MiscRegistration::register(c"rustmisc-echo"),
            _quiet <- MiscRegistration::register(c"rustmisc-quiet"),
        })
    }
}

#[pinned_drop]
impl PinnedDrop for RustMisc {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("unloaded\n");
    }
}

/// An open `/dev/rustmisc-echo`: the bytes of the last write.
#[pin_data]
struct Echo {
    #[pin]
    buffer: Mutex<KVVec<u8>>,
}

#[vtable]
impl MiscOps for Echo {
    type Ptr = Pin<KBox<Self>>;

    fn open(_file: &File) -> Result<Pin<KBox<Self>>> {
        pr_info!("echo: open\n");
        KBox::try_pin_init(
            try_pin_init!(Echo {
                buffer <- new_mutex!(KVVec::new()),
            }),
            GFP_KERNEL,
        )
    }

    fn release(_device: Pin<KBox<Self>>, _file: &File) {
        pr_info!("echo: release\n");
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        let buffer = me.buffer.lock();
        iov.simple_read_from_buffer(kiocb.ki_pos_mut(), &buffer)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        let mut buffer = me.buffer.lock();
        buffer.clear();
        let n = iov.copy_from_iter_vec(&mut buffer, GFP_KERNEL)?;
        // The next read starts at the beginning of what was written.
        *kiocb.ki_pos_mut() = 0;
        Ok(n)
    }

    fn ioctl(me: Pin<&Echo>, _file: &File, cmd: u32, _arg: usize) -> Result<isize> {
        match cmd {
            RUSTMISC_LEN => Ok(me.buffer.lock().len() as isize),
            _ => Err(ENOTTY),
        }
    }
}

/// An open `/dev/rustmisc-quiet`: nothing to keep.
struct Quiet;

#[vtable]
impl MiscOps for Quiet {
    type Ptr = KBox<Self>;

    fn open(_file: &File) -> Result<KBox<Self>> {
        pr_info!("quiet: open\n");
        Ok(KBox::new(Quiet, GFP_KERNEL)?)
    }

    fn release(_device: KBox<Self>, _file: &File) {
        pr_info!("quiet: release\n");
    }
}
