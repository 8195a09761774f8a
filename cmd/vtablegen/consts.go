package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/vtablegen/vtablegen"
	"github.com/vtablegen/vtablegen/vtable"
)

const constsUsage = `usage: vtablegen consts [-macro VERSION] [-json] FILE.rs...

consts prints every #[vtable] trait and impl of the Rust files as the Rust
front end sees it, with the consts it holds once the kernel's #[vtable]
macro has run: the inserted USE_VTABLE_ATTR and HAS_* consts first, then
the ones the source wrote (marked "user"). -json prints the public JSON form
(see README.md).

`

// jsonItem is the -json form of one vtable item: a public contract
// that later versions only extend.
type jsonItem struct {
	Kind    string       `json:"kind"`
	Name    string       `json:"name"`
	Trait   string       `json:"trait,omitempty"`
	Self    string       `json:"self,omitempty"`
	File    string       `json:"file"`
	Line    int          `json:"line"`
	Column  int          `json:"column"`
	Consts  []jsonConst  `json:"consts"`
	Methods []jsonMethod `json:"methods"`
	// Form is the vtable macro the consts follow: "6.12", "7.2", "7.3"
	// or "optional".
	Form string `json:"form"`
	// Types are the associated types the macro inserts (Linux 7.3's
	// OwnerModule): on a trait the bound, on an impl the type.
	Types []jsonType `json:"types,omitempty"`
}

type jsonType struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type jsonConst struct {
	Name  string `json:"name"`
	Value *bool  `json:"value"`
	User  bool   `json:"user"`
}

type jsonMethod struct {
	Name     string   `json:"name"`
	Required bool     `json:"required"`
	Cfg      []string `json:"cfg"`
}

func runConsts(args []string, stdout, stderr io.Writer) int {
	c := newCommand("consts", constsUsage, false, stdout, stderr)
	asJSON := c.fs.Bool("json", false, "print JSON, and diagnostics as JSON objects one per line")
	macro := macroFlag(c.fs)
	files, _, exit := c.parse(args)
	if exit >= 0 {
		return exit
	}
	if len(files) == 0 {
		return c.fail("need at least one Rust file")
	}
	form, err := formFor(*macro, files)
	if err != nil {
		return c.fail("-macro: %v", err)
	}
	items, diags := vtablegen.ItemsForm(files, form)
	if report(diags, stderr, false, *asJSON) {
		return 1
	}
	if *asJSON {
		out := []jsonItem{}
		for _, it := range items {
			j := jsonItem{Kind: it.Kind.String(), Name: it.Name, Trait: string(it.Trait), Self: it.Self,
				File: it.Pos.Filename, Line: it.Pos.Line, Column: it.Pos.Column, Consts: []jsonConst{}, Methods: []jsonMethod{}, Form: form.String()}
			for _, c := range allConsts(it, form) {
				if c.TypeItem {
					v := c.Expr
					if v == "" {
						v = c.Type
					}
					j.Types = append(j.Types, jsonType{Name: string(c.Name), Value: v})
					continue
				}
				j.Consts = append(j.Consts, jsonConst{Name: string(c.Name), Value: c.Value, User: c.User})
			}
			for _, m := range it.Methods {
				cfg := m.Cfg
				if cfg == nil {
					cfg = []string{}
				}
				j.Methods = append(j.Methods, jsonMethod{Name: string(m.Name), Required: m.Required, Cfg: cfg})
			}
			out = append(out, j)
		}
		return printJSON(stdout, stderr, out)
	}
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		if it.Kind == vtable.Trait {
			fmt.Fprintf(&b, "trait %s\t%s\n", it.Name, it.Pos)
		} else {
			fmt.Fprintf(&b, "impl %s for %s\t%s\n", it.Trait, it.Self, it.Pos)
		}
		for _, c := range allConsts(it, form) {
			if c.TypeItem {
				if c.Expr != "" {
					fmt.Fprintf(&b, "\ttype %s = %s\n", c.Name, c.Expr)
				} else {
					fmt.Fprintf(&b, "\ttype %s: %s\n", c.Name, c.Type)
				}
				continue
			}
			typ, value := c.Type, c.Expr
			if c.Value != nil {
				value = fmt.Sprint(*c.Value)
			}
			if c.Name == vtable.UseVtableAttr {
				typ, value = "()", "()"
			}
			user := ""
			if c.User {
				user = "\t(user)"
			}
			if value == "" {
				fmt.Fprintf(&b, "\tconst %s: %s%s\n", c.Name, typ, user)
			} else {
				fmt.Fprintf(&b, "\tconst %s: %s = %s%s\n", c.Name, typ, value, user)
			}
		}
	}
	io.WriteString(stdout, b.String())
	return 0
}

// allConsts returns the consts of it after expansion in form: the
// inserted ones, then the user's.
func allConsts(it *vtable.Item, form vtable.Form) []*vtable.Const {
	return append(vtable.Expansion(it, form), it.Consts...)
}
