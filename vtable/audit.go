package vtable

import (
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Audit rules: what a hand-written VTABLE literal can get wrong.
const (
	// RuleUnsetMethod: a function member the trait has a method for is
	// left to the zero fill, so the method can never be called.
	RuleUnsetMethod = "unset-method"
	// RuleWrongHas: a member is set from the HAS_* of the method that
	// fills another member (read: if T::HAS_WRITE).
	RuleWrongHas = "wrong-has"
	// RuleUnknownHas: a member is set from a HAS_* of a method the trait
	// lacks.
	RuleUnknownHas = "unknown-has"
	// RuleUnusedMethod: a trait method fills no member of any literal.
	RuleUnusedMethod = "unused-method"
	// RuleZeroData: a data member the C side relies on is left zero.
	RuleZeroData = "zero-data"
	// RuleCfg: a field's #[cfg] does not match the header's condition
	// around its member, or a member under a condition is set without one.
	RuleCfg = "cfg"
	// RuleSignature: a callback's Rust signature does not match the
	// member's C type (arity, pointer constness, integer width).
	RuleSignature = "signature"
)

// DefaultRequiredData are the data members audit expects a literal to
// set, by struct: the module that owns a file's operations, without which
// unloading the module while a file is open is a use after free.
var DefaultRequiredData = map[CIdent][]CIdent{"file_operations": {"owner"}}

// Finding is one thing audit reports.
type Finding struct {
	Rule string
	// Pos is the Rust place: the field, or the literal when no field is.
	Pos token.Position
	// Literal is the struct literal, Member the C member and Method the
	// trait method concerned (nil where there is none).
	Literal *StructLiteral
	Member  *Member
	Trait   *Item
	Method  *Method
	Msg     string
}

// AuditLiteral is a struct literal with the C struct it builds and the
// vtable trait whose HAS_* consts it reads (nil when it reads none, or
// the trait could not be resolved), and the fns of its file.
type AuditLiteral struct {
	Lit    *StructLiteral
	Struct *Struct
	Trait  *Item
	Fns    []*FnSig
}

var hasRef = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*)::HAS_([A-Z0-9_]+)\b`)

// HasRefs returns the HAS_* consts a field value reads, as (type
// parameter, HAS name without "HAS_"), in order.
func HasRefs(value string) [][2]string {
	var out [][2]string
	for _, m := range hasRef.FindAllStringSubmatch(value, -1) {
		out = append(out, [2]string{m[1], m[2]})
	}
	return out
}

// LiteralTrait picks the vtable trait a literal's HAS_* consts come
// from: the bound of the type parameter they are read on (T::HAS_X, T:
// Trait), among traits, preferring one of the literal's own file, then
// one of that name alone. It returns nil when the literal reads no HAS_*
// or no bound names a known trait.
func LiteralTrait(l *StructLiteral, traits []*Item) *Item {
	params := map[string]bool{}
	for _, f := range l.Fields {
		for _, r := range HasRefs(f.Value) {
			params[r[0]] = true
		}
	}
	var names []string
	for p := range params {
		for _, b := range l.Bounds[p] {
			names = append(names, LastSegment(b))
		}
		if p != "T" && p != "Self" {
			names = append(names, p) // MyTrait::HAS_X read directly
		}
	}
	var found []*Item
	for _, t := range traits {
		if slices.Contains(names, t.Name) {
			if t.Pos.Filename == l.Pos.Filename {
				return t
			}
			found = append(found, t)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return nil
}

// methodOfHas returns the method of t whose HAS_* const is HAS_x.
func methodOfHas(t *Item, x string) *Method {
	for _, m := range t.Methods {
		if string(HasName(m.Name)) == "HAS_"+x {
			return m
		}
	}
	return nil
}

// Audit checks each literal against its C struct and trait, and each
// trait against every literal that reads it; required lists the data
// members each struct's literals must set.
//
// called reports a method name some code calls directly (T::name(...)),
// which a method that fills no member may be; nil means none is.
func Audit(lits []*AuditLiteral, required map[CIdent][]CIdent, called func(name string) bool) []*Finding {
	var out []*Finding
	add := func(f *Finding) { out = append(out, f) }
	filled := map[*Item]map[RustIdent]bool{} // trait -> methods some literal uses
	for _, al := range lits {
		l, s, t := al.Lit, al.Struct, al.Trait
		members := flatMembers(s.Members)
		byName := map[string]*Member{}
		for _, m := range members {
			byName[string(m.Name)] = m
		}
		if t != nil && filled[t] == nil {
			filled[t] = map[RustIdent]bool{}
		}
		usedHas := map[RustIdent]bool{}
		for _, f := range l.Fields {
			if strings.HasPrefix(f.Name, "_bitfield_") || strings.HasPrefix(f.Name, "__bindgen_") {
				continue // bindgen's own fields: bitfield storage, anonymous members
			}
			m := byName[f.Name]
			// Which methods the field uses.
			for _, r := range HasRefs(f.Value) {
				if t == nil {
					continue
				}
				meth := methodOfHas(t, r[1])
				if meth == nil {
					add(&Finding{Rule: RuleUnknownHas, Pos: f.Pos, Literal: l, Member: m, Trait: t,
						Msg: fmt.Sprintf("%s is set from %s::HAS_%s, but trait %s has no method whose HAS_* that is", f.Name, r[0], r[1], t.Name)})
					continue
				}
				usedHas[meth.Name] = true
				filled[t][meth.Name] = true
				if other := byName[string(meth.Name)]; other != nil && string(meth.Name) != f.Name && other.Kind == Func && m != nil && m.Kind == Func {
					add(&Finding{Rule: RuleWrongHas, Pos: f.Pos, Literal: l, Member: m, Trait: t, Method: meth,
						Msg: fmt.Sprintf("%s is set from %s::HAS_%s, the const of method %s, which fills member %s", f.Name, r[0], r[1], meth.Name, other.Name)})
				}
			}
			if t != nil && strings.TrimSpace(f.Value) != "None" {
				if meth := t.Method(RustIdent(f.Name)); meth != nil {
					filled[t][meth.Name] = true
				}
			}
			if m == nil {
				if len(f.Cfgs) == 0 {
					add(&Finding{Rule: RuleCfg, Pos: f.Pos, Literal: l,
						Msg: fmt.Sprintf("%s has no member %s (as the header was read), and the field has no #[cfg]", s.CType(), f.Name)})
				}
				continue
			}
			// #[cfg] against the header's condition.
			want := KernelCfg(m.Conds)
			have := strings.Join(f.Cfgs, ", ")
			if len(f.Cfgs) > 1 {
				have = "all(" + have + ")"
			}
			switch {
			case want != "" && have == "":
				add(&Finding{Rule: RuleCfg, Pos: f.Pos, Literal: l, Member: m,
					Msg: fmt.Sprintf("%s is under %s in the header, but the field has no #[cfg(%s)]", f.Name, condText(m.Conds), want)})
			case want == "" && have != "" && len(m.Conds) == 0:
				add(&Finding{Rule: RuleCfg, Pos: f.Pos, Literal: l, Member: m,
					Msg: fmt.Sprintf("the field has #[cfg(%s)], but %s is under no condition in the header", have, f.Name)})
			case want != "" && have != "" && normCfg(want) != normCfg(have):
				add(&Finding{Rule: RuleCfg, Pos: f.Pos, Literal: l, Member: m,
					Msg: fmt.Sprintf("the field has #[cfg(%s)], but %s is under %s in the header (#[cfg(%s)])", have, f.Name, condText(m.Conds), want)})
			}
			// Callbacks against the member's C type.
			if m.Kind == Func && m.Func != nil {
				for _, name := range callbackNames(f.Value) {
					fn := findFn(al.Fns, name)
					if fn == nil {
						continue
					}
					if why := signatureMismatch(fn, m.Func); why != "" {
						add(&Finding{Rule: RuleSignature, Pos: f.Pos, Literal: l, Member: m,
							Msg: fmt.Sprintf("%s is set to %s, whose signature does not match %s: %s (fn at %s:%d)", f.Name, name, m.Type, why, fn.Pos.Filename, fn.Pos.Line)})
					}
				}
			}
		}
		// Methods of the trait whose member is left to the zero fill.
		if t != nil && l.Base != "" {
			for _, m := range members {
				if m.Kind != Func || l.Field(string(m.Name)) != nil {
					continue
				}
				if meth := t.Method(RustIdent(m.Name)); meth != nil && !usedHas[meth.Name] {
					add(&Finding{Rule: RuleUnsetMethod, Pos: l.Pos, Literal: l, Member: m, Trait: t, Method: meth,
						Msg: fmt.Sprintf("trait %s has method %s, but the literal leaves member %s to the zero fill (%s): the method is never called", t.Name, meth.Name, m.Name, l.Base)})
				}
			}
		}
		for _, want := range required[s.Name] {
			if l.Field(string(want)) == nil {
				add(&Finding{Rule: RuleZeroData, Pos: l.Pos, Literal: l, Member: byName[string(want)],
					Msg: fmt.Sprintf("%s.%s is left zero: the C side relies on it", s.Ident(), want)})
			}
		}
	}
	// Optional trait methods no literal uses and nothing calls.
	var traits []*Item
	for t := range filled {
		traits = append(traits, t)
	}
	sort.Slice(traits, func(i, j int) bool { return posLess(traits[i].Pos, traits[j].Pos) })
	for _, t := range traits {
		for _, meth := range t.Methods {
			// A required method has no HAS_* that matters; one the
			// abstraction calls itself (T::unbind(...)) is used.
			if !filled[t][meth.Name] && !meth.Required && (called == nil || !called(string(meth.Name))) {
				add(&Finding{Rule: RuleUnusedMethod, Pos: meth.Pos, Trait: t, Method: meth,
					Msg: fmt.Sprintf("method %s of trait %s fills no member of any literal that reads %s's HAS_* consts", meth.Name, t.Name, t.Name)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return posLess(out[i].Pos, out[j].Pos) })
	return out
}

func posLess(a, b token.Position) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Column < b.Column
}

func normCfg(s string) string { return strings.Join(strings.Fields(s), "") }

var someCall = regexp.MustCompile(`Some\(\s*([A-Za-z_][A-Za-z0-9_:<>, ]*?)\s*\)`)

// callbackNames returns the fn names a field value puts in Some(...),
// generic arguments and paths dropped: "Some(Adapter::<T>::read_callback)"
// gives read_callback.
func callbackNames(value string) []string {
	var out []string
	for _, m := range someCall.FindAllStringSubmatch(value, -1) {
		p := m[1]
		if i := strings.LastIndex(p, "::"); i >= 0 {
			p = p[i+2:]
		}
		if i := strings.IndexByte(p, '<'); i >= 0 {
			p = p[:i]
		}
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// findFn returns the fn named name, an extern "C" one first.
func findFn(fns []*FnSig, name string) *FnSig {
	var any *FnSig
	for _, f := range fns {
		if f.Name == name {
			if f.Extern {
				return f
			}
			if any == nil {
				any = f
			}
		}
	}
	return any
}

// signatureMismatch compares a Rust fn with a C function type: arity,
// the constness of pointer parameters, integer widths; "" when they agree
// as far as the Rust types can be read (a type alias is not followed).
func signatureMismatch(fn *FnSig, f *FuncType) string {
	if len(fn.Params) != len(f.Params) && !f.Variadic {
		return fmt.Sprintf("%d parameters, the C type has %d", len(fn.Params), len(f.Params))
	}
	for i, p := range fn.Params {
		if i >= len(f.Params) {
			break
		}
		if why := typeMismatch(p, f.Params[i].CType); why != "" {
			return fmt.Sprintf("parameter %d: %s", i+1, why)
		}
	}
	if r := f.ResultType; r != nil {
		if fn.Result == "" && (r.Kind != Void || r.Typedef != "") {
			return "no result, the C type returns " + f.Result
		}
		if fn.Result != "" && r.Kind == Void && r.Typedef == "" && fn.Result != "()" && fn.Result != "!" {
			return "a result (" + fn.Result + "), the C type returns void"
		}
		if fn.Result != "" {
			if why := typeMismatch(fn.Result, r); why != "" {
				return "result: " + why
			}
		}
	}
	return ""
}

// typeMismatch compares one Rust type as written with a C type.
func typeMismatch(rust string, c *Type) string {
	if c == nil {
		return ""
	}
	r := normRust(rust)
	for _, p := range []string{"*const ", "*mut "} {
		if strings.HasPrefix(r, p) {
			if c.Kind != Pointer {
				if c.Typedef != "" {
					return "" // a pointer typedef: not followed
				}
				return fmt.Sprintf("%s is a pointer, C's %s is not", rust, cSpell(c))
			}
			if c.Elem != nil && c.Elem.Kind != Function && (p == "*const ") != c.Elem.Const {
				return fmt.Sprintf("%s, but C's %s points to %s", rust, cSpell(c), map[bool]string{true: "const", false: "non-const"}[c.Elem.Const])
			}
			return ""
		}
	}
	if ri, ok := rustInts[LastSegment(r)]; ok && !strings.Contains(r, "<") {
		if size, _, ok := cInt(c); ok && size != ri.size {
			return fmt.Sprintf("%s is %d bytes, C's %s is %d", rust, ri.size, cSpell(c), size)
		}
		if c.Kind == Pointer {
			return fmt.Sprintf("%s is an integer, C's %s a pointer", rust, cSpell(c))
		}
	}
	return ""
}

// cSpell names a C type in a message.
func cSpell(t *Type) string {
	if t.Typedef != "" {
		return t.Typedef
	}
	if t.Name != "" {
		return t.Name
	}
	return string(t.Kind.String())
}
