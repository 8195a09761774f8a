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

// kernelRust is the Rust code of Debian's linux-source-6.12 that
// scripts/rust-fixtures.sh unpacks (make test runs it).
var kernelRust = filepath.Join(".cache", "linux-source", "tree")

// TestKernelRustVtableItems finds every #[vtable] trait and impl of the
// kernel's rust/, drivers/ and samples/ and expands each file in the 6.12
// form: the attribute goes, the consts the 6.12 macro inserts come first in
// each body, and the output parses with no #[vtable] left.
func TestKernelRustVtableItems(t *testing.T) {
	testtool.NeedFile(t, filepath.Join(kernelRust, "rust", "macros", "vtable.rs"), "make test runs scripts/rust-fixtures.sh")
	var files []string
	err := filepath.WalkDir(kernelRust, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rs") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	items, diags := Items(files)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	byFile := map[string][]*vtable.Item{}
	for _, it := range items {
		rel, _ := filepath.Rel(kernelRust, it.Pos.Filename)
		key := fmt.Sprintf("trait %s %s", it.Name, rel)
		if it.Kind == vtable.Impl {
			key = fmt.Sprintf("impl %s for %s %s", it.Trait, it.Self, rel)
		}
		t.Logf("%s:%d", key, it.Pos.Line)
		got = append(got, key)
		byFile[it.Pos.Filename] = append(byFile[it.Pos.Filename], it)
	}
	want := []string{
		"impl Operations for NullBlkDevice drivers/block/rnull.rs",
		"impl Driver for PhyAX88772A drivers/net/phy/ax88796b_rust.rs",
		"impl Driver for PhyAX88772C drivers/net/phy/ax88796b_rust.rs",
		"impl Driver for PhyAX88796B drivers/net/phy/ax88796b_rust.rs",
		"impl Driver for PhyQT2025 drivers/net/phy/qt2025.rs",
		"trait Operations rust/kernel/block/mq/operations.rs",
		"trait Driver rust/kernel/net/phy.rs",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("items found in %d files:\n%s\nwant\n%s", len(files), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	t.Logf("%d #[vtable] items in %d files", len(items), len(files))

	dir := t.TempDir()
	for file, its := range byFile {
		out, diags := Expand(file, vtable.Form612)
		if diags.HasErrors() {
			t.Errorf("%s: %v", file, diags)
			continue
		}
		text := string(out)
		for _, it := range its {
			// The 6.12 macro puts its consts first in the body.
			var decls []string
			for _, c := range vtable.Expansion(it, vtable.Form612) {
				decls = append(decls, strings.TrimSpace(constLine(it.Kind, c)))
			}
			if !strings.Contains(text, "{\n    "+strings.Join(decls, "\n    ")) && !containsWithDocs(text, decls) {
				t.Errorf("%s: %s %s: the expansion does not open its body with %q", file, it.Kind, it.Name, decls)
			}
			if len(decls) != 1+len(it.Methods)-countUser(it) {
				t.Errorf("%s: %s: %d consts for %d methods", file, it.Name, len(decls), len(it.Methods))
			}
		}
		again := filepath.Join(dir, filepath.Base(file))
		if err := os.WriteFile(again, out, 0o666); err != nil {
			t.Fatal(err)
		}
		left, diags := Items([]string{again})
		if diags.HasErrors() || len(left) != 0 {
			t.Errorf("%s: the expansion has %d #[vtable] items left, diagnostics %v", file, len(left), diags)
		}
	}
}

// constLine spells an inserted const as the expansion writes it.
func constLine(kind vtable.ItemKind, c *vtable.Const) string {
	switch {
	case c.Name == vtable.UseVtableAttr && kind == vtable.Trait:
		return "const USE_VTABLE_ATTR: ();"
	case c.Name == vtable.UseVtableAttr:
		return "const USE_VTABLE_ATTR: () = ();"
	}
	return fmt.Sprintf("const %s: bool = %v;", c.Name, *c.Value)
}

// containsWithDocs reports whether text holds decls in order, each on its
// own line, with only doc comments between them (trait consts have docs).
func containsWithDocs(text string, decls []string) bool {
	i := strings.Index(text, decls[0])
	if i < 0 {
		return false
	}
	var lines []string
	for _, l := range strings.Split(text[i:], "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "///") {
			continue
		}
		lines = append(lines, l)
		if len(lines) == len(decls) {
			break
		}
	}
	return slices.Equal(lines, decls)
}

// countUser counts the methods whose HAS_* the item declares itself.
func countUser(it *vtable.Item) int {
	n := 0
	for _, m := range it.Methods {
		for _, c := range it.Consts {
			if c.Name == vtable.HasName(m.Name) {
				n++
			}
		}
	}
	return n
}

// TestKernelRust7Trees reads every .rs file of the Rust code of Debian's
// linux-source-7.2 and -7.3 (rust/, drivers/, samples/; make test fetches
// them from sid and trixie-backports) in one run: zero errors, although the
// trees hold several #[vtable] traits named Driver and macro_rules! bodies
// tree-sitter cannot parse, and every #[vtable] impl resolves, by path, to
// a trait of the tree.
func TestKernelRust7Trees(t *testing.T) {
	for _, tc := range []struct {
		version string
		traits  []string
		impls   int
	}{
		{"7.2", []string{"kernel::block::mq::operations::Operations", "kernel::configfs::AttributeOperations", "kernel::configfs::GroupOperations",
			"kernel::cpufreq::Driver", "kernel::drm::driver::Driver", "kernel::miscdevice::MiscDevice", "kernel::net::phy::Driver", "kernel::opp::ConfigOps"}, 23},
		{"7.3", []string{"kernel::block::mq::operations::Operations", "kernel::configfs::AttributeOperations", "kernel::configfs::GroupOperations",
			"kernel::cpufreq::Driver", "kernel::drm::driver::Driver", "kernel::miscdevice::MiscDevice", "kernel::net::phy::Driver", "kernel::opp::ConfigOps",
			"kernel::serdev::Driver"}, 25},
	} {
		t.Run(tc.version, func(t *testing.T) {
			tree := filepath.Join(".cache", "linux-source-"+tc.version, "tree")
			testtool.NeedFile(t, filepath.Join(tree, "rust", "macros", "vtable.rs"), "make test runs scripts/rust-fixtures-7.sh")
			var names []string
			err := filepath.WalkDir(tree, func(path string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rs") {
					names = append(names, path)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			files, diags := parseRust(names, vtable.Newest)
			if diags.HasErrors() {
				t.Fatalf("%d files: %v", len(names), diags)
			}
			res := vtable.Resolve(files)
			var traits []string
			impls := 0
			for _, f := range files {
				for _, it := range f.Items {
					if it.Kind == vtable.Trait {
						traits = append(traits, strings.Join(vtable.ItemPath(it), "::"))
						continue
					}
					impls++
					if res.Trait[it] == nil {
						t.Errorf("%s: impl %s for %s does not resolve to a trait of the tree (%s)", it.Pos, it.Trait, it.Self, res.Why[it])
					}
				}
			}
			slices.Sort(traits)
			if !slices.Equal(traits, tc.traits) || impls != tc.impls {
				t.Errorf("%d files: traits %v and %d impls; want %v and %d", len(names), traits, impls, tc.traits, tc.impls)
			}
		})
	}
}

// TestTreeForm reads each fetched tree's own rust/macros/vtable.rs: with
// no -macro, the Rust files of a tree take that tree's form (6.12's token
// scanner, 7.2's syn macro, 7.3's with OwnerModule), and a file outside
// any tree has none.
func TestTreeForm(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want vtable.Form
	}{
		{"linux-source", vtable.Form612},
		{"linux-source-7.2", vtable.Form72},
		{"linux-source-7.3", vtable.Form73},
	} {
		tree := filepath.Join(".cache", tc.dir, "tree")
		testtool.NeedFile(t, filepath.Join(tree, "rust", "macros", "vtable.rs"), "make test runs scripts/rust-fixtures.sh and scripts/rust-fixtures-7.sh")
		for _, p := range []string{
			filepath.Join(tree, "drivers", "net", "phy", "ax88796b_rust.rs"),
			filepath.Join(tree, "rust", "kernel"),
		} {
			got, macro, ok := TreeForm([]string{p})
			if !ok || got != tc.want || macro != mustAbs(t, filepath.Join(tree, "rust", "macros", "vtable.rs")) {
				t.Errorf("TreeForm(%s) = %v, %s, %v; want %v", p, got, macro, ok, tc.want)
			}
		}
	}
	if f, macro, ok := TreeForm([]string{filepath.Join("examples", "quickstart", "device.rs")}); ok {
		t.Errorf("TreeForm of a file in no tree = %v from %s", f, macro)
	}
	for _, src := range []string{"", "fn main() {}", "use syn::Item; // no vtable here"} {
		if f, ok := vtable.FormOfMacro([]byte(src)); ok {
			t.Errorf("FormOfMacro(%q) = %v", src, f)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
