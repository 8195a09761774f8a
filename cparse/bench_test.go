package cparse

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
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

// userspaceBenchSource writes the C file of a userspace case for the
// benchmarks.
func userspaceBenchSource(b *testing.B, name string) (src string, include, defines []string) {
	for _, tc := range userspaceCases {
		if tc.name != name {
			continue
		}
		if _, err := os.Stat(tc.header); err != nil {
			b.Skipf("%s: %v (make test installs it)", tc.header, err)
		}
		src = filepath.Join(b.TempDir(), "x.c")
		if err := os.WriteFile(src, []byte(tc.source), 0o666); err != nil {
			b.Fatal(err)
		}
		return src, tc.include, tc.defines
	}
	b.Fatalf("no case %s", name)
	return
}

// BenchmarkUserspace reads FUSE's and SQLite's headers through cc/v4's own
// preprocessor (Embedded) and, in the same run, has gcc -E preprocess the
// same includes with the same flags (GccE), for comparison.
func BenchmarkUserspace(b *testing.B) {
	for _, name := range []string{"fuse3", "sqlite3"} {
		b.Run(name+"/Embedded", func(b *testing.B) {
			src, include, defines := userspaceBenchSource(b, name)
			p, err := NewParser(Options{IncludeDirs: include, Defines: defines})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := p.Parse(src); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
		})
		b.Run(name+"/GccE", func(b *testing.B) {
			src, include, defines := userspaceBenchSource(b, name)
			gcc, err := exec.LookPath("gcc")
			if err != nil {
				b.Skip(err)
			}
			args := []string{"-E", "-o", os.DevNull}
			for _, d := range include {
				args = append(args, "-I"+d)
			}
			for _, d := range defines {
				args = append(args, "-D"+d)
			}
			args = append(args, src)
			b.ReportAllocs()
			for b.Loop() {
				if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, out)
				}
			}
		})
	}
}

// BenchmarkRepeatedParse parses the quickstart header 10,000 times in one
// process and reports the growth of resident memory from the first 2,000
// parses (a warm-up) to the last (rss-growth-MB), which must stay near zero: nothing
// may accumulate per parse.
func BenchmarkRepeatedParse(b *testing.B) {
	header := filepath.Join("..", "examples", "quickstart", "device.h")
	p, err := NewParser(Options{})
	if err != nil {
		b.Fatal(err)
	}
	parse := func() {
		if _, diags := p.Parse(header); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
	testtool.RSSGrowth(b, parse)
}
