// Package vtablegen is the library entry point of vtablegen, which compiles
// Rust #[vtable] traits and impls together with the C operations structs
// they fill.
//
// Generate (arriving with the pipeline, see README.md) reads the C headers
// through package cparse and the Rust sources through package rustparse,
// binds them with the rules of package vtable, and renders the outputs with
// package emit. It returns the files as bytes together with the
// diagnostics, and writes nothing: writing files is the job of
// cmd/vtablegen, or of the caller.
package vtablegen

import "github.com/vtablegen/vtablegen/vtable"

// Config names the inputs of one generation, as the flags of
// "vtablegen gen" do.
type Config struct {
	// Header is the C header that defines the operations struct, e.g.
	// "examples/quickstart/device.h".
	Header string
	// IncludeDirs and Defines are the C flags the header is parsed with, as
	// -I and -D take them.
	IncludeDirs []string
	Defines     []string
	// Struct is the operations struct's tag, e.g. "device_ops".
	Struct vtable.CIdent
	// RustFiles are the Rust sources holding the #[vtable] trait and impls.
	RustFiles []string
	// Trait is the #[vtable] trait bound to the struct, e.g. "DeviceOps".
	Trait vtable.RustPath
}

// File is one generated output.
type File struct {
	// Name is the output's file name relative to the output directory, e.g.
	// "device_ops.c".
	Name string
	// Content is the whole file; it starts with the "Code generated" marker.
	Content []byte
}

// Result is what Generate returns: the outputs and every diagnostic found
// on the way. Files is empty when Diagnostics holds an error.
type Result struct {
	Files       []File
	Diagnostics vtable.Diagnostics
}
