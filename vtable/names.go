package vtable

// CIdent is a C identifier, e.g. "unlocked_ioctl" or "file_operations".
type CIdent string

// RustIdent is a Rust identifier, e.g. "read" or "HAS_READ".
type RustIdent string

// RustPath is a Rust path as written in the source, e.g. "kernel::fs::Operations"
// or "DeviceOps".
type RustPath string
