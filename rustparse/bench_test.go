package rustparse

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// BenchmarkRepeatedParse parses the quickstart Rust file 10,000 times in
// one process and reports the growth of resident memory from the first
// 1,000 parses to the last (rss-growth-MB), which must stay near zero:
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
	for b.Loop() {
		for range 1000 {
			parse()
		}
		runtime.GC()
		before := residentMB(b)
		for range 9000 {
			parse()
		}
		runtime.GC()
		b.ReportMetric(residentMB(b)-before, "rss-growth-MB")
	}
}

// residentMB returns the process's resident set size in MiB (Linux).
func residentMB(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		b.Skipf("no /proc/self/statm: %v", err)
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		b.Fatal(err)
	}
	return float64(resident*int64(os.Getpagesize())) / (1 << 20)
}

// BenchmarkBareParse is the floor for "vtablegen consts" over the kernel's
// rust/ tree: one tree-sitter parser parsing every file in turn on one
// goroutine, nothing else.
func BenchmarkBareParse(b *testing.B) {
	var srcs [][]byte
	root := filepath.Join("..", ".cache", "linux-source", "tree", "rust")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".rs" {
			if src, err := os.ReadFile(path); err == nil {
				srcs = append(srcs, src)
			}
		}
		return nil
	})
	if len(srcs) == 0 {
		b.Skip("no kernel rust/ tree (make test unpacks it)")
	}
	n := 0
	for _, s := range srcs {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, src := range srcs {
			tree, err := parse(src)
			if err != nil {
				b.Fatal(err)
			}
			tree.Close()
		}
	}
}
