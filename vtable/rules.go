package vtable

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// UseVtableAttr is the marker const the vtable rule adds to every trait
// (without a value) and impl (with the value ()): an impl of a vtable
// trait that lacks the attribute fails to compile.
const UseVtableAttr RustIdent = "USE_VTABLE_ATTR"

// Form is the version of the kernel's vtable macro whose expansion is
// reproduced. They differ in where the generated items go, which
// attributes they carry, and what they skip.
type Form int

const (
	// FormAuto, the zero Form, stands for the form of the kernel tree the
	// Rust files are in (its rust/macros/vtable.rs), else Userspace: what
	// is taken when no form is given. It is resolved before any expansion
	// (vtablegen.FormOf); an expansion given it takes Userspace's.
	FormAuto Form = iota
	// Form73 is the syn-based macro of mainline Linux 7.3 (Debian's
	// trixie-backports), the newest released: Form72's, and on a trait
	// "type OwnerModule: ::kernel::ModuleMetadata;" (with its doc lines)
	// unless the trait declares that type, on an impl
	// "type OwnerModule = crate::LocalModule;" unless the impl defines it;
	// an impl's own const or type of a generated name suppresses it.
	Form73
	// Form612 is the token scanner of Linux 6.2 to 6.19 (Debian's 6.12):
	// the consts go before the body's own items, no attribute is copied,
	// every trait HAS_* has the doc line, and on the trait a HAS_* that is
	// already declared, or already generated, is skipped.
	Form612
	// Form72 is the syn-based macro of mainline Linux 7.2 (Debian's sid):
	// the consts go after the body's own items, each method's #[cfg]
	// attributes are copied onto its HAS_* before its doc line, nothing is
	// skipped on a trait, and an impl's own const of a generated name
	// suppresses it.
	Form72
	// FormOptional is a patch series that mainline has not merged: Form72's
	// placement and cfg copies, a trait method without a default body has
	// a #[doc(hidden)] HAS_*, and #[optional] trait methods get a default
	// body that fails the build. It is reproduced only when asked for by
	// name ("optional").
	FormOptional
)

// Newest is the form of the newest released kernel, the default inside a
// kernel tree whose macro vtablegen does not know.
const Newest = Form73

// Userspace is the default outside a kernel tree: the newest form whose
// expansion compiles without the kernel crate (7.3's adds
// "type OwnerModule: ::kernel::ModuleMetadata" and crate::LocalModule).
const Userspace = Form72

// ParseForm reads a -macro value: "newest", empty for FormAuto, a kernel version
// such as "6.12", "7.2" or "7.3" (6.2 to 6.19 share 6.12's form; 7.0 and 7.1
// are taken to have 7.2's, which Debian does not ship to check; later 7.x
// have 7.3's), or "optional" for the unmerged #[optional] series.
func ParseForm(s string) (Form, error) {
	switch s {
	case "":
		return FormAuto, nil
	case "newest":
		return Newest, nil
	case "optional":
		return FormOptional, nil
	}
	var major, minor int
	if _, err := fmt.Sscanf(s, "%d.%d", &major, &minor); err == nil && fmt.Sprintf("%d.%d", major, minor) == s {
		switch {
		case major == 6 && minor >= 2 && minor <= 19:
			return Form612, nil
		case major == 7 && minor <= 2:
			return Form72, nil
		case major == 7:
			return Form73, nil
		}
	}
	return 0, fmt.Errorf("unknown #[vtable] form %q: want newest, a kernel version from 6.2 to 7.x such as 6.12, 7.2 or 7.3, or optional", s)
}

// FormOfMacro tells, from the source of a kernel tree's
// rust/macros/vtable.rs, which form its macro has: the syn-based macro
// that adds the OwnerModule type is Form73's, the syn-based one without it
// Form72's, the proc_macro token scanner that writes HAS_ consts
// Form612's. ok is false for a source that is none of these (the
// unmerged #[optional] series is only ever chosen by name).
func FormOfMacro(src []byte) (f Form, ok bool) {
	text := string(src)
	if !strings.Contains(text, "HAS_") || !strings.Contains(text, "fn vtable") {
		return 0, false
	}
	syn := strings.Contains(text, "syn::")
	switch {
	case strings.Contains(text, "optional"):
		return 0, false
	case syn && strings.Contains(text, "OwnerModule"):
		return Form73, true
	case syn:
		return Form72, true
	case strings.Contains(text, "proc_macro::") && strings.Contains(text, "TokenTree"):
		return Form612, true
	}
	return 0, false
}

// String returns the form as -macro takes it.
func (f Form) String() string {
	switch f {
	case Form612:
		return "6.12"
	case Form72:
		return "7.2"
	case FormOptional:
		return "optional"
	case FormAuto:
		return "auto"
	}
	return "7.3"
}

// OwnerModule is the associated type Linux 7.3's vtable macro adds.
const OwnerModule RustIdent = "OwnerModule"

// Expansion returns the consts the kernel's vtable macro, in form f,
// inserts into the trait or impl it, in the order the macro generates them:
// USE_VTABLE_ATTR (no value on a trait, () on an impl), then a HAS_NAME per
// top-level method: false on a trait for every method, true on an impl for
// each method it defines unless the impl declares a const of that name (how
// a driver forces a NULL slot). See Form for what differs between forms.
func Expansion(it *Item, f Form) []*Const {
	if f == FormAuto {
		f = Userspace
	}
	user := map[RustIdent]bool{}
	for _, c := range it.Consts {
		user[c.Name] = true
	}
	hasType := func(name RustIdent) bool { return slices.Contains(it.Types, name) }
	var out []*Const
	if it.Kind == Trait {
		out = append(out, &Const{Name: UseVtableAttr, Attrs: []string{
			"/// A marker to prevent implementors from forgetting to use [`#[vtable]`](vtable)",
			"/// attribute when implementing this trait.",
		}})
	} else {
		out = append(out, &Const{Name: UseVtableAttr})
	}
	if f == Form73 && !hasType(OwnerModule) {
		if it.Kind == Trait {
			out = append(out, &Const{Name: OwnerModule, TypeItem: true, Type: "::kernel::ModuleMetadata", Attrs: []string{
				"/// The module implementing this vtable trait.",
				"///",
				"/// Automatically set to `crate::LocalModule` by the `#[vtable]`",
				"/// impl macro.",
			}})
		} else {
			out = append(out, &Const{Name: OwnerModule, TypeItem: true, Expr: "crate::LocalModule"})
		}
	}
	for _, m := range it.Methods {
		name := HasName(m.Name)
		var attrs []string
		switch {
		case f == Form612 && it.Kind == Trait:
			if user[name] {
				continue
			}
			user[name] = true // a method declared twice gets one HAS_*
			attrs = append(attrs, docOverridden(m.Name))
		case f == Form612:
			if _, _, u := Has(it, m.Name); u != nil {
				continue // the user's HAS_X wins: the rule Bind reads too
			}
		case it.Kind == Trait && f == FormOptional:
			attrs = append(attrs, m.CfgAttrs...)
			if m.HasBody || m.Optional {
				attrs = append(attrs, docOverridden(m.Name))
			} else {
				attrs = append(attrs, "#[doc(hidden)]")
			}
		case it.Kind == Trait: // mainline: nothing skipped
			attrs = append(append(attrs, m.CfgAttrs...), docOverridden(m.Name))
		default:
			if _, _, u := Has(it, m.Name); u != nil || f == Form73 && hasType(name) {
				continue
			}
			attrs = append(attrs, m.CfgAttrs...)
		}
		v := it.Kind == Impl
		out = append(out, &Const{Name: name, Type: "bool", Value: &v, Attrs: attrs})
	}
	return out
}

func docOverridden(m RustIdent) string {
	return "/// Indicates if the `" + string(m) + "` method is overridden by the implementor."
}

// OptionalBody is the default body the newest vtable gives an
// #[optional] trait method: calling it fails the build.
const OptionalBody = `::kernel::build_assert::build_error!("This function must not be called, see the #[vtable] documentation.");`

// Has reports the value of the HAS_* const of method in impl: the value
// the user wrote, if they wrote one, and otherwise whether the impl defines
// the method. ok is false when the user's const has a value other than a
// boolean literal, which vtablegen cannot evaluate; user is the user's
// const then.
func Has(impl *Item, method RustIdent) (has, ok bool, user *Const) {
	name := HasName(method)
	for _, c := range impl.Consts {
		if c.Name == name {
			if c.Value == nil {
				return false, false, c
			}
			return *c.Value, true, c
		}
	}
	return impl.Method(method) != nil, true, nil
}

// Method returns the top-level method of it named name, or nil.
func (it *Item) Method(name RustIdent) *Method {
	for _, m := range it.Methods {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// SnakeCase turns a Rust type as written into the snake-case stem of C
// names: "LedDevice" becomes "led_device", "HTTPServer" "http_server",
// "drivers::Led<T>" "led". Generic arguments and the path are dropped.
func SnakeCase(typ string) string {
	rs := []rune(LastSegment(typ))
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && rs[i-1] != '_' {
			prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (unicode.IsUpper(rs[i-1]) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Check reports, across all the files, what the kernel's vtable macro in
// form f rejects and what rustc would report only later or less clearly:
//   - an impl of a trait that is vtable in the inputs but lacks the
//     attribute itself, naming both places (rustc says only that
//     USE_VTABLE_ATTR is missing);
//   - an impl method the trait does not declare, and a required trait
//     method the impl does not define;
//   - a method defined twice under the same #[cfg] attributes;
//   - a method whose name is a raw identifier;
//   - in the optional form, an #[optional] method that has a default body.
//
// An impl is checked against its trait only when its trait path resolves
// to a trait of the inputs (see Resolve); one that does not resolve gets a
// note saying why, never an error.
func Check(files []*RustFile, f Form) Diagnostics {
	var diags Diagnostics
	res := Resolve(files)
	var items []*Item
	for _, file := range files {
		items = append(items, file.Items...)
		for _, it := range file.PlainImpls {
			if tr := res.Trait[it]; tr != nil {
				d := diags.Add(it.Pos, "impl of #[vtable] trait %s for %s lacks #[vtable]: add it, or the HAS_* consts and USE_VTABLE_ATTR are missing", tr.Name, it.Self)
				d.Related = append(d.Related, Related{Pos: tr.Pos, Msg: "trait " + tr.Name + " declared #[vtable] here"})
			}
		}
	}
	for _, it := range items {
		seen := map[string]*Method{}
		for _, m := range it.Methods {
			if strings.HasPrefix(string(m.Name), "r#") {
				diags.Add(m.Pos, "method %s is a raw identifier: the kernel's #[vtable] would make HAS_%s of it, which is not an identifier; rename the method",
					m.Name, strings.ToUpper(string(m.Name)))
			}
			key := string(m.Name) + "\x00" + strings.Join(m.CfgAttrs, "\x00")
			if prev := seen[key]; prev != nil {
				d := diags.Add(m.Pos, "method %s is defined twice under the same #[cfg]", m.Name)
				d.Related = append(d.Related, Related{Pos: prev.Pos, Msg: "first defined here"})
			}
			seen[key] = m
			if f == FormOptional && m.Optional && m.HasBody {
				diags.Add(m.Pos, "#[optional] method %s has a default body: #[optional] methods must not have one", m.Name)
			}
		}
		if it.Kind != Impl {
			continue
		}
		tr := res.Trait[it]
		if tr == nil {
			if why := res.Why[it]; why != "" {
				diags.Note(it.Pos, "impl of %s for %s is not checked against a trait: its path does not resolve (%s)", it.Trait, it.Self, why)
			}
			continue
		}
		var names []string
		for _, m := range tr.Methods {
			names = append(names, string(m.Name))
		}
		for _, m := range it.Methods {
			if tr.Method(m.Name) == nil {
				d := diags.Add(m.Pos, "method %s is not a method of trait %s%s", m.Name, tr.Name, DidYouMean(string(m.Name), names))
				d.Related = append(d.Related, Related{Pos: tr.Pos, Msg: "trait " + tr.Name + " declared here"})
			}
		}
		for _, m := range tr.Methods {
			if m.Required && !(f == FormOptional && m.Optional) && it.Method(m.Name) == nil {
				d := diags.Add(it.Pos, "impl of %s for %s does not define required method %s", tr.Name, it.Self, m.Name)
				d.Related = append(d.Related, Related{Pos: m.Pos, Msg: "required method declared here"})
			}
		}
	}
	return diags
}

// LastSegment returns the last segment of a Rust path or type without
// generic arguments: "kernel::fs::Ops<T>" gives "Ops".
func LastSegment(path string) string {
	if i := strings.IndexByte(path, '<'); i >= 0 {
		path = path[:i]
	}
	if i := strings.LastIndex(path, "::"); i >= 0 {
		path = path[i+2:]
	}
	return strings.TrimSpace(path)
}
