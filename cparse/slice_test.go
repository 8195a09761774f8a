package cparse

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// TestSliceMatchesWholeUnit parses every kept declaration of the reference
// Kbuild unit at once, and checks that ParsePreprocessed (which parses only
// what the structs that may hold a function pointer need) returns the same
// structs, and that each struct parsed from its own slice alone comes out
// the same: members, types, parameters, layout and positions.
func TestSliceMatchesWholeUnit(t *testing.T) {
	testtool.Need(t, "gcc")
	unit := testtool.NeedFile(t, filepath.Join(kernelUnit, "x.i"), "make test runs scripts/kernel-fixtures.sh")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	lm := newLineMap(unit, src, "")
	r := reduce(src)
	all := make([]int, len(r.kept))
	for i := range all {
		all[i] = i
	}
	ast, diags := p.translate(unit, r.render(unit, all))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	whole := collect(ast, lm.pos)
	cu, diags := p.ParsePreprocessed(unit)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(cu.Structs) != len(whole) {
		t.Errorf("ParsePreprocessed: %d structs, every declaration parsed: %d", len(cu.Structs), len(whole))
	}
	for i := range min(len(cu.Structs), len(whole)) {
		if a, b := dump(cu.Structs[i])+cu.Structs[i].Pos.String(), dump(whole[i])+whole[i].Pos.String(); a != b {
			t.Errorf("struct %d from ParsePreprocessed:\n%s\nfrom every declaration:\n%s", i, a, b)
		}
	}
	if len(whole) < 150 {
		t.Errorf("only %d structs with function pointers in the reference unit", len(whole))
	}
	fallbacks := 0
	for _, s := range whole {
		idx, ok := r.slice(src, []string{string(s.Name)})
		if !ok {
			t.Errorf("struct %s: no slice", s.Name)
			continue
		}
		ast, diags := p.translate(unit, r.render(unit, idx))
		if diags.HasErrors() {
			fallbacks++
			t.Logf("struct %s: the slice does not parse (ParsePreprocessed falls back to the whole unit): %v", s.Name, diags[0])
			continue
		}
		var got *vtable.Struct
		for _, g := range collect(ast, lm.pos) {
			if g.Name == s.Name {
				got = g
			}
		}
		if got == nil {
			t.Errorf("struct %s: not in its slice", s.Name)
			continue
		}
		if a, b := dump(got)+got.Pos.String(), dump(s)+s.Pos.String(); a != b {
			t.Errorf("struct %s from its slice:\n%s\nfrom the whole unit:\n%s", s.Name, a, b)
		}
	}
	t.Logf("%d structs each parsed from its slice; %d fell back to the whole unit", len(whole), fallbacks)
}
