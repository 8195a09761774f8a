package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const traitUsage = `usage: vtablegen trait [-C dir] -header FILE.h [C flags] -struct NAME [-name TRAIT]
	[-kernel] [-cpp CMD | -compile-commands FILE [-entry SRC] | -kbuild-cmd FILE [-dir DIR] | -preprocessed]
	[-o dir] [-force] [-json] [-- C flags]

trait writes a #[vtable] trait skeleton for the C operations struct and
the binding file that binds it, into the output directory:
	<struct>_trait.rs	one method per function member, with the
			member's name, its parameters and result typed from the
			C types as bindgen spells them, the header's comment above
			the member as its doc comment, and a default body: the
			kernel's build_error!(VTABLE_DEFAULT_ERROR) with -kernel,
			otherwise unreachable!() (never called: an impl that does
			not define a method leaves its member NULL)
	vtable.toml	the binding: struct, trait, how the header is read, and
			with -kernel rust_style = "kernel" and skeleton = true
In userspace the trait names the header's types as the generated
<struct>_vtable.rs declares them; include!() both in one module. With
-kernel they are bindgen's, under bindings::. A member named like a Rust
keyword becomes a method with a trailing "_" (and a rule in vtable.toml).
Both files are yours from then on (no "Code generated" line): trait does
not replace either without -force. Then write impls and run
'vtablegen gen' in the output directory.

`

func runTrait(args []string, stdout, stderr io.Writer) int {
	c := newCommand("trait", traitUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	header := fs.String("header", "", "the C header that defines the operations struct")
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` for the header (repeatable)")
	structName := fs.String("struct", "", "the operations struct's `tag`, e.g. file_operations")
	name := fs.String("name", "", "the trait's `name` (default: the struct's in CamelCase)")
	kernel := fs.Bool("kernel", false, "the kernel's form: bindings:: types, build_error! defaults, rust_style = \"kernel\"")
	out := fs.String("o", ".", "write the files into `dir`")
	force := fs.Bool("force", false, "replace existing files")
	asJSON := fs.Bool("json", false, "print diagnostics as JSON objects, one per line")
	modes := buildModeFlags(fs, "the -header")
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if len(files) > 0 {
		return c.fail("unexpected arguments %q", files)
	}
	if msg := modes.check(); msg != "" {
		return c.fail("%s", msg)
	}
	if *header == "" && !modes.haveCommand() {
		return c.fail("need -header (or a build command)")
	}
	if *structName == "" {
		return c.fail("need -struct")
	}
	at := under(*dir)
	cfg := vtablegen.Config{Header: at(*header), Defines: defines, CFlags: cflags, Struct: vtable.CIdent(*structName)}
	if err := modes.complete(&cfg, includes, at); err != nil {
		return c.fail("%v", err)
	}
	outDir := at(*out)
	configPath := filepath.Join(outDir, vtablegen.DefaultConfigFile)
	sk, diags := vtablegen.Trait(cfg, vtablegen.TraitOptions{Name: *name, Kernel: *kernel, ConfigFile: configPath})
	if report(diags, stderr, false, *asJSON) {
		return 1
	}
	traitPath := filepath.Join(outDir, vtablegen.TraitFileName(cfg.Struct))
	if _, err := writeOutputs([]output{{traitPath, sk.Trait, false}, {configPath, sk.Config, false}}, *force); err != nil {
		printWriteError(stderr, err)
		return 1
	}
	methods := 0
	for _, m := range sk.Methods {
		if m.Skipped == "" {
			methods++
		}
	}
	fmt.Fprintf(stdout, "wrote %s (trait %s, %d methods)\nwrote %s\n", traitPath, sk.Name, methods, configPath)
	return 0
}
