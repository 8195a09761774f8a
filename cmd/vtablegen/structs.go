package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const structsUsage = `usage: vtablegen structs [C flags] [-cpp CMD | -compile-commands FILE [-entry SRC] |
	-kbuild-cmd FILE [-dir DIR] | -preprocessed] [-struct NAME]... [-json] [-v] [FILE...]
	[-- C flags]

structs prints every struct of FILE (and the headers it includes) that
holds a function-pointer member, as the C front end sees it: members in
declaration order with kind (func, data, or an anonymous struct/union),
C type and position. -json prints the public JSON form (see README.md).

How FILE is preprocessed:
	(default)	the embedded preprocessor (vtablegen's own; cc/v4's
			when a header does not read cleanly through it, or with
			VTABLEGEN_OWN_CPP=off), with the C flags: -I, -iquote,
			-isystem, -D, -U, -include; the others (-std=, -m32, ...)
			shape the host compiler's predefined macros
	-cpp CMD	the build's preprocessor, e.g. -cpp 'gcc -E', run with the C
			flags: those of the list below, and every word after --
			as it is (a flag outside the list, e.g. Kbuild's -pg,
			goes after --: before it, it is a usage error)
	-compile-commands FILE	the compiler and flags of one entry of a
			compile_commands.json (-entry SRC, or its only entry)
	-kbuild-cmd FILE	the compiler and flags of a Kbuild .foo.o.cmd file, run
			in the kernel build directory (-dir, or found from the command)
	-preprocessed	FILE is already preprocessed, e.g. Kbuild's FILE.i
With a build command and no FILE, the command's own source is read.
Preprocessed output is reduced to its type declarations and positions are
those of the original headers; -v lists what the reduction left out,
including any declaration cc/v4 rejects, which is left out rather than
stopping the run.

`

// jsonStruct is the -json form of one struct: a public contract that later
// versions only extend.
type jsonStruct struct {
	Name           string       `json:"name"`
	Typedef        string       `json:"typedef,omitempty"`
	PointerTypedef string       `json:"pointer_typedef,omitempty"`
	File           string       `json:"file"`
	Line           int          `json:"line"`
	Column         int          `json:"column"`
	Size           int64        `json:"size"`
	Align          int64        `json:"align"`
	Conds          []jsonCond   `json:"conds,omitempty"`
	Fields         []*jsonField `json:"fields"`
}

// jsonCond is one conditional directive around a struct or member.
type jsonCond struct {
	Directive string `json:"directive"`
	If        string `json:"if"`
	Line      int    `json:"line"`
}

type jsonField struct {
	Name     string       `json:"name"`
	Kind     string       `json:"kind"`
	Type     string       `json:"type"`
	File     string       `json:"file"`
	Line     int          `json:"line"`
	Column   int          `json:"column"`
	Offset   int64        `json:"offset"`
	Result   *string      `json:"result,omitempty"`
	Params   *[]jsonParam `json:"params,omitempty"` // present, maybe empty, for a func
	Variadic *bool        `json:"variadic,omitempty"`
	Fields   []*jsonField `json:"fields,omitempty"`
	Conds    []jsonCond   `json:"conds,omitempty"`
}

type jsonParam struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func runStructs(args []string, stdout, stderr io.Writer) int {
	c := newCommand("structs", structsUsage, true, stdout, stderr)
	fs := c.fs
	var includes, defines, structNames listFlag
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` (repeatable)")
	asJSON := fs.Bool("json", false, "print JSON, and diagnostics as JSON objects one per line")
	modes := buildModeFlags(fs, "FILE")
	fs.Var(&structNames, "struct", "print only the struct `NAME` (repeatable)")
	verbose := fs.Bool("v", false, "also print notes on how the header was read, e.g. what a reduced unit left out")
	files, cflags, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if msg := modes.check(); msg != "" {
		return c.fail("%s", msg)
	}
	if len(files) == 0 && !modes.haveCommand() {
		return c.fail("need a header")
	}
	cfg := vtablegen.Config{IncludeDirs: includes, Defines: defines, CFlags: cflags, HostCache: hostCache()}
	if err := modes.apply(&cfg, func(p string) string { return p }); err != nil {
		return c.fail("%v", err)
	}
	for _, n := range structNames {
		cfg.Wanted = append(cfg.Wanted, vtable.CIdent(n))
	}
	if len(files) == 0 {
		files = []string{""} // the build command's own source
	}
	var structs []*vtable.Struct
	failed := false
	first := files[0]
	for _, f := range files {
		cfg.Header = f
		unit, diags := vtablegen.Structs(cfg)
		if report(diags, stderr, *verbose, *asJSON) {
			failed = true
			continue
		}
		structs = append(structs, unit.Structs...)
		if first == "" && len(unit.Files) > 0 {
			first = unit.Files[0]
		}
	}
	if failed {
		return 1
	}
	if len(structNames) > 0 {
		var ok bool
		if structs, ok = selectStructs(structs, structNames, first, stderr, *asJSON); !ok {
			return 1
		}
	}
	if *asJSON {
		out := []jsonStruct{}
		for _, s := range structs {
			out = append(out, jsonStruct{Name: string(s.Name), Typedef: string(s.Typedef), PointerTypedef: string(s.PointerTypedef),
				File: s.Pos.Filename, Line: s.Pos.Line, Column: s.Pos.Column, Size: s.Size, Align: s.Align, Conds: jsonConds(s.Conds), Fields: jsonFields(s.Members)})
		}
		return printJSON(stdout, stderr, out)
	}
	var b strings.Builder
	for i, s := range structs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s\t%s\n", s.CType(), s.Pos)
		writeMembers(&b, s.Members, "\t")
	}
	io.WriteString(stdout, b.String())
	return 0
}

// selectStructs keeps the structs named, in the order given; a name that
// matches none is an error against the file read, with a did-you-mean.
func selectStructs(structs []*vtable.Struct, names []string, file string, stderr io.Writer, asJSON bool) ([]*vtable.Struct, bool) {
	var all []string
	for _, s := range structs {
		all = append(all, string(s.Ident()))
	}
	var out []*vtable.Struct
	var diags vtable.Diagnostics
	for _, name := range names {
		i := slices.IndexFunc(structs, func(s *vtable.Struct) bool { return s.Named(vtable.CIdent(name)) })
		if i < 0 {
			pos := vtable.FileStart(file)
			diags.Add(pos, "no struct %q with function-pointer members%s", name, vtable.DidYouMean(name, all))
			continue
		}
		out = append(out, structs[i])
	}
	return out, !report(diags, stderr, false, asJSON)
}

func jsonFields(ms []*vtable.Member) []*jsonField {
	out := []*jsonField{}
	for _, m := range ms {
		f := &jsonField{Name: string(m.Name), Kind: m.Kind.String(), Type: m.Type, File: m.Pos.Filename, Line: m.Pos.Line, Column: m.Pos.Column,
			Offset: m.Offset, Conds: jsonConds(m.Conds)}
		if m.Func != nil {
			result, variadic := m.Func.Result, m.Func.Variadic
			f.Result, f.Variadic = &result, &variadic
			params := []jsonParam{}
			for _, p := range m.Func.Params {
				params = append(params, jsonParam{Name: string(p.Name), Type: p.Type})
			}
			f.Params = &params
		}
		if m.Kind == vtable.AnonStruct || m.Kind == vtable.AnonUnion {
			f.Fields = jsonFields(m.Fields)
		}
		out = append(out, f)
	}
	return out
}

func jsonConds(cs []vtable.Cond) []jsonCond {
	var out []jsonCond
	for _, c := range cs {
		out = append(out, jsonCond{Directive: c.Directive, If: c.If, Line: c.Pos.Line})
	}
	return out
}

// writeMembers prints one line per member, "kind name: type", indented,
// with the fields of anonymous members below them.
func writeMembers(b *strings.Builder, ms []*vtable.Member, indent string) {
	for _, m := range ms {
		name := string(m.Name)
		if name == "" {
			name = "(anonymous)"
		}
		fmt.Fprintf(b, "%s%-6s %s: %s\t%d:%d\n", indent, m.Kind, name, m.Type, m.Pos.Line, m.Pos.Column)
		writeMembers(b, m.Fields, indent+"\t")
	}
}

func printJSON(stdout, stderr io.Writer, v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "vtablegen: %v\n", err)
		return 1
	}
	stdout.Write(append(b, '\n'))
	return 0
}
