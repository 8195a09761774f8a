// Package gogenerate shows vtablegen run by go generate: the binding file
// vtable.toml binds ops.h to the #[vtable] trait of ops.rs, and
//
//	go generate ./examples/gogenerate
//
// rewrites the outputs under csrc/. Paths in the binding file are relative
// to this directory, which is where go generate runs the command. The C
// output goes to csrc/ and not beside this file: a .c file in a Go
// package's directory makes go build fail ("C source files not allowed when
// not using cgo").
//
// With vtablegen as a tool of the module (go get -tool
// github.com/vtablegen/vtablegen/cmd/vtablegen), the line can be
// "//go:generate go tool vtablegen gen -config vtable.toml".
package gogenerate

//go:generate go run github.com/vtablegen/vtablegen/cmd/vtablegen gen -q -config vtable.toml
