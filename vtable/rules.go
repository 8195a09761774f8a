package vtable

import (
	"strings"
	"unicode"
)

// UseVtableAttr is the marker const the #[vtable] rule adds to every trait
// (without a value) and impl (with the value ()): an impl of a #[vtable]
// trait that lacks the attribute fails to compile.
const UseVtableAttr RustIdent = "USE_VTABLE_ATTR"

// Expansion returns the consts the kernel's #[vtable] macro inserts into
// the trait or impl it, in the order the macro generates them:
//
//   - trait: USE_VTABLE_ATTR (no value) with the kernel's doc lines, then
//     HAS_NAME = false for every method, required or with a default body;
//     the HAS_* of a method with a default body carries the doc line
//     "Indicates if the `name` method is overridden by the implementor.",
//     that of a required method #[doc(hidden)];
//   - impl: USE_VTABLE_ATTR = (), then HAS_NAME = true for each method the
//     impl defines, skipping a HAS_NAME the user wrote (how a driver forces
//     a NULL slot).
//
// Each method's #[cfg(...)] attributes are copied onto its HAS_*. A HAS_*
// const the user already wrote is not generated, and neither is a second
// one for a method of the same name unless the method carries a #[cfg].
func Expansion(it *Item) []*Const {
	user := map[RustIdent]bool{}
	for _, c := range it.Consts {
		user[c.Name] = true
	}
	generated := map[RustIdent]bool{}
	var out []*Const
	if it.Kind == Trait {
		out = append(out, &Const{Name: UseVtableAttr, Attrs: []string{
			"/// A marker to prevent implementors from forgetting to use [`#[vtable]`](vtable)",
			"/// attribute when implementing this trait.",
		}})
	} else {
		out = append(out, &Const{Name: UseVtableAttr})
	}
	value := it.Kind == Impl
	for _, m := range it.Methods {
		name := HasName(m.Name)
		if user[name] || generated[name] && len(m.Cfg) == 0 {
			continue
		}
		generated[name] = true
		var attrs []string
		for _, c := range m.Cfg {
			attrs = append(attrs, "#[cfg("+c+")]")
		}
		if it.Kind == Trait {
			if m.Required {
				attrs = append(attrs, "#[doc(hidden)]")
			} else {
				attrs = append(attrs, "/// Indicates if the `"+string(m.Name)+"` method is overridden by the implementor.")
			}
		}
		v := value
		out = append(out, &Const{Name: name, Value: &v, Attrs: attrs})
	}
	return out
}

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
	if i := strings.IndexByte(typ, '<'); i >= 0 {
		typ = typ[:i]
	}
	if i := strings.LastIndex(typ, "::"); i >= 0 {
		typ = typ[i+2:]
	}
	rs := []rune(strings.TrimSpace(typ))
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
