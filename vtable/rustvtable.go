package vtable

import (
	"fmt"
	"slices"
	"strings"
)

// RustStruct is the Rust side of the ops struct: its declaration (when
// no rust_types path is configured) and the VTABLE constant built from an
// impl's HAS_* consts at compile time. Fields follow bindgen's layout and
// names: an anonymous union or struct member is a field __bindgen_anon_N
// of type <struct>__bindgen_ty_N.
type RustStruct struct {
	// Name is the struct's Rust name, e.g. "stream_ops"; Path the name
	// with the configured path, e.g. "bindings::file_operations".
	Name, Path  string
	Size, Align int64
	Fields      []*RustField
	// Externs are the C functions the VTABLE names as fallbacks, declared
	// with their members' types, e.g. "fn compat_ptr_ioctl(s: *mut stream,
	// ...) -> c_long".
	Externs []string
	// Cfgs is the conjunction of the Rust cfgs of the conditional members
	// the header was read with; the layout assertions hold under it.
	Cfgs []string
	// Bitfields says a field stands for bitfields: the declaration then
	// states the C alignment (its fields are bytes).
	Bitfields bool
}

// RustField is one field of the Rust struct.
type RustField struct {
	// Name is the field's name: the member's, or __bindgen_anon_N.
	Name string
	// Type is its Rust type, e.g. "Option<unsafe extern \"C\" fn(...)>",
	// or the aggregate's type name, and TypePath that name under the
	// configured path, for the VTABLE's literals.
	Type, TypePath string
	// Member is the C member; nil for an anonymous aggregate.
	Member *Member
	// Union reports an anonymous union (else an anonymous struct, when
	// Fields is set); Fields are the aggregate's fields.
	Union  bool
	Fields []*RustField
	// Value is the field's value in the VTABLE, generic over the impl T,
	// e.g. "if T::HAS_READ { Some(read_callback::<T>) } else { None }"; ""
	// leaves it zero.
	Value string
	// Has is, for an alternative of a union, the condition under which
	// the VTABLE chooses it, e.g. "T::HAS_SEEK"; "" for one no method fills.
	Has string
	// Cfg is the Rust cfg predicate the field is under, mapped from the
	// member's C condition; "" for none.
	Cfg string
	// Storage is, for the storage of a run of bitfields (_bitfield_N, as
	// bindgen names it), its size in bytes; Member is then the run's first
	// bitfield. It is zero in the VTABLE.
	Storage int64
	// MethodCfg are the #[cfg] predicates of the trait method that fills
	// the field: where the method does not exist, neither does its HAS_*
	// const (the macro copies the cfg onto it), so the VTABLE leaves the
	// field out (zero); the field itself is there, as in C.
	MethodCfg []string
	// Decl is the declaration of the field's type when the file declares
	// it and it is not an anonymous aggregate's (a member of a union type
	// without a name: bytes of its layout); "" otherwise.
	Decl string
}

// BuildRust works out the Rust struct and VTABLE of a bound table; what
// Rust cannot express (a bitfield, a member type without a Rust spelling)
// is a warning, and nil is returned: the trampolines are generated all the
// same.
func BuildRust(t *Table, diags *Diagnostics) *RustStruct {
	rt := t.Binding.Rust.Types
	s := t.Struct
	rs := &RustStruct{Name: string(s.Ident()), Size: s.Size, Align: s.Align}
	rs.Path = rt.named(rs.Name)
	for _, m := range flatMembers(s.Members) {
		if m.CType == nil {
			return nil // a model without C types (tests of the C side alone)
		}
	}
	if s.Name == "" {
		diags.Warn(s.Pos, "%s has no name Rust can use (it is named only by a pointer typedef): the Rust struct and VTABLE are not generated", s.CType())
		return nil
	}
	calls := map[*Member]*Call{}
	for _, c := range t.Calls {
		calls[c.Member] = c
	}
	b := &rustBuilder{t: t, rt: rt, calls: calls, rs: rs, diags: diags, values: map[*Member]string{}}
	anon := 0
	fields, ok := b.fields(s.Members, rs.Name, &anon, s.Size, true)
	if !ok {
		return nil
	}
	rs.Fields = fields
	// Same-as members take the Rust value their source got.
	var resolve func(fs []*RustField)
	resolve = func(fs []*RustField) {
		for _, f := range fs {
			resolve(f.Fields)
			if f.Member == nil {
				continue
			}
			if r := b.rule(f.Member); r != nil && r.SameAs != "" {
				src := f.Member
				for i := 0; i < 64; i++ {
					r := b.rule(src)
					if r == nil || r.SameAs == "" {
						break
					}
					src = b.member(r.SameAs)
				}
				f.Value = b.values[src]
			}
		}
	}
	resolve(rs.Fields)
	b.unionChoices(rs.Fields)
	return rs
}

type rustBuilder struct {
	t      *Table
	rt     RustTypes
	calls  map[*Member]*Call
	rs     *RustStruct
	diags  *Diagnostics
	values map[*Member]string
}

func (b *rustBuilder) rule(m *Member) *MemberRule {
	for _, r := range b.t.Binding.Members {
		if r.Member == m.Name {
			return r
		}
	}
	return nil
}

func (b *rustBuilder) member(name CIdent) *Member {
	for _, m := range flatMembers(b.t.Struct.Members) {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// cfg maps a member's C conditions to a Rust cfg predicate through the
// binding's cfg table; a condition it does not map leaves the member in
// as the header was read.
func (b *rustBuilder) cfg(m *Member) string {
	return CondCfg(m.Conds, func(macro string) (string, bool) {
		pred, ok := b.t.Binding.Rust.Cfg[macro]
		if !ok && b.kernel() && strings.HasPrefix(macro, "CONFIG_") {
			pred, ok = macro, true // the kernel's Rust has a cfg per option
		}
		return pred, ok
	})
}

// CondCfg maps a chain of C conditions to a Rust cfg predicate: the macro
// of each #ifdef, #ifndef or #if defined(X) through mapMacro; a condition
// it does not map is left out. "" when none maps.
func CondCfg(conds []Cond, mapMacro func(macro string) (string, bool)) string {
	var preds []string
	for _, c := range conds {
		name, rest, _ := strings.Cut(strings.TrimPrefix(c.Directive, "#"), " ")
		macro := strings.TrimSpace(rest)
		if name == "if" {
			macro = strings.TrimSuffix(strings.TrimPrefix(strings.ReplaceAll(macro, " ", ""), "defined("), ")")
			macro = strings.TrimSuffix(strings.TrimPrefix(macro, "IS_ENABLED("), ")")
		}
		pred, ok := mapMacro(macro)
		if !ok {
			continue
		}
		if name == "ifndef" {
			pred = "not(" + pred + ")"
		}
		preds = append(preds, pred)
	}
	return allCfg(preds)
}

// allCfg is the conjunction of cfg predicates: "" for none, the one, or
// all(...).
func allCfg(preds []string) string {
	switch len(preds) {
	case 0:
		return ""
	case 1:
		return preds[0]
	}
	return "all(" + strings.Join(preds, ", ") + ")"
}

// KernelCfg is the cfg predicate the kernel's Rust writes for a chain of
// C conditions: CONFIG_X for #ifdef CONFIG_X (rustc gets a cfg per
// option), others left out.
func KernelCfg(conds []Cond) string {
	return CondCfg(conds, func(macro string) (string, bool) { return macro, strings.HasPrefix(macro, "CONFIG_") })
}

// field builds the Rust field of member m of the aggregate named owner.
// fields converts members, in order, to Rust fields, a run of bitfields
// to one storage field of the bytes from its first bit to the next
// member (or end, where the aggregate ends), as bindgen stores them; top
// says members are the struct's own (bitfields inside an anonymous
// aggregate are not laid out). ok is false when a field has no Rust form
// (warned).
func (b *rustBuilder) fields(members []*Member, owner string, anon *int, end int64, top bool) (out []*RustField, ok bool) {
	ok = true
	runs := 0
	for i := 0; i < len(members); i++ {
		m := members[i]
		if !m.BitField || m.CType == nil {
			f := b.field(m, owner, anon)
			if f == nil {
				ok = false
				continue
			}
			out = append(out, f)
			continue
		}
		j := i
		for j < len(members) && members[j].BitField {
			j++
		}
		next := end
		if j < len(members) {
			next = members[j].Offset
		}
		if f := b.bitfieldRun(members[i:j], next, top, runs+1); f != nil {
			runs++
			out = append(out, f)
		} else {
			ok = false
		}
		i = j - 1
	}
	return out, ok
}

// bitfieldRun is the storage field of the bitfields run, the n-th run of
// the struct, which ends at offset next; nil (warned) where it cannot be
// laid out: inside an anonymous aggregate, under a condition, or given a
// value by a rule.
func (b *rustBuilder) bitfieldRun(run []*Member, next int64, top bool, n int) *RustField {
	first := run[0]
	for _, m := range run {
		why := ""
		switch r := b.rule(m); {
		case !top:
			why = "a bitfield inside an anonymous struct or union has no Rust field"
		case len(m.Conds) > 0:
			why = "a bitfield under a condition has no Rust field (the storage would change with it)"
		case r != nil && (r.Expr != "" || r.Const != "" || r.SameAs != "" || r.RustExpr != ""):
			why = "a bitfield takes no value in the Rust VTABLE"
		}
		if why != "" {
			b.diags.Warn(m.Pos, "member %s: %s; the Rust struct and VTABLE of %s are not generated", m.Name, why, b.t.Struct.CType())
			return nil
		}
	}
	size := next - first.Offset
	if size <= 0 {
		b.diags.Warn(first.Pos, "member %s: the bitfields have no bytes of their own; the Rust struct and VTABLE of %s are not generated", first.Name, b.t.Struct.CType())
		return nil
	}
	b.rs.Bitfields = true
	return &RustField{Name: fmt.Sprintf("_bitfield_%d", n), Type: fmt.Sprintf("[u8; %d]", size), Member: first, Storage: size}
}

func (b *rustBuilder) field(m *Member, owner string, anon *int) *RustField {
	if m.Kind == AnonStruct || m.Kind == AnonUnion {
		*anon++
		f := &RustField{Name: fmt.Sprintf("__bindgen_anon_%d", *anon), Union: m.Kind == AnonUnion}
		f.Type = fmt.Sprintf("%s__bindgen_ty_%d", owner, *anon)
		f.TypePath = b.rt.named(f.Type)
		inner := 0
		ff, ok := b.fields(m.Fields, f.Type, &inner, 0, false)
		if !ok {
			return nil
		}
		f.Fields = ff
		return f
	}
	if m.CType == nil {
		b.diags.Warn(m.Pos, "member %s: no C type; the Rust struct and VTABLE of %s are not generated", m.Name, b.t.Struct.CType())
		return nil
	}
	if ct := m.CType; (ct.Kind == StructType || ct.Kind == UnionType) && ct.Name == "" && ct.Typedef == "" && ct.Size > 0 {
		// A member of a struct or union type without a name (union
		// {...} u;): bindgen's name for it, bytes of its layout.
		*anon++
		name := fmt.Sprintf("%s__bindgen_ty_%d", owner, *anon)
		f := &RustField{Name: RustName(string(m.Name)), Type: b.rt.named(name), Member: m, Cfg: b.cfg(m)}
		if b.rt.Declares(name) {
			f.Decl = opaqueDecl(name, ct)
		}
		if f.Cfg != "" {
			b.rs.Cfgs = append(b.rs.Cfgs, f.Cfg)
		}
		if r := b.rule(m); r != nil && (r.Expr != "" || r.Const != "" || r.RustExpr != "") {
			b.diags.Warn(m.Pos, "member %s: a member of a type without a name takes no value in the Rust VTABLE; the Rust struct and VTABLE of %s are not generated", m.Name, b.t.Struct.CType())
			return nil
		}
		return f
	}
	typ, err := b.rt.Spell(m.CType)
	if err != nil {
		b.diags.Warn(m.Pos, "member %s: %v; the Rust struct and VTABLE are not generated", m.Name, err)
		return nil
	}
	f := &RustField{Name: RustName(string(m.Name)), Type: typ, Member: m, Cfg: b.cfg(m)}
	if f.Cfg != "" {
		b.rs.Cfgs = append(b.rs.Cfgs, f.Cfg)
	}
	f.Value, f.Has = b.value(m, typ)
	b.values[m] = f.Value
	if c := b.calls[m]; c != nil && c.Method != nil && f.Value != "" {
		if tm := b.t.Trait.Method(c.Method.Name); tm != nil {
			f.MethodCfg = tm.Cfg
		}
	}
	return f
}

// LiteralCfg is the cfg predicate of the field in the VTABLE's literal:
// the member's (Cfg) and its method's (MethodCfg); "" for none.
func (f *RustField) LiteralCfg() string {
	preds := slices.Clone(f.MethodCfg)
	if f.Cfg != "" {
		preds = append([]string{f.Cfg}, preds...)
	}
	return allCfg(preds)
}

// value is the VTABLE's value of member m (of Rust type typ) and, for a
// function member, the HAS_* condition under which an impl fills it.
func (b *rustBuilder) value(m *Member, typ string) (value, has string) {
	r := b.rule(m)
	switch {
	case r != nil && r.RustExpr != "" && r.Fallback == "":
		return r.RustExpr, ""
	case r != nil && r.Zero:
		return "", ""
	case r != nil && r.Expr != "":
		b.diags.Warn(r.at("expr"), "member %s has a C expression and no Rust one (rust = \"...\"): it is zero in the Rust VTABLE", m.Name)
		return "", ""
	case r != nil && r.Const != "":
		c := findConst(b.t.Trait, r.Const)
		ct := ""
		if c != nil {
			ct = normRust(c.Type)
		}
		switch {
		case strings.HasSuffix(ct, "CStr") && m.CType != nil && m.CType.Kind == Array && m.CType.Len > 0:
			// A name copied into a char array, as cpufreq's copy_name
			// does: at compile time, and a name too long for the array
			// (with its NUL) fails the const evaluation.
			elem, err := b.rt.Spell(m.CType.Elem)
			if err != nil {
				elem = "::core::ffi::c_char"
			}
			return fmt.Sprintf("{ let src = T::%s.to_bytes_with_nul(); let mut dst = [0 as %s; %d]; let mut i = 0; while i < src.len() { dst[i] = src[i] as %s; i += 1; } dst }",
				r.Const, elem, m.CType.Len, elem), ""
		case strings.HasSuffix(ct, "CStr") && strings.HasPrefix(typ, "*const") && b.kernel():
			return "T::" + string(r.Const) + ".as_char_ptr()", ""
		case strings.HasSuffix(ct, "CStr") && strings.HasPrefix(typ, "*const"):
			return "T::" + string(r.Const) + ".as_ptr()", ""
		default:
			return "T::" + string(r.Const) + " as " + typ, ""
		}
	case r != nil && r.SameAs != "":
		return "", "" // resolved once every field has its value
	}
	c := b.calls[m]
	if c == nil && r != nil && r.Fallback != "" && r.FallbackIf != "" && b.t.Trait.Method(RustIdent(m.Name)) == nil && (r.Method == "" || b.t.Trait.Method(r.Method) == nil) {
		// No method fills it: only the fallback, where the impl has
		// the if method.
		if fb, ok := b.fallbackValue(r, m); ok {
			return "if T::" + string(HasName(r.FallbackIf)) + " { " + fb + " } else { None }", "T::" + string(HasName(r.FallbackIf))
		}
		return "", ""
	}
	if c == nil || c.Plan == nil && !b.kernel() {
		if b.kernel() && b.t.Binding.Rust.EveryMember && m.Kind == Func {
			return "None", ""
		}
		return "", ""
	}
	cb := "Some(" + string(m.Name) + "_callback::<T>)"
	if b.kernel() {
		cb = "Some(" + b.adapterPath(m, c.Method) + ")"
	}
	has = "T::" + string(HasName(c.Method.Name))
	if c.Method.Required && !c.Method.Optional {
		return cb, "true"
	}
	otherwise := "None"
	if r != nil && r.Fallback != "" {
		fb, _ := b.fallbackValue(r, m)
		if r.FallbackIf != "" {
			otherwise = "if T::" + string(HasName(r.FallbackIf)) + " { " + fb + " } else { None }"
		} else {
			otherwise = fb
		}
	}
	return "if " + has + " { " + cb + " } else { " + otherwise + " }", has
}

// fallbackValue is the Rust value of rule r's fallback for member m; ok is
// false (warned) when the fallback has none, and the value is then None.
func (b *rustBuilder) fallbackValue(r *MemberRule, m *Member) (string, bool) {
	switch {
	case r.RustExpr != "":
		// The fallback's own Rust value: 7.x's bindings make
		// compat_ptr_ioctl an Option const (None without CONFIG_COMPAT),
		// which Some() would not take.
		return r.RustExpr, true
	case isCIdent(r.Fallback) && b.kernel():
		return "Some(" + b.rt.named(r.Fallback) + ")", true // bindgen has the function
	case isCIdent(r.Fallback):
		b.extern(r.Fallback, m)
		return "Some(" + r.Fallback + ")", true
	}
	b.diags.Warn(r.at("fallback"), "fallback %s of member %s is not a function name: the Rust VTABLE leaves it None", r.Fallback, m.Name)
	return "None", false
}

func (b *rustBuilder) kernel() bool { return b.t.Binding.Rust.Style == "kernel" }

// adapterPath is the path of the kernel-style adapter of member m, which
// method fills.
func (b *rustBuilder) adapterPath(m *Member, method *Method) string {
	return AdapterPath(b.t.Binding.Rust, string(m.Name), string(method.Name))
}

// AdapterName is the kernel-style Adapter type, default "Adapter".
func AdapterName(o RustOptions) string {
	if o.Adapter != "" {
		return o.Adapter
	}
	return "Adapter"
}

// AdapterPath is the path of the kernel-style adapter of a member a
// method fills, from the Callback pattern.
func AdapterPath(o RustOptions, member, method string) string {
	pattern := o.Callback
	if pattern == "" {
		pattern = "{adapter}::<T>::{method}_callback"
	}
	return strings.NewReplacer("{adapter}", AdapterName(o), "{member}", member, "{method}", method).Replace(pattern)
}

// extern declares C function name with the type of member m's function.
func (b *rustBuilder) extern(name string, m *Member) {
	var ps []string
	for i, p := range m.Func.Params {
		typ, err := b.rt.Spell(p.CType)
		if err != nil {
			return
		}
		ps = append(ps, fmt.Sprintf("arg%d: %s", i, typ))
	}
	decl := "pub fn " + name + "(" + strings.Join(ps, ", ") + ")"
	if res := m.Func.ResultType; res != nil && (res.Kind != Void || res.Typedef != "") {
		typ, err := b.rt.Spell(res)
		if err != nil {
			return
		}
		decl += " -> " + typ
	}
	decl += ";"
	for _, e := range b.rs.Externs {
		if e == decl {
			return
		}
	}
	b.rs.Externs = append(b.rs.Externs, decl)
}

// unionChoices gives each union the VTABLE value that picks, at compile
// time, the alternative the impl fills, or else the first.
func (b *rustBuilder) unionChoices(fs []*RustField) {
	for _, f := range fs {
		b.unionChoices(f.Fields)
		if !f.Union {
			if f.Fields != nil { // an anonymous struct: its fields' values
				f.Value = aggregate(f)
				f.Has = anyHas(f.Fields)
			}
			continue
		}
		first := ""
		var branches []string
		for _, alt := range f.Fields {
			lit := f.TypePath + " { " + alt.Name + ": " + orZero(alt) + " }"
			if first == "" {
				first = f.TypePath + " { " + alt.Name + ": " + zeroOf(alt) + " }"
			}
			if alt.Has != "" && alt.Has != "true" {
				branches = append(branches, "if "+alt.Has+" { "+lit+" }")
			} else if alt.Has == "true" {
				branches = append(branches, "{ "+lit+" }")
				break
			}
		}
		if len(branches) == 0 {
			f.Value = ""
			continue
		}
		v := strings.Join(branches, " else ")
		if !strings.HasPrefix(branches[len(branches)-1], "{") {
			v += " else { " + first + " }"
		}
		f.Value = v
		f.Has = anyHas(f.Fields)
	}
}

// aggregate is the literal of an anonymous struct field.
func aggregate(f *RustField) string {
	var parts []string
	for _, x := range f.Fields {
		if x.Value != "" {
			parts = append(parts, x.Name+": "+x.Value)
		}
	}
	parts = append(parts, "..unsafe { ::core::mem::zeroed() }")
	return f.TypePath + " { " + strings.Join(parts, ", ") + " }"
}

func anyHas(fs []*RustField) string {
	var hs []string
	for _, f := range fs {
		if f.Has != "" && f.Has != "true" {
			hs = append(hs, f.Has)
		} else if f.Has == "true" {
			return "true"
		}
	}
	return strings.Join(hs, " || ")
}

func orZero(f *RustField) string {
	if f.Value != "" {
		return f.Value
	}
	return zeroOf(f)
}

func zeroOf(f *RustField) string {
	return "unsafe { ::core::mem::zeroed() }"
}
