package main

import (
	"fmt"
	"go/token"
	"io"
	"strings"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const driftUsage = `usage: vtablegen drift [-C dir] -old OLD.h -new NEW.h -struct NAME [C flags]
	[-cpp CMD | -preprocessed] [-json] [-v] [FILE.rs | vtable.toml]... [-- C flags]

drift compares the C struct in two versions of its header and lists each
member added, removed, renamed (a guess: the one member removed and the one
added of a type), retyped, or moved under another #if condition; for each,
what it breaks or makes stale among the Rust sources and binding files
given: the #[vtable] trait methods that fill it and the impls that define
them, the member rules of vtable.toml, the hand-written struct literals
(bindings::S { ... }) that set it or, without "..", miss a new member, and
the generated files of the bindings. Effects are "breaks" (the build or
'vtablegen gen' fails), "check" (a type or condition changed), "stale"
(regenerate) and "new" (a member nothing fills yet).
Both headers are read the same way (the C flags, -cpp, or -preprocessed for
two preprocessed units, e.g. one kernel unit per version: the flags differ
between kernel trees). A trait counts when a binding file binds it to the
struct, or when most of its methods are named after members.
Exit status: 0 when the struct did not change, 1 when it did (or on
errors), 2 for a usage error.

`

func runDrift(args []string, stdout, stderr io.Writer) int {
	c := newCommand("drift", driftUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	oldH := fs.String("old", "", "the old version of the header (or unit)")
	newH := fs.String("new", "", "the new version of the header (or unit)")
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` for the headers (repeatable)")
	structName := fs.String("struct", "", "the operations struct's `tag`, e.g. file_operations")
	preprocessed := fs.Bool("preprocessed", false, "-old and -new are preprocessed units (e.g. Kbuild's FILE.i)")
	cppFlag := fs.String("cpp", "", cppHelp)
	asJSON := fs.Bool("json", false, "print the report as one JSON object (see README.md)")
	verbose := fs.Bool("v", false, "also print notes on how the inputs were read")
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if *oldH == "" || *newH == "" || *structName == "" {
		return c.fail("need -old, -new and -struct")
	}
	if *preprocessed && *cppFlag != "" {
		return c.fail("-cpp and -preprocessed exclude each other")
	}
	at := under(*dir)
	base := vtablegen.Config{Defines: defines, CFlags: cflags, Struct: vtable.CIdent(*structName), Preprocessed: *preprocessed,
		HostCache: hostCache()}
	if *cppFlag != "" {
		cpp, err := vtablegen.SplitCommand(*cppFlag)
		if err != nil || len(cpp) == 0 {
			return c.fail("-cpp %q: not a command", *cppFlag)
		}
		base.Cpp, base.Dir = cpp, at(".")
	}
	for _, d := range includes {
		base.IncludeDirs = append(base.IncludeDirs, at(d))
	}
	o := vtablegen.DriftOptions{Old: base, New: base}
	o.Old.Header, o.New.Header = at(*oldH), at(*newH)
	for _, f := range files {
		switch {
		case strings.HasSuffix(f, ".rs"):
			o.RustFiles = append(o.RustFiles, at(f))
		case strings.HasSuffix(f, ".toml"):
			o.BindingFiles = append(o.BindingFiles, at(f))
		default:
			return c.fail("%s: give Rust sources (.rs) and binding files (.toml)", f)
		}
	}
	r, diags := vtablegen.Drift(o)
	if report(diags, stderr, *verbose, false) || r == nil {
		return 1
	}
	if *asJSON {
		if code := printJSON(stdout, stderr, driftJSON(r)); code != 0 {
			return code
		}
	} else {
		printDrift(stdout, r)
	}
	if len(r.Changes) > 0 {
		return 1
	}
	return 0
}

// printDrift prints the report: a line per change at the member's
// position (the new one, or the old one when removed), its effects
// indented under it, then the stale generated files.
func printDrift(w io.Writer, r *vtablegen.DriftReport) {
	fmt.Fprintf(w, "%s: %s from %s:%d to %s:%d\n", r.New.CType(), plural(len(r.Changes), "change"),
		r.Old.Pos.Filename, r.Old.Pos.Line, r.New.Pos.Filename, r.New.Pos.Line)
	for _, c := range r.Changes {
		m := c.New
		if m == nil {
			m = c.Old
		}
		guess := ""
		if c.Heuristic {
			guess = " (a guess)"
		}
		fmt.Fprintf(w, "%s: %s %s%s: %s\n", posString(m.Pos), c.Kind, c.Name, guess, c.Detail)
		for _, e := range c.Effects {
			fmt.Fprintf(w, "\t%s: %s: %s\n", posString(e.Pos), e.Kind, e.Msg)
		}
	}
	for _, e := range r.Stale {
		fmt.Fprintf(w, "%s: %s: %s\n", posString(e.Pos), e.Kind, e.Msg)
	}
}

func posString(p token.Position) string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

type jsonPosition struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type jsonDriftEffect struct {
	Kind     string       `json:"kind"`
	Position jsonPosition `json:"position"`
	Message  string       `json:"message"`
}

type jsonDriftChange struct {
	Kind      string            `json:"kind"`
	Member    string            `json:"member"`
	OldName   string            `json:"old_name,omitempty"`
	OldType   string            `json:"old_type,omitempty"`
	NewType   string            `json:"new_type,omitempty"`
	Detail    string            `json:"detail"`
	Heuristic bool              `json:"heuristic,omitempty"`
	Old       *jsonPosition     `json:"old,omitempty"`
	New       *jsonPosition     `json:"new,omitempty"`
	Effects   []jsonDriftEffect `json:"effects"`
}

type jsonDrift struct {
	Struct  string            `json:"struct"`
	Old     jsonPosition      `json:"old"`
	New     jsonPosition      `json:"new"`
	Changes []jsonDriftChange `json:"changes"`
	Stale   []jsonDriftEffect `json:"stale"`
}

func jpos(p token.Position) jsonPosition { return jsonPosition{p.Filename, p.Line, p.Column} }

func jeffects(es []vtablegen.DriftEffect) []jsonDriftEffect {
	out := []jsonDriftEffect{}
	for _, e := range es {
		out = append(out, jsonDriftEffect{e.Kind, jpos(e.Pos), e.Msg})
	}
	return out
}

func driftJSON(r *vtablegen.DriftReport) jsonDrift {
	j := jsonDrift{Struct: string(r.Struct), Old: jpos(r.Old.Pos), New: jpos(r.New.Pos), Changes: []jsonDriftChange{}, Stale: jeffects(r.Stale)}
	for _, c := range r.Changes {
		jc := jsonDriftChange{Kind: string(c.Kind), Member: string(c.Name), OldName: string(c.OldName),
			Detail: c.Detail, Heuristic: c.Heuristic, Effects: jeffects(c.Effects)}
		if c.Old != nil {
			p := jpos(c.Old.Pos)
			jc.Old, jc.OldType = &p, c.Old.Type
		}
		if c.New != nil {
			p := jpos(c.New.Pos)
			jc.New, jc.NewType = &p, c.New.Type
		}
		j.Changes = append(j.Changes, jc)
	}
	return j
}

// plural spells n things: "1 change", "2 changes".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
