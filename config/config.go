// Package config reads vtablegen's binding file, vtable.toml: one
// [[binding]] table per C struct bound to a vtable trait, with how to read
// the C header, the Rust sources, the outputs, and the member rules. Every
// value keeps its position in the file, so that a mistake, found here or
// later by the binder, is reported at the line and column that wrote it.
//
// The file is read with github.com/pelletier/go-toml/v2, the one package
// of vtablegen that imports a TOML library: its parser checks the TOML
// (duplicate keys, redefined tables) and gives the position of every key
// and value. Paths are kept as written; they are relative to the file's
// directory.
//
// # The format
//
//	[[binding]]
//	struct = "file_operations"      # the C struct (tag, typedef or pointer typedef)
//	trait = "MiscDevice"            # the vtable trait
//	header = "include/linux/fs.h"   # how to read C: header (with cflags, and cpp),
//	cflags = ["-DCONFIG_COMPAT"]    #   or kbuild_cmd (kbuild_dir), compile_commands
//	                                #   (entry), or preprocessed = true with header
//	rust = ["src/*.rs"]             # Rust sources, files or globs
//	macro = "newest"                # or a kernel version such as "6.12"
//	out = "gen"                     # output directory
//	include_as = "../fs.h"          # how the C output includes the header
//	unbound = ["helper"]            # trait methods that fill nothing on purpose
//	rust_types = "bindings"         # where C's type names are in Rust (default: declared)
//	rust_declare = ["ops"]          # names declared here all the same (the ops struct)
//	rust_result = "from_result"     # turns a method's Result into the C result
//	rust_style = "kernel"           # a VTABLE of bindings::S in the kernel's style
//	rust_adapter = "Adapter"        #   the type holding it and the adapters
//	rust_callback = "{adapter}::<T>::{method}_callback"
//	rust_zero = "pin_init::zeroed()"  # what the members left out hold
//	rust_every_member = false       #   or write every function member out
//	skeleton = false                #   and write the adapters' signatures
//
//	[binding.naming]                # every key optional
//	callback = "{impl}_{member}"
//	initializer = "{impl}_{struct}"
//	c_output = "{struct}_vtable.c"
//	rust_output = "{stem}_expanded.rs"
//	rust_vtable = "{struct}_vtable.rs"
//
//	[binding.cfg]                   # C macros the header tests, as Rust cfgs
//	CONFIG_COMPAT = 'CONFIG_COMPAT'
//
//	[binding.members]
//	unlocked_ioctl = { method = "ioctl" }      # or just unlocked_ioctl = "ioctl"
//	compat_ioctl = { fallback = "compat_ptr_ioctl", if = "ioctl" }
//	xCreate = { same_as = "xConnect" }
//	owner = { expr = "THIS_MODULE", rust = "&raw mut __this_module" }
//	name = { const = "NAME" }
//	flags = { zero = true }
//	open = { required = true }
package config

import (
	"errors"
	"go/token"
	"os"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/vtablegen/vtablegen/vtable"
)

// File is a binding file.
type File struct {
	// Name is the file's path, as given.
	Name string
	// Bindings are its [[binding]] tables in order.
	Bindings []*Binding
}

// Binding is one [[binding]] table.
type Binding struct {
	// Pos is where the [[binding]] header is.
	Pos token.Position
	// Struct is the C struct, e.g. "device_ops"; empty means the one
	// struct with function pointers the header defines.
	Struct vtable.CIdent
	// Trait is the vtable trait, e.g. "DeviceOps"; empty means the one
	// vtable trait of the Rust sources.
	Trait vtable.RustPath
	// Header, CFlags, Cpp, KbuildCmd, KbuildDir, CompileCommands, Entry
	// and Preprocessed say how to read C, as gen's flags of those names do.
	Header          string
	CFlags          []string
	Cpp             string
	KbuildCmd       string
	KbuildDir       string
	CompileCommands string
	Entry           string
	Preprocessed    bool
	// Rust are the Rust sources, files or globs, e.g. "src/*.rs".
	Rust []string
	// Macro is the vtable macro's form: "newest" (or empty) or a kernel
	// version such as "6.12".
	Macro string
	// Out is the output directory; empty means the file's directory.
	Out string
	// IncludeAs is how the C output spells the #include of the header,
	// and CIncludes are further headers it includes, e.g. "<linux/module.h>".
	IncludeAs string
	CIncludes []string
	// Skeleton asks for the kernel-style adapters' signatures, typed from
	// the C members, with todo!() bodies.
	Skeleton bool
	// Rules are the member rules, unbound methods and naming.
	Rules vtable.Binding
	// Values are the positions of the binding's keys, e.g. "header".
	Values map[string]token.Position
}

// At returns where key is written in the binding, or where the binding
// starts.
func (b *Binding) At(key string) token.Position {
	if p, ok := b.Values[key]; ok {
		return p
	}
	return b.Pos
}

// maxFileBytes bounds a binding file.
const maxFileBytes = 1 << 20

// Load reads and parses the binding file name.
func Load(name string) (*File, vtable.Diagnostics) {
	var diags vtable.Diagnostics
	st, err := os.Stat(name)
	switch {
	case err != nil:
		diags.Add(vtable.FileStart(name), "%v", pathErr(err))
	case !st.Mode().IsRegular():
		diags.Add(vtable.FileStart(name), "not a regular file")
	case st.Size() > maxFileBytes:
		diags.Add(vtable.FileStart(name), "%d bytes is more than the %d MiB a binding file may have", st.Size(), maxFileBytes>>20)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	data, err := os.ReadFile(name)
	if err != nil {
		diags.Add(vtable.FileStart(name), "%v", pathErr(err))
		return nil, diags
	}
	return Parse(name, data)
}

// Parse parses data, the contents of the binding file name. It returns
// what it could read and every problem found; the file is nil when a
// problem is an error.
func Parse(name string, data []byte) (*File, vtable.Diagnostics) {
	r := &reader{name: name, data: data, file: &File{Name: name}}
	// The TOML library checks the document as TOML first: duplicate keys,
	// redefined tables, bad syntax, each with its position.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		pos := vtable.FileStart(name)
		msg := err.Error()
		if errors.As(err, &de) {
			line, col := de.Position()
			pos = token.Position{Filename: name, Line: line, Column: col}
			msg = de.Error()
		}
		r.diags.Add(pos, "%s", strings.TrimPrefix(msg, "toml: "))
		return nil, r.diags
	}
	r.p.Reset(data)
	for r.p.NextExpression() {
		r.expression(r.p.Expression())
	}
	if err := r.p.Error(); err != nil { // Unmarshal has seen it already
		r.diags.Add(vtable.FileStart(name), "%v", err)
	}
	for _, b := range r.file.Bindings {
		r.check(b)
	}
	if len(r.file.Bindings) == 0 && !r.diags.HasErrors() {
		r.diags.Add(vtable.FileStart(name), "no [[binding]] table: a binding file has one per C struct bound to a vtable trait")
	}
	if r.diags.HasErrors() {
		return nil, r.diags
	}
	return r.file, r.diags
}

// reader walks the parser's expressions, keeping the table it is in.
type reader struct {
	name  string
	data  []byte
	p     unstable.Parser
	file  *File
	table []string // the current table's key, e.g. ["binding", "members"]
	diags vtable.Diagnostics
}

func (r *reader) pos(n *unstable.Node) token.Position {
	if n == nil || n.Raw.Length == 0 && n.Raw.Offset == 0 {
		return vtable.FileStart(r.name)
	}
	s := r.p.Shape(n.Raw)
	return token.Position{Filename: r.name, Offset: s.Start.Offset, Line: s.Start.Line, Column: s.Start.Column}
}

// keyOf returns the parts of n's key and the position of its first part.
func (r *reader) keyOf(n *unstable.Node) ([]string, token.Position) {
	var parts []string
	var pos token.Position
	it := n.Key()
	for it.Next() {
		k := it.Node()
		if parts == nil {
			pos = r.pos(k)
		}
		parts = append(parts, string(k.Data))
	}
	return parts, pos
}

func (r *reader) expression(e *unstable.Node) {
	switch e.Kind {
	case unstable.ArrayTable:
		key, pos := r.keyOf(e)
		if len(key) != 1 || key[0] != "binding" {
			r.diags.Add(pos, "unknown table [[%s]]%s: a binding file has [[binding]] tables", strings.Join(key, "."), vtable.DidYouMean(strings.Join(key, "."), []string{"binding"}))
			r.table = []string{"?"}
			return
		}
		r.file.Bindings = append(r.file.Bindings, &Binding{Pos: pos, Values: map[string]token.Position{}})
		r.table = key
	case unstable.Table:
		key, pos := r.keyOf(e)
		r.table = key
		if len(key) < 2 || key[0] != "binding" || len(r.file.Bindings) == 0 {
			r.diags.Add(pos, "unknown table [%s]: tables go under a [[binding]], e.g. [binding.members]", strings.Join(key, "."))
			r.table = []string{"?"}
		}
	case unstable.KeyValue:
		key, pos := r.keyOf(e)
		r.value(append(slices.Clone(r.table), key...), pos, e.Value())
	}
}

// bindingKeys are the keys of a [[binding]] table with a value.
var bindingKeys = []string{"struct", "trait", "header", "cflags", "cpp", "kbuild_cmd", "kbuild_dir", "compile_commands",
	"entry", "preprocessed", "rust", "macro", "out", "include_as", "c_includes", "unbound", "rust_types", "rust_declare", "rust_result", "rust_style", "rust_adapter", "rust_callback", "rust_zero",
	"rust_every_member", "skeleton", "naming", "members", "cfg"}

var namingKeys = []string{"callback", "initializer", "c_output", "rust_output", "rust_vtable"}

var ruleKeys = []string{"method", "same_as", "expr", "const", "zero", "fallback", "if", "required", "rust"}

// value sets the value v of the key path (table and key), written at pos.
func (r *reader) value(path []string, pos token.Position, v *unstable.Node) {
	if path[0] == "?" {
		return // inside a table already reported
	}
	if path[0] != "binding" || len(r.file.Bindings) == 0 {
		r.diags.Add(pos, "unknown key %s: settings go in a [[binding]] table", strings.Join(path, "."))
		return
	}
	b := r.file.Bindings[len(r.file.Bindings)-1]
	rest := path[1:]
	if len(rest) == 0 {
		r.diags.Add(pos, "binding is an array of tables: write [[binding]]")
		return
	}
	key := rest[0]
	switch {
	case key == "naming" && len(rest) == 1 && v.Kind == unstable.InlineTable:
		r.inline(path, v)
	case key == "naming" && len(rest) == 2:
		r.naming(b, rest[1], pos, v)
	case key == "members" && len(rest) == 1 && v.Kind == unstable.InlineTable:
		r.inline(path, v)
	case key == "cfg" && len(rest) == 1 && v.Kind == unstable.InlineTable:
		r.inline(path, v)
	case key == "cfg" && len(rest) == 2:
		if s, ok := r.str(rest[1], pos, v); ok {
			if b.Rules.Rust.Cfg == nil {
				b.Rules.Rust.Cfg = map[string]string{}
			}
			b.Rules.Rust.Cfg[rest[1]] = s
		}
	case key == "members" && len(rest) >= 2:
		r.member(b, rest[1], rest[2:], pos, v)
	case len(rest) == 1 && slices.Contains(bindingKeys, key) && key != "naming" && key != "members":
		r.bindingValue(b, key, pos, v)
	default:
		r.diags.Add(pos, "unknown key %s in [[binding]]%s", strings.Join(rest, "."), vtable.DidYouMean(key, bindingKeys))
	}
}

// inline sets each key of an inline table under path.
func (r *reader) inline(path []string, v *unstable.Node) {
	it := v.Children()
	for it.Next() {
		kv := it.Node()
		key, pos := r.keyOf(kv)
		r.value(append(slices.Clone(path), key...), pos, kv.Value())
	}
}

func (r *reader) bindingValue(b *Binding, key string, pos token.Position, v *unstable.Node) {
	b.Values[key] = pos
	switch key {
	case "cflags", "rust", "unbound", "c_includes", "rust_declare":
		list, positions, ok := r.strings(key, pos, v)
		if !ok {
			return
		}
		switch key {
		case "cflags":
			b.CFlags = list
		case "c_includes":
			b.CIncludes = list
		case "rust_declare":
			b.Rules.Rust.Types.Declared = list
		case "rust":
			b.Rust = list
		case "unbound":
			for i, s := range list {
				b.Rules.Unbound = append(b.Rules.Unbound, vtable.Named{Name: vtable.RustIdent(s), Pos: positions[i]})
			}
		}
	case "preprocessed", "rust_every_member", "skeleton":
		if v.Kind != unstable.Bool {
			r.diags.Add(pos, "%s must be true or false", key)
			return
		}
		on := string(v.Data) == "true"
		switch key {
		case "preprocessed":
			b.Preprocessed = on
		case "rust_every_member":
			b.Rules.Rust.EveryMember = on
		case "skeleton":
			b.Skeleton = on
		}
	default:
		s, ok := r.str(key, pos, v)
		if !ok {
			return
		}
		switch key {
		case "struct":
			b.Struct = vtable.CIdent(s)
		case "trait":
			b.Trait = vtable.RustPath(s)
		case "header":
			b.Header = s
		case "cpp":
			b.Cpp = s
		case "kbuild_cmd":
			b.KbuildCmd = s
		case "kbuild_dir":
			b.KbuildDir = s
		case "compile_commands":
			b.CompileCommands = s
		case "entry":
			b.Entry = s
		case "macro":
			b.Macro = s
		case "out":
			b.Out = s
		case "include_as":
			b.IncludeAs = s
		case "rust_types":
			b.Rules.Rust.Types.Path = s
			b.Rules.Rust.Pos = pos
		case "rust_result":
			b.Rules.Rust.ResultFn = s
			b.Rules.Rust.Pos = pos
		case "rust_style":
			b.Rules.Rust.Style = s
			b.Rules.Rust.Pos = pos
		case "rust_adapter":
			b.Rules.Rust.Adapter = s
		case "rust_callback":
			b.Rules.Rust.Callback = s
		case "rust_zero":
			b.Rules.Rust.Zero = s
		}
	}
}

func (r *reader) naming(b *Binding, key string, pos token.Position, v *unstable.Node) {
	if !slices.Contains(namingKeys, key) {
		r.diags.Add(pos, "unknown key %s in [binding.naming]%s (have: %s)", key, vtable.DidYouMean(key, namingKeys), strings.Join(namingKeys, ", "))
		return
	}
	s, ok := r.str(key, pos, v)
	if !ok {
		return
	}
	n := &b.Rules.Naming
	if !n.Pos.IsValid() {
		n.Pos = pos
	}
	switch key {
	case "callback":
		n.Callback = s
	case "initializer":
		n.Initializer = s
	case "c_output":
		n.COutput = s
	case "rust_output":
		n.RustOutput = s
	case "rust_vtable":
		n.RustVtable = s
	}
}

// member sets a key of the rule for member name: sub is empty for
// "name = ..." and the rule key for "name.method = ..." (or inside an
// inline table).
func (r *reader) member(b *Binding, name string, sub []string, pos token.Position, v *unstable.Node) {
	var rule *vtable.MemberRule
	for _, m := range b.Rules.Members {
		if string(m.Member) == name {
			rule = m
		}
	}
	if rule == nil {
		rule = &vtable.MemberRule{Member: vtable.CIdent(name), Pos: pos, Values: map[string]token.Position{}}
		b.Rules.Members = append(b.Rules.Members, rule)
	}
	switch {
	case len(sub) == 0 && v.Kind == unstable.String:
		rule.Method = vtable.RustIdent(v.Data) // the shorthand: member = "method"
		rule.Values["method"] = r.pos(v)
	case len(sub) == 0 && v.Kind == unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			key, kpos := r.keyOf(kv)
			r.member(b, name, key, kpos, kv.Value())
		}
	case len(sub) == 0:
		r.diags.Add(pos, "member %s takes a method name or a table of rule keys (%s)", name, strings.Join(ruleKeys, ", "))
	case len(sub) > 1 || !slices.Contains(ruleKeys, sub[0]):
		key := strings.Join(sub, ".")
		r.diags.Add(pos, "unknown key %s in the rule for member %s%s (have: %s)", key, name, vtable.DidYouMean(key, ruleKeys), strings.Join(ruleKeys, ", "))
	case sub[0] == "zero" || sub[0] == "required":
		if v.Kind != unstable.Bool {
			r.diags.Add(pos, "%s must be true or false", sub[0])
			return
		}
		rule.Values[sub[0]] = pos
		if sub[0] == "zero" {
			rule.Zero = string(v.Data) == "true"
		} else {
			rule.Required = string(v.Data) == "true"
		}
	default:
		s, ok := r.str(sub[0], pos, v)
		if !ok {
			return
		}
		rule.Values[sub[0]] = r.pos(v)
		switch sub[0] {
		case "method":
			rule.Method = vtable.RustIdent(s)
		case "same_as":
			rule.SameAs = vtable.CIdent(s)
		case "expr":
			rule.Expr = s
		case "const":
			rule.Const = vtable.RustIdent(s)
		case "fallback":
			rule.Fallback = s
		case "if":
			rule.FallbackIf = vtable.RustIdent(s)
		case "rust":
			rule.RustExpr = s
		}
	}
}

// str returns the string value of key, or reports that it is not one.
func (r *reader) str(key string, pos token.Position, v *unstable.Node) (string, bool) {
	if v.Kind != unstable.String {
		r.diags.Add(pos, "%s must be a string", key)
		return "", false
	}
	if len(v.Data) == 0 {
		r.diags.Add(pos, "%s must not be empty", key)
		return "", false
	}
	return string(v.Data), true
}

// strings returns the values of an array of strings, with positions.
func (r *reader) strings(key string, pos token.Position, v *unstable.Node) ([]string, []token.Position, bool) {
	if v.Kind != unstable.Array {
		r.diags.Add(pos, "%s must be an array of strings, e.g. %s = [\"a\", \"b\"]", key, key)
		return nil, nil, false
	}
	var list []string
	var positions []token.Position
	it := v.Children()
	for it.Next() {
		c := it.Node()
		if c.Kind != unstable.String {
			r.diags.Add(r.pos(c), "%s must be an array of strings", key)
			return nil, nil, false
		}
		list = append(list, string(c.Data))
		positions = append(positions, r.pos(c))
	}
	return list, positions, true
}

// check reports what a binding lacks or sets in conflict.
func (r *reader) check(b *Binding) {
	var modes []string
	if b.KbuildCmd != "" {
		modes = append(modes, "kbuild_cmd")
	}
	if b.CompileCommands != "" {
		modes = append(modes, "compile_commands")
	}
	if b.Cpp != "" {
		modes = append(modes, "cpp")
	}
	if b.Preprocessed {
		modes = append(modes, "preprocessed")
	}
	switch {
	case len(modes) > 1:
		r.diags.Add(b.At(modes[1]), "%s and %s exclude each other: read C one way", modes[0], modes[1])
	case b.Header == "" && b.KbuildCmd == "" && b.CompileCommands == "":
		r.diags.Add(b.Pos, "the binding does not say how to read C: set header (or kbuild_cmd, or compile_commands)")
	case b.Preprocessed && b.Header == "":
		r.diags.Add(b.At("preprocessed"), "preprocessed needs header: the preprocessed unit, e.g. x.i")
	}
	if b.Entry != "" && b.CompileCommands == "" {
		r.diags.Add(b.At("entry"), "entry needs compile_commands")
	}
	if b.KbuildDir != "" && b.KbuildCmd == "" {
		r.diags.Add(b.At("kbuild_dir"), "kbuild_dir needs kbuild_cmd")
	}
	if len(b.Rust) == 0 {
		r.diags.Add(b.Pos, "the binding has no Rust sources: set rust = [\"file.rs\", ...]")
	}
	if b.Macro != "" {
		if _, err := vtable.ParseForm(b.Macro); err != nil {
			r.diags.Add(b.At("macro"), "%v", err)
		}
	}
}

// pathErr is err without its path and operation ("permission denied"),
// since the diagnostic is at the file already.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
