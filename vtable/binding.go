package vtable

import (
	"fmt"
	"go/token"
	"strings"
)

// Binding says how one vtable trait fills one C struct: a rule per
// member that does not take the default, the trait methods that fill
// nothing on purpose, and the names of what is generated. The zero
// Binding is the default binding: function member x is filled by method x
// when the trait has one, every other member stays zero.
type Binding struct {
	// Members are the member rules in the order written.
	Members []*MemberRule
	// Unbound are trait methods that fill no member on purpose, e.g. a
	// helper the abstraction calls itself; any other trait method that
	// fills nothing is an error.
	Unbound []Named
	// Naming gives the names of callbacks, initializers and output files.
	Naming Naming
	// Rust says how the Rust side spells C types and turns a method's
	// Result into a C result.
	Rust RustOptions
}

// RustOptions shape the Rust side of a binding: the trampolines and the
// VTABLE constant.
type RustOptions struct {
	// Types says where C's struct, union, enum and typedef names are in
	// Rust, e.g. bindgen's "bindings"; empty declares them in the
	// generated file.
	Types RustTypes
	// ResultFn is the function that turns a method's Result into the C
	// result, e.g. "from_result" or "kernel::error::from_result"; a method
	// returning a Result needs one.
	ResultFn string
	// Style is "kernel" for the style of the kernel's own abstractions:
	// no trampolines (the abstraction writes its adapters; -skeleton gives
	// their signatures), a VTABLE of bindings::S naming Adapter::<T>
	// callbacks, C macros CONFIG_X mapped to Rust cfgs CONFIG_X; "" is the
	// userspace style (trampolines, the struct declared when Types.Path is
	// empty).
	Style string
	// Adapter is the type whose impl holds the kernel-style VTABLE and the
	// adapters, default "Adapter"; Callback the path of a member's adapter,
	// over {adapter}, {method} and {member}, default
	// "{adapter}::<T>::{method}_callback".
	Adapter, Callback string
	// Zero is the kernel-style VTABLE's expression for the members it
	// leaves out, default "pin_init::zeroed()"; EveryMember writes out
	// every function member instead (None where no method fills it), as
	// blk-mq's does.
	Zero        string
	EveryMember bool
	// Cfg maps a C macro the header tests (#ifdef X, #ifndef X,
	// #if defined(X)) to the Rust cfg predicate that says the same, e.g.
	// "STREAM_HAVE_POLL" to `feature = "poll"`: the member gets that
	// #[cfg] in the Rust struct and VTABLE.
	Cfg map[string]string
	// Pos is where the options are written, for diagnostics.
	Pos token.Position
}

// Named is a Rust name where a binding gives it, e.g. an unbound method.
type Named struct {
	Name RustIdent
	Pos  token.Position
}

// MemberRule says what fills one member of the struct. At most one of
// Method, SameAs, Expr, Const and Zero is set; none set means the default
// (the method of the member's name), which Fallback and Required may still
// qualify.
type MemberRule struct {
	// Member is the C member, e.g. "unlocked_ioctl".
	Member CIdent
	// Method is the trait method that fills the member, e.g. "ioctl": the
	// member holds the method's callback in every impl whose HAS_IOCTL is
	// true, and NULL (or Fallback) in the others.
	Method RustIdent
	// SameAs is another member whose value this one takes, whatever it
	// is, e.g. SQLite's xCreate = xConnect for an eponymous table.
	SameAs CIdent
	// Expr is a C expression the member holds in every impl, e.g.
	// "THIS_MODULE" for owner, or "noop_llseek" for a function member.
	Expr string
	// Const is a trait const whose value (the impl's, or the trait's
	// default) the member holds, e.g. NAME for name; only literals can be
	// written in C.
	Const RustIdent
	// Zero leaves the member zero (it is not designated), e.g. a function
	// member the C side fills at run time.
	Zero bool
	// Fallback is a C expression the member holds when the impl does not
	// have the method, e.g. "compat_ptr_ioctl" for compat_ioctl; with
	// FallbackIf, only when the impl has that other method (ioctl).
	Fallback   string
	FallbackIf RustIdent
	// Required says the member must never be NULL: an impl that leaves it
	// NULL is an error.
	Required bool
	// RustExpr is the member's value in the Rust VTABLE, where the C one
	// (Expr) is not Rust, e.g. "&raw mut framework_module" for owner =
	// THIS_PLUGIN; with a Fallback, the fallback's value, which impls
	// without the method take: "bindings::compat_ptr_ioctl" in a 7.x tree,
	// whose bindings make it an Option (None without CONFIG_COMPAT).
	RustExpr string
	// Pos is where the rule is written, and Values where each of its
	// values is, by key ("method", "same_as", "const", "if", ...); a
	// diagnostic about a value points there, else at Pos.
	Pos    token.Position
	Values map[string]token.Position
}

// at returns where the rule's value key is written, or the rule's own
// position.
func (r *MemberRule) at(key string) token.Position {
	if p, ok := r.Values[key]; ok && p.IsValid() {
		return p
	}
	return r.Pos
}

// sources lists the value kinds the rule sets, for the one-source check.
func (r *MemberRule) sources() []string {
	var out []string
	for _, s := range []struct {
		key string
		set bool
	}{{"method", r.Method != ""}, {"same_as", r.SameAs != ""}, {"expr", r.Expr != ""}, {"const", r.Const != ""}, {"zero", r.Zero}} {
		if s.set {
			out = append(out, s.key)
		}
	}
	return out
}

// Naming gives the names of what is generated, as patterns over the
// placeholders {impl} (the impl's self type in snake case, e.g.
// "led_device"), {struct} (the struct, e.g. "device_ops"), {member},
// {trait} and {stem} (a Rust file's base name without ".rs"). An empty
// pattern takes the default.
type Naming struct {
	// Callback names the exported callback of a member for an impl;
	// default "{impl}_{member}", e.g. "led_device_open".
	Callback string
	// Initializer names an impl's C initializer; default
	// "{impl}_{struct}", e.g. "led_device_device_ops".
	Initializer string
	// COutput names the C output; default "{struct}_vtable.c".
	COutput string
	// RustOutput names the expansion of a Rust file; default
	// "{stem}_expanded.rs".
	RustOutput string
	// RustVtable names the Rust trampolines and VTABLE; default
	// "{struct}_vtable.rs".
	RustVtable string
	// Pos is where the naming is written, for diagnostics about it.
	Pos token.Position
}

// Default patterns of Naming.
const (
	DefaultCallback    = "{impl}_{member}"
	DefaultInitializer = "{impl}_{struct}"
	DefaultCOutput     = "{struct}_vtable.c"
	DefaultRustOutput  = "{stem}_expanded.rs"
	DefaultRustVtable  = "{struct}_vtable.rs"
)

// Names are the values of the placeholders of Naming's patterns.
type Names struct {
	Impl, Struct, Member, Trait, Stem string
}

// expand replaces the placeholders of pattern (or def when pattern is
// empty) with names.
func expand(pattern, def string, n Names) string {
	if pattern == "" {
		pattern = def
	}
	return strings.NewReplacer("{impl}", n.Impl, "{struct}", n.Struct, "{member}", n.Member,
		"{trait}", n.Trait, "{stem}", n.Stem).Replace(pattern)
}

// CallbackName is the callback symbol for n.Impl and n.Member.
func (nm Naming) CallbackName(n Names) CIdent { return CIdent(expand(nm.Callback, DefaultCallback, n)) }

// InitializerName is the C initializer for n.Impl and n.Struct.
func (nm Naming) InitializerName(n Names) CIdent {
	return CIdent(expand(nm.Initializer, DefaultInitializer, n))
}

// COutputName is the file name of the C output for n.Struct.
func (nm Naming) COutputName(n Names) string { return expand(nm.COutput, DefaultCOutput, n) }

// RustOutputName is the file name of the expansion of the Rust file n.Stem.
func (nm Naming) RustOutputName(n Names) string { return expand(nm.RustOutput, DefaultRustOutput, n) }

// RustVtableName is the file name of the Rust trampolines for n.Struct.
func (nm Naming) RustVtableName(n Names) string { return expand(nm.RustVtable, DefaultRustVtable, n) }

// Check reports patterns that use an unknown placeholder or one their
// name does not have, and C names that would not be C identifiers.
func (nm Naming) Check() Diagnostics {
	var diags Diagnostics
	for _, p := range []struct {
		key, pattern string
		allowed      []string
		ident        bool
	}{
		{"callback", nm.Callback, []string{"impl", "struct", "member", "trait"}, true},
		{"initializer", nm.Initializer, []string{"impl", "struct", "trait"}, true},
		{"c_output", nm.COutput, []string{"struct", "trait"}, false},
		{"rust_output", nm.RustOutput, []string{"stem", "struct", "trait"}, false},
		{"rust_vtable", nm.RustVtable, []string{"struct", "trait"}, false},
	} {
		if p.pattern == "" {
			continue
		}
		rest := p.pattern
		for {
			i := strings.IndexByte(rest, '{')
			if i < 0 {
				break
			}
			j := strings.IndexByte(rest[i:], '}')
			if j < 0 {
				diags.Add(nm.Pos, "%s pattern %q has an unclosed {", p.key, p.pattern)
				break
			}
			name := rest[i+1 : i+j]
			if !contains(p.allowed, name) {
				diags.Add(nm.Pos, "%s pattern %q has an unknown placeholder {%s}%s (have: {%s})",
					p.key, p.pattern, name, DidYouMean(name, p.allowed), strings.Join(p.allowed, "}, {"))
			}
			rest = rest[i+j+1:]
		}
		sample := expand(p.pattern, "", Names{Impl: "a", Struct: "b", Member: "c", Trait: "D", Stem: "e"})
		switch {
		case p.ident && !isCIdent(sample):
			diags.Add(nm.Pos, "%s pattern %q does not give a C identifier", p.key, p.pattern)
		case !p.ident && (strings.ContainsAny(sample, "/\\") || sample == "." || sample == ".."):
			diags.Add(nm.Pos, "%s pattern %q must give a file name without a directory", p.key, p.pattern)
		}
	}
	return diags
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isCIdent reports whether s is a C identifier.
func isCIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// CLiteral turns the value of a Rust const, as written, into the C
// expression a data member can hold: a string literal ("led", c"led",
// c_str!("led")), an integer literal (its suffix dropped), an integer
// constant expression of literals (1 << 0 | 1 << 5, evaluated) or a bool.
// ok is false for anything else, which only Rust can evaluate.
func CLiteral(expr string) (c string, ok bool) {
	e := strings.TrimSpace(expr)
	if inner, found := strings.CutPrefix(e, "c_str!("); found && strings.HasSuffix(inner, ")") {
		e = strings.TrimSpace(strings.TrimSuffix(inner, ")"))
	}
	if strings.HasPrefix(e, `c"`) {
		e = e[1:]
	}
	switch {
	case e == "true":
		return "1", true
	case e == "false":
		return "0", true
	case len(e) >= 2 && e[0] == '"' && e[len(e)-1] == '"':
		return rustStringToC(e[1 : len(e)-1])
	case len(e) > 0 && e[0] >= '0' && e[0] <= '9':
		if c, ok := rustIntToC(e); ok {
			return c, true
		}
	}
	return rustIntExpr(e)
}

// rustStringToC re-escapes the body of a Rust string literal for C.
func rustStringToC(body string) (string, bool) {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body):
			i++
			switch body[i] {
			case 'n', 't', 'r', '\\', '"', '\'', '0':
				b.WriteByte('\\')
				b.WriteByte(body[i])
			case 'x':
				if i+2 >= len(body) {
					return "", false
				}
				b.WriteString(`\x` + body[i+1:i+3] + `""`) // "" ends the C hex escape
				i += 2
			default:
				return "", false // \u{...} and line continuations: left to Rust
			}
		case c == '\\' || c == '\n':
			return "", false
		case c == '?' && i+1 < len(body) && body[i+1] == '?':
			b.WriteString(`?\`) // no trigraphs
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String(), true
}

// rustIntToC drops the underscores and type suffix of a Rust integer
// literal: 0x10_u32 gives 0x10.
func rustIntToC(e string) (string, bool) {
	e = strings.ReplaceAll(e, "_", "")
	for _, suf := range []string{"usize", "isize", "u128", "i128", "u64", "i64", "u32", "i32", "u16", "i16", "u8", "i8"} {
		if strings.HasSuffix(e, suf) {
			e = strings.TrimSuffix(e, suf)
			break
		}
	}
	digits := e
	base := "0123456789"
	switch {
	case strings.HasPrefix(e, "0x"):
		digits, base = e[2:], "0123456789abcdefABCDEF"
	case strings.HasPrefix(e, "0o"):
		if !allIn(e[2:], "01234567") || len(e) == 2 {
			return "", false
		}
		return "0" + e[2:], true
	case strings.HasPrefix(e, "0b"):
		digits, base = e[2:], "01"
	}
	if digits == "" || !allIn(digits, base) {
		return "", false
	}
	return e, true
}

func allIn(s, set string) bool {
	for _, c := range s {
		if !strings.ContainsRune(set, c) {
			return false
		}
	}
	return true
}

// describe names a member for messages: "member owner of struct module".
func describe(m *Member, s *Struct) string {
	return fmt.Sprintf("member %s of %s", m.Name, s.CType())
}
