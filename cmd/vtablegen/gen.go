package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const genUsage = `usage: vtablegen gen [-C dir] -header FILE.h [C flags] [-struct NAME]
	[-trait NAME] [-o dir] [-include-as PATH] [-macro VERSION] [-force] [-q] [-v]
	[-json] [-rust] FILE.rs... [-- C flags]

gen binds the C operations struct of the header to the #[vtable] trait of
the Rust files and writes into the output directory:
	<struct>_vtable.c	callback prototypes and, per impl, a const
			designated initializer with NULL for every missing operation
	<stem>_expanded.rs	each Rust file with #[vtable] items, the attribute
			replaced by the HAS_* consts the kernel's macro inserts
The header is read with cc/v4's own preprocessor and the C flags listed
below (-I, -iquote, -isystem, -D, -U, -include; others such as -std= shape
the predefined macros). Without -struct (-trait), the header (Rust files) must
hold exactly one.
Files are replaced only when their bytes change, through a temporary file
and a rename; a file without the "Code generated" line is never replaced
unless -force is given.

`

func runGen(args []string, stdout, stderr io.Writer) int {
	c := newCommand("gen", genUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines, rust listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	header := fs.String("header", "", "the C header that defines the operations struct")
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` for the header (repeatable)")
	structName := fs.String("struct", "", "the operations struct's `tag`, e.g. device_ops")
	trait := fs.String("trait", "", "the #[vtable] trait's `name`, e.g. DeviceOps")
	fs.Var(&rust, "rust", "a Rust `file` with the trait or its impls (repeatable; or give files as arguments)")
	out := fs.String("o", ".", "write the outputs into `dir`")
	include := fs.String("include-as", "", "spell the #include of the header as `path` (default: relative to -o)")
	force := fs.Bool("force", false, "replace output files that vtablegen did not generate")
	quiet := fs.Bool("q", false, "do not list the files written")
	verbose := fs.Bool("v", false, "also print notes on how the inputs were read")
	asJSON := fs.Bool("json", false, "print diagnostics as JSON objects, one per line (see README.md)")
	macro := macroFlag(fs)
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	rust = append(rust, files...)
	form, err := vtable.ParseForm(*macro)
	if err != nil {
		return c.fail("-macro: %v", err)
	}
	if *header == "" || len(rust) == 0 {
		return c.fail("need -header and at least one Rust file")
	}
	at := func(p string) string {
		if *dir == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(*dir, p)
	}
	cfg := vtablegen.Config{
		Header:  at(*header),
		Defines: defines,
		Struct:  vtable.CIdent(*structName),
		Trait:   vtable.RustPath(*trait),
		Include: *include,
		CFlags:  cflags,
		Form:    form,
	}
	for _, d := range includes {
		cfg.IncludeDirs = append(cfg.IncludeDirs, at(d))
	}
	for _, f := range rust {
		cfg.RustFiles = append(cfg.RustFiles, at(f))
	}
	outDir := at(*out)
	if cfg.Include == "" {
		cfg.Include = includeSpelling(outDir, cfg.Header)
	}

	r := vtablegen.Generate(cfg)
	if report(r.Diagnostics, stderr, *verbose, *asJSON) {
		return 1
	}
	for _, f := range r.Files {
		path := filepath.Join(outDir, f.Name)
		res, err := writeOutput(path, f.Content, *force)
		if err != nil {
			fmt.Fprintf(stderr, "vtablegen: %v\n", err)
			return 1
		}
		if !*quiet {
			verb := "wrote"
			if res == unchanged {
				verb = "unchanged"
			}
			fmt.Fprintf(stdout, "%s %s\n", verb, path)
		}
	}
	return 0
}

// includeSpelling is how a C file in outDir includes header: the path
// relative to outDir with forward slashes, or the absolute path when there
// is no relative one.
func includeSpelling(outDir, header string) string {
	o, err1 := filepath.Abs(outDir)
	h, err2 := filepath.Abs(header)
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(header)
	}
	rel, err := filepath.Rel(o, h)
	if err != nil {
		return filepath.ToSlash(h)
	}
	return filepath.ToSlash(rel)
}

// report prints the diagnostics to stderr, notes only when verbose: one
// per line in gcc's form, or with asJSON one JSON object per line. It
// reports whether any is an error.
func report(diags vtable.Diagnostics, stderr io.Writer, verbose, asJSON bool) bool {
	diags.Sort()
	for _, d := range diags {
		if d.Severity == vtable.Verbose && !verbose {
			continue
		}
		if !asJSON {
			fmt.Fprintln(stderr, d.Error())
			continue
		}
		j := jsonDiagnostic{File: d.Pos.Filename, Line: d.Pos.Line, Column: d.Pos.Column, Severity: d.Severity.String(),
			Message: d.Msg, Related: []jsonRelated{}}
		for _, r := range d.Related {
			j.Related = append(j.Related, jsonRelated{File: r.Pos.Filename, Line: r.Pos.Line, Column: r.Pos.Column, Message: r.Msg})
		}
		b, _ := json.Marshal(j) // plain strings and numbers: cannot fail
		fmt.Fprintf(stderr, "%s\n", b)
	}
	return diags.HasErrors()
}

// jsonDiagnostic is the -json form of a diagnostic: a public contract that
// later versions only extend.
type jsonDiagnostic struct {
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Column   int           `json:"column"`
	Severity string        `json:"severity"` // "error", "warning" or "note"
	Message  string        `json:"message"`
	Related  []jsonRelated `json:"related"`
}

// jsonRelated is a second place a diagnostic points at.
type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}
