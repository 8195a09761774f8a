// Included at the end of miscdevice.rs (see vt73.rs): both tables of each
// impl as statics the test finds by name in vt73.ko.

/// A `file_operations` that may be a static (it holds raw pointers).
#[repr(transparent)]
pub(crate) struct Table(bindings::file_operations);

// SAFETY: The tables are never written and only compared.
unsafe impl Sync for Table {}

macro_rules! tables {
    ($($t:ident: $abstraction:ident, $vtablegen:ident;)*) => {$(
        #[no_mangle]
        #[used]
        static $abstraction: Table = Table(MiscdeviceVTable::<crate::$t>::VTABLE);
        #[no_mangle]
        #[used]
        static $vtablegen: Table = Table(MiscdeviceVTable::<crate::$t>::VTABLE_VTABLEGEN);
    )*};
}

tables! {
    Full: VT73_ABSTRACTION_FULL, VT73_VTABLEGEN_FULL;
    IoctlOnly: VT73_ABSTRACTION_IOCTLONLY, VT73_VTABLEGEN_IOCTLONLY;
    CompatOnly: VT73_ABSTRACTION_COMPATONLY, VT73_VTABLEGEN_COMPATONLY;
    Bare: VT73_ABSTRACTION_BARE, VT73_VTABLEGEN_BARE;
}
