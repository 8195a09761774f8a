package cparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// mapCache is a HostCache in memory.
type mapCache map[string][]byte

func (m mapCache) Load(key string) []byte        { return m[key] }
func (m mapCache) Store(key string, data []byte) { m[key] = data }

// TestHostConfigCache: with a cache, the host compiler is asked once per
// compiler and flags; the configuration from the cache reads a header as
// the compiler's own did; a changed compiler binary, other flags and
// flags cc/v4 keeps state for (-std=c99) ask it again.
func TestHostConfigCache(t *testing.T) {
	gcc := testtool.Need(t, "gcc")
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	wrapper := filepath.Join(dir, "cc")
	script := "#!/bin/sh\necho run >> " + log + "\nexec " + gcc + " \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CC", wrapper)
	runs := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), "run")
	}
	header := filepath.Join("..", "examples", "quickstart", "device.h")
	cache := mapCache{}
	parse := func(flags ...string) string {
		t.Helper()
		p, err := NewParser(Options{Flags: flags, HostCache: cache})
		if err != nil {
			t.Fatal(err)
		}
		u, diags := p.Parse(header)
		if diags.HasErrors() || len(u.Structs) == 0 {
			t.Fatalf("%v: %v", u, diags)
		}
		var b strings.Builder
		for _, s := range u.Structs {
			b.WriteString(dump(s) + s.Pos.String() + "\n")
		}
		return b.String() + strings.Join(u.Files, "\n")
	}
	first := parse()
	asked := runs()
	if asked == 0 || len(cache) != 1 {
		t.Fatalf("first parser: the compiler ran %d times, %d cache entries", asked, len(cache))
	}
	if second := parse(); second != first || runs() != asked {
		t.Errorf("from the cache: the compiler ran %d more times; same result: %v", runs()-asked, second == first)
	}
	parse("-funsigned-char")
	if runs() == asked || len(cache) != 2 {
		t.Errorf("other flags: the compiler was not asked (%d entries)", len(cache))
	}
	asked = runs()
	parse("-std=c99")
	parse("-std=c99")
	if runs() < asked+4 || len(cache) != 2 {
		t.Errorf("-std=c99: cached (%d entries, %d runs)", len(cache), runs()-asked)
	}
	asked = runs()
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(wrapper, later, later); err != nil {
		t.Fatal(err)
	}
	parse()
	if runs() == asked || len(cache) != 3 {
		t.Errorf("a changed compiler: the compiler was not asked (%d entries)", len(cache))
	}
	for key := range cache {
		cache[key] = []byte("{not json")
	}
	asked = runs()
	if got := parse(); got != first || runs() == asked {
		t.Errorf("a broken entry: not asked again, or another result")
	}
}
