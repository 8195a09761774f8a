package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const auditUsage = `usage: vtablegen audit [-C dir] -header FILE.h [C flags]
	[-cpp CMD | -compile-commands FILE [-entry SRC] | -kbuild-cmd FILE [-dir DIR] | -preprocessed]
	[-require STRUCT.MEMBER]... [-json] [-v] PATH... [-- C flags]

audit finds every struct literal of a C ops struct in the Rust sources
under PATH (files, or directories searched for .rs files), e.g. the
hand-written bindings::file_operations { ... } of a kernel abstraction,
resolves the struct in the header (read with the build's own flags, e.g.
-kbuild-cmd or -preprocessed) and the #[vtable] trait whose HAS_* consts
it reads (the bound of T in T::HAS_X), and reports:
	unset-method	a function member the trait has a method for, left to the
			zero fill: the method is never called
	wrong-has	a member set from the HAS_* of the method that fills
			another member (read: if T::HAS_WRITE)
	unknown-has	a member set from a HAS_* of a method the trait lacks
	unused-method	an optional trait method that fills no member of any
			literal and that nothing calls (T::m(...))
	zero-data	a data member the C side relies on left zero (owner of
			file_operations; more with -require file_operations.owner)
	cfg		a field's #[cfg] that does not match the header's condition
			around the member, or a member under #ifdef CONFIG_X set
			without #[cfg(CONFIG_X)]
	signature	a callback (Some(path::f)) whose Rust signature does not
			match the member's C type: arity, pointer constness,
			integer widths (type aliases are not followed)
each as file:line:col: rule: message, with notes at the C member and the
trait method. Exit status: 0 when nothing is found, 1 when something is
(or on errors), 2 for a usage error.

`

func runAudit(args []string, stdout, stderr io.Writer) int {
	c := newCommand("audit", auditUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines, require listFlag
	dir := fs.String("C", "", "resolve every relative path against `dir`")
	header := fs.String("header", "", "the C header (or unit) that defines the ops structs")
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` for the header (repeatable)")
	fs.Var(&require, "require", "a data member literals must set, `STRUCT.MEMBER` (repeatable; adds to file_operations.owner)")
	asJSON := fs.Bool("json", false, "print the findings as JSON (see README.md)")
	verbose := fs.Bool("v", false, "also list the literals found, and notes on how the inputs were read")
	modes := buildModeFlags(fs, "the -header")
	paths, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if msg := modes.check(); msg != "" {
		return c.fail("%s", msg)
	}
	if *header == "" && !modes.haveCommand() {
		return c.fail("need -header (or a build command)")
	}
	if len(paths) == 0 {
		return c.fail("need the Rust files or directories to audit")
	}
	at := under(*dir)
	cfg := vtablegen.Config{Header: at(*header), Defines: defines, CFlags: cflags}
	if err := modes.complete(&cfg, includes, at); err != nil {
		return c.fail("%v", err)
	}
	required := map[vtable.CIdent][]vtable.CIdent{}
	for k, v := range vtable.DefaultRequiredData {
		required[k] = append(required[k], v...)
	}
	for _, r := range require {
		s, m, ok := strings.Cut(r, ".")
		if !ok || s == "" || m == "" {
			return c.fail("-require %q: want STRUCT.MEMBER", r)
		}
		required[vtable.CIdent(s)] = append(required[vtable.CIdent(s)], vtable.CIdent(m))
	}
	o := vtablegen.AuditOptions{C: cfg, Required: required}
	for _, p := range paths {
		o.Paths = append(o.Paths, at(p))
	}
	r, diags := vtablegen.Audit(o)
	if report(diags, stderr, *verbose, false) || r == nil {
		return 1
	}
	if *asJSON {
		if code := printJSON(stdout, stderr, auditJSON(r)); code != 0 {
			return code
		}
	} else {
		if *verbose {
			for _, l := range r.Literals {
				trait := "no trait"
				if l.Trait != nil {
					trait = "trait " + l.Trait.Name
				}
				fmt.Fprintf(stderr, "%s: note: %s {...} (%s), %s\n", posString(l.Lit.Pos), l.Lit.Path, l.Lit.In, trait)
			}
		}
		for _, f := range r.Findings {
			fmt.Fprintf(stdout, "%s: %s: %s\n", posString(f.Pos), f.Rule, f.Msg)
			if f.Member != nil {
				fmt.Fprintf(stdout, "%s: note: member %s (%s)\n", posString(f.Member.Pos), f.Member.Name, f.Member.Type)
			}
			if f.Method != nil && f.Trait != nil {
				fmt.Fprintf(stdout, "%s: note: method %s of trait %s\n", posString(f.Method.Pos), f.Method.Name, f.Trait.Name)
			}
		}
		fmt.Fprintf(stdout, "audit: %s in %s, %s\n", plural(len(r.Literals), "literal"), plural(r.Files, "Rust file"), plural(len(r.Findings), "finding"))
	}
	if len(r.Findings) > 0 {
		return 1
	}
	return 0
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Position jsonPosition  `json:"position"`
	Message  string        `json:"message"`
	Struct   string        `json:"struct,omitempty"`
	Member   string        `json:"member,omitempty"`
	MemberAt *jsonPosition `json:"member_position,omitempty"`
	Trait    string        `json:"trait,omitempty"`
	Method   string        `json:"method,omitempty"`
	MethodAt *jsonPosition `json:"method_position,omitempty"`
}

type jsonAudit struct {
	Files    int           `json:"files"`
	Literals int           `json:"literals"`
	Findings []jsonFinding `json:"findings"`
}

func auditJSON(r *vtablegen.AuditReport) jsonAudit {
	j := jsonAudit{Files: r.Files, Literals: len(r.Literals), Findings: []jsonFinding{}}
	for _, f := range r.Findings {
		jf := jsonFinding{Rule: f.Rule, Position: jpos(f.Pos), Message: f.Msg}
		if f.Literal != nil {
			jf.Struct = f.Literal.Name()
		}
		if f.Member != nil {
			p := jpos(f.Member.Pos)
			jf.Member, jf.MemberAt = string(f.Member.Name), &p
		}
		if f.Trait != nil {
			jf.Trait = f.Trait.Name
		}
		if f.Method != nil {
			p := jpos(f.Method.Pos)
			jf.Method, jf.MethodAt = string(f.Method.Name), &p
		}
		j.Findings = append(j.Findings, jf)
	}
	return j
}
