package vtable

import (
	"fmt"
	"strings"
)

// DriftKind says how a member changed between two versions of a struct.
type DriftKind string

const (
	Added   DriftKind = "added"
	Removed DriftKind = "removed"
	// Renamed is a heuristic: a member removed and one added of the same
	// kind and type, the only such pair of that type.
	Renamed DriftKind = "renamed"
	Retyped DriftKind = "retyped"
	// Conditioned: the chain of #if directives around the member changed,
	// e.g. it moved under #ifdef CONFIG_X.
	Conditioned DriftKind = "condition"
)

// Drift is one change of a member between an old and a new struct.
type Drift struct {
	Kind DriftKind
	// Name is the member's name in the new struct (the old one's for
	// Removed), and OldName its old name when Renamed.
	Name, OldName CIdent
	// Old and New are the member in each version; nil where it is not.
	Old, New *Member
	// Detail says what changed, e.g. "int (*)(void) -> long (*)(void)".
	Detail string
	// Heuristic marks a conclusion drawn from likeness (Renamed).
	Heuristic bool
}

// CompareStructs lists the changes of the named members (those of
// anonymous members included) from old to new: removed members in old's
// order, then added, renamed, retyped and re-conditioned ones in new's.
func CompareStructs(old, new *Struct) []*Drift {
	oldMs, newMs := namedMembers(old.Members), namedMembers(new.Members)
	oldBy, newBy := map[CIdent]*Member{}, map[CIdent]*Member{}
	for _, m := range oldMs {
		oldBy[m.Name] = m
	}
	for _, m := range newMs {
		newBy[m.Name] = m
	}
	var removed, added []*Member
	for _, m := range oldMs {
		if newBy[m.Name] == nil {
			removed = append(removed, m)
		}
	}
	for _, m := range newMs {
		if oldBy[m.Name] == nil {
			added = append(added, m)
		}
	}
	// A rename: the one removed and the one added member of a kind and
	// type.
	sig := func(m *Member) string { return fmt.Sprint(m.Kind) + "|" + m.Type }
	count := func(ms []*Member) map[string]int {
		c := map[string]int{}
		for _, m := range ms {
			c[sig(m)]++
		}
		return c
	}
	rc, ac := count(removed), count(added)
	renamedTo := map[CIdent]*Member{}   // old name -> new member
	renamedFrom := map[CIdent]*Member{} // new name -> old member
	for _, r := range removed {
		if rc[sig(r)] != 1 || ac[sig(r)] != 1 {
			continue
		}
		for _, a := range added {
			if sig(a) == sig(r) {
				renamedTo[r.Name], renamedFrom[a.Name] = a, r
			}
		}
	}
	var out []*Drift
	for _, m := range removed {
		if renamedTo[m.Name] == nil {
			out = append(out, &Drift{Kind: Removed, Name: m.Name, Old: m, Detail: m.Type})
		}
	}
	for _, m := range newMs {
		o := oldBy[m.Name]
		switch {
		case renamedFrom[m.Name] != nil:
			r := renamedFrom[m.Name]
			out = append(out, &Drift{Kind: Renamed, Name: m.Name, OldName: r.Name, Old: r, New: m,
				Detail: fmt.Sprintf("%s -> %s, both %s", r.Name, m.Name, m.Type), Heuristic: true})
		case o == nil:
			out = append(out, &Drift{Kind: Added, Name: m.Name, New: m, Detail: m.Type})
		default:
			if o.Type != m.Type {
				out = append(out, &Drift{Kind: Retyped, Name: m.Name, Old: o, New: m, Detail: o.Type + " -> " + m.Type})
			}
			if oc, nc := condText(o.Conds), condText(m.Conds); oc != nc {
				out = append(out, &Drift{Kind: Conditioned, Name: m.Name, Old: o, New: m,
					Detail: orAlways(oc) + " -> " + orAlways(nc)})
			}
		}
	}
	return out
}

// namedMembers flattens ms: named members, and the named fields of
// anonymous ones, in declaration order.
func namedMembers(ms []*Member) []*Member {
	var out []*Member
	for _, m := range ms {
		if m.Name == "" {
			out = append(out, namedMembers(m.Fields)...)
			continue
		}
		out = append(out, m)
	}
	return out
}

// condText spells a chain of conditions, e.g. "#ifdef CONFIG_COMPAT".
func condText(cs []Cond) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Directive)
	}
	return strings.Join(parts, " / ")
}

func orAlways(s string) string {
	if s == "" {
		return "always there"
	}
	return s
}
