package vtablegen

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vtablegen/vtablegen/cparse"
	"github.com/vtablegen/vtablegen/emit"
	"github.com/vtablegen/vtablegen/vtable"
)

// TraitOptions say how 'vtablegen trait' writes a trait skeleton.
type TraitOptions struct {
	// Name is the trait's name; empty means the struct's name in
	// CamelCase, e.g. FileOperations for file_operations.
	Name string
	// Kernel writes the kernel's form (types under bindings::, default
	// bodies build_error!(VTABLE_DEFAULT_ERROR)) and a kernel-style
	// binding file; otherwise the userspace form.
	Kernel bool
	// ConfigFile is where the binding file will be written, e.g.
	// "vtable.toml": its paths are relative to its directory.
	ConfigFile string
}

// TraitSkeleton is what Trait returns.
type TraitSkeleton struct {
	// Name is the trait's name.
	Name string
	// Trait is the Rust source of the trait, the user's from then on.
	Trait []byte
	// Config is the matching binding file.
	Config []byte
	// Methods are the trait's methods, with the members they fill, and
	// the members that have none and why.
	Methods []emit.TraitMethod
}

// Trait reads the operations struct cfg names (cfg.Struct, from the
// header or build mode cfg says) and returns a vtable trait skeleton
// for it: one method per function member, named and typed after it, the
// header's comment as its doc, a default body, and the binding file that
// binds it. It writes nothing.
func Trait(cfg Config, o TraitOptions) (*TraitSkeleton, vtable.Diagnostics) {
	s, diags := readStruct(cfg)
	if s == nil {
		return nil, diags
	}
	cparse.AttachDocs(s)
	name := o.Name
	if name == "" {
		// The struct's own name in camel case, unless the trait's
		// signatures name a C type of that name (GLib's GHookList, whose
		// hooks take a GHookList *): then with Ops after it.
		name = camelCase(string(s.Ident()))
		if taken := emit.TraitTypeNames(s, vtable.RustTypes{}); slices.Contains(taken, name) || slices.Contains(taken, name+"Ops") {
			name += "Ops"
			if slices.Contains(taken, name) {
				name += "Trait"
			}
		}
	}
	if !isRustTypeName(name) {
		diags.Add(token0(cfg.Header), "%q is not a Rust identifier: name the trait with -name", name)
		return nil, diags
	}
	rt := vtable.RustTypes{}
	if o.Kernel {
		rt = vtable.RustTypes{Path: "bindings", FFI: "::core::ffi"}
	}
	methods := emit.TraitMethods(s, rt)
	file := o.ConfigFile
	if file == "" {
		file = DefaultConfigFile
	}
	so := starterOptions(cfg, file, nil)
	so.By = "vtablegen trait"
	so.Trait = vtable.RustPath(name)
	so.Kernel = o.Kernel
	if !o.Kernel {
		// A userspace program has no kernel crate for Linux 7.3's
		// OwnerModule: the newest form without it.
		so.Macro = "7.2"
	} else if v := kernelRelease(cfg); v != "" {
		so.Macro = v // the form of the kernel the headers are from
	}
	for _, tm := range methods {
		if tm.Skipped == "" && tm.Name != string(tm.Member.Name) {
			so.Rules = append(so.Rules, string(tm.Member.Name)+" = "+strconv.Quote(tm.Name))
		}
		if tm.Skipped != "" {
			diags.Warn(tm.Member.Pos, "%s has no method in the trait: %s", tm.Member.Name, tm.Skipped)
		}
	}
	return &TraitSkeleton{
		Name:    name,
		Trait:   emit.Trait(s, emit.TraitOptions{Name: name, Kernel: o.Kernel, Types: rt}),
		Config:  emit.Starter(s, so),
		Methods: methods,
	}, diags
}

// camelCase turns a C name into a Rust type name: file_operations is
// FileOperations, sqlite3_module Sqlite3Module.
func camelCase(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// TraitFileName is the name 'vtablegen trait' gives the trait's file:
// "<struct>_trait.rs".
func TraitFileName(s vtable.CIdent) string { return filepath.Base(string(s)) + "_trait.rs" }

// isRustTypeName reports a name a trait can have: an identifier, not a
// keyword.
func isRustTypeName(s string) bool {
	for i, c := range s {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != "" && s != "_" && vtable.RustName(s) == s
}

// kernelRelease is the version, e.g. "6.12", of the kernel whose build
// directory cfg's Kbuild command runs in (include/config/kernel.release),
// when the macro has a form of that version; "" otherwise.
func kernelRelease(cfg Config) string {
	if cfg.KbuildCmd == "" {
		return ""
	}
	c, diags := cparse.KbuildCommand(cfg.KbuildCmd, cfg.Dir)
	if diags.HasErrors() || c.Dir == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(c.Dir, "include", "config", "kernel.release"))
	if err != nil || len(b) > 256 {
		return ""
	}
	parts := strings.SplitN(strings.TrimSpace(string(b)), ".", 3)
	if len(parts) < 2 {
		return ""
	}
	v := parts[0] + "." + strings.TrimRight(parts[1], "-+abcdefghijklmnopqrstuvwxyz")
	if _, err := vtable.ParseForm(v); err != nil {
		return ""
	}
	return v
}
