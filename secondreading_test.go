package vtablegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// This file is a second, independent reading of the kernel's #[vtable]
// rules of Linux 6.12, 7.2 and 7.3 (rust/macros/vtable.rs of each), written
// from the macros' source and not from vtablegen's code: a small Rust
// token scanner finds each #[vtable] trait and impl and the methods,
// consts and types of its body, and the rules are spelled out again below.
// TestSecondReading checks every item of the whole 6.12, 7.2 and 7.3
// trees against it.

type scanTok struct {
	text string
	line int
}

// scanRust splits Rust source into identifiers and punctuation, with
// comments, strings, raw strings, byte strings and char literals dropped
// (a lifetime 'a is kept as an identifier).
func scanRust(src string) []scanTok {
	var toks []scanTok
	line := 1
	isIdent := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
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
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					if src[i] == '\n' {
						line++
					}
					i++
				}
			}
		case c == 'r' && i+1 < len(src) && (src[i+1] == '#' || src[i+1] == '"') && !(i > 0 && isIdent(src[i-1])),
			(c == 'b' || c == 'c') && i+2 < len(src) && src[i+1] == 'r' && (src[i+2] == '#' || src[i+2] == '"') && !(i > 0 && isIdent(src[i-1])):
			// A raw string r#"..."# (or br, cr), unless r# is a raw identifier.
			j := i + 1
			if c != 'r' {
				j++
			}
			hashes := 0
			for j < len(src) && src[j] == '#' {
				hashes++
				j++
			}
			if j >= len(src) || src[j] != '"' {
				// r#ident: a raw identifier.
				k := j
				for k < len(src) && isIdent(src[k]) {
					k++
				}
				toks = append(toks, scanTok{src[j:k], line})
				i = k
				continue
			}
			end := "\"" + strings.Repeat("#", hashes)
			k := strings.Index(src[j+1:], end)
			if k < 0 {
				return toks
			}
			line += strings.Count(src[j+1:j+1+k], "\n")
			i = j + 1 + k + len(end)
		case c == '"' || (c == 'b' || c == 'c') && i+1 < len(src) && src[i+1] == '"' && !(i > 0 && isIdent(src[i-1])):
			j := i + 1
			if c != '"' {
				j++
			}
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				if j < len(src) && src[j] == '\n' {
					line++
				}
				j++
			}
			i = j + 1
		case c == '\'':
			// A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
			if i+2 < len(src) && src[i+1] == '\\' {
				j := i + 2
				for j < len(src) && src[j] != '\'' {
					j++
				}
				i = j + 1
				continue
			}
			// One character (possibly multi-byte) then a quote: a char.
			j := i + 1
			for j < len(src) && j < i+5 && src[j] != '\'' {
				if j > i+1 && isIdent(src[j]) && src[j] < 0x80 {
					break
				}
				j++
			}
			if j < len(src) && src[j] == '\'' && j > i+1 {
				i = j + 1
				continue
			}
			k := i + 1
			for k < len(src) && isIdent(src[k]) {
				k++
			}
			toks = append(toks, scanTok{src[i:k], line})
			i = k
		case isIdent(c):
			j := i
			for j < len(src) && isIdent(src[j]) {
				j++
			}
			toks = append(toks, scanTok{src[i:j], line})
			i = j
		default:
			toks = append(toks, scanTok{src[i : i+1], line})
			i++
		}
	}
	return toks
}

// group returns the index just past the group that opens at toks[i].
func group(toks []scanTok, i int) int {
	open := toks[i].text
	closeOf := map[string]string{"(": ")", "[": "]", "{": "}"}[open]
	depth := 0
	for ; i < len(toks); i++ {
		switch toks[i].text {
		case open:
			depth++
		case closeOf:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(toks)
}

func joinToks(toks []scanTok) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}

// readItem is what the second reading finds of one #[vtable] item.
type readItem struct {
	kind    string // "trait" or "impl"
	line    int
	methods []readMethod
	consts  []string
	types   []string
}

type readMethod struct {
	name string
	cfgs []string // each #[cfg(...)] as written, without blanks
}

// readVtableItems finds the #[vtable] items of a file, outside macro
// invocations and macro_rules! bodies.
func readVtableItems(src string) []readItem {
	toks := scanRust(src)
	var items []readItem
	for i := 0; i < len(toks); i++ {
		t := toks[i].text
		// A macro invocation or macro_rules! body: skip it.
		if t == "!" && i > 0 && i+1 < len(toks) && toks[i-1].text != "#" {
			j := i + 1
			if j < len(toks) && toks[j].text != "(" && toks[j].text != "[" && toks[j].text != "{" {
				j++ // macro_rules! name { ... }
			}
			if j < len(toks) && (toks[j].text == "(" || toks[j].text == "[" || toks[j].text == "{") {
				i = group(toks, j) - 1
			}
			continue
		}
		if t != "#" || i+1 >= len(toks) || toks[i+1].text != "[" {
			continue
		}
		end := group(toks, i+1)
		inner := toks[i+2 : end-1]
		path := joinToks(inner)
		if path != "vtable" && !strings.HasSuffix(path, "::vtable") {
			i = end - 1
			continue
		}
		line := toks[i].line
		// The item: skip further attributes and qualifiers to trait or impl.
		j := end
		for j < len(toks) && toks[j].text != "trait" && toks[j].text != "impl" {
			if toks[j].text == "#" && j+1 < len(toks) && toks[j+1].text == "[" {
				j = group(toks, j+1)
				continue
			}
			j++
		}
		if j >= len(toks) {
			break
		}
		it := readItem{kind: toks[j].text, line: line}
		// The body: the first { at angle depth 0.
		angle := 0
		for ; j < len(toks); j++ {
			switch toks[j].text {
			case "<":
				angle++
			case ">":
				if toks[j-1].text != "-" && toks[j-1].text != "=" {
					angle--
				}
			}
			if toks[j].text == "{" && angle <= 0 {
				break
			}
		}
		bodyEnd := group(toks, j)
		var cfgs []string
		for k := j + 1; k < bodyEnd-1; k++ {
			switch toks[k].text {
			case "#":
				if k+1 < len(toks) && toks[k+1].text == "[" {
					e := group(toks, k+1)
					attr := toks[k+2 : e-1]
					if len(attr) > 0 && attr[0].text == "cfg" {
						cfgs = append(cfgs, "#["+joinToks(attr)+"]")
					}
					k = e - 1
				}
			case "fn":
				it.methods = append(it.methods, readMethod{name: toks[k+1].text, cfgs: cfgs})
				cfgs = nil
				// Skip to the end of the method: its body or its ;.
				for k < bodyEnd && toks[k].text != "{" && toks[k].text != ";" {
					if toks[k].text == "(" || toks[k].text == "[" {
						k = group(toks, k)
						continue
					}
					k++
				}
				if k < bodyEnd && toks[k].text == "{" {
					k = group(toks, k) - 1
				}
			case "const":
				if toks[k+1].text != "fn" && toks[k+1].text != "unsafe" {
					it.consts = append(it.consts, toks[k+1].text)
					cfgs = nil
					for k < bodyEnd && toks[k].text != ";" {
						if toks[k].text == "{" || toks[k].text == "(" || toks[k].text == "[" {
							k = group(toks, k)
							continue
						}
						k++
					}
				}
			case "type":
				it.types = append(it.types, toks[k+1].text)
				cfgs = nil
				for k < bodyEnd && toks[k].text != ";" {
					k++
				}
			}
		}
		items = append(items, it)
		i = j // the body is scanned again for nested items (there are none in a trait or impl)
	}
	return items
}

// expected is the second reading's expansion of an item in the form of
// Linux 7.2 or 7.3, one line per generated item in the macro's order:
// "USE_VTABLE_ATTR", "type OwnerModule", "#[cfg(..)] HAS_X = false".
func (it readItem) expected(f vtable.Form) []string {
	out := []string{"USE_VTABLE_ATTR"}
	if f == vtable.Form612 {
		// Linux 6.2 to 6.19: a token scanner; no cfg copied, and a HAS_*
		// the body declares (or one already generated) is skipped, on a
		// trait as on an impl.
		seen := map[string]bool{}
		for _, c := range it.consts {
			seen[c] = true
		}
		for _, m := range it.methods {
			name := "HAS_" + strings.ToUpper(m.name)
			if seen[name] {
				continue
			}
			seen[name] = true
			value := "false"
			if it.kind == "impl" {
				value = "true"
			}
			out = append(out, name+" = "+value)
		}
		return out
	}
	owner := f == vtable.Form73 && !slices.Contains(it.types, "OwnerModule")
	if owner {
		out = append(out, "type OwnerModule")
	}
	for _, m := range it.methods {
		name := "HAS_" + strings.ToUpper(strings.TrimPrefix(m.name, "r#"))
		if it.kind == "impl" && slices.Contains(it.consts, name) {
			continue
		}
		value := "false"
		if it.kind == "impl" {
			value = "true"
		}
		out = append(out, strings.Join(append(slices.Clone(m.cfgs), name+" = "+value), " "))
	}
	return out
}

// got is vtablegen's expansion of an item, in the same lines.
func gotExpansion(it *vtable.Item, f vtable.Form) []string {
	var out []string
	for _, c := range vtable.Expansion(it, f) {
		switch {
		case c.TypeItem:
			out = append(out, "type "+string(c.Name))
		case c.Name == vtable.UseVtableAttr:
			out = append(out, "USE_VTABLE_ATTR")
		default:
			var parts []string
			for _, a := range c.Attrs {
				if strings.HasPrefix(a, "#[cfg") {
					parts = append(parts, strings.Join(strings.Fields(a), ""))
				}
			}
			v := "?"
			if c.Value != nil {
				v = fmt.Sprint(*c.Value)
			}
			out = append(out, strings.Join(append(parts, string(c.Name)+" = "+v), " "))
		}
	}
	return out
}

// TestSecondReading reads every #[vtable] item of the whole 6.12, 7.2 and
// 7.3 trees twice, with vtablegen's Rust front end and rules and with the
// second reading above, and compares what each says the macro of that
// version generates, #[cfg] copies included.
func TestSecondReading(t *testing.T) {
	for _, tc := range []struct {
		version string
		form    vtable.Form
		items   int // the #[vtable] items of the tree, at least
	}{{"6.12", vtable.Form612, 7}, {"7.2", vtable.Form72, 31}, {"7.3", vtable.Form73, 34}} {
		t.Run(tc.version, func(t *testing.T) {
			tree := filepath.Join(".cache", "linux-source-"+tc.version, "tree")
			if tc.version == "6.12" {
				tree = filepath.Join(".cache", "linux-source", "tree")
			}
			testtool.NeedFile(t, filepath.Join(tree, "rust", "macros", "vtable.rs"), "make test runs scripts/rust-fixtures.sh and scripts/rust-fixtures-7.sh")
			var names []string
			for _, top := range []string{"rust", "drivers", "samples"} {
				filepath.WalkDir(filepath.Join(tree, top), func(path string, d os.DirEntry, err error) error {
					if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rs") {
						names = append(names, path)
					}
					return nil
				})
			}
			files, diags := parseRust(names, tc.form)
			if diags.HasErrors() {
				t.Fatalf("%v", diags)
			}
			checked, cfgd := 0, 0
			for _, f := range files {
				src, err := os.ReadFile(f.Name)
				if err != nil {
					t.Fatal(err)
				}
				read := readVtableItems(string(src))
				if len(read) != len(f.Items) {
					t.Errorf("%s: vtablegen finds %d #[vtable] items, the second reading %d", f.Name, len(f.Items), len(read))
					continue
				}
				for i, it := range f.Items {
					want := read[i].expected(tc.form)
					got := gotExpansion(it, tc.form)
					if !slices.Equal(got, want) {
						t.Errorf("%s:%d: %s %s:\n got  %q\n want %q", f.Name, read[i].line, read[i].kind, it.Name, got, want)
					}
					checked++
					for _, w := range want {
						if strings.HasPrefix(w, "#[cfg") {
							cfgd++
						}
					}
				}
			}
			t.Logf("%s: %d files, %d #[vtable] items checked, %d cfg'd HAS_* consts", tc.version, len(files), checked, cfgd)
			if checked < tc.items {
				t.Errorf("only %d items checked, want %d", checked, tc.items)
			}
		})
	}
}
