package vtablegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// changeList spells a report's changes as "kind member", in order.
func changeList(r *DriftReport) []string {
	var out []string
	for _, c := range r.Changes {
		out = append(out, string(c.Kind)+" "+string(c.Name))
	}
	return out
}

// effectList spells every effect of a report as "file:line kind", the
// file's base name.
func effectList(r *DriftReport) []string {
	var out []string
	for _, c := range r.Changes {
		for _, e := range c.Effects {
			out = append(out, fmt.Sprintf("%s %s:%d %s", c.Name, filepath.Base(e.Pos.Filename), e.Pos.Line, e.Kind))
		}
	}
	for _, e := range r.Stale {
		out = append(out, fmt.Sprintf("%s %s", filepath.Base(e.Pos.Filename), e.Kind))
	}
	return out
}

// TestDriftKernel612To73: file_operations, blk_mq_ops and phy_driver
// (and cpufreq_driver) between Debian's 6.12 headers and 7.3's
// (linux-headers-7.3.*+deb13 of trixie-backports; the same unit
// preprocessed with each, see scripts/kernel-headers-7.sh), against the
// bindings of this repository. Each change was checked by hand against
// the two fs.h, blk-mq.h, phy.h and cpufreq.h.
func TestDriftKernel612To73(t *testing.T) {
	old := testtool.NeedFile(t, filepath.Join(".cache", "kernel", "x.i"), "make test runs scripts/kernel-fixtures.sh")
	new := testtool.NeedFile(t, filepath.Join(".cache", "kernel-7.3", "x.i"), "make test runs scripts/kernel-headers-7.sh")
	for _, tc := range []struct {
		name     string
		bindings []string
		changes  []string
		effects  []string
	}{
		{"file_operations", []string{filepath.Join("examples", "miscdev", DefaultConfigFile)},
			[]string{"added mmap_prepare"},
			[]string{"mmap_prepare miscdev.rs:11 new", "file_operations_vtable.c stale", "file_operations_vtable.rs stale"}},
		{"blk_mq_ops", []string{filepath.Join("testdata", "kernel", "blkmq", DefaultConfigFile)},
			// 7.3's init_request takes the NUMA node as int.
			[]string{"retyped init_request"}, nil},
		{"phy_driver", []string{filepath.Join("testdata", "kernel", "phy", DefaultConfigFile)},
			[]string{"added inband_caps", "added config_inband", "retyped match_phy_device", "added update_stats",
				"added disable_autonomous_eee", "retyped set_loopback", "added get_mse_capability", "added get_mse_snapshot",
				"added get_next_update_time", "added attach_mii_port", "added attach_mdi_port"},
			[]string{"inband_caps phy.rs:9 new", "config_inband phy.rs:9 new", "match_phy_device phy.rs:31 check",
				"update_stats phy.rs:9 new", "disable_autonomous_eee phy.rs:9 new", "get_mse_capability phy.rs:9 new",
				"get_mse_snapshot phy.rs:9 new", "get_next_update_time phy.rs:9 new", "attach_mii_port phy.rs:9 new", "attach_mdi_port phy.rs:9 new"}},
		{"cpufreq_driver", []string{filepath.Join("testdata", "kernel", "cpufreq", DefaultConfigFile)},
			[]string{"retyped adjust_perf", "retyped update_limits", "added scale_freq_ref"},
			[]string{"update_limits cpufreq.rs:77 check", "scale_freq_ref cpufreq.rs:11 new"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := Config{Preprocessed: true, Struct: vtable.CIdent(tc.name)}
			o := DriftOptions{Old: base, New: base, BindingFiles: tc.bindings}
			o.Old.Header, o.New.Header = old, new
			r, diags := Drift(o)
			if diags.HasErrors() || r == nil {
				t.Fatalf("Drift: %v", diags)
			}
			if got := changeList(r); !slices.Equal(got, tc.changes) {
				t.Errorf("changes:\n got %q\nwant %q", got, tc.changes)
			}
			if got := effectList(r); !slices.Equal(got, tc.effects) {
				t.Errorf("effects:\n got %q\nwant %q", got, tc.effects)
			}
		})
	}
}

// TestDriftSqlite3Integrity: sqlite3_module of Debian's SQLite 3.40 and
// the same header with 3.44's xIntegrity, both ways, against a trait made
// by 'vtablegen trait' from the 3.44 copy, an impl that defines
// xIntegrity, a binding file with a rule for it, and a hand-written
// literal.
func TestDriftSqlite3Integrity(t *testing.T) {
	real := testtool.NeedFile(t, "/usr/include/sqlite3.h", "make test installs libsqlite3-dev")
	src, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	const shadow = "  int (*xShadowName)(const char*);\n"
	if !strings.Contains(string(src), shadow) || strings.Contains(string(src), "xIntegrity") {
		t.Fatalf("%s is not SQLite 3.40's sqlite3.h (no xShadowName line, or xIntegrity already)", real)
	}
	dir := t.TempDir()
	with := filepath.Join(dir, "sqlite3_344.h")
	writeTestFile(t, with, strings.Replace(string(src), shadow, shadow+
		"  int (*xIntegrity)(sqlite3_vtab *pVTab, const char *zSchema,\n                    const char *zTabName, int mFlags, char **pzErr);\n", 1))
	sk, diags := Trait(Config{Header: with, Struct: "sqlite3_module"}, TraitOptions{ConfigFile: filepath.Join(dir, DefaultConfigFile)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	writeTestFile(t, filepath.Join(dir, "sqlite3_module_trait.rs"), string(sk.Trait))
	writeTestFile(t, filepath.Join(dir, DefaultConfigFile), string(sk.Config)+"xIntegrity = { required = true }\n")
	writeTestFile(t, filepath.Join(dir, "check.rs"), `pub struct Checked;

#[vtable]
impl Sqlite3Module for Checked {
    fn xIntegrity(_v: *mut sqlite3_vtab, _s: *const c_char, _t: *const c_char, _f: c_int, _e: *mut *mut c_char) -> c_int {
        0
    }
}

static BY_HAND: sqlite3_module = sqlite3_module {
    iVersion: 4,
    xIntegrity: None,
    ..unsafe { core::mem::zeroed() }
};

const ALL: sqlite3_module = sqlite3_module {
    iVersion: 3,
    xCreate: None,
};
`)
	base := Config{Struct: "sqlite3_module"}
	o := DriftOptions{Old: base, New: base, BindingFiles: []string{filepath.Join(dir, DefaultConfigFile)}}

	// 3.40 -> 3.44: xIntegrity is new; the literal that names every
	// field misses it.
	o.Old.Header, o.New.Header = real, with
	r, diags := Drift(o)
	if diags.HasErrors() || r == nil {
		t.Fatalf("Drift: %v", diags)
	}
	if got, want := changeList(r), []string{"added xIntegrity"}; !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	if got, want := effectList(r), []string{"xIntegrity check.rs:16 breaks"}; !slices.Equal(got, want) {
		t.Errorf("effects %q, want %q", got, want)
	}

	// 3.44 -> 3.40: xIntegrity goes; the trait method, the impl's
	// method, the rule and the literal that sets it break.
	o.Old.Header, o.New.Header = with, real
	r, diags = Drift(o)
	if diags.HasErrors() || r == nil {
		t.Fatalf("Drift: %v", diags)
	}
	if got, want := changeList(r), []string{"removed xIntegrity"}; !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	want := []string{"xIntegrity sqlite3_module_trait.rs:"}
	got := effectList(r)
	if len(got) != 4 || !strings.HasPrefix(got[0], want[0]) || !strings.HasSuffix(got[0], " breaks") ||
		got[1] != "xIntegrity check.rs:5 breaks" || !strings.HasPrefix(got[2], "xIntegrity vtable.toml:") || got[3] != "xIntegrity check.rs:12 breaks" {
		t.Errorf("effects %q", got)
	}
}

// TestDriftKinds: a rename (a guess from the type), a retyped member, a
// member moved under #ifdef, on a small header and a trait of ours.
func TestDriftKinds(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "old.h"), "struct ops {\n\tint (*open)(void);\n\tlong (*sync)(int);\n\tint (*poll)(int);\n\tvoid (*drop)(void);\n};\n")
	writeTestFile(t, filepath.Join(dir, "new.h"), "struct ops {\n\tint (*open)(void);\n\tlong (*sync)(long);\n#ifdef HAVE_POLL\n\tint (*poll)(int);\n#endif\n\tvoid (*release)(void);\n};\n")
	writeTestFile(t, filepath.Join(dir, "ops.rs"), `#[vtable]
pub trait Ops {
    fn open() -> i32;
    fn sync(_x: i32) -> i64 { 0 }
    fn poll(_x: i32) -> i32 { 0 }
    fn drop() {}
}

pub struct A;

#[vtable]
impl Ops for A {
    fn open() -> i32 { 0 }
    fn drop() {}
}

const T: bindings::ops = bindings::ops {
    open: None,
    poll: None,
    drop: None,
    ..ZERO
};
`)
	// With HAVE_POLL defined poll is in both, under a new condition;
	// without it, it is gone from the new one.
	base := Config{Struct: "ops", Defines: []string{"HAVE_POLL"}}
	o := DriftOptions{Old: base, New: base, RustFiles: []string{filepath.Join(dir, "ops.rs")}}
	o.Old.Header, o.New.Header = filepath.Join(dir, "old.h"), filepath.Join(dir, "new.h")
	r, diags := Drift(o)
	if diags.HasErrors() || r == nil {
		t.Fatalf("Drift: %v", diags)
	}
	if got, want := changeList(r), []string{"retyped sync", "condition poll", "renamed release"}; !slices.Equal(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	if c := r.Changes[2]; !c.Heuristic || c.OldName != "drop" {
		t.Errorf("rename: %+v", c.Drift)
	}
	want := []string{"sync ops.rs:4 check", "poll ops.rs:5 check", "poll ops.rs:19 check",
		"release ops.rs:6 breaks", "release ops.rs:14 breaks", "release ops.rs:20 breaks"}
	if got := effectList(r); !slices.Equal(got, want) {
		t.Errorf("effects:\n got %q\nwant %q", got, want)
	}
	o.Old.Defines, o.New.Defines = nil, nil
	if r, diags = Drift(o); diags.HasErrors() || r == nil {
		t.Fatalf("Drift: %v", diags)
	}
	if got, want := changeList(r), []string{"removed poll", "retyped sync", "renamed release"}; !slices.Equal(got, want) {
		t.Errorf("without HAVE_POLL: changes %q, want %q", got, want)
	}
}
