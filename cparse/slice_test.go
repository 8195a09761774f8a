package cparse

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// TestSliceMatchesWholeUnit parses each struct of the reference Kbuild unit
// from its slice alone and checks that it comes out exactly as from the
// whole reduced unit: same members, types, parameters and positions.
func TestSliceMatchesWholeUnit(t *testing.T) {
	testtool.Need(t, "gcc")
	unit := testtool.NeedFile(t, filepath.Join(kernelUnit, "x.i"), "make test runs scripts/kernel-fixtures.sh")
	p, err := NewParser(Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole, diags := p.ParsePreprocessed(unit)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	// Reduce once and slice for each struct, as ParsePreprocessed does
	// with Options.Structs, to keep the test fast.
	src, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	lm := newLineMap(unit, src, "")
	r := reduce(src)
	fallbacks := 0
	for _, s := range whole.Structs {
		text, ok := r.slice(src, unit, []string{string(s.Name)})
		if !ok {
			t.Errorf("struct %s: no slice", s.Name)
			continue
		}
		ast, diags := p.translate(unit, text)
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
	t.Logf("%d structs each parsed from its slice; %d fell back to the whole unit", len(whole.Structs), fallbacks)
}
