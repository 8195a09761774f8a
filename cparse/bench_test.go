package cparse

import (
	"os"
	"path/filepath"
	"testing"
)

func kernelUnitBytes(b *testing.B) []byte {
	src, err := os.ReadFile(filepath.Join(kernelUnit, "x.i"))
	if err != nil {
		b.Skipf("no reference unit: %v (make test builds it)", err)
	}
	return src
}

// BenchmarkTokenize measures the tokenizer on the reference Kbuild unit.
func BenchmarkTokenize(b *testing.B) {
	src := kernelUnitBytes(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		tokenize(src)
	}
}

// BenchmarkReduce measures the reduction of the reference unit to its
// type declarations.
func BenchmarkReduce(b *testing.B) {
	src := kernelUnitBytes(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		reduce(src)
	}
}

// BenchmarkFileOperationsFromUnit measures what "structs -preprocessed
// -struct file_operations x.i" does after start-up: read, reduce, slice,
// parse the slice.
func BenchmarkFileOperationsFromUnit(b *testing.B) {
	kernelUnitBytes(b)
	p, err := NewParser(Options{Structs: []string{"file_operations"}})
	if err != nil {
		b.Fatal(err)
	}
	unit := filepath.Join(kernelUnit, "x.i")
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := p.ParsePreprocessed(unit); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkWholeUnit measures reading every struct of the reference unit.
func BenchmarkWholeUnit(b *testing.B) {
	kernelUnitBytes(b)
	p, err := NewParser(Options{})
	if err != nil {
		b.Fatal(err)
	}
	unit := filepath.Join(kernelUnit, "x.i")
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := p.ParsePreprocessed(unit); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkNewParser measures cc/v4's configuration, which asks the host
// compiler for its predefined macros and include paths.
func BenchmarkNewParser(b *testing.B) {
	for b.Loop() {
		if _, err := NewParser(Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
