package vtablegen

import (
	"os"
	"path/filepath"

	"github.com/vtablegen/vtablegen/vtable"
)

// MacroFile is where a kernel tree keeps the source of its vtable attribute macro, relative to
// the tree's top.
var MacroFile = filepath.Join("rust", "macros", "vtable.rs")

// TreeForm finds the kernel tree the Rust files (or directories) in paths
// belong to, the nearest ancestor with rust/macros/vtable.rs, and reads
// from that macro which form it has (vtable.FormOfMacro). It returns the
// form and the macro file it read; ok is false when no path is in such a
// tree or its macro is not one vtablegen knows (see FormOf for what is
// taken then).
func TreeForm(paths []string) (f vtable.Form, macro string, ok bool) {
	seen := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		dir := abs
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			dir = filepath.Dir(abs)
		}
		for {
			if seen[dir] {
				break
			}
			seen[dir] = true
			m := filepath.Join(dir, MacroFile)
			if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() && st.Size() < 1<<20 {
				src, err := os.ReadFile(m)
				if err != nil {
					return 0, m, false
				}
				if f, ok := vtable.FormOfMacro(src); ok {
					return f, m, true
				}
				return 0, m, false
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return 0, "", false
}

// FormOf resolves f for the Rust files paths: f itself, unless it is
// vtable.FormAuto; then the form of the kernel tree they are in
// (TreeForm), vtable.Newest for a tree whose macro vtablegen does not
// know, and outside any kernel tree vtable.Userspace, whose expansion
// compiles in a userspace crate.
func FormOf(f vtable.Form, paths []string) vtable.Form {
	if f != vtable.FormAuto {
		return f
	}
	switch tf, macro, ok := TreeForm(paths); {
	case ok:
		return tf
	case macro != "":
		return vtable.Newest
	}
	return vtable.Userspace
}
