package vtablegen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/vtablegen/vtablegen/rustparse"
	"github.com/vtablegen/vtablegen/vtable"
)

// AuditOptions say what 'vtablegen audit' reads.
type AuditOptions struct {
	// C reads the C side: the header or unit with the kernel's own
	// flags (Preprocessed, KbuildCmd, ...). Its Struct and Wanted are
	// set by Audit.
	C Config
	// Paths are Rust files and directories, searched for .rs files.
	Paths []string
	// Required are the data members each struct's literals must set;
	// nil means vtable.DefaultRequiredData.
	Required map[vtable.CIdent][]vtable.CIdent
}

// AuditReport is what Audit returns.
type AuditReport struct {
	// Literals are the struct literals of C ops structs found, each with
	// its struct and trait.
	Literals []*vtable.AuditLiteral
	Findings []*vtable.Finding
	// Files is how many Rust files were read.
	Files int
}

// Audit finds every struct literal in the Rust sources whose struct is a
// C struct with function-pointer members (bindings::file_operations {
// ... }, whatever the path), resolves the vtable trait whose HAS_*
// consts it reads, and checks each against the header and the trait (see
// vtable.Audit for the rules). It writes nothing.
func Audit(o AuditOptions) (*AuditReport, vtable.Diagnostics) {
	var diags vtable.Diagnostics
	files, ds := rustFilesUnder(o.Paths)
	diags = append(diags, ds...)
	if diags.HasErrors() {
		return nil, diags
	}
	r := &AuditReport{Files: len(files)}

	// The literals and fns of every file, in parallel, each file read
	// once.
	scans := make([]*vtable.RustScan, len(files))
	calls := make([]map[string]bool, len(files))
	traits := make([][]*vtable.Item, len(files))
	problems := make([]*vtable.Diagnostic, len(files))
	srcs := make([][]byte, len(files))
	parallel(len(files), func(i int) {
		scans[i] = &vtable.RustScan{}
		src, d := rustparse.ReadFile(files[i])
		if d != nil {
			problems[i] = d
			return
		}
		scans[i] = rustparse.Scan(files[i], src, nil)
		calls[i] = map[string]bool{}
		for _, m := range directCall.FindAllSubmatch(src, -1) {
			calls[i][string(m[1])] = true
		}
		if bytes.Contains(src, []byte("vtable")) {
			srcs[i] = src
		}
	})
	for i := range files {
		if problems[i] != nil {
			diags = append(diags, problems[i])
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	// The #[vtable] traits, from the files that say vtable (their text
	// kept from the scan), while the C side is read.
	traitsDone := make(chan struct{})
	go func() {
		defer close(traitsDone)
		parallel(len(files), func(i int) {
			if srcs[i] == nil {
				return
			}
			rf, _ := rustparse.Parse(files[i], srcs[i])
			for _, it := range rf.Items {
				if it.Kind == vtable.Trait {
					traits[i] = append(traits[i], it)
				}
			}
		})
	}()
	var wanted []vtable.CIdent
	for _, s := range scans {
		for _, l := range s.Literals {
			if n := vtable.CIdent(l.Name()); !slices.Contains(wanted, n) {
				wanted = append(wanted, n)
			}
		}
	}
	cfg := o.C
	cfg.Struct, cfg.Wanted = "", wanted
	unit, cd := Structs(cfg)
	diags = append(diags, cd...)
	<-traitsDone
	var items []*vtable.Item
	for i := range files {
		items = append(items, traits[i]...)
	}
	if unit == nil || cd.HasErrors() {
		return nil, diags
	}
	structs := map[string]*vtable.Struct{}
	for _, s := range unit.Structs {
		structs[string(s.Ident())] = s
	}
	for i, s := range scans {
		for _, l := range s.Literals {
			st := structs[l.Name()]
			if st == nil || len(st.FuncMembers()) == 0 {
				continue
			}
			r.Literals = append(r.Literals, &vtable.AuditLiteral{Lit: l, Struct: st,
				Trait: vtable.LiteralTrait(l, items), Fns: scans[i].Fns})
		}
	}
	required := o.Required
	if required == nil {
		required = vtable.DefaultRequiredData
	}
	r.Findings = vtable.Audit(r.Literals, required, func(name string) bool {
		for _, c := range calls {
			if c[name] {
				return true
			}
		}
		return false
	})
	return r, diags
}

// directCall finds a call of a method through a path, T::name(...).
var directCall = regexp.MustCompile(`::([A-Za-z_][A-Za-z0-9_]*)\s*\(`)

// rustFilesUnder lists the .rs files of paths: files as given, and those
// under directories, in lexical order; what cannot be read is a
// diagnostic.
func rustFilesUnder(paths []string) ([]string, vtable.Diagnostics) {
	var out []string
	var diags vtable.Diagnostics
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			diags.Add(vtable.FileStart(p), "%v", unwrap(err))
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				diags.Add(vtable.FileStart(p), "not a regular file: vtablegen reads only regular files")
				continue
			}
			out = append(out, p)
			continue
		}
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && strings.HasSuffix(path, ".rs") {
				out = append(out, path)
			}
			return nil
		})
	}
	return out, diags
}

func unwrap(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
