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
// pointer; the caller then falls back to a default. For every impl and every
// function-pointer member of the struct, the bound table records what fills
// the member: the callback exported for the Rust method that the binding
// names for it when the impl's HAS_<NAME> is true, and NULL otherwise. By
// default member x is filled by method x. Data members (a name, flags) are
// left zero unless the binding gives them a constant.
package vtable
