package rustparse

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// BenchmarkRepeatedParse parses the quickstart Rust file 10,000 times in
// one process and reports the growth of resident memory from the first
// 2,000 parses (a warm-up) to the last (rss-growth-MB), which must stay near zero:
// every tree-sitter parser, tree and cursor is closed.
func BenchmarkRepeatedParse(b *testing.B) {
	name := filepath.Join("..", "examples", "quickstart", "device.rs")
	src, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	parse := func() {
		if rf, diags := Parse(name, src); len(diags) != 0 || len(rf.Items) != 3 {
			b.Fatalf("%d items, %v", len(rf.Items), diags)
		}
	}
	testtool.RSSGrowth(b, parse)
}

// benchFile is a Rust source of the benchmark tree.
type benchFile struct {
	name string
	src  []byte
}

// benchTree reads every .rs file of the kernel's rust/ tree, or of the
// tree VTABLEGEN_BENCH_TREE names, e.g. .cache/linux-source-7.3/tree (the
// whole of it), and sets the benchmark's bytes; it skips without one.
func benchTree(b *testing.B) []benchFile {
	var files []benchFile
	root := filepath.Join("..", ".cache", "linux-source", "tree", "rust")
	if t := os.Getenv("VTABLEGEN_BENCH_TREE"); filepath.IsAbs(t) {
		root = t
	} else if t != "" {
		root = filepath.Join("..", t)
	}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".rs" {
			if src, err := os.ReadFile(path); err == nil {
				files = append(files, benchFile{path, src})
			}
		}
		return nil
	})
	if len(files) == 0 {
		b.Skip("no kernel rust/ tree (make test unpacks it)")
	}
	n := 0
	for _, f := range files {
		n += len(f.src)
	}
	b.SetBytes(int64(n))
	return files
}

// BenchmarkBareParse is the floor for "vtablegen consts" over the kernel's
// rust/ tree (see benchTree): one tree-sitter parser parsing every file in
// turn on one goroutine, nothing else.
func BenchmarkBareParse(b *testing.B) {
	files := benchTree(b)
	for b.Loop() {
		for _, f := range files {
			tree, err := parse(f.src)
			if err != nil {
				b.Fatal(err)
			}
			tree.Close()
		}
	}
}

// BenchmarkParseTree is what the front end adds to BenchmarkBareParse:
// Parse (the parse, the error scan, the item and use extraction) of every
// file of the same tree in turn on one goroutine.
func BenchmarkParseTree(b *testing.B) {
	files := benchTree(b)
	for b.Loop() {
		for _, f := range files {
			Parse(f.name, f.src)
		}
	}
}
