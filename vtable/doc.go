// Package vtable is the model that every other package of vtablegen speaks,
// and the rules that decide what goes into each slot of a C operations
// struct.
//
// The front ends produce it (package cparse turns C headers into [Struct]
// values, package rustparse turns Rust sources into [Item] values), the
// binder relates the two into a [Table], and the emitters (package emit)
// consume the table. Nothing converts between private copies of these types.
// Positions are [go/token.Position] values: file name, 1-based line and
// column.
//
// # The HAS_* rule
//
// The Linux kernel's vtable attribute macro, on a trait, inserts
//
//	const USE_VTABLE_ATTR: ();
//	const HAS_READ: bool = false;
//
// with one HAS_<NAME> for every method of the trait, required or provided.
// On an impl of such a trait it inserts
//
//	const USE_VTABLE_ATTR: () = ();
//	const HAS_READ: bool = true;
//
// for every method the impl defines, except where the impl already declares
// HAS_<NAME> itself: a user-written const always wins, which is how a driver
// forces a slot to stay empty. NAME is the method name upper-cased the way
// Rust's str::to_uppercase does it (a full Unicode mapping: "ß" becomes "SS").
//
// # The NULL rule
//
// A C operations struct models a missing operation as a NULL function
// pointer; the caller then falls back to a default. [Bind] decides, once,
// for every impl and every member of the struct (data members too), what
// fills the member, and records it in the bound [Table] that the emitters
// only print:
//
//   - the callback exported for the Rust method that fills the member,
//     when the impl's HAS_<NAME> is true (by default member x is filled by
//     method x; a [Binding] can give it another method, and one method can
//     fill several members);
//   - otherwise the rule's fallback, e.g. compat_ptr_ioctl for
//     compat_ioctl when the impl has ioctl, or NULL;
//   - where a rule says so: the value another member got (same_as), a C
//     expression (owner = THIS_MODULE), or the literal value of a trait
//     const (name from NAME);
//   - zero, that is not named in the initializer: data members without a
//     rule, and members a rule leaves zero.
//
// The HAS_<NAME> value of a method is computed by one function, [Has],
// which both the Rust expansion and the binder use.
package vtable
