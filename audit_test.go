package vtablegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
)

// TestAuditKernelTrees runs audit over the Rust code (rust/, drivers/,
// samples/) of Debian's linux-source 6.12, 7.2 and 7.3, each with its own
// rust/bindings/bindings_helper.h preprocessed with Debian's headers of
// that version (scripts/kernel-headers-7.sh). Every finding was checked by
// hand against the sources:
//   - miscdevice.rs (7.2): the VTABLE never sets owner, so a misc device's
//     module can be unloaded while one of its files is open: a real defect,
//     fixed in 7.3 (owner: this_module::<T::OwnerModule>()).
//   - debugfs/file_ops.rs (7.2, 7.3): six file_operations without owner.
//     debugfs's proxy fops pin the real fops' owner on open, so a module's
//     debugfs file opened before the module is removed runs module code
//     after it is gone unless debugfs's removal waits it out: a likely
//     defect, not proven here.
//   - miscdevice.rs compat_ioctl (7.2, 7.3): #[cfg(CONFIG_COMPAT)] on a
//     member the header always has. By design (the compat entry only
//     matters with CONFIG_COMPAT) and harmless: a false positive of the
//     rule, left as the rule says.
func TestAuditKernelTrees(t *testing.T) {
	for _, tc := range []struct {
		unit, tree string
		literals   int
		want       []string
	}{
		{filepath.Join(".cache", "kernel", "audit.i"), filepath.Join(".cache", "linux-source", "tree"), 3, nil},
		{filepath.Join(".cache", "kernel-7.2", "audit.i"), filepath.Join(".cache", "linux-source-7.2", "tree"), 24, []string{
			"rust/kernel/debugfs/file_ops.rs:133 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:184 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:241 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:293 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:347 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:371 zero-data owner",
			"rust/kernel/miscdevice.rs:401 zero-data owner",
			"rust/kernel/miscdevice.rs:421 cfg compat_ioctl",
		}},
		{filepath.Join(".cache", "kernel-7.3", "audit.i"), filepath.Join(".cache", "linux-source-7.3", "tree"), 28, []string{
			"rust/kernel/debugfs/file_ops.rs:133 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:184 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:241 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:293 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:347 zero-data owner",
			"rust/kernel/debugfs/file_ops.rs:371 zero-data owner",
			"rust/kernel/miscdevice.rs:422 cfg compat_ioctl",
		}},
	} {
		t.Run(filepath.Base(filepath.Dir(tc.tree)), func(t *testing.T) {
			unit := testtool.NeedFile(t, tc.unit, "make test runs scripts/kernel-headers-7.sh")
			tree := testtool.NeedFile(t, tc.tree, "make test runs scripts/rust-fixtures*.sh")
			var paths []string
			for _, d := range []string{"rust", "drivers", "samples"} {
				if p := filepath.Join(tree, d); exists(p) {
					paths = append(paths, p)
				}
			}
			r, diags := Audit(AuditOptions{C: Config{Header: unit, Preprocessed: true}, Paths: paths})
			if diags.HasErrors() || r == nil {
				t.Fatalf("Audit: %v", diags)
			}
			if len(r.Literals) != tc.literals {
				t.Errorf("%d literals of C ops structs, want %d", len(r.Literals), tc.literals)
			}
			var got []string
			for _, f := range r.Findings {
				m := ""
				if f.Member != nil {
					m = string(f.Member.Name)
				} else if f.Method != nil {
					m = string(f.Method.Name)
				}
				rel, _ := filepath.Rel(tree, f.Pos.Filename)
				got = append(got, fmt.Sprintf("%s:%d %s %s", filepath.ToSlash(rel), f.Pos.Line, f.Rule, m))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
