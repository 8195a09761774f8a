// Package vtablegen is the library entry point of vtablegen, which compiles
// Rust vtable traits and impls together with the C operations structs
// they fill.
//
// [Generate] reads the C headers
// through package cparse and the Rust sources through package rustparse,
// binds them with the rules of package vtable, and renders the outputs with
// package emit. It returns the files as bytes together with the
// diagnostics, and writes nothing: writing files is the job of
// cmd/vtablegen, or of the caller.
package vtablegen

import (
	"fmt"
	"go/token"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vtablegen/vtablegen/cparse"
	"github.com/vtablegen/vtablegen/emit"
	"github.com/vtablegen/vtablegen/rustparse"
	"github.com/vtablegen/vtablegen/vtable"
)

// Config names the inputs of one generation, as the flags of
// "vtablegen gen" do.
type Config struct {
	// Header is the C header that defines the operations struct, e.g.
	// "examples/quickstart/device.h".
	Header string
	// Preprocessed says the header is a unit the build's preprocessor has
	// already run on, such as Kbuild's FILE.i: it is reduced to its type
	// declarations and positions map back through its line markers.
	Preprocessed bool
	// Cpp, when set, is the build's preprocessor, e.g. ["gcc", "-E"], run
	// with CFlags (and IncludeDirs and Defines) in Dir; without it, and
	// without KbuildCmd or CompileCommands, cc/v4's own preprocessor runs.
	Cpp    []string
	CFlags []string
	Dir    string
	// AnyCompiler lets KbuildCmd and CompileCommands run a program that
	// does not look like a C compiler or preprocessor; without it such a
	// build file is refused.
	AnyCompiler bool
	// CppTimeout bounds how long the build's preprocessor may run (with
	// Cpp, KbuildCmd or CompileCommands); 0 means cparse.DefaultCppTimeout.
	CppTimeout time.Duration
	// HostCache, when not nil, keeps the host C compiler's predefined
	// macros and include paths between runs, for cc/v4's own
	// preprocessor (the command keeps them in the user's cache
	// directory); without it the compiler is asked on each run.
	HostCache HostCache
	// KbuildCmd is a Kbuild command file (.foo.o.cmd): the header is
	// preprocessed with that command's compiler and flags, in the kernel
	// build directory (Dir, or found from the command). An empty Header
	// means the command's own source file.
	KbuildCmd string
	// CompileCommands is a compilation database (compile_commands.json):
	// the header is preprocessed with the compiler and flags of its entry
	// for Entry (or its only entry). An empty Header means that entry's
	// source file.
	CompileCommands string
	Entry           string
	// IncludeDirs and Defines are the C flags the header is parsed with, as
	// -I and -D take them.
	IncludeDirs []string
	Defines     []string
	// Include is how the generated C spells the header in its #include,
	// e.g. "../device.h"; empty means the header's path relative to
	// OutDir, or its base name when OutDir is empty.
	Include string
	// CIncludes are further headers the C output includes after Include,
	// as #include takes them, e.g. "<linux/module.h>" for THIS_MODULE.
	CIncludes []string
	// Skeleton asks, in the kernel style, for "<struct>_skeleton.rs": the
	// adapters' signatures typed from the C members, with todo!() bodies.
	Skeleton bool
	// BindingFile is the binding file the Config came from (LoadConfig
	// sets it), for Result.Inputs; empty otherwise.
	BindingFile string
	// OutDir is where the caller will write the outputs, e.g. "gen"; it
	// shapes only the #include spelling, since Generate writes nothing.
	OutDir string
	// Struct is the operations struct's tag, e.g. "device_ops"; empty means
	// the one struct with function-pointer members that the header defines.
	Struct vtable.CIdent
	// Wanted names further structs the caller needs (Structs reports only
	// what the header holds either way). With a preprocessed unit, only the
	// declarations Struct and Wanted need are parsed, which is much faster
	// on a Kbuild unit.
	Wanted []vtable.CIdent
	// RustFiles are the Rust sources holding the vtable trait and impls.
	RustFiles []string
	// Trait is the vtable trait bound to the struct, e.g. "DeviceOps";
	// empty means the one vtable trait of the Rust files.
	Trait vtable.RustPath
	// Form is the vtable macro whose expansion the Rust output
	// reproduces, e.g. vtable.Form73; the zero value, vtable.FormAuto, is
	// the form of the kernel tree the Rust files are in, else
	// vtable.Userspace (see FormOf).
	Form vtable.Form
	// Binding is how the trait fills the struct: member rules, unbound
	// methods, naming; nil is the default binding (member x is filled by
	// method x).
	Binding *vtable.Binding
}

// GeneratedHeader is the first line of every file vtablegen generates. A
// file without it was not written by vtablegen, and the command does not
// replace it unless told to.
const GeneratedHeader = emit.Header

// File is one generated output.
type File struct {
	// Name is the output's file name relative to the output directory:
	// "<struct>_vtable.c" for the C initializers, e.g. "device_ops_vtable.c",
	// and "<stem>_expanded.rs" for each Rust file with vtable items, e.g.
	// "device_expanded.rs".
	Name string
	// Content is the whole file; it starts with the "Code generated" marker,
	// except for a starter file (Once).
	Content []byte
	// Once marks a starter file, e.g. the -skeleton adapters: written only
	// where there is no file yet, the user's from then on.
	Once bool
}

// Result is what Generate returns: the outputs and every diagnostic found
// on the way. Files is empty when Diagnostics holds an error.
type Result struct {
	Files       []File
	Diagnostics vtable.Diagnostics
	// Inputs are the files the outputs were made from, each once, in the
	// order read: the binding file, the build command file, every header
	// the C front end read (transitively), the Rust sources. A depfile
	// lists them.
	Inputs []string
}

// Generate reads the header and the Rust files named by cfg, binds the
// struct to the vtable trait and its impls, and returns the generated
// files: the C initializers and, for each Rust file holding vtable
// items, its expansion. It writes nothing. Every problem found is in the
// result's Diagnostics; when one is an error, Files is empty.
func Generate(cfg Config) *Result {
	r := &Result{}
	if cfg.Header == "" && cfg.KbuildCmd == "" && cfg.CompileCommands == "" || len(cfg.RustFiles) == 0 {
		r.Diagnostics.Add(token0(""), "a header and at least one Rust file are required")
		return r
	}
	cfg.Form = FormOf(cfg.Form, cfg.RustFiles)
	// The Rust sources are parsed while the C front end (often the
	// build's preprocessor) runs.
	type rustResult struct {
		files []*vtable.RustFile
		diags vtable.Diagnostics
	}
	rustDone := make(chan rustResult, 1)
	go func() {
		files, diags := parseRust(cfg.RustFiles, cfg.Form)
		rustDone <- rustResult{files, diags}
	}()
	unit, diags := Structs(cfg)
	r.Diagnostics = append(r.Diagnostics, diags...)
	var structs []*vtable.Struct
	if unit != nil {
		structs = unit.Structs
		if cfg.Header == "" && len(unit.Files) > 0 {
			cfg.Header = unit.Files[0] // the build command's source
		}
	}

	rr := <-rustDone
	files := rr.files
	r.Diagnostics = append(r.Diagnostics, rr.diags...)
	r.Inputs = inputs(cfg, unit)
	if r.Diagnostics.HasErrors() {
		return r
	}
	var items []*vtable.Item
	for _, rf := range files {
		items = append(items, rf.Items...)
	}

	s := pickStruct(cfg, structs, &r.Diagnostics)
	trait := pickTrait(cfg, items, &r.Diagnostics)
	if s == nil || trait == nil {
		return r
	}
	// The trait's impls: those whose path resolves to it, and, where the
	// sources do not settle a path, those that name it.
	res := vtable.Resolve(files)
	var impls []*vtable.Item
	for _, it := range items {
		if it.Kind != vtable.Impl {
			continue
		}
		if res.Implements(it, trait) {
			impls = append(impls, it)
		}
	}
	table, diags := vtable.Bind(s, trait, impls, cfg.Binding)
	r.Diagnostics = append(r.Diagnostics, diags...)
	if r.Diagnostics.HasErrors() {
		return r
	}

	include := cfg.Include
	switch {
	case include != "":
	case cfg.KbuildCmd != "" || cfg.CompileCommands != "" || cfg.Preprocessed:
		// The unit is the build's: include the header that defines the
		// struct, as the build's sources do.
		include = systemInclude(s.Pos.Filename, cfg.OutDir)
	case cfg.OutDir != "":
		include = includeSpelling(cfg.OutDir, cfg.Header)
		if sys, ok := searchedInclude(cfg.Header, unit.IncludeDirs); ok {
			include = sys
		}
	default:
		include = filepath.Base(cfg.Header)
	}
	if strings.ContainsAny(include, "\"\n\r\x00") {
		r.Diagnostics.Add(token0(cfg.Header), "the header is included as %q, which C cannot #include: rename it, or spell it with include_as", include)
		return r
	}
	naming := table.Binding.Naming
	names := vtable.Names{Struct: string(s.Ident()), Trait: trait.Name}
	rust := emit.RustVtable(table)
	if table.Binding.Rust.Style == "kernel" {
		rust = emit.RustKernel(table)
	}
	r.Files = append(r.Files,
		File{Name: naming.COutputName(names), Content: emit.C(table, emit.COptions{Include: include, Includes: cfg.CIncludes, CFlags: cFlags(cfg)})},
		File{Name: naming.RustVtableName(names), Content: rust})
	if cfg.Skeleton && table.Binding.Rust.Style == "kernel" {
		r.Files = append(r.Files, File{Name: string(s.Ident()) + "_skeleton.rs", Content: emit.RustSkeleton(table), Once: true})
	}
	from := map[string]string{r.Files[0].Name: cfg.Header, r.Files[1].Name: cfg.Header}
	if r.Files[0].Name == r.Files[1].Name {
		r.Diagnostics.Add(token0(cfg.Header), "the C output and the Rust vtable would both be written as %s: give c_output or rust_vtable another pattern", r.Files[0].Name)
	}
	for _, rf := range files {
		if len(rf.Items) == 0 {
			continue
		}
		names.Stem = strings.TrimSuffix(filepath.Base(rf.Name), ".rs")
		name := naming.RustOutputName(names)
		if prev, ok := from[name]; ok {
			d := r.Diagnostics.Add(token0(rf.Name), "%s and %s would both be written as %s: rename one, or generate them in separate runs", prev, rf.Name, name)
			d.Related = append(d.Related, vtable.Related{Pos: token0(prev), Msg: "the other input"})
			continue
		}
		from[name] = rf.Name
		r.Files = append(r.Files, File{Name: name, Content: emit.RustExpansion(rf.Src, rf.Items, cfg.Form)})
	}
	if r.Diagnostics.HasErrors() {
		r.Files = nil
	}
	return r
}

// inputs lists the files a generation read, each once: the binding file,
// the build command file, the preprocessed unit, every file the C front
// end read (not vtablegen's own embedded headers), the Rust sources.
func inputs(cfg Config, unit *vtable.CUnit) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p != "" && !strings.HasPrefix(p, "/<") && !strings.HasPrefix(p, "<") && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	add(cfg.BindingFile)
	add(cfg.KbuildCmd)
	add(cfg.CompileCommands)
	if cfg.Preprocessed {
		add(cfg.Header)
	}
	if unit != nil {
		for _, f := range unit.Files {
			add(f)
		}
	}
	for _, f := range cfg.RustFiles {
		add(f)
	}
	return out
}

// systemInclude spells the #include of a header the build reads, e.g.
// /usr/src/linux-headers-6.12-common/include/linux/fs.h: the path below
// its last include/ directory in angle brackets ("<linux/fs.h>"), or else
// the path relative to outDir.
func systemInclude(header, outDir string) string {
	slash := filepath.ToSlash(header)
	if i := strings.LastIndex(slash, "/include/"); i >= 0 {
		return "<" + slash[i+len("/include/"):] + ">"
	}
	return includeSpelling(outDir, header)
}

// searchedInclude spells the #include of a header found in one of the
// directories #include <...> searches (-I, -isystem, the host's), the
// first that holds it, as the header's users do: its path below that
// directory in angle brackets, e.g. <sqlite3.h> for /usr/include/sqlite3.h,
// <libxml/parser.h> with -I/usr/include/libxml2.
func searchedInclude(header string, dirs []string) (string, bool) {
	h, err := filepath.Abs(header)
	if err != nil {
		return "", false
	}
	for _, d := range dirs {
		d, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(d, h); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return "<" + filepath.ToSlash(rel) + ">", true
		}
	}
	return "", false
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

// cFlags returns the C flags cfg reads the header with, as a command line
// would give them, for the record in the generated C.
func cFlags(cfg Config) []string {
	var out []string
	// Files are named from the output directory, so that the record does
	// not depend on where vtablegen ran.
	rel := func(p string) string {
		if cfg.OutDir == "" {
			return p
		}
		return includeSpelling(cfg.OutDir, p)
	}
	switch {
	case cfg.KbuildCmd != "":
		out = append(out, "-kbuild-cmd", rel(cfg.KbuildCmd))
	case cfg.CompileCommands != "":
		out = append(out, "-compile-commands", rel(cfg.CompileCommands))
		if cfg.Entry != "" {
			out = append(out, "-entry", cfg.Entry)
		}
	case len(cfg.Cpp) > 0:
		out = append(out, "-cpp", strings.Join(cfg.Cpp, " "))
	}
	for _, d := range cfg.IncludeDirs {
		out = append(out, "-I"+d)
	}
	for _, d := range cfg.Defines {
		out = append(out, "-D"+d)
	}
	return append(out, cfg.CFlags...)
}

// HostCache keeps what the host C compiler says of itself between runs;
// see cparse.HostCache.
type HostCache = cparse.HostCache

// DefaultCppTimeout is how long the build's preprocessor may run when
// Config.CppTimeout does not say.
const DefaultCppTimeout = cparse.DefaultCppTimeout

// Structs returns what the C front end sees in cfg.Header, read as the
// C fields of cfg say: the structs with a function-pointer member, in
// definition order, and the files read. It is what "vtablegen structs"
// prints.
func Structs(cfg Config) (*vtable.CUnit, vtable.Diagnostics) {
	opts := cparse.Options{IncludeDirs: cfg.IncludeDirs, Defines: cfg.Defines, Cpp: cfg.Cpp, Flags: cfg.CFlags, Dir: cfg.Dir, CppTimeout: cfg.CppTimeout,
		HostCache: cfg.HostCache}
	for _, w := range append(slices.Clone(cfg.Wanted), cfg.Struct) {
		if w != "" {
			opts.Structs = append(opts.Structs, string(w))
		}
	}
	header := cfg.Header
	var cmd *cparse.Command
	var diags vtable.Diagnostics
	switch {
	case cfg.KbuildCmd != "":
		cmd, diags = cparse.KbuildCommand(cfg.KbuildCmd, cfg.Dir)
	case cfg.CompileCommands != "":
		cmd, diags = cparse.CompileCommand(cfg.CompileCommands, cfg.Entry)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if cmd != nil && !cmd.IsCompiler() && !cfg.AnyCompiler {
		diags.Add(cmd.Pos, "the build file runs %s, which is not a C compiler or preprocessor: vtablegen runs only compilers a build file names (-any-compiler runs it anyway)", cmd.Cpp[0])
		return nil, diags
	}
	if cmd != nil {
		opts.Cpp, opts.Dir = cmd.Cpp, cmd.Dir
		opts.Flags = append(append([]string{}, cmd.Flags...), cfg.CFlags...)
		if header == "" {
			header = cmd.Source
		}
	}
	if header == "" {
		diags.Add(token0(""), "no header to read")
		return nil, diags
	}
	if cfg.Header != "" && opts.Dir != "" && len(opts.Cpp) > 0 && !filepath.IsAbs(header) {
		// The user's path is relative to here, not to where Cpp runs.
		if abs, err := filepath.Abs(header); err == nil {
			header = abs
		}
	}
	opts.Preprocessed = cfg.Preprocessed
	p, err := cparse.NewParser(opts)
	if err != nil {
		diags.Add(token0(header), "%v", err)
		return nil, diags
	}
	if cfg.Preprocessed {
		return p.ParsePreprocessed(header)
	}
	return p.Parse(header)
}

// SplitCommand splits a command line such as "gcc -E -DX='a b'" into its
// words as a POSIX shell does, for Config.Cpp.
func SplitCommand(s string) ([]string, error) { return cparse.SplitCommand(s) }

// Items returns what the Rust front end sees in files: every vtable
// trait and impl, file by file in source order. It is what
// "vtablegen consts" prints, with [vtable.Expansion] for the inserted
// consts.
func Items(files []string) ([]*vtable.Item, vtable.Diagnostics) {
	return ItemsForm(files, vtable.FormAuto)
}

// ItemsForm is Items with the checks of the vtable macro in form f
// (vtable.Check): across all the files, an impl of a vtable trait
// without the attribute, an impl method the trait does not declare, a
// required method an impl does not define, a method defined twice under the
// same cfg, an #[optional] method with a body. Files are parsed in
// parallel, one tree-sitter parser each.
func ItemsForm(files []string, f vtable.Form) ([]*vtable.Item, vtable.Diagnostics) {
	parsed, diags := parseRust(files, FormOf(f, files))
	var items []*vtable.Item
	for _, rf := range parsed {
		items = append(items, rf.Items...)
	}
	return items, diags
}

// parseRust parses the Rust files in parallel, one tree-sitter parser per
// goroutine, and runs the vtable checks of form f across all of them.
func parseRust(files []string, f vtable.Form) ([]*vtable.RustFile, vtable.Diagnostics) {
	parsed := make([]*vtable.RustFile, len(files))
	perFile := make([]vtable.Diagnostics, len(files))
	parallel(len(files), func(i int) { parsed[i], perFile[i] = rustparse.ParseFile(files[i]) })
	var diags vtable.Diagnostics
	for i := range parsed {
		diags = append(diags, perFile[i]...)
	}
	return parsed, append(diags, vtable.Check(parsed, f)...)
}

// parallel calls f(0) ... f(n-1), as many at a time as there are
// processors, and returns when all have returned.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

// readStruct reads the struct cfg names (or the header's only one).
func readStruct(cfg Config) (*vtable.Struct, vtable.Diagnostics) {
	unit, diags := Structs(cfg)
	if diags.HasErrors() {
		return nil, diags
	}
	return pickStruct(cfg, unit.Structs, &diags), diags
}

// Expand returns the Rust source file name with each vtable attribute
// replaced by what the kernel's macro in form f inserts (see
// emit.RustExpansion), and the diagnostics; the bytes are nil when the
// diagnostics hold an error.
func Expand(name string, f vtable.Form) ([]byte, vtable.Diagnostics) {
	f = FormOf(f, []string{name})
	parsed, diags := parseRust([]string{name}, f)
	if diags.HasErrors() {
		return nil, diags
	}
	return emit.RustExpansion(parsed[0].Src, parsed[0].Items, f), diags
}

// pickStruct finds the struct cfg names, or the only one when cfg names
// none. Not finding it is reported against the header.
func pickStruct(cfg Config, structs []*vtable.Struct, diags *vtable.Diagnostics) *vtable.Struct {
	var names []string
	for _, s := range structs {
		if s.Named(cfg.Struct) {
			return s
		}
		names = append(names, string(s.Ident()))
	}
	switch {
	case cfg.Struct != "":
		diags.Add(token0(cfg.Header), "no struct %q with function-pointer members in %s%s%s",
			cfg.Struct, cfg.Header, vtable.DidYouMean(string(cfg.Struct), names), choices(names))
	case len(structs) == 1:
		return structs[0]
	case len(structs) == 0:
		diags.Add(token0(cfg.Header), "%s defines no struct with function-pointer members", cfg.Header)
	default:
		diags.Add(token0(cfg.Header), "%s defines %d structs with function-pointer members: name one with -struct%s",
			cfg.Header, len(structs), choices(names))
	}
	return nil
}

// pickTrait finds the vtable trait cfg names, by path (vtable.TraitsNamed),
// or the only one when cfg names none.
func pickTrait(cfg Config, items []*vtable.Item, diags *vtable.Diagnostics) *vtable.Item {
	var traits []*vtable.Item
	var names []string
	for _, it := range items {
		if it.Kind == vtable.Trait {
			traits = append(traits, it)
			names = append(names, vtable.TraitPath(it))
		}
	}
	where := token0(cfg.RustFiles[0])
	if cfg.Trait != "" {
		switch named := vtable.TraitsNamed(items, cfg.Trait); len(named) {
		case 1:
			return named[0]
		case 0:
		default:
			d := diags.Add(where, "trait %s is ambiguous: %d #[vtable] traits have that path; name one by a longer path", cfg.Trait, len(named))
			for _, it := range named {
				d.Related = append(d.Related, vtable.Related{Pos: it.Pos, Msg: "trait " + vtable.TraitPath(it) + " declared here"})
			}
			return nil
		}
	}
	switch {
	case cfg.Trait != "":
		diags.Add(where, "no #[vtable] trait %s in %s%s%s", cfg.Trait, strings.Join(cfg.RustFiles, ", "),
			vtable.DidYouMean(string(cfg.Trait), names), choices(names))
	case len(traits) == 1:
		return traits[0]
	case len(traits) == 0:
		diags.Add(where, "no #[vtable] trait in %s", strings.Join(cfg.RustFiles, ", "))
	default:
		diags.Add(where, "%d #[vtable] traits: name one with -trait%s", len(traits), choices(names))
	}
	return nil
}

// choices lists the valid names for a message, e.g. " (have: a, b)".
func choices(names []string) string {
	if len(names) == 0 {
		return ""
	}
	names = slices.Clone(names)
	slices.Sort(names)
	return fmt.Sprintf(" (have: %s)", strings.Join(names, ", "))
}

// token0 is the position of a problem with a whole input file, or with the
// command line when file is empty: line 1, column 1 of the file.
func token0(file string) token.Position {
	if file == "" {
		return token.Position{Filename: "vtablegen"}
	}
	return vtable.FileStart(file)
}
