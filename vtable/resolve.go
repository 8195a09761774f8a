package vtable

import (
	"path/filepath"
	"slices"
	"strings"
)

// A kernel tree has several vtable traits of one name (phy::Driver,
// cpufreq::Driver, serdev::Driver): an impl's trait is found by its path,
// as rustc finds it, as far as the sources say: the module path of each
// file, inline mods, use declarations and their renames, crate::, super::,
// self:: and full paths. What the sources do not settle (a name that can
// only come from a glob import or a prelude, a re-export) stays
// unresolved, and no check is made on it: vtablegen never reports an error
// that rustc would not.

// FileModule returns the module path of a Rust source file as far as its
// place in a kernel tree says: rust/kernel/net/phy.rs is kernel::net::phy,
// rust/kernel/lib.rs is kernel, a mod.rs its directory. Any other file is
// a crate of its own, named by its path in angle brackets, so that its
// items have a path no other file's can meet.
func FileModule(file string) []string {
	slash := filepath.ToSlash(file)
	if i := strings.LastIndex(slash, "/rust/kernel/"); i >= 0 || strings.HasPrefix(slash, "rust/kernel/") {
		rest := slash[i+len("/rust/kernel/"):]
		if i < 0 {
			rest = strings.TrimPrefix(slash, "rust/kernel/")
		}
		rest = strings.TrimSuffix(rest, ".rs")
		parts := []string{"kernel"}
		for _, p := range strings.Split(rest, "/") {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if last := parts[len(parts)-1]; len(parts) > 1 && (last == "lib" || last == "mod") {
			parts = parts[:len(parts)-1]
		}
		return parts
	}
	return []string{"<" + slash + ">"}
}

// knownCrates are crate names a path may start with in a kernel tree.
var knownCrates = map[string]bool{"kernel": true, "core": true, "alloc": true, "std": true, "macros": true,
	"bindings": true, "pin_init": true, "ffi": true, "build_error": true, "uapi": true}

// Resolution says, for each impl of the inputs (with the vtable attribute
// or without), which vtable trait of the inputs it implements.
type Resolution struct {
	// Trait is the trait an impl implements, for the impls whose path
	// resolves to a trait of the inputs.
	Trait map[*Item]*Item
	// Other holds the impls whose path resolves, certainly, to something
	// that is not a vtable trait of the inputs.
	Other map[*Item]bool
	// Why says, for an impl that stays unresolved, why.
	Why map[*Item]string
}

// Implements reports whether impl it implements trait: its path resolves
// to trait, or, where the sources do not settle its path, it names a trait
// of trait's name.
func (r *Resolution) Implements(it, trait *Item) bool {
	if tr := r.Trait[it]; tr != nil {
		return tr == trait
	}
	return !r.Other[it] && LastSegment(string(it.Trait)) == trait.Name
}

// Resolve resolves the trait paths of every impl of files.
func Resolve(files []*RustFile) *Resolution {
	r := &Resolution{Trait: map[*Item]*Item{}, Other: map[*Item]bool{}, Why: map[*Item]string{}}
	moved := pathModules(files)
	traits := map[string]*Item{}
	for _, f := range files {
		for _, it := range f.Items {
			if it.Kind == Trait {
				traits[strings.Join(ItemPath(it), "::")] = it
			}
		}
	}
	// Re-exports give items further paths: alias maps one to where it
	// leads ("kernel::drm::Driver" to "kernel::drm::driver::Driver").
	alias := map[string][]string{}
	for _, f := range files {
		for _, u := range f.Uses {
			if !u.Pub || u.Glob {
				continue
			}
			mod := append(FileModule(f.Name), u.Module...)
			if m := moved[f]; m != nil {
				mod = append(slices.Clone(m), u.Module...)
			}
			alias[strings.Join(append(append([]string{}, mod...), u.Name), "::")] = usePath(u.Path, mod)
		}
	}
	follow := func(abs []string) []string {
		for range 8 {
			changed := false
			for k := len(abs); k > 0; k-- {
				if to, ok := alias[strings.Join(abs[:k], "::")]; ok {
					abs = append(append([]string{}, to...), abs[k:]...)
					changed = true
					break
				}
			}
			if !changed || traits[strings.Join(abs, "::")] != nil {
				break
			}
		}
		return abs
	}
	for _, f := range files {
		for _, list := range [][]*Item{f.Items, f.PlainImpls} {
			for _, it := range list {
				if it.Kind != Impl {
					continue
				}
				abs, local, why := resolvePath(f, it)
				if abs != nil {
					abs = follow(abs)
				}
				switch {
				case local != nil:
					r.Trait[it] = local
				case abs == nil:
					r.Why[it] = why
				case traits[strings.Join(abs, "::")] != nil:
					r.Trait[it] = traits[strings.Join(abs, "::")]
				default:
					r.Other[it] = true
				}
			}
		}
	}
	return r
}

// ItemPath is the full path of an item: its file's module, its inline
// mods, its name.
func ItemPath(it *Item) []string {
	p := append(append(fileModule(it), it.Module...), it.Name)
	return p
}

// fileModule is the module path of the item's file: the one a #[path]
// declaration gives it, else the one its place in the tree gives.
func fileModule(it *Item) []string {
	if it.FileModule != nil {
		return slices.Clone(it.FileModule)
	}
	return FileModule(it.File)
}

// pathModules gives the items of each file that a #[path] module
// declaration names their module path: "#[path = "freeze.rs"] mod
// freeze;" in drivers/android/binder/process.rs makes freeze.rs, beside
// it, the module <process.rs>::freeze. Only declarations outside inline
// mods are followed (inside one, rustc's base directory depends on the
// mod's own path, which is rare); a file named twice keeps the first.
func pathModules(files []*RustFile) map[*RustFile][]string {
	byName := map[string]*RustFile{}
	for _, f := range files {
		if abs, err := filepath.Abs(f.Name); err == nil {
			byName[abs] = f
		}
	}
	done := map[*RustFile][]string{}
	for _, f := range files {
		for _, pm := range f.PathMods {
			g := modFile(f.Name, pm, byName)
			if g == nil || g == f || done[g] != nil {
				continue
			}
			mod := append(append(FileModule(f.Name), pm.Module...), pm.Name)
			done[g] = mod
			for _, it := range g.Items {
				it.FileModule = mod
			}
			for _, it := range g.PlainImpls {
				it.FileModule = mod
			}
		}
	}
	return done
}

// modFile is the input file module declaration pm of file names: the
// #[path] one, or where rustc looks for mod x;: x.rs or x/mod.rs in the
// directory of a crate root or mod.rs, in the file's own directory (foo/
// for foo.rs) otherwise. Which file is the crate root the inputs do not
// say, so both places are tried.
func modFile(file string, pm PathMod, byName map[string]*RustFile) *RustFile {
	var candidates []string
	if pm.Path != "" {
		candidates = []string{filepath.Join(pathAttrBase(file, pm.Module), pm.Path)}
	} else {
		dir := filepath.Join(append([]string{filepath.Dir(file)}, pm.Module...)...)
		own := filepath.Join(append([]string{filepath.Dir(file), strings.TrimSuffix(filepath.Base(file), ".rs")}, pm.Module...)...)
		for _, d := range []string{dir, own} {
			candidates = append(candidates, filepath.Join(d, pm.Name+".rs"), filepath.Join(d, pm.Name, "mod.rs"))
		}
	}
	for _, c := range candidates {
		if abs, err := filepath.Abs(c); err == nil && byName[abs] != nil {
			return byName[abs]
		}
	}
	return nil
}

// resolvePath resolves the trait path of impl it in file f: to a full
// path, or to a trait of the same module named by a bare name, or not at
// all (why says why).
func resolvePath(f *RustFile, it *Item) (abs []string, local *Item, why string) {
	segs := pathSegments(string(it.Trait))
	cur := append(fileModule(it), it.Module...)
	if len(segs) == 0 {
		return nil, nil, "no trait path"
	}
	rel := func(segs []string) ([]string, bool) {
		switch segs[0] {
		case "crate":
			return append([]string{cur[0]}, segs[1:]...), true
		case "self":
			return append(append([]string{}, cur...), segs[1:]...), true
		case "super":
			base := append([]string{}, cur...)
			for len(segs) > 0 && segs[0] == "super" {
				if len(base) <= 1 {
					return nil, false
				}
				base, segs = base[:len(base)-1], segs[1:]
			}
			return append(base, segs...), true
		}
		return nil, false
	}
	if p, ok := rel(segs); ok {
		return p, nil, ""
	}
	// A name brought in by a use declaration of the same module (inner
	// modules do not see their parent's).
	for _, u := range f.Uses {
		if u.Glob || u.Name != segs[0] || !sameModule(u.Module, it.Module) {
			continue
		}
		// Where a use path leads from this module: a child module or a
		// crate, as for any use (usePath).
		path := usePath(u.Path, cur)
		return append(append([]string{}, path...), segs[1:]...), nil, ""
	}
	if len(segs) == 1 {
		for _, t := range f.Items {
			if t.Kind == Trait && t.Name == segs[0] && sameModule(t.Module, it.Module) {
				return nil, t, ""
			}
		}
	}
	// A child module of the current one, inline in the file (Rust
	// 2018's uniform paths: impl b::DeviceOps beside mod b).
	if len(segs) > 1 {
		child := append(slices.Clone(it.Module), segs[0])
		for _, t := range f.Items {
			if len(t.Module) >= len(child) && sameModule(t.Module[:len(child)], child) {
				return append(cur, segs...), nil, ""
			}
		}
		// Or one in a file of its own (mod ops;).
		for _, pm := range f.PathMods {
			if pm.Name == segs[0] && sameModule(pm.Module, it.Module) {
				return append(cur, segs...), nil, ""
			}
		}
	}
	if knownCrates[segs[0]] {
		return segs, nil, ""
	}
	for _, u := range f.Uses {
		if u.Glob && sameModule(u.Module, it.Module) {
			return nil, nil, "it may come from the glob import " + strings.Join(u.Path, "::") + "::*"
		}
	}
	return nil, nil, "no use declaration, local trait or crate names " + segs[0]
}

// usePath is where the path of a use declaration in module mod leads:
// crate::, self:: and super:: resolved, a path starting with a crate name
// as written, and any other (Rust 2018's uniform paths: a child module or
// a name of mod) under mod.
func usePath(path, mod []string) []string {
	if len(path) == 0 {
		return nil
	}
	switch path[0] {
	case "crate":
		return append([]string{mod[0]}, path[1:]...)
	case "self":
		return append(append([]string{}, mod...), path[1:]...)
	case "super":
		base := append([]string{}, mod...)
		for len(path) > 0 && path[0] == "super" && len(base) > 1 {
			base, path = base[:len(base)-1], path[1:]
		}
		return append(base, path...)
	}
	if knownCrates[path[0]] {
		return path
	}
	return append(append([]string{}, mod...), path...)
}

// pathSegments splits a Rust path as written into its segments, without
// generic arguments or a leading "::".
func pathSegments(path string) []string {
	var out []string
	depth := 0
	var b strings.Builder
	for _, c := range path {
		switch {
		case c == '<':
			depth++
		case c == '>':
			depth--
		case depth > 0 || c == ' ':
		default:
			b.WriteRune(c)
		}
	}
	for _, s := range strings.Split(b.String(), "::") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func sameModule(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pathAttrBase is the directory a #[path] attribute in file, inside the
// inline mods module, is relative to, as the Rust reference says: the
// file's directory at its top level; inside inline mods, that directory
// and the mods as directories, after a directory named for the file
// itself unless it is a mod-rs file (mod.rs, or a crate root lib.rs or
// main.rs).
func pathAttrBase(file string, module []string) string {
	dir := filepath.Dir(file)
	if len(module) == 0 {
		return dir
	}
	parts := []string{dir}
	switch base := filepath.Base(file); base {
	case "mod.rs", "lib.rs", "main.rs":
	default:
		parts = append(parts, strings.TrimSuffix(base, ".rs"))
	}
	return filepath.Join(append(parts, module...)...)
}

// TraitsNamed returns the vtable traits among items that the path names,
// as a user names a trait to bind ("DeviceOps", "b::DeviceOps",
// "crate::b::DeviceOps", "kernel::net::phy::Driver"): those whose full
// path (ItemPath) ends with the path's segments, crate::, self:: and a
// leading :: ignored. A file's own module "<dir/b.rs>" is also named by
// its stem, b (dir for a mod.rs), as a mod b; declaration would name it.
// More than one trait means the path is ambiguous: the caller lists them.
func TraitsNamed(items []*Item, path RustPath) []*Item {
	want := pathSegments(string(path))
	for len(want) > 0 && (want[0] == "crate" || want[0] == "self" || want[0] == "") {
		want = want[1:]
	}
	if len(want) == 0 {
		return nil
	}
	var out []*Item
	for _, it := range items {
		if it.Kind != Trait {
			continue
		}
		have := ItemPath(it)
		if len(have) < len(want) {
			continue
		}
		have = have[len(have)-len(want):]
		match := true
		for i, seg := range want {
			if have[i] != seg && moduleStem(have[i]) != seg {
				match = false
				break
			}
		}
		if match {
			out = append(out, it)
		}
	}
	return out
}

// moduleStem is the module name a file's own module "<dir/b.rs>" has
// where a mod declaration names it: b, or dir for dir/mod.rs; "" for any
// other segment.
func moduleStem(seg string) string {
	if !strings.HasPrefix(seg, "<") || !strings.HasSuffix(seg, ".rs>") {
		return ""
	}
	p := strings.TrimSuffix(strings.TrimPrefix(seg, "<"), ".rs>")
	if filepath.Base(p) == "mod" {
		return filepath.Base(filepath.Dir(p))
	}
	return filepath.Base(p)
}

// TraitPath is how a message names a trait: its full path without the
// file's own module when that is a crate of its own, e.g. "b::DeviceOps".
func TraitPath(it *Item) string {
	p := ItemPath(it)
	if len(p) > 1 && strings.HasPrefix(p[0], "<") {
		p = p[1:]
	}
	return strings.Join(p, "::")
}
