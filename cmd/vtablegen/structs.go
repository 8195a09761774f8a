package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const structsUsage = `usage: vtablegen structs [-I dir] [-D name[=value]] [-preprocessed] [-json] [-v] HEADER

structs prints every struct of HEADER (and the headers it includes) that
holds a function-pointer member, as the C front end sees it: members in
declaration order with kind (func, data, or an anonymous struct/union),
C type and position. -json prints the public JSON form (see README.md).
With -preprocessed, HEADER is a unit the build's preprocessor made, such as
Kbuild's FILE.i ("make -C <kernel headers> M=<dir> FILE.i"): it is reduced
to its type declarations and positions are those of the original headers;
-v lists what the reduction left out, including any declaration cc/v4
rejects, which is left out rather than stopping the run.

`

// jsonStruct is the -json form of one struct: a public contract that later
// versions only extend.
type jsonStruct struct {
	Name   string       `json:"name"`
	File   string       `json:"file"`
	Line   int          `json:"line"`
	Column int          `json:"column"`
	Fields []*jsonField `json:"fields"`
}

type jsonField struct {
	Name     string       `json:"name"`
	Kind     string       `json:"kind"`
	Type     string       `json:"type"`
	File     string       `json:"file"`
	Line     int          `json:"line"`
	Column   int          `json:"column"`
	Result   *string      `json:"result,omitempty"`
	Params   []jsonParam  `json:"params,omitempty"`
	Variadic *bool        `json:"variadic,omitempty"`
	Fields   []*jsonField `json:"fields,omitempty"`
}

type jsonParam struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func runStructs(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("structs", structsUsage, stderr)
	var includes, defines listFlag
	fs.Var(&includes, "I", "add `dir` to the header search path (repeatable)")
	fs.Var(&defines, "D", "define macro `name[=value]` (repeatable)")
	asJSON := fs.Bool("json", false, "print JSON")
	preprocessed := fs.Bool("preprocessed", false, "HEADER is already preprocessed (e.g. Kbuild's FILE.i)")
	verbose := fs.Bool("v", false, "also print notes on how the header was read, e.g. what a reduced unit left out")
	files, err := parse(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "vtablegen structs: need exactly one header")
		fs.Usage()
		return 2
	}
	structs, diags := vtablegen.Structs(vtablegen.Config{Header: files[0], Preprocessed: *preprocessed, IncludeDirs: includes, Defines: defines})
	if report(diags, stderr, *verbose) {
		return 1
	}
	if *asJSON {
		out := []jsonStruct{}
		for _, s := range structs {
			out = append(out, jsonStruct{Name: string(s.Name), File: s.Pos.Filename, Line: s.Pos.Line, Column: s.Pos.Column, Fields: jsonFields(s.Members)})
		}
		return printJSON(stdout, stderr, out)
	}
	var b strings.Builder
	for i, s := range structs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "struct %s\t%s\n", s.Name, s.Pos)
		writeMembers(&b, s.Members, "\t")
	}
	io.WriteString(stdout, b.String())
	return 0
}

func jsonFields(ms []*vtable.Member) []*jsonField {
	out := []*jsonField{}
	for _, m := range ms {
		f := &jsonField{Name: string(m.Name), Kind: m.Kind.String(), Type: m.Type, File: m.Pos.Filename, Line: m.Pos.Line, Column: m.Pos.Column}
		if m.Func != nil {
			result, variadic := m.Func.Result, m.Func.Variadic
			f.Result, f.Variadic = &result, &variadic
			f.Params = []jsonParam{}
			for _, p := range m.Func.Params {
				f.Params = append(f.Params, jsonParam{Name: string(p.Name), Type: p.Type})
			}
		}
		if m.Kind == vtable.AnonStruct || m.Kind == vtable.AnonUnion {
			f.Fields = jsonFields(m.Fields)
		}
		out = append(out, f)
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
