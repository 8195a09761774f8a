package main

import (
	"fmt"
	"io"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const initUsage = `usage: vtablegen init [-C dir] -header FILE.h [C flags] [-struct NAME] [-trait NAME]
	[-rust FILE.rs]... [-o vtable.toml] [-force] [-json]

init writes a starter binding file for the operations struct of the header:
the [[binding]] keys filled in from the flags, the forms a member rule can
take, and every member of the struct with its type, line, anonymous union
and #if conditions, as a commented rule. Editing it is the only step left
before 'vtablegen gen'. The file is the user's from then on (it has no
"Code generated" line), so init does not replace one without -force.
-o - prints it to standard output instead.

`

func runInit(args []string, stdout, stderr io.Writer) int {
	c := newCommand("init", initUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines, rust listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	header := fs.String("header", "", "the C header that defines the operations struct")
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` for the header (repeatable)")
	structName := fs.String("struct", "", "the operations struct's `tag`, e.g. device_ops")
	trait := fs.String("trait", "", "the vtable trait's `name`, e.g. DeviceOps")
	fs.Var(&rust, "rust", "a Rust `file` or glob for the rust key (repeatable; default *.rs)")
	out := fs.String("o", vtablegen.DefaultConfigFile, "write the binding file to `file` (- is standard output)")
	force := fs.Bool("force", false, "replace an existing file")
	asJSON := fs.Bool("json", false, "print diagnostics as JSON objects, one per line")
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if len(files) > 0 {
		return c.fail("unexpected arguments %q", files)
	}
	if *header == "" {
		return c.fail("need -header")
	}
	at := under(*dir)
	cfg := vtablegen.Config{Header: at(*header), Defines: defines, CFlags: cflags, HostCache: hostCache(),
		Struct: vtable.CIdent(*structName), Trait: vtable.RustPath(*trait)}
	for _, d := range includes {
		cfg.IncludeDirs = append(cfg.IncludeDirs, at(d))
	}
	path := at(*out)
	if *out == "-" {
		// The paths in the file are relative to where it would go.
		path = at(vtablegen.DefaultConfigFile)
	}
	content, diags := vtablegen.Starter(cfg, path, rust)
	if report(diags, stderr, false, *asJSON) {
		return 1
	}
	if *out == "-" {
		stdout.Write(content)
		return 0
	}
	if _, err := writeOutput(path, content, *force); err != nil {
		printWriteError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return 0
}
