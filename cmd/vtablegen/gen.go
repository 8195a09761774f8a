package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const genUsage = `usage: vtablegen gen [-C dir] -header FILE.h [C flags] [-struct NAME]
	[-cpp CMD | -compile-commands FILE [-entry SRC] | -kbuild-cmd FILE [-dir DIR] | -preprocessed]
	[-trait NAME] [-o dir] [-include-as PATH] [-macro VERSION] [-force] [-q] [-v]
	[-json] [-rust] FILE.rs... [-- C flags]
       vtablegen gen [-C dir] [-config vtable.toml] [-force] [-q] [-v] [-json]
	[-check] [-depfile FILE] [-touch]

gen binds the C operations struct of the header to the #[vtable] trait of
the Rust files and writes into the output directory:
	<struct>_vtable.c	callback prototypes and, per impl, a const
			designated initializer with NULL for every missing operation
	<stem>_expanded.rs	each Rust file with #[vtable] items, the attribute
			replaced by the HAS_* consts the kernel's macro inserts
The header is read with the embedded preprocessor and the C flags listed
below (-I, -iquote, -isystem, -D, -U, -include; others such as -std= shape
the predefined macros), or as the build reads it: -cpp, -compile-commands,
-kbuild-cmd and -preprocessed work as for 'vtablegen structs', and only the
declarations the struct needs are parsed. With a build command and no
-header, the command's own source is read and the C output includes the
struct's header as <path below include/>, e.g. <linux/fs.h>. Without -struct (-trait), the header (Rust files) must
hold exactly one.
With -config (or with no -header and a vtable.toml in the directory), the
binding file says all of that, for one or more bindings, with member rules
(a method filling a member of another name, fallbacks, same-as members,
C expressions, trait consts; see README.md); 'vtablegen init' writes a
starter file.
-check writes nothing and prints a diff of each stale output (exit 1 when
there is one); -depfile writes a Make/Ninja dependency file of every input
read; -touch (for make) touches an unchanged output older than an input.
Files are replaced only when their bytes change, through a temporary file
and a rename; a file without the "Code generated" line is never replaced
unless -force is given.

`

func runGen(args []string, stdout, stderr io.Writer) int {
	c := newCommand("gen", genUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines, rust listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	configFile := fs.String("config", "", "read the bindings from the binding `file` (default: ./vtable.toml, when gen is given no -header)")
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
	check := fs.Bool("check", false, "write nothing: print a unified diff of every stale or missing output and exit 1 if there is one")
	depfile := fs.String("depfile", "", "write a Make/Ninja dependency `file` naming the outputs and every input read")
	touch := fs.Bool("touch", false, "touch an output that is current but older than an input (for make; not for ninja's restat)")
	skeleton := fs.Bool("skeleton", false, "with rust_style = \"kernel\": also write <struct>_skeleton.rs, the adapters' signatures with todo!() bodies, once")
	macro := macroFlag(fs)
	modes := buildModeFlags(fs, "the -header")
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	rust = append(rust, files...)
	at := under(*dir)
	if *configFile == "" && *header == "" && len(rust) == 0 {
		if _, err := os.Stat(at(vtablegen.DefaultConfigFile)); err == nil {
			*configFile = vtablegen.DefaultConfigFile
		}
	}

	var cfgs []vtablegen.Config
	if *configFile != "" {
		var set []string
		fs.Visit(func(f *flag.Flag) {
			if !slices.Contains([]string{"C", "config", "force", "q", "v", "json", "check", "depfile", "touch", "o", "cpp", "dir", "skeleton"}, f.Name) {
				set = append(set, "-"+f.Name)
			}
		})
		if len(set) > 0 || len(rust) > 0 {
			return c.fail("the binding file says what -header, -struct, -trait, -include-as, -macro and Rust files would: give them there, not with -config (have: %s)",
				strings.Join(append(set, rust...), " "))
		}
		var diags vtable.Diagnostics
		cfgs, diags = vtablegen.LoadConfig(at(*configFile))
		if report(diags, stderr, *verbose, *asJSON) {
			return 1
		}
		oSet := false
		fs.Visit(func(f *flag.Flag) { oSet = oSet || f.Name == "o" })
		// A build system may say where the outputs go (-o) and how its
		// compiler preprocesses (-cpp, run in -dir or here, and C flags,
		// added to each binding's): Kbuild passes the kernel's own.
		var cpp []string
		if *modes.cpp != "" {
			var err error
			if cpp, err = vtablegen.SplitCommand(*modes.cpp); err != nil || len(cpp) == 0 {
				return c.fail("-cpp %q: not a command", *modes.cpp)
			}
		}
		for i := range cfgs {
			if oSet { // a build system that wants the outputs in its build directory
				cfgs[i].OutDir = at(*out)
			}
			if cpp != nil {
				cfgs[i].Cpp, cfgs[i].Dir = cpp, at(*modes.dir)
				if cfgs[i].Dir == "" {
					cfgs[i].Dir = "."
				}
			}
			cfgs[i].CFlags = append(cfgs[i].CFlags, cflags...)
			cfgs[i].Skeleton = cfgs[i].Skeleton || *skeleton
			cfgs[i].CppTimeout = *modes.timeout
			cfgs[i].AnyCompiler = cfgs[i].AnyCompiler || *modes.anyCompiler
		}
	} else {
		form, err := formFor(*macro, rust)
		if err != nil {
			return c.fail("-macro: %v", err)
		}
		if msg := modes.check(); msg != "" {
			return c.fail("%s", msg)
		}
		if *header == "" && !modes.haveCommand() || len(rust) == 0 {
			return c.fail("need -header (or a build command) and at least one Rust file, or a binding file (-config, or %s here)", vtablegen.DefaultConfigFile)
		}
		cfg := vtablegen.Config{
			Header:  at(*header),
			Defines: defines,
			Struct:  vtable.CIdent(*structName),
			Trait:   vtable.RustPath(*trait),
			Include: *include,
			CFlags:  cflags,
			Form:    form,
			OutDir:  at(*out),
		}
		if err := modes.complete(&cfg, includes, at); err != nil {
			return c.fail("%v", err)
		}
		for _, f := range rust {
			cfg.RustFiles = append(cfg.RustFiles, at(f))
		}
		cfgs = append(cfgs, cfg)
	}

	// Everything is generated before anything is written: a binding that
	// fails writes nothing, and two bindings may not write one file.
	var outputs []output
	var diags vtable.Diagnostics
	var inputs []string
	from := map[string]int{}
	for i, cfg := range cfgs {
		cfg.HostCache = hostCache()
		r := vtablegen.Generate(cfg)
		diags = append(diags, r.Diagnostics...)
		for _, in := range r.Inputs {
			if !slices.Contains(inputs, in) {
				inputs = append(inputs, in)
			}
		}
		for _, f := range r.Files {
			path := filepath.Join(cfg.OutDir, f.Name)
			if j, ok := from[path]; ok && j != i {
				diags.Add(vtable.FileStart(*configFile), "bindings %d and %d would both write %s: give one of them another out or naming", j+1, i+1, path)
			}
			from[path] = i
			outputs = append(outputs, output{path, f.Content, f.Once})
		}
	}
	if report(diags, stderr, *verbose, *asJSON) {
		return 1
	}
	if *check {
		stale := 0
		for _, o := range outputs {
			old, err := os.ReadFile(o.path)
			name := o.path
			if err == nil && o.once {
				continue // a starter file, the user's once written
			}
			if os.IsNotExist(err) {
				name = "/dev/null"
			} else if err != nil {
				fmt.Fprintf(stderr, "vtablegen: %v\n", err)
				return 1
			}
			if d := unifiedDiff(name, o.path, old, o.content); d != "" {
				stale++
				io.WriteString(stdout, d)
			}
		}
		if stale > 0 {
			fmt.Fprintf(stderr, "vtablegen gen -check: %d of %d outputs are stale or missing: run vtablegen gen\n", stale, len(outputs))
			return 1
		}
		return 0
	}
	newest := newestMtime(inputs)
	results, err := writeOutputs(outputs, *force)
	if err != nil {
		printWriteError(stderr, err)
		return 1
	}
	for i, o := range outputs {
		res := results[i]
		if res == unchanged && *touch {
			if st, err := os.Stat(o.path); err == nil && st.ModTime().Before(newest) {
				now := time.Now()
				if newest.After(now) { // an input dated in the future
					now = newest
				}
				if err := os.Chtimes(o.path, now, now); err != nil {
					fmt.Fprintf(stderr, "vtablegen: %v\n", err)
					return 1
				}
				res = touched
			}
		}
		if !*quiet {
			fmt.Fprintf(stdout, "%s %s\n", res, o.path)
		}
	}
	if *depfile != "" {
		var paths []string
		for _, o := range outputs {
			paths = append(paths, o.path)
		}
		if err := writeFileAtomic(at(*depfile), depfileContent(paths, inputs)); err != nil {
			fmt.Fprintf(stderr, "vtablegen: %v\n", err)
			return 1
		}
	}
	return 0
}

// newestMtime is the latest modification time among files.
func newestMtime(files []string) time.Time {
	var t time.Time
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.ModTime().After(t) {
			t = st.ModTime()
		}
	}
	return t
}

// depfileContent is a dependency file as gcc -MD -MP writes it, which
// Make and Ninja both read: the outputs depend on every input, and each
// input has an empty rule so that a deleted header does not stop make.
func depfileContent(outputs, inputs []string) []byte {
	var b strings.Builder
	for i, o := range outputs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(depEscape(o))
	}
	b.WriteByte(':')
	for _, in := range inputs {
		b.WriteString(" \\\n  ")
		b.WriteString(depEscape(in))
	}
	b.WriteString("\n")
	for _, in := range inputs {
		b.WriteString("\n" + depEscape(in) + ":\n")
	}
	return []byte(b.String())
}

// depEscape escapes a path for a depfile as Make and Ninja read one:
// blanks, '#' and ':' get a backslash, '$' is doubled.
func depEscape(p string) string {
	var b strings.Builder
	for _, c := range p {
		switch c {
		case ' ', '\t', '#', ':':
			b.WriteByte('\\')
		case '$':
			b.WriteByte('$')
		}
		b.WriteRune(c)
	}
	return b.String()
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
