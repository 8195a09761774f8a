package vtablegen

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// Linux 7.3's Rust abstractions build their C tables by hand from the
// #[vtable] HAS_* consts. Each binding of testdata/kernel73 regenerates one
// of them from the abstraction's own trait and the struct of Debian's 7.3.4
// headers as Kbuild preprocesses them, and TestKernel73Tables compares
// vtablegen's table with the abstraction's, member by member.

// kernel73Tree is the 7.3 source tree the abstractions are read from.
var kernel73Tree = filepath.Join(".cache", "linux-source-7.3", "tree")

// kernel73Case is one hand-built table of the 7.3 tree.
type kernel73Case struct {
	// name is the binding's directory under testdata/kernel73.
	name string
	// source is the abstraction, below the tree, and strct the C struct:
	// the table is the file's one literal bindings::<strct> { ... }.
	source, strct string
	// gaps are the places vtablegen's table differs from the
	// abstraction's, each with why: a member, or "form" (the declaration
	// the literal is the value of), "impl" and "fn" (the impl and the
	// function it is in), ".." (the rest). A gap that is gone fails the test too: the list is
	// what vtablegen cannot do yet.
	gaps map[string]string
}

var kernel73Cases = []kernel73Case{
	{name: "miscdevice", source: "rust/kernel/miscdevice.rs", strct: "file_operations"},
	{name: "blkmq", source: "rust/kernel/block/mq/operations.rs", strct: "blk_mq_ops"},
	{name: "cpufreq", source: "rust/kernel/cpufreq.rs", strct: "cpufreq_driver"},
	{name: "phy", source: "rust/kernel/net/phy.rs", strct: "phy_driver", gaps: map[string]string{
		"form": "the abstraction returns the literal as DriverVTable(Opaque::new(..)) from a free const fn create_phy_driver<T>(); vtablegen's is Adapter::<T>::VTABLE: a choice (DriverVTable(Opaque::new(Adapter::<T>::VTABLE)) is the same table)",
		"fn":   "as form",
		"impl": "as form",
	}},
	{name: "serdev", source: "rust/kernel/serdev.rs", strct: "serdev_device_ops", gaps: map[string]string{
		"form": "the abstraction's const is OPS: &'static, vtablegen's VTABLE by value: a choice (&Self::VTABLE is the same table)",
	}},
	{name: "configfs_group", source: "rust/kernel/configfs.rs", strct: "configfs_group_operations", gaps: map[string]string{
		"impl": "the adapter has two type parameters and a where clause; vtablegen's is always impl<T: Trait> Adapter<T>",
	}},
	{name: "configfs_attribute", source: "rust/kernel/configfs.rs", strct: "configfs_attribute", gaps: map[string]string{
		"form":    "the value of Attribute::new(name), in Opaque::new: vtablegen's table is a const without parameters",
		"fn":      "as form",
		"impl":    "the adapter Attribute<ID, O, Data> has a const parameter and names the trait's impl O in a where clause; vtablegen's is always impl<T: Trait> Adapter<T>",
		"ca_name": "new's argument, which a const cannot name",
		"..":      "ca_name is left zero",
		"store":   "the impl's type parameter is O (O::HAS_STORE); vtablegen's is always T",
	}},
	{name: "opp", source: "rust/kernel/opp.rs", strct: "dev_pm_opp_config", gaps: map[string]string{
		"form":               "a local built at run time in Config::set: vtablegen's table is a const",
		"fn":                 "as form",
		"impl":               "Config<T> requires T: Default, which vtablegen's impl<T: ConfigOps> Config<T> lacks",
		"..":                 "the data members are left zero",
		"clk_names":          "set's local, which a const cannot name",
		"prop_name":          "set's local, which a const cannot name",
		"regulator_names":    "set's local, which a const cannot name",
		"supported_hw":       "set's local, which a const cannot name",
		"supported_hw_count": "set's local, which a const cannot name",
		"required_dev":       "set's local, which a const cannot name",
		"required_dev_index": "set's local, which a const cannot name",
	}},
}

// TestKernel73Tables regenerates each hand-built table of the 7.3 tree
// with vtablegen and compares the two literals field by field: each
// member's value (tokens, with else { if .. } read as else if), its
// attributes (#[cfg]), the rest (..), and where the literal stands.
func TestKernel73Tables(t *testing.T) {
	tree := testtool.NeedFile(t, kernel73Tree, "make test unpacks the 7.3 source")
	unit := kernel73Unit(t)
	var rows []string
	var mu sync.Mutex
	t.Run("tables", func(t *testing.T) {
		for _, c := range kernel73Cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				row := checkKernel73Case(t, c, tree, unit)
				mu.Lock()
				rows = append(rows, row)
				mu.Unlock()
			})
		}
	})
	sort.Strings(rows)
	t.Logf("abstraction | struct | members | identical | differences\n%s", strings.Join(rows, "\n"))
}

// checkKernel73Case generates case c's table from the unit and compares it
// with the abstraction's; it returns the report's row.
func checkKernel73Case(t *testing.T, c kernel73Case, tree, unit string) string {
	src, err := os.ReadFile(filepath.Join(tree, c.source))
	if err != nil {
		t.Fatal(err)
	}
	want, err := findRustLiteral(string(src), "bindings::"+c.strct)
	if err != nil {
		t.Fatalf("%s: %v", c.source, err)
	}
	if len(want.fields) == 0 || want.form == "" {
		t.Fatalf("%s: the literal of bindings::%s was not read: %+v", c.source, c.strct, want)
	}
	gen := kernel73Generate(t, c.name, unit)
	got, err := findRustLiteral(gen, "bindings::"+c.strct)
	if err != nil {
		t.Fatalf("%s_vtable.rs: %v\n%s", c.strct, err, gen)
	}
	diffs := want.diff(got)
	for _, k := range sortedKeys(diffs) {
		if why, ok := c.gaps[k]; ok {
			t.Logf("%s differs, as known (%s):\n%s", k, why, diffs[k])
			continue
		}
		t.Errorf("%s differs:\n%s", k, diffs[k])
	}
	var gaps []string
	for _, k := range sortedKeys(c.gaps) {
		if _, ok := diffs[k]; !ok {
			t.Errorf("%s is the same now (%s was known): take it off the gaps", k, c.gaps[k])
		}
		gaps = append(gaps, k+": "+c.gaps[k])
	}
	members := fmt.Sprint(len(want.fields))
	if want.rest != "" {
		members += " + .."
	}
	identical := "yes"
	if len(diffs) > 0 {
		identical = "no"
	}
	return fmt.Sprintf("%s | %s | %s | %s | %s", c.source, c.strct, members, identical, strings.Join(gaps, "; "))
}

// kernel73Generate runs the binding testdata/kernel73/<name> on the unit and
// returns the generated VTABLE file.
func kernel73Generate(t *testing.T, name, unit string) string {
	t.Helper()
	cfgs, diags := LoadConfig(filepath.Join("testdata", "kernel73", name, DefaultConfigFile))
	if diags.HasErrors() || len(cfgs) != 1 {
		t.Fatalf("LoadConfig: %v", diags)
	}
	cfg := cfgs[0]
	cfg.Header = unit
	r := Generate(cfg)
	if r.Diagnostics.HasErrors() {
		t.Fatalf("Generate:\n%v", r.Diagnostics)
	}
	for _, f := range r.Files {
		if f.Name == string(cfg.Struct)+"_vtable.rs" {
			return string(f.Content)
		}
	}
	t.Fatalf("no %s_vtable.rs among the outputs", cfg.Struct)
	return ""
}

// kernel73Unit returns testdata/kernel73/unit/x.c preprocessed by the 7.3
// Kbuild (scripts/qemu-boot.sh kbuild, in the trixie chroot: about a
// second). The unit's line markers name the headers at their paths in the
// chroot (/usr/src/linux-headers-7.3.4+deb13-*): they are rewritten to
// where the chroot is, so that the #if chain around each member is read
// from the headers as on a 7.3 machine (show_rq's CONFIG_BLK_DEBUG_FS).
func kernel73Unit(t *testing.T) string {
	t.Helper()
	bash := testtool.Need(t, "bash")
	done := testtool.NeedFile(t, filepath.Join(".cache", "kernel-rust", "done"), "make test runs scripts/kernel-rust-7.3.sh")
	dir := t.TempDir()
	for _, f := range []string{"Kbuild", "x.c"} {
		copyFile(t, filepath.Join("testdata", "kernel73", "unit", f), filepath.Join(dir, f))
	}
	if out, err := exec.Command(bash, filepath.Join("scripts", "qemu-boot.sh"), "kbuild", ".cache", dir, "x.i").CombinedOutput(); err != nil {
		t.Fatalf("qemu-boot.sh kbuild: %v\n%s", err, out)
	}
	unit, err := os.ReadFile(filepath.Join(dir, "x.i"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join(filepath.Dir(done), "chroot"))
	if err != nil {
		t.Fatal(err)
	}
	marker := regexp.MustCompile(`(?m)^(# \d+ ")(/usr/src/)`)
	unit = marker.ReplaceAll(unit, []byte("${1}"+root+"${2}"))
	path := filepath.Join(dir, "chroot.i")
	writeTestFile(t, path, string(unit))
	return path
}

// rustLiteral is a struct literal of Rust source, e.g. the abstraction's
// `const VTABLE: bindings::S = bindings::S { a: x, #[cfg(C)] b: y, ..z }`,
// each part normalized (see normRustTokens).
type rustLiteral struct {
	// form is what the literal is the value of, e.g. "const VTABLE :
	// bindings :: S =" (visibility left out); impl the head of the impl it
	// is in, e.g. "impl < T : Tr > A < T >", and fn that of the function,
	// "" for none.
	form, impl, fn string
	// fields are by name; order is declaration order.
	fields map[string]rustField
	order  []string
	// rest is the expression after "..", "" for none.
	rest string
}

type rustField struct {
	attrs []string // e.g. "# [ cfg ( CONFIG_X ) ]"
	value string
}

func (f rustField) String() string {
	return strings.Join(append(append([]string(nil), f.attrs...), f.value), " ")
}

// diff returns, by place (a member, "form", "impl", "fn", ".."), how got differs
// from the literal: the two texts.
func (want rustLiteral) diff(got rustLiteral) map[string]string {
	d := map[string]string{}
	pair := func(k, w, g string) {
		if w != g {
			d[k] = fmt.Sprintf("\tabstraction: %s\n\tvtablegen:   %s", orNone(w), orNone(g))
		}
	}
	pair("form", want.form, got.form)
	pair("impl", want.impl, got.impl)
	pair("fn", want.fn, got.fn)
	pair("..", want.rest, got.rest)
	for _, n := range want.order {
		g, ok := got.fields[n]
		gs := ""
		if ok {
			gs = g.String()
		}
		pair(n, want.fields[n].String(), gs)
	}
	for _, n := range got.order {
		if _, ok := want.fields[n]; !ok {
			pair(n, "", got.fields[n].String())
		}
	}
	return d
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// findRustLiteral finds the one struct literal of path (e.g.
// "bindings::file_operations") in src, an expression (not a type followed
// by a block, as in fn f() -> &'static bindings::S {), and parses it.
func findRustLiteral(src, path string) (rustLiteral, error) {
	toks, err := rustTokens(src)
	if err != nil {
		return rustLiteral{}, err
	}
	match, parent := rustBrackets(toks)
	want, _ := rustTokens(path)
	var at []int
	for i := 0; i+len(want) < len(toks); i++ {
		if !slices.Equal(toks[i:i+len(want)], want) || toks[i+len(want)] != "{" {
			continue
		}
		if i > 0 && (i < 2 || toks[i-2] != "::") {
			switch p := toks[i-1]; {
			case p == "=", p == "(", p == "&", p == ",", p == ":", p == "{":
			default:
				continue // a type: -> S {, *const S {, &'static S {
			}
		}
		at = append(at, i)
	}
	if len(at) != 1 {
		return rustLiteral{}, fmt.Errorf("%d struct literals of %s, want 1", len(at), path)
	}
	start := at[0]
	open := start + len(want)
	lit := rustLiteral{fields: map[string]rustField{}}
	lit.form = stripItemPrefix(toks[statementStart(toks, match, start, true):start])
	for p := parent[start]; p >= 0 && lit.impl == ""; p = parent[p] {
		if toks[p] != "{" {
			continue
		}
		head := stripItemPrefix(toks[statementStart(toks, match, p, false):p])
		switch words := strings.Fields(head); {
		case len(words) > 0 && words[0] == "impl":
			lit.impl = head
		case lit.fn == "" && slices.Contains(words, "fn") && !slices.Contains(words, "="):
			lit.fn = head
		}
	}
	for _, part := range splitTopLevel(toks[open+1 : match[open]]) {
		var attrs []string
		for len(part) > 1 && part[0] == "#" && part[1] == "[" {
			end := 1
			for depth := 0; end < len(part); end++ {
				if part[end] == "[" {
					depth++
				} else if part[end] == "]" {
					if depth--; depth == 0 {
						break
					}
				}
			}
			attrs = append(attrs, strings.Join(part[:end+1], " "))
			part = part[end+1:]
		}
		switch {
		case len(part) == 0:
		case part[0] == "..":
			lit.rest = normRustTokens(part[1:])
		case len(part) == 1: // shorthand: a field named as the variable
			lit.fields[part[0]] = rustField{attrs: attrs, value: part[0]}
			lit.order = append(lit.order, part[0])
		case part[1] == ":":
			lit.fields[part[0]] = rustField{attrs: attrs, value: normRustTokens(part[2:])}
			lit.order = append(lit.order, part[0])
		default:
			return lit, fmt.Errorf("a field of %s is not name: value: %s", path, strings.Join(part, " "))
		}
	}
	return lit, nil
}

// statementStart is the first token of the statement, item or (with
// field) field that ends at token end (exclusive): back past balanced
// brackets and through the open ones, to the first ;, { or } outside them,
// or , with field.
func statementStart(toks []string, match []int, end int, field bool) int {
	i := end - 1
	for ; i >= 0; i-- {
		switch toks[i] {
		case ")", "]":
			i = match[i]
		case ";", "{", "}":
			return i + 1
		case ",":
			if field {
				return i + 1
			}
		}
	}
	return 0
}

// stripItemPrefix drops the attributes and the visibility before an item,
// and joins the rest.
func stripItemPrefix(toks []string) string {
	for {
		switch {
		case len(toks) > 1 && toks[0] == "#" && toks[1] == "[":
			depth := 0
			for j := 1; j < len(toks); j++ {
				if toks[j] == "[" {
					depth++
				} else if toks[j] == "]" {
					if depth--; depth == 0 {
						toks = toks[j+1:]
						break
					}
				}
			}
			continue
		case len(toks) > 3 && toks[0] == "pub" && toks[1] == "(":
			for j := 2; j < len(toks); j++ {
				if toks[j] == ")" {
					toks = toks[j+1:]
					break
				}
			}
			continue
		case len(toks) > 0 && toks[0] == "pub":
			toks = toks[1:]
			continue
		}
		return strings.Join(toks, " ")
	}
}

// splitTopLevel splits toks at the commas outside brackets.
func splitTopLevel(toks []string) [][]string {
	var parts [][]string
	depth, from := 0, 0
	for i, tok := range toks {
		switch tok {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case ",":
			if depth == 0 {
				parts = append(parts, toks[from:i])
				from = i + 1
			}
		}
	}
	return append(parts, toks[from:])
}

// normRustTokens joins an expression's tokens, else { if .. } read as
// else if .. (what vtablegen writes for a fallback under if = "m").
func normRustTokens(toks []string) string {
	toks = append([]string(nil), toks...)
	for changed := true; changed; {
		changed = false
		match, _ := rustBrackets(toks)
		for i := 0; i+2 < len(toks); i++ {
			if toks[i] != "else" || toks[i+1] != "{" || toks[i+2] != "if" {
				continue
			}
			end, only := match[i+1], true
			for j, depth := i+2, 0; j < end; j++ {
				switch toks[j] {
				case "(", "[", "{":
					depth++
				case ")", "]", "}":
					depth--
				case ";":
					only = only && depth > 0
				}
			}
			if !only || toks[end-1] != "}" {
				continue
			}
			toks = append(append(append([]string(nil), toks[:i+1]...), toks[i+2:end]...), toks[end+1:]...)
			changed = true
			break
		}
	}
	return strings.Join(toks, " ")
}

// rustBrackets pairs the brackets of toks: match[i] is the other bracket
// of a bracket at i, parent[i] the open bracket around token i (-1: none).
func rustBrackets(toks []string) (match, parent []int) {
	match = make([]int, len(toks))
	parent = make([]int, len(toks))
	var stack []int
	for i, tok := range toks {
		match[i] = -1
		parent[i] = -1
		if len(stack) > 0 {
			parent[i] = stack[len(stack)-1]
		}
		switch tok {
		case "(", "[", "{":
			stack = append(stack, i)
		case ")", "]", "}":
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				match[i], match[o] = o, i
				parent[i] = parent[o]
			}
		}
	}
	return match, parent
}

// rustPunct are the punctuation tokens of more than one character the
// literals use; > and < stay single (generics).
var rustPunct = []string{"..=", "...", "::", "->", "=>", "..", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "|=", "&="}

// rustTokens splits Rust source into tokens, without comments and
// whitespace: identifiers and numbers, lifetimes ('a), string and char
// literals whole (with a b, c or r prefix), punctuation.
func rustTokens(src string) ([]string, error) {
	var toks []string
	isWord := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			depth := 0
			for i < len(src) {
				if strings.HasPrefix(src[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(src[i:], "*/") {
					i += 2
					if depth--; depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		case c == 'r' && i+1 < len(src) && (src[i+1] == '#' || src[i+1] == '"') && (i+2 < len(src) && (src[i+1] == '"' || src[i+2] == '#' || src[i+2] == '"')):
			j := i + 1
			for j < len(src) && src[j] == '#' {
				j++
			}
			if j >= len(src) || src[j] != '"' { // r#ident
				k := j
				for k < len(src) && isWord(src[k]) {
					k++
				}
				toks = append(toks, src[i:k])
				i = k
				continue
			}
			closer := "\"" + strings.Repeat("#", j-i-1)
			k := strings.Index(src[j+1:], closer)
			if k < 0 {
				return nil, fmt.Errorf("unterminated raw string at byte %d", i)
			}
			end := j + 1 + k + len(closer)
			toks = append(toks, src[i:end])
			i = end
		case c == '"' || (c == 'b' || c == 'c') && i+1 < len(src) && src[i+1] == '"':
			j := i
			if c != '"' {
				j++
			}
			j++
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			toks = append(toks, src[i:j+1])
			i = j + 1
		case c == '\'' || c == 'b' && i+1 < len(src) && src[i+1] == '\'':
			j := i
			if c == 'b' {
				j++
			}
			// A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
			if j+2 < len(src) && src[j+1] == '\\' {
				k := strings.IndexByte(src[j+2:], '\'')
				if k < 0 {
					return nil, fmt.Errorf("unterminated char at byte %d", i)
				}
				toks = append(toks, src[i:j+3+k])
				i = j + 3 + k
			} else if j+2 < len(src) && src[j+2] == '\'' {
				toks = append(toks, src[i:j+3])
				i = j + 3
			} else {
				k := j + 1
				for k < len(src) && isWord(src[k]) {
					k++
				}
				toks = append(toks, src[i:k])
				i = k
			}
		case isWord(c):
			j := i
			for j < len(src) && isWord(src[j]) {
				j++
			}
			toks = append(toks, src[i:j])
			i = j
		default:
			n := 1
			for _, p := range rustPunct {
				if strings.HasPrefix(src[i:], p) {
					n = len(p)
					break
				}
			}
			toks = append(toks, src[i:i+n])
			i += n
		}
	}
	return toks, nil
}

// TestKernel73MiscdeviceModule proves the miscdevice table in the kernel
// build: testdata/kernel73/miscdevice/module is a module of Debian's 7.3.4
// kernel whose crate compiles the tree's rust/kernel/miscdevice.rs as its
// own module miscdevice, with vtablegen's VTABLE (renamed VTABLE_VTABLEGEN)
// in the same impl, so that both are built from the same callbacks; for four
// impls (every method; ioctl only; compat_ioctl only; open only) both tables
// are statics of vt73.ko, and their bytes and relocations must be the same:
// each member the same function, __this_module or compat_ptr_ioctl, or NULL.
func TestKernel73MiscdeviceModule(t *testing.T) {
	bash := testtool.Need(t, "bash")
	tree := testtool.NeedFile(t, kernel73Tree, "make test unpacks the 7.3 source")
	unit := kernel73Unit(t)
	dir := t.TempDir()
	mod := filepath.Join("testdata", "kernel73", "miscdevice", "module")
	for _, f := range []string{"Kbuild", "vt73.rs", "tables.rs"} {
		copyFile(t, filepath.Join(mod, f), filepath.Join(dir, f))
	}
	src, err := os.ReadFile(filepath.Join(tree, "rust", "kernel", "miscdevice.rs"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "miscdevice.rs"), string(src)+"\ninclude!(\"file_operations_vtable.rs\");\ninclude!(\"tables.rs\");\n")
	gen := kernel73Generate(t, "miscdevice", unit)
	renamed := strings.Replace(gen, " const VTABLE: ", " const VTABLE_VTABLEGEN: ", 1)
	if renamed == gen {
		t.Fatalf("no const VTABLE in the generated file:\n%s", gen)
	}
	writeTestFile(t, filepath.Join(dir, "file_operations_vtable.rs"), renamed)
	out, err := exec.Command(bash, filepath.Join("scripts", "qemu-boot.sh"), "kbuild", ".cache", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("qemu-boot.sh kbuild: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("warning:")) {
		t.Errorf("the module builds with warnings:\n%s", out)
	}
	ko := filepath.Join(dir, "vt73.ko")
	tables, err := elfTables(ko, "VT73_")
	if err != nil {
		t.Fatal(err)
	}
	members, err := dwarfMembers(ko, "file_operations")
	if err != nil {
		t.Fatal(err)
	}
	for _, impl := range []string{"FULL", "IOCTLONLY", "COMPATONLY", "BARE"} {
		a, okA := tables["VT73_ABSTRACTION_"+impl]
		v, okV := tables["VT73_VTABLEGEN_"+impl]
		if !okA || !okV {
			t.Fatalf("vt73.ko has no VT73_ABSTRACTION_%s or VT73_VTABLEGEN_%s", impl, impl)
		}
		if len(a.relocs) == 0 {
			t.Errorf("%s: the abstraction's table has no relocations", impl)
		}
		if !bytes.Equal(a.data, v.data) {
			t.Errorf("%s: the tables' bytes differ:\nabstraction %x\nvtablegen   %x", impl, a.data, v.data)
		}
		if fmt.Sprint(a.relocs) != fmt.Sprint(v.relocs) {
			t.Errorf("%s: the tables' relocations differ:\nabstraction %v\nvtablegen   %v", impl, a.relocs, v.relocs)
		}
		var set []string
		for _, r := range a.relocs {
			off, target, _ := strings.Cut(r, ":")
			var at int64
			fmt.Sscan(off, &at)
			set = append(set, members[at]+"="+target)
		}
		t.Logf("%s: %d bytes the same, and the relocations: %s", impl, len(a.data), strings.Join(set, " "))
	}
}

// elfTable is a static of an object: its bytes and the relocations inside
// it, each "offset:symbol+addend" (a section's name for a section symbol).
type elfTable struct {
	data   []byte
	relocs []string
}

// elfTables reads the data objects of file whose names start with prefix.
func elfTables(file, prefix string) (map[string]elfTable, error) {
	f, err := elf.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		return nil, err
	}
	out := map[string]elfTable{}
	for _, s := range syms {
		if !strings.HasPrefix(s.Name, prefix) || elf.ST_TYPE(s.Info) != elf.STT_OBJECT || int(s.Section) >= len(f.Sections) {
			continue
		}
		sec := f.Sections[s.Section]
		data, err := sec.Data()
		if err != nil {
			return nil, err
		}
		if s.Value+s.Size > uint64(len(data)) {
			return nil, fmt.Errorf("%s lies outside %s", s.Name, sec.Name)
		}
		tab := elfTable{data: data[s.Value : s.Value+s.Size]}
		for _, rs := range f.Sections {
			if rs.Type != elf.SHT_RELA || f.Sections[rs.Info] != sec {
				continue
			}
			rdata, err := rs.Data()
			if err != nil {
				return nil, err
			}
			for r := bytes.NewReader(rdata); r.Len() > 0; {
				var rela elf.Rela64
				if err := binary.Read(r, f.ByteOrder, &rela); err != nil {
					return nil, err
				}
				if rela.Off < s.Value || rela.Off >= s.Value+s.Size {
					continue
				}
				name := "?"
				if i := int(elf.R_SYM64(rela.Info)); i > 0 && i <= len(syms) {
					target := syms[i-1]
					name = target.Name
					if elf.ST_TYPE(target.Info) == elf.STT_SECTION && int(target.Section) < len(f.Sections) {
						name = f.Sections[target.Section].Name
					}
				}
				tab.relocs = append(tab.relocs, fmt.Sprintf("%#x:%s+%#x", rela.Off-s.Value, name, rela.Addend))
			}
		}
		out[s.Name] = tab
	}
	return out, nil
}

// dwarfMembers returns the members of the first struct tag in file's
// DWARF that has members, by offset.
func dwarfMembers(file, tag string) (map[int64]string, error) {
	f, err := elf.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, err := f.DWARF()
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for rd := d.Reader(); len(out) == 0; {
		e, err := rd.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return nil, fmt.Errorf("no struct %s in the DWARF of %s", tag, file)
		}
		if e.Tag != dwarf.TagStructType || e.Val(dwarf.AttrName) != tag || !e.Children {
			continue
		}
		for {
			m, err := rd.Next()
			if err != nil {
				return nil, err
			}
			if m == nil || m.Tag == 0 {
				break
			}
			if m.Tag == dwarf.TagMember {
				name, _ := m.Val(dwarf.AttrName).(string)
				off, _ := m.Val(dwarf.AttrDataMemberLoc).(int64)
				out[off] = name
			}
			if m.Children {
				rd.SkipChildren()
			}
		}
	}
	return out, nil
}
