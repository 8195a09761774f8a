package vtablegen

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/vtablegen/vtablegen/rustparse"
	"github.com/vtablegen/vtablegen/vtable"
)

// DriftOptions say what 'vtablegen drift' compares and what it checks.
type DriftOptions struct {
	// Old and New read the two versions of the header, each with its own
	// mode and flags; both name the struct (Struct).
	Old, New Config
	// RustFiles are Rust sources whose #[vtable] traits, impls and struct
	// literals the change may break.
	RustFiles []string
	// BindingFiles are binding files (vtable.toml): their bindings of the
	// struct, their Rust sources and their generated outputs are checked.
	BindingFiles []string
}

// DriftEffect is what a change does to one place.
type DriftEffect struct {
	// Pos is the place: a trait method, an impl's method, a field of a
	// struct literal, a member rule, a generated file.
	Pos token.Position
	// Kind is "breaks" (the build or vtablegen gen fails), "stale" (a
	// generated file must be regenerated), "check" (it may need a
	// change: a type or a condition changed) or "new" (a member nothing
	// fills yet).
	Kind string
	Msg  string
}

// DriftChange is one change of a member with its effects.
type DriftChange struct {
	*vtable.Drift
	Effects []DriftEffect
}

// DriftReport is what Drift returns.
type DriftReport struct {
	Struct   vtable.CIdent
	Old, New *vtable.Struct
	Changes  []*DriftChange
	// Stale are the generated files of bindings of the struct that the
	// changes make stale.
	Stale []DriftEffect
}

// Drift compares the struct in two versions of its header and says, for
// each member added, removed, renamed (a guess from the type), retyped or
// moved under another condition, which trait methods, impls, member
// rules, hand-written struct literals and generated files it breaks or
// makes stale. It writes nothing.
func Drift(o DriftOptions) (*DriftReport, vtable.Diagnostics) {
	var diags vtable.Diagnostics
	if o.Old.Struct == "" || o.New.Struct == "" {
		diags.Add(token0(o.Old.Header), "drift needs the struct's name")
		return nil, diags
	}
	// The Rust sources and binding files named must be there: a problem
	// inside a Rust source is only a warning below (the drift is not its
	// fault), but a file that cannot be read is an error.
	for _, f := range append(slices.Clone(o.RustFiles), o.BindingFiles...) {
		if st, err := os.Stat(f); err != nil {
			diags.Add(vtable.FileStart(f), "%v", unwrap(err))
		} else if !st.Mode().IsRegular() {
			diags.Add(vtable.FileStart(f), "not a regular file: vtablegen reads only regular files")
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	var oldS, newS *vtable.Struct
	var oldD, newD vtable.Diagnostics
	var wg sync.WaitGroup
	read := func(cfg Config, s **vtable.Struct, d *vtable.Diagnostics) {
		defer wg.Done()
		if cfg.Preprocessed || cfg.KbuildCmd != "" || cfg.CompileCommands != "" {
			cfg.Wanted = append(cfg.Wanted, cfg.Struct)
		}
		unit, ds := Structs(cfg)
		*d = ds
		if ds.HasErrors() {
			return
		}
		*s = pickStruct(cfg, unit.Structs, d)
	}
	wg.Add(2)
	go read(o.Old, &oldS, &oldD)
	go read(o.New, &newS, &newD)
	wg.Wait()
	diags = append(append(diags, oldD...), newD...)
	if oldS == nil || newS == nil {
		return nil, diags
	}
	r := &DriftReport{Struct: o.New.Struct, Old: oldS, New: newS}
	for _, d := range vtable.CompareStructs(oldS, newS) {
		r.Changes = append(r.Changes, &DriftChange{Drift: d})
	}

	// The bindings of the struct, and every Rust source to check.
	var bindings []Config
	rustFiles := append([]string{}, o.RustFiles...)
	for _, bf := range o.BindingFiles {
		cfgs, ds := LoadConfig(bf)
		diags = append(diags, ds...)
		for _, c := range cfgs {
			if c.Struct == o.New.Struct || c.Struct == o.Old.Struct {
				bindings = append(bindings, c)
				rustFiles = append(rustFiles, c.RustFiles...)
			}
		}
	}
	rustFiles = dedup(rustFiles)
	files, ds := parseRust(rustFiles, vtable.Newest)
	for _, d := range ds {
		if d.Severity == vtable.Error && d.Pos.Filename != "" {
			// A problem of the Rust sources themselves is not the
			// drift's: it is reported, as a warning.
			d.Severity = vtable.Warning
		}
	}
	diags = append(diags, ds...)

	// Which trait fills the struct, and which method fills which member.
	type bound struct {
		trait  *vtable.Item
		fills  map[vtable.CIdent]vtable.RustIdent // member -> method
		rules  []*vtable.MemberRule
		config string
	}
	var traits, impls []*vtable.Item
	for _, f := range files {
		for _, it := range f.Items {
			if it.Kind == vtable.Trait {
				traits = append(traits, it)
			} else {
				impls = append(impls, it)
			}
		}
	}
	members := map[vtable.CIdent]bool{}
	for _, s := range []*vtable.Struct{oldS, newS} {
		for _, m := range s.FuncMembers() {
			members[m.Name] = true
		}
	}
	var bounds []*bound
	for _, t := range traits {
		b := &bound{trait: t, fills: map[vtable.CIdent]vtable.RustIdent{}}
		named := false
		for _, c := range bindings {
			if c.Trait != "" && slices.Contains(vtable.TraitsNamed(traits, c.Trait), t) {
				named = true
				if c.Binding != nil {
					b.rules = append(b.rules, c.Binding.Members...)
				}
				b.config = c.BindingFile
			}
		}
		n := 0
		for _, m := range t.Methods {
			if members[vtable.CIdent(m.Name)] {
				b.fills[vtable.CIdent(m.Name)] = m.Name
				n++
			}
		}
		for _, rule := range b.rules {
			if rule.Method != "" {
				b.fills[rule.Member] = rule.Method
			}
		}
		// Without a binding naming it, a trait counts when most of its
		// methods are named after members of the struct.
		if named || len(t.Methods) > 0 && 2*n >= len(t.Methods) {
			bounds = append(bounds, b)
		}
	}
	// An impl's trait by its path, as gen binds them; by name where the
	// sources do not settle the path.
	res := vtable.Resolve(files)
	implsOf := func(t *vtable.Item) []*vtable.Item {
		var out []*vtable.Item
		for _, it := range impls {
			if res.Implements(it, t) {
				out = append(out, it)
			}
		}
		return out
	}
	newName := func(m *vtable.Member) string { return filepath.Base(m.Pos.Filename) }

	var literals []*vtable.StructLiteral
	for _, f := range files {
		want := func(n string) bool { return n == string(o.New.Struct) || n == string(o.Old.Struct) }
		literals = append(literals, rustparse.Literals(f.Name, f.Src, want)...)
	}

	for _, c := range r.Changes {
		add := func(pos token.Position, kind, format string, args ...any) {
			c.Effects = append(c.Effects, DriftEffect{Pos: pos, Kind: kind, Msg: fmt.Sprintf(format, args...)})
		}
		gone := c.Name
		if c.Kind == vtable.Renamed {
			gone = c.OldName
		}
		for _, b := range bounds {
			method, ok := b.fills[gone]
			m := b.trait.Method(method)
			switch {
			case !ok || m == nil:
				if c.Kind == vtable.Added && c.New.Kind == vtable.Func {
					add(b.trait.Pos, "new", "trait %s has no method for the new member %s (%s): it stays NULL in every table", b.trait.Name, c.Name, c.New.Type)
				}
				continue
			case c.Kind == vtable.Removed:
				add(m.Pos, "breaks", "method %s of trait %s fills %s, which the new %s does not have: 'vtablegen gen' reports the method as filling no member", method, b.trait.Name, gone, newS.CType())
			case c.Kind == vtable.Renamed:
				add(m.Pos, "breaks", "method %s of trait %s fills %s, which the new %s calls %s (a guess from its type, %s): bind it with %s = %q in [binding.members], or rename the method",
					method, b.trait.Name, gone, newS.CType(), c.Name, c.New.Type, c.Name, method)
			case c.Kind == vtable.Retyped:
				add(m.Pos, "check", "method %s of trait %s fills %s, whose type changes (%s): its trampoline changes; check the method's signature", method, b.trait.Name, c.Name, c.Detail)
			case c.Kind == vtable.Conditioned:
				add(m.Pos, "check", "method %s of trait %s fills %s, whose condition changes (%s, %s:%d)", method, b.trait.Name, c.Name, c.Detail, newName(c.New), c.New.Pos.Line)
			}
			if c.Kind == vtable.Removed || c.Kind == vtable.Renamed || c.Kind == vtable.Retyped {
				for _, im := range implsOf(b.trait) {
					if mm := im.Method(method); mm != nil {
						kind := "breaks"
						if c.Kind == vtable.Retyped {
							kind = "check"
						}
						add(mm.Pos, kind, "impl %s for %s defines %s (fills %s, %s)", b.trait.Name, im.Self, method, gone, c.Kind)
					}
				}
			}
			for _, rule := range b.rules {
				if c.Kind != vtable.Removed && c.Kind != vtable.Renamed {
					continue
				}
				if rule.Member == gone || rule.SameAs == gone {
					add(rule.Pos, "breaks", "the rule for %s names %s, which the new %s does not have", rule.Member, gone, newS.CType())
				}
			}
		}
		for _, l := range literals {
			f := l.Field(string(gone))
			switch {
			case (c.Kind == vtable.Removed || c.Kind == vtable.Renamed) && f != nil:
				hint := ""
				if c.Kind == vtable.Renamed {
					hint = fmt.Sprintf(" (renamed %s, a guess from its type)", c.Name)
				}
				add(f.Pos, "breaks", "%s sets %s, which the new %s does not have%s: rustc's E0560", l.Path, gone, newS.CType(), hint)
			case (c.Kind == vtable.Added || c.Kind == vtable.Renamed) && l.Base == "" && l.Field(string(c.Name)) == nil:
				add(l.Pos, "breaks", "%s names every field without ..: the new member %s is missing (rustc's E0063)", l.Path, c.Name)
			case c.Kind == vtable.Retyped && f != nil:
				add(f.Pos, "check", "%s sets %s, whose type changes (%s)", l.Path, c.Name, c.Detail)
			case c.Kind == vtable.Conditioned && f != nil:
				want := len(c.New.Conds) > 0
				if want != (len(f.Cfgs) > 0) {
					add(f.Pos, "check", "%s sets %s, whose condition changes (%s): the field's #[cfg] should follow", l.Path, c.Name, c.Detail)
				}
			}
		}
	}
	// Generated files of the bindings: stale when anything changed.
	if len(r.Changes) > 0 {
		for _, c := range bindings {
			nm := vtable.Naming{}
			if c.Binding != nil {
				nm = c.Binding.Naming
			}
			names := vtable.Names{Struct: string(o.New.Struct)}
			for _, out := range []string{nm.COutputName(names), nm.RustVtableName(names)} {
				p := filepath.Join(c.OutDir, out)
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					r.Stale = append(r.Stale, DriftEffect{Pos: vtable.FileStart(p), Kind: "stale",
						Msg: fmt.Sprintf("generated from the old %s (changed members: %d): run 'vtablegen gen' (binding in %s)", oldS.CType(), len(r.Changes), c.BindingFile)})
				}
			}
		}
	}
	return r, diags
}

// dedup returns list without repeats, in first-seen order.
func dedup(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
