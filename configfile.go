package vtablegen

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vtablegen/vtablegen/config"
	"github.com/vtablegen/vtablegen/emit"
	"github.com/vtablegen/vtablegen/vtable"
)

// DefaultConfigFile is the binding file "vtablegen gen" reads when it is
// given no inputs.
const DefaultConfigFile = "vtable.toml"

// LoadConfig reads the binding file name (see package config for its
// format) and returns one Config per [[binding]] table, its paths
// resolved against the file's directory, ready for Generate. Problems are
// diagnostics at the file's line and column.
func LoadConfig(name string) ([]Config, vtable.Diagnostics) {
	f, diags := config.Load(name)
	if f == nil {
		return nil, diags
	}
	var out []Config
	for _, b := range f.Bindings {
		cfg, d := fromBinding(filepath.Dir(name), b)
		cfg.BindingFile = name
		diags = append(diags, d...)
		out = append(out, cfg)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return out, diags
}

// fromBinding turns one [[binding]] table into a Config.
func fromBinding(dir string, b *config.Binding) (Config, vtable.Diagnostics) {
	var diags vtable.Diagnostics
	at := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	cfg := Config{
		Header:          at(b.Header),
		Preprocessed:    b.Preprocessed,
		KbuildCmd:       at(b.KbuildCmd),
		Dir:             at(b.KbuildDir),
		CompileCommands: at(b.CompileCommands),
		Entry:           b.Entry,
		Include:         b.IncludeAs,
		CIncludes:       b.CIncludes,
		Struct:          b.Struct,
		Trait:           b.Trait,
		OutDir:          at(b.Out),
		Binding:         &b.Rules,
		Skeleton:        b.Skeleton,
	}
	if cfg.OutDir == "" {
		cfg.OutDir = dir
	}
	if b.Entry != "" && !filepath.IsAbs(b.Entry) {
		cfg.Entry = at(b.Entry)
	}
	if b.Cpp != "" {
		cpp, err := SplitCommand(b.Cpp)
		if err != nil || len(cpp) == 0 {
			diags.Add(b.At("cpp"), "cpp %q is not a command", b.Cpp)
		}
		cfg.Cpp, cfg.Dir = cpp, dir // the build's preprocessor runs where the file is
		cfg.CFlags = b.CFlags
	} else {
		cfg.CFlags = resolveCFlagPaths(b.CFlags, at)
	}
	for _, f := range b.CFlags {
		if CFlagWritesFile(f) {
			diags.Add(b.At("cflags"), "C flag %s would make the compiler write a file: vtablegen never lets it", f)
		}
	}
	if b.Macro != "" {
		form, err := vtable.ParseForm(b.Macro)
		if err != nil {
			diags.Add(b.At("macro"), "%v", err)
		}
		cfg.Form = form
	}
	treeForm := b.Macro == ""
	for _, pattern := range b.Rust {
		matches, err := filepath.Glob(at(pattern))
		switch {
		case err != nil:
			diags.Add(b.At("rust"), "rust pattern %q: %v", pattern, err)
		case len(matches) == 0:
			diags.Add(b.At("rust"), "rust pattern %q matches no file in %s", pattern, dir)
		}
		slices.Sort(matches)
		for _, m := range matches {
			if !slices.Contains(cfg.RustFiles, m) {
				cfg.RustFiles = append(cfg.RustFiles, m)
			}
		}
	}
	if treeForm {
		// No macro = ...: the form of the kernel tree the Rust is in.
		if form, _, ok := TreeForm(cfg.RustFiles); ok {
			cfg.Form = form
		}
	}
	return cfg, diags
}

// pathFlags are the C flags whose argument is a path.
var pathFlags = []string{"-I", "-iquote", "-isystem", "-idirafter", "-include", "-imacros"}

// resolveCFlagPaths resolves the paths of C flags (-Iinc, -include x.h)
// against the binding file's directory, as at does.
func resolveCFlagPaths(flags []string, at func(string) string) []string {
	out := slices.Clone(flags)
	for i := 0; i < len(out); i++ {
		f := out[i]
		if slices.Contains(pathFlags, f) && i+1 < len(out) {
			out[i+1] = at(out[i+1])
			i++
			continue
		}
		for _, pf := range []string{"-I", "-iquote", "-isystem", "-idirafter"} { // joined forms
			if strings.HasPrefix(f, pf) && len(f) > len(pf) {
				out[i] = pf + at(f[len(pf):])
				break
			}
		}
	}
	return out
}

// CFlagWritesFile reports a compiler flag that makes the compiler write a
// file of its own: an output name, a dependency file, kept temporaries,
// dumps. vtablegen refuses them wherever C flags come from.
func CFlagWritesFile(a string) bool {
	switch {
	case strings.HasPrefix(a, "-o"), strings.HasPrefix(a, "-M"), strings.HasPrefix(a, "--output"),
		strings.HasPrefix(a, "-save-temps"), strings.HasPrefix(a, "-fdump-"), strings.HasPrefix(a, "-dump"),
		strings.HasPrefix(a, "-fprofile-generate"), strings.HasPrefix(a, "-fstack-usage"),
		strings.HasPrefix(a, "-fsave-optimization-record"), strings.HasPrefix(a, "-fcallgraph-info"):
		return true
	case strings.HasPrefix(a, "-Wp,"):
		for _, f := range strings.Split(a, ",")[1:] {
			if CFlagWritesFile(f) {
				return true
			}
		}
	}
	return false
}

// Starter returns a commented binding file for the struct cfg names (or
// the one struct of cfg.Header), to be written at file: every member with
// its type, the rule forms, and the binding's keys, with paths relative to
// file's directory. trait and rust are the values of those keys; rust
// empty means ["*.rs"].
func Starter(cfg Config, file string, rust []string) ([]byte, vtable.Diagnostics) {
	s, diags := readStruct(cfg)
	if s == nil {
		return nil, diags
	}
	return emit.Starter(s, starterOptions(cfg, file, rust)), diags
}

// relTo returns a function giving a path relative to dir, as a file in
// dir names it.
func relTo(dir string) func(string) string {
	return func(p string) string {
		if p == "" {
			return p
		}
		a, err1 := filepath.Abs(p)
		d, err2 := filepath.Abs(dir)
		if err1 != nil || err2 != nil {
			return p
		}
		r, err := filepath.Rel(d, a)
		if err != nil || filepath.IsAbs(p) && strings.HasPrefix(r, "..") {
			return a // a system header stays /usr/include/...
		}
		return filepath.ToSlash(r)
	}
}

// starterOptions are the keys of a starter binding file, at file, that
// reads the header as cfg does, with the Rust sources rust (default
// *.rs).
func starterOptions(cfg Config, file string, rust []string) emit.StarterOptions {
	rel := relTo(filepath.Dir(file))
	flags := cfg.CFlags
	for _, d := range cfg.IncludeDirs {
		flags = append(flags, "-I"+d)
	}
	for _, d := range cfg.Defines {
		flags = append(flags, "-D"+d)
	}
	if len(rust) == 0 {
		rust = []string{"*.rs"}
	}
	o := emit.StarterOptions{
		Header: rel(cfg.Header),
		CFlags: resolveCFlagPaths(flags, rel),
		Trait:  cfg.Trait,
		Rust:   rust,
		Out:    "gen",
	}
	q := strconv.Quote
	switch {
	case cfg.KbuildCmd != "":
		o.Build = append(o.Build, "kbuild_cmd = "+q(rel(cfg.KbuildCmd)))
		if cfg.Dir != "" {
			o.Build = append(o.Build, "kbuild_dir = "+q(rel(cfg.Dir)))
		}
	case cfg.CompileCommands != "":
		o.Build = append(o.Build, "compile_commands = "+q(rel(cfg.CompileCommands)))
		if cfg.Entry != "" {
			o.Build = append(o.Build, "entry = "+q(rel(cfg.Entry)))
		}
	case len(cfg.Cpp) > 0:
		o.Build = append(o.Build, "cpp = "+q(strings.Join(cfg.Cpp, " ")))
	case cfg.Preprocessed:
		o.Build = append(o.Build, "preprocessed = true")
	}
	return o
}
