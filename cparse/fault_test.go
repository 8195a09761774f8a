package cparse

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/cc/v4"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// faultUnit is a unit with a declaration cc/v4 fails on (the marker names
// the kind of failure), one that needs it, and two ops structs that must
// come out whatever happens to the others.
const faultUnit = `struct ops { int (*open)(void); };
typedef unsigned long size_type;
struct marked { int MARKER; int (*f)(void); };
struct needs_marked { struct marked m; int (*g)(void); };
struct ops2 { int (*close)(int); size_type n; };
`

// installFault makes each cc/v4 run whose input holds marker fail as kind
// says: "nopos" an error without a position, "panic" a panic, "hang" a
// loop (stopped when the test ends). The input of a header run is read
// from its file.
func installFault(t *testing.T, marker, kind string) {
	var stop atomic.Bool
	faultHook = func(sources []cc.Source) error {
		for _, s := range sources {
			var text []byte
			switch v := s.Value.(type) {
			case []byte:
				text = v
			case string:
				text = []byte(v)
			case nil:
				text, _ = os.ReadFile(s.Name)
			}
			if !bytes.Contains(text, []byte(marker)) {
				continue
			}
			switch kind {
			case "nopos":
				return errors.New("TODO *cc.DeclarationSpecifiers missed/failed type check")
			case "panic":
				var m map[string]int
				m["x"]++
			case "hang":
				for !stop.Load() {
				}
				return errors.New("stopped")
			}
		}
		return nil
	}
	oldCPU, oldBisect := translateCPU, bisectCPU
	translateCPU, bisectCPU = 500*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() {
		stop.Store(true)
		faultHook = nil
		translateCPU, bisectCPU = oldCPU, oldBisect
	})
}

// TestFaultBisected: a cc/v4 error without a position, a cc/v4 panic and a
// cc/v4 loop on one declaration each cost that declaration and what needs
// it, never the unit: found by bisection in a preprocessed unit, and in a
// header read with the embedded preprocessor through the host's cc -E. A
// note names the declaration's line.
func TestFaultBisected(t *testing.T) {
	testtool.Need(t, "gcc")
	for _, kind := range []string{"nopos", "panic", "hang"} {
		for _, mode := range []string{"preprocessed", "header"} {
			t.Run(kind+"/"+mode, func(t *testing.T) {
				marker := "__vtablegen_fault_" + kind
				installFault(t, marker, kind)
				dir := t.TempDir()
				file := filepath.Join(dir, "unit.h")
				if err := os.WriteFile(file, []byte(strings.ReplaceAll(faultUnit, "MARKER", marker)), 0o666); err != nil {
					t.Fatal(err)
				}
				p, err := NewParser(Options{})
				if err != nil {
					t.Fatal(err)
				}
				parse := p.Parse
				if mode == "preprocessed" {
					parse = p.ParsePreprocessed
				}
				u, diags := parse(file)
				if diags.HasErrors() || u == nil {
					t.Fatalf("diagnostics:\n%v", diags)
				}
				var names []string
				for _, s := range u.Structs {
					names = append(names, string(s.Name))
				}
				if strings.Join(names, " ") != "ops ops2" {
					t.Errorf("structs %v, want ops ops2", names)
				}
				found := false
				for _, d := range diags {
					if strings.Contains(d.Msg, "found by bisection") && d.Pos.Line == 3 && filepath.Base(d.Pos.Filename) == "unit.h" {
						found = true
					}
				}
				if !found {
					t.Errorf("no note at unit.h:3 for the declaration found by bisection:\n%v", diags)
				}
			})
		}
	}
}
