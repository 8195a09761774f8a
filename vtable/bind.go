package vtable

import (
	"fmt"
	"strings"
)

// Bind binds the vtable trait and its impls to the C struct s with the
// binding b (nil is the default binding: function member x is filled by
// method x). For each impl, every member gets a slot saying what fills it:
// the callback of the method that fills it when the impl's HAS_* const is
// true; else the rule's fallback, or NULL; the value of another member, a
// C expression or a trait const where a rule says so; zero for data
// members without a rule. Names come from b.Naming.
//
// Problems are returned as diagnostics: a rule naming an unknown member,
// method or const (with a did-you-mean), two rules for one member, a rule
// with two sources, a method given to a data member or to a variadic
// member, a same-as chain that loops, a trait method that fills nothing
// and is not marked unbound, a required member an impl leaves NULL, a
// HAS_* const whose value is not a boolean literal, a const that is not a
// literal C can hold, an impl filling two alternatives of an anonymous
// union, and two impls whose C names would collide. (An impl method the
// trait does not declare is Check's to report.) A function member no
// trait method fills is a warning (it is NULL in every impl).
func Bind(s *Struct, trait *Item, impls []*Item, b *Binding) (*Table, Diagnostics) {
	if b == nil {
		b = &Binding{}
	}
	var styleDiags Diagnostics
	switch b.Rust.Style {
	case "", "userspace":
	case "kernel":
		// The kernel's abstractions name C's types under bindings:: and
		// its basic types under ::core::ffi (bindgen's --ctypes-prefix).
		kb := *b
		if kb.Rust.Types.Path == "" {
			kb.Rust.Types.Path = "bindings"
		}
		if kb.Rust.Types.FFI == "" {
			kb.Rust.Types.FFI = "::core::ffi"
		}
		b = &kb
	default:
		styleDiags.Add(b.Rust.Pos, "unknown rust_style %q: want userspace (the default) or kernel", b.Rust.Style)
	}
	bd := &binder{s: s, trait: trait, b: b, rules: map[*Member]*MemberRule{}, method: map[*Member]RustIdent{}, plans: map[*Member]*Plan{}}
	bd.diags = append(append(bd.diags, styleDiags...), b.Naming.Check()...)
	bd.members = flatMembers(s.Members)
	bd.checkRules()
	bd.checkMethods()
	bd.planCalls()

	t := &Table{Struct: s, Trait: trait, Binding: b}
	for _, m := range bd.members {
		if name, ok := bd.method[m]; ok {
			t.Calls = append(t.Calls, &Call{Member: m, Method: trait.Method(name), Plan: bd.plans[m]})
		}
	}
	// Every C symbol of the table (initializers, callbacks) is a C
	// identifier and names one thing: two impls whose names would meet
	// ("A" with member x_open, "A_X" with open) must not share a function.
	type origin struct {
		impl *Item
		what string
	}
	symbols := map[CIdent]origin{}
	claim := func(sym CIdent, impl *Item, what string) {
		if !isCIdent(string(sym)) {
			bd.diags.Add(impl.Pos, "the %s of impl for %s would be named %q, which is not a C identifier: implement the trait for a named type, or set a naming pattern without {impl}", what, impl.Self, sym)
			return
		}
		if prev, ok := symbols[sym]; ok {
			d := bd.diags.Add(impl.Pos, "the %s of impl for %s and the %s of impl for %s would both be named %s: rename one, or set a naming pattern that keeps them apart",
				what, impl.Self, prev.what, prev.impl.Self, sym)
			d.Related = append(d.Related, Related{Pos: prev.impl.Pos, Msg: "other impl here"})
			return
		}
		symbols[sym] = origin{impl, what}
	}
	for _, impl := range impls {
		bi := bd.bindImpl(impl)
		if impl.Generics != "" {
			bd.diags.Add(impl.Pos, "impl%s %s for %s is generic: C symbols cannot be exported for every type; implement the trait for a concrete type (a generic impl may still use the Rust VTABLE)",
				impl.Generics, LastSegment(string(impl.Trait)), impl.Self)
		}
		claim(bi.Initializer, impl, "initializer")
		for _, sl := range bi.Slots {
			if sl.Kind == Callback {
				claim(sl.Callback, impl, "callback for member "+string(sl.Member.Name))
			}
		}
		t.Impls = append(t.Impls, bi)
	}
	t.Rust = BuildRust(t, &bd.diags)
	return t, bd.diags
}

// binder holds what Bind works out once for all impls.
type binder struct {
	s       *Struct
	trait   *Item
	b       *Binding
	members []*Member // every member but anonymous aggregates, in order
	rules   map[*Member]*MemberRule
	// method is the trait method that fills each function member, by its
	// rule or by default; absent when none does.
	method map[*Member]RustIdent
	// plans are the trampolines' calls, by member.
	plans map[*Member]*Plan
	diags Diagnostics
}

// planCalls decides, once per function member a method fills, how its
// trampoline calls the trait's method.
func (bd *binder) planCalls() {
	for _, m := range bd.members {
		name, ok := bd.method[m]
		if !ok {
			continue
		}
		if bd.b.Rust.Style == "kernel" {
			continue // the abstraction writes its adapters: no trampolines to plan
		}
		bd.plans[m] = PlanCall(bd.trait.Method(name), bd.trait, m, bd.b.Rust.Types, bd.b.Rust.ResultFn, &bd.diags)
	}
}

// flatMembers returns the members of ms in declaration order, those of
// anonymous structs and unions in their place, without the anonymous
// members themselves.
func flatMembers(ms []*Member) []*Member {
	var out []*Member
	for _, m := range ms {
		if m.Kind == AnonStruct || m.Kind == AnonUnion {
			out = append(out, flatMembers(m.Fields)...)
			continue
		}
		out = append(out, m)
	}
	return out
}

func (bd *binder) member(name CIdent) *Member {
	for _, m := range bd.members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

func (bd *binder) memberNames() []string {
	var out []string
	for _, m := range bd.members {
		out = append(out, string(m.Name))
	}
	return out
}

func (bd *binder) methodNames() []string {
	var out []string
	for _, m := range bd.trait.Methods {
		out = append(out, string(m.Name))
	}
	return out
}

// structHere is the related position of the struct's definition.
func (bd *binder) structHere() Related {
	return Related{Pos: bd.s.Pos, Msg: bd.s.CType() + " defined here"}
}

// checkRules checks every member rule on its own and against the struct
// and the trait, and records which method fills each function member.
func (bd *binder) checkRules() {
	s, trait := bd.s, bd.trait
	for _, r := range bd.b.Members {
		m := bd.member(r.Member)
		if m == nil {
			d := bd.diags.Add(r.Pos, "no member %s in %s%s", r.Member, s.CType(), DidYouMean(string(r.Member), bd.memberNames()))
			d.Related = append(d.Related, bd.structHere())
			continue
		}
		if prev := bd.rules[m]; prev != nil {
			d := bd.diags.Add(r.Pos, "two rules for member %s", r.Member)
			d.Related = append(d.Related, Related{Pos: prev.Pos, Msg: "first rule here"})
			continue
		}
		bd.rules[m] = r
		if src := r.sources(); len(src) > 1 {
			bd.diags.Add(r.Pos, "the rule for member %s sets both %s and %s: give it one source", r.Member, src[0], src[1])
			continue
		}
		if r.Method != "" && trait.Method(r.Method) == nil {
			d := bd.diags.Add(r.at("method"), "no method %s in trait %s%s", r.Method, trait.Name, DidYouMean(string(r.Method), bd.methodNames()))
			d.Related = append(d.Related, Related{Pos: trait.Pos, Msg: "trait " + trait.Name + " declared here"})
		}
		if r.FallbackIf != "" && trait.Method(r.FallbackIf) == nil {
			bd.diags.Add(r.at("if"), "no method %s in trait %s%s", r.FallbackIf, trait.Name, DidYouMean(string(r.FallbackIf), bd.methodNames()))
		}
		if r.FallbackIf != "" && r.Fallback == "" {
			bd.diags.Add(r.at("if"), "the rule for member %s has an if but no fallback", r.Member)
		}
		if r.SameAs != "" && bd.member(r.SameAs) == nil {
			d := bd.diags.Add(r.at("same_as"), "no member %s in %s%s", r.SameAs, s.CType(), DidYouMean(string(r.SameAs), bd.memberNames()))
			d.Related = append(d.Related, bd.structHere())
		}
		if r.Const != "" {
			if m.Kind == Func {
				bd.diags.Add(r.at("const"), "member %s is a function pointer: a trait const cannot fill it (use method or expr)", r.Member)
			} else if !hasConst(trait, r.Const) {
				d := bd.diags.Add(r.at("const"), "no const %s in trait %s%s", r.Const, trait.Name, DidYouMean(string(r.Const), constNames(trait)))
				d.Related = append(d.Related, Related{Pos: trait.Pos, Msg: "trait " + trait.Name + " declared here"})
			}
		}
		if r.Zero && r.Required {
			bd.diags.Add(r.Pos, "member %s is both zero and required", r.Member)
		}
		byMethod := len(r.sources()) == 0 || r.Method != ""
		switch {
		case m.Kind != Func && r.Method != "":
			d := bd.diags.Add(r.at("method"), "method %s given to data member %s: a data member takes expr, const or zero", r.Method, r.Member)
			d.Related = append(d.Related, Related{Pos: m.Pos, Msg: "member declared here"})
		case m.Kind != Func && byMethod:
			bd.diags.Add(r.Pos, "the rule for data member %s gives it no value: use expr, const or zero", r.Member)
		case r.Fallback != "" && !byMethod:
			bd.diags.Add(r.at("fallback"), "the rule for member %s has a fallback but no method: a fallback is for impls without the method", r.Member)
		}
	}
	bd.checkSameAsLoops()
	for _, m := range bd.members {
		if m.Kind != Func {
			continue
		}
		r := bd.rules[m]
		name := RustIdent(m.Name)
		switch {
		case r != nil && r.Method != "":
			name = r.Method
		case r != nil && len(r.sources()) > 0:
			continue
		}
		if trait.Method(name) == nil {
			// A fallback on another method's presence needs no method of
			// its own (compat_ptr_ioctl where the impl has ioctl).
			if r != nil && (r.Fallback != "" && r.FallbackIf == "" || r.Required) && r.Method == "" {
				bd.diags.Add(r.Pos, "the rule for member %s needs a method: trait %s has no method %s", m.Name, trait.Name, name)
			}
			continue
		}
		if m.Func != nil && m.Func.Variadic {
			d := bd.diags.Add(m.Pos, "member %s is variadic, and stable Rust cannot define a variadic function (c_variadic is unstable): give it an expr, or zero", m.Name)
			if mm := trait.Method(name); mm != nil {
				d.Related = append(d.Related, Related{Pos: mm.Pos, Msg: "method " + string(name) + " declared here"})
			}
			continue
		}
		bd.method[m] = name
	}
}

// checkSameAsLoops reports a chain of same-as rules that comes back to
// where it started, once per loop.
func (bd *binder) checkSameAsLoops() {
	reported := map[*Member]bool{}
	for _, start := range bd.members {
		seen := map[*Member]bool{}
		for m := start; m != nil; {
			r := bd.rules[m]
			if r == nil || r.SameAs == "" {
				break
			}
			if seen[m] {
				if !reported[m] {
					var chain []string
					for c := m; ; {
						reported[c] = true
						chain = append(chain, string(c.Name))
						c = bd.member(bd.rules[c].SameAs)
						if c == m {
							break
						}
					}
					bd.diags.Add(bd.rules[m].at("same_as"), "same_as rules loop: %s -> %s", strings.Join(chain, " -> "), m.Name)
				}
				break
			}
			seen[m] = true
			m = bd.member(r.SameAs)
		}
	}
}

// checkMethods reports trait methods that fill no member and are not
// marked unbound, and unbound names that are not trait methods.
func (bd *binder) checkMethods() {
	fills := map[RustIdent]bool{}
	for _, name := range bd.method {
		fills[name] = true
	}
	unbound := map[RustIdent]bool{}
	for _, u := range bd.b.Unbound {
		unbound[u.Name] = true
		if bd.trait.Method(u.Name) == nil {
			bd.diags.Add(u.Pos, "no method %s in trait %s%s", u.Name, bd.trait.Name, DidYouMean(string(u.Name), bd.methodNames()))
		}
	}
	var funcNames []string
	for _, m := range bd.members {
		if m.Kind == Func {
			funcNames = append(funcNames, string(m.Name))
		}
	}
	for _, m := range bd.trait.Methods {
		if fills[m.Name] || unbound[m.Name] {
			continue
		}
		d := bd.diags.Add(m.Pos, "method %q of trait %s has no function member in %s: bind it with a member rule, or mark it unbound%s",
			m.Name, bd.trait.Name, bd.s.CType(), DidYouMean(string(m.Name), funcNames))
		d.Related = append(d.Related, bd.structHere())
	}
	// One warning for all the function members no method fills: a kernel
	// struct has dozens, and a trait covers a few on purpose.
	var none []string
	var first *Member
	for _, m := range bd.members {
		if _, filled := bd.method[m]; m.Kind == Func && bd.rules[m] == nil && !filled {
			none = append(none, string(m.Name))
			if first == nil {
				first = m
			}
		}
	}
	switch {
	case len(none) == 1:
		bd.diags.Warn(first.Pos, "function member %q of %s has no method in trait %s: it is NULL in every impl",
			first.Name, bd.s.CType(), bd.trait.Name)
	case len(none) > 1:
		bd.diags.Warn(first.Pos, "%d function members of %s have no method in trait %s and are NULL in every impl: %s (bind them, or set zero = true to say so)",
			len(none), bd.s.CType(), bd.trait.Name, strings.Join(none, ", "))
	}
}

// bindImpl makes the slots of one impl.
func (bd *binder) bindImpl(impl *Item) *BoundImpl {
	names := Names{Impl: SnakeCase(impl.Self), Struct: string(bd.s.Ident()), Trait: bd.trait.Name}
	bi := &BoundImpl{Impl: impl, Symbol: names.Impl, Initializer: bd.b.Naming.InitializerName(names)}
	bySlot := map[*Member]*Slot{}
	hasChecked := map[RustIdent]bool{}
	has := func(method RustIdent) bool {
		v, ok, user := Has(impl, method)
		if !ok && !hasChecked[method] {
			bd.diags.Add(user.Pos, "%s must be the literal true or false: vtablegen decides the C slot from it", user.Name)
		}
		hasChecked[method] = true
		return v
	}
	for _, m := range bd.members {
		r := bd.rules[m]
		sl := &Slot{Member: m, Rule: r, Kind: Zero, Plan: bd.plans[m]}
		bySlot[m] = sl
		bi.Slots = append(bi.Slots, sl)
		switch {
		case r != nil && r.Zero:
		case r != nil && r.Expr != "":
			sl.Kind, sl.Value = Expr, r.Expr
		case r != nil && r.Const != "":
			sl.Kind = ConstValue
			sl.Value = bd.constValue(impl, r)
		case r != nil && r.SameAs != "":
			sl.Kind = SameAs
		case m.Kind != Func:
		default:
			sl.Kind = Null
			name, ok := bd.method[m]
			if !ok {
				if r != nil && r.Fallback != "" && r.FallbackIf != "" && has(r.FallbackIf) {
					sl.Kind, sl.Value = Fallback, r.Fallback
				}
				break
			}
			if has(name) {
				sl.Method = impl.Method(name)
				if sl.Method == nil {
					sl.Method = bd.trait.Method(name) // HAS_X = true over the trait's default
				}
				names.Member = string(m.Name)
				sl.Kind, sl.Callback = Callback, bd.b.Naming.CallbackName(names)
				break
			}
			if r != nil && r.Fallback != "" && (r.FallbackIf == "" || has(r.FallbackIf)) {
				sl.Kind, sl.Value, sl.Method = Fallback, r.Fallback, bd.trait.Method(name)
			}
		}
	}
	for _, sl := range bi.Slots {
		if sl.Kind == SameAs {
			if src := bd.member(sl.Rule.SameAs); src != nil && !bd.loops(sl.Member) {
				sl.Source = bySlot[src]
				if cb := sourceCallback(sl); cb != "" {
					sl.Callback = cb
				}
			} else {
				sl.Kind = Null // reported by checkRules
			}
		}
	}
	for _, sl := range bi.Slots {
		sl.Designated = sl.Kind != Zero
		if sl.Rule != nil && sl.Rule.Required && !sl.Filled() {
			d := bd.diags.Add(impl.Pos, "impl %s for %s leaves member %s NULL, and the binding requires it", LastSegment(string(impl.Trait)), impl.Self, sl.Member.Name)
			d.Related = append(d.Related, Related{Pos: sl.Rule.Pos, Msg: "required here"})
		}
	}
	u := unionChoice{impl: impl, s: bd.s, slots: bySlot}
	u.designate(bd.s.Members, &bd.diags)
	return bi
}

// loops reports whether m's same-as chain loops (checkRules reported it).
func (bd *binder) loops(m *Member) bool {
	seen := map[*Member]bool{}
	for c := m; c != nil; {
		r := bd.rules[c]
		if r == nil || r.SameAs == "" {
			return false
		}
		if seen[c] {
			return true
		}
		seen[c] = true
		c = bd.member(r.SameAs)
	}
	return false
}

// sourceCallback is the callback at the end of a same-as chain, if any.
func sourceCallback(sl *Slot) CIdent {
	for sl != nil && sl.Kind == SameAs {
		sl = sl.Source
	}
	if sl != nil && sl.Kind == Callback {
		return sl.Callback
	}
	return ""
}

// constValue is the C literal of the trait const r names, as the impl
// gives it or else as the trait's default.
func (bd *binder) constValue(impl *Item, r *MemberRule) string {
	c := findConst(impl, r.Const)
	if c == nil || c.Expr == "" {
		c = findConst(bd.trait, r.Const)
	}
	if c == nil || c.Expr == "" {
		d := bd.diags.Add(impl.Pos, "impl %s for %s gives no value for const %s, which fills member %s", LastSegment(string(impl.Trait)), impl.Self, r.Const, r.Member)
		d.Related = append(d.Related, Related{Pos: r.at("const"), Msg: "bound here"})
		return "0"
	}
	v, ok := CLiteral(c.Expr)
	if !ok {
		d := bd.diags.Add(c.Pos, "const %s = %s cannot be written in C: a member filled from a const takes a string (\"x\", c\"x\", c_str!(\"x\")), integer or bool literal", r.Const, c.Expr)
		d.Related = append(d.Related, Related{Pos: r.at("const"), Msg: "bound here"})
		return "0"
	}
	return v
}

func findConst(it *Item, name RustIdent) *Const {
	for _, c := range it.Consts {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func hasConst(it *Item, name RustIdent) bool { return findConst(it, name) != nil }

func constNames(it *Item) []string {
	var out []string
	for _, c := range it.Consts {
		out = append(out, string(c.Name))
	}
	return out
}

// unionChoice decides, for one impl, which function members of each
// anonymous union the initializer designates: two designators of one union
// overwrite each other (gcc -Wextra reports it), so only one alternative
// of the union is designated, the one the impl fills or else the first.
type unionChoice struct {
	impl  *Item
	s     *Struct
	slots map[*Member]*Slot
}

func (u *unionChoice) designate(ms []*Member, diags *Diagnostics) {
	for _, m := range ms {
		switch m.Kind {
		case AnonStruct:
			u.designate(m.Fields, diags)
		case AnonUnion:
			chosen := -1
			for i, alt := range m.Fields {
				if filled := u.filled(alt); filled != nil {
					if chosen < 0 {
						chosen = i
						continue
					}
					other := u.filled(m.Fields[chosen])
					d := diags.Add(u.impl.Pos, "impl %s for %s fills both %s and %s, which share an anonymous union of struct %s: only one can be set",
						LastSegment(string(u.impl.Trait)), u.impl.Self, other.Name, filled.Name, u.s.Ident())
					d.Related = append(d.Related, Related{Pos: m.Pos, Msg: "union declared here"})
				}
			}
			for i, alt := range m.Fields {
				if chosen < 0 && len(funcMembers([]*Member{alt})) > 0 {
					chosen = i
				}
				if i == chosen {
					u.designate([]*Member{alt}, diags)
					continue
				}
				for _, f := range flatMembers([]*Member{alt}) {
					u.slots[f].Designated = false
				}
			}
		}
	}
}

// filled returns the first member under m that the impl fills.
func (u *unionChoice) filled(m *Member) *Member {
	for _, f := range flatMembers([]*Member{m}) {
		if u.slots[f].Filled() {
			return f
		}
	}
	return nil
}

// DidYouMean returns `; did you mean "x"?` for the candidate closest to
// name, when one is close enough to be a likely typo, and "" otherwise.
func DidYouMean(name string, candidates []string) string {
	best, bestDist := "", len(name)/2+1
	for _, c := range candidates {
		if d := EditDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// EditDistance is the Levenshtein distance between a and b, in bytes.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
