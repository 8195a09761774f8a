package vtable

import "fmt"

// Bind binds the vtable trait and its impls to the C struct s with the
// default binding: function member x is filled by method x. For each impl,
// each function member gets the callback symbol <impl in snake case>_<x>
// when the impl's HAS_X is true, and NULL otherwise; data members stay
// zero and are not part of the table.
//
// Problems are returned as diagnostics: a trait method with no function
// member of that name, a HAS_* const whose value is not a boolean literal,
// and two impls whose C names would collide. (An impl method the trait does
// not declare is Check's to report.) A function member no trait method fills is a warning (it
// is NULL in every impl).
func Bind(s *Struct, trait *Item, impls []*Item) (*Table, Diagnostics) {
	var diags Diagnostics
	funcs := s.FuncMembers()
	byName := map[CIdent]*Member{}
	var funcNames []string
	for _, m := range funcs {
		byName[m.Name] = m
		funcNames = append(funcNames, string(m.Name))
	}
	for _, m := range trait.Methods {
		if byName[CIdent(m.Name)] != nil {
			continue
		}
		d := diags.Add(m.Pos, "method %q of trait %s has no function member in struct %s%s",
			m.Name, trait.Name, s.Name, DidYouMean(string(m.Name), funcNames))
		d.Related = append(d.Related, Related{Pos: s.Pos, Msg: "struct " + string(s.Name) + " defined here"})
	}
	for _, m := range funcs {
		if trait.Method(RustIdent(m.Name)) == nil {
			diags.Warn(m.Pos, "function member %q of struct %s has no method in trait %s: it is NULL in every impl",
				m.Name, s.Name, trait.Name)
		}
	}

	t := &Table{Struct: s, Trait: trait}
	symbols := map[string]*Item{}
	for _, impl := range impls {
		b := &BoundImpl{Impl: impl, Symbol: SnakeCase(impl.Self)}
		if prev := symbols[b.Symbol]; prev != nil {
			d := diags.Add(impl.Pos, "impl for %s and impl for %s both give the C name %s_%s", prev.Self, impl.Self, b.Symbol, s.Name)
			d.Related = append(d.Related, Related{Pos: prev.Pos, Msg: "other impl here"})
		}
		symbols[b.Symbol] = impl
		for _, m := range funcs {
			slot := &Slot{Member: m}
			method := RustIdent(m.Name)
			has, ok, user := Has(impl, method)
			if !ok {
				diags.Add(user.Pos, "%s must be the literal true or false: vtablegen decides the C slot from it", user.Name)
			}
			if has {
				slot.Method = impl.Method(method)
				if slot.Method == nil {
					slot.Method = trait.Method(method) // HAS_X = true over the trait's default
				}
				if slot.Method != nil {
					slot.Callback = CIdent(b.Symbol + "_" + string(m.Name))
				}
			}
			b.Slots = append(b.Slots, slot)
		}
		u := unionChoice{impl: impl, s: s, slots: map[*Member]*Slot{}}
		for _, sl := range b.Slots {
			sl.Designated = true
			u.slots[sl.Member] = sl
		}
		u.designate(s.Members, &diags)
		t.Impls = append(t.Impls, b)
	}
	return t, diags
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
				for _, f := range funcMembers([]*Member{alt}) {
					u.slots[f].Designated = false
				}
			}
		}
	}
}

// filled returns the first function member under m that the impl fills.
func (u *unionChoice) filled(m *Member) *Member {
	for _, f := range funcMembers([]*Member{m}) {
		if u.slots[f].Callback != "" {
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
