package emit

import (
	"bytes"
	"slices"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// RustExpansion renders src, a Rust source file, with each vtable
// attribute of items (the file's vtable items) removed and the consts
// the kernel's macro in form f would insert ([vtable.Expansion]) placed
// where it puts them: at the start of the body (6.12), or at its end
// (newest, which also turns each #[optional] trait method into an
// #[inline] one whose default body fails the build). Every other byte of
// src is unchanged; the result starts with the "Code generated" and
// "@generated" lines. The output compiles with plain rustc where the input
// needed the proc macro.
func RustExpansion(src []byte, items []*vtable.Item, f vtable.Form) []byte {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, it := range items {
		start, end := lineSpan(src, it.Attr.Start, it.Attr.End)
		edits = append(edits, edit{start, end, ""})

		indent := lineIndent(src, it.Body.Start)
		var lines []string
		for _, c := range vtable.Expansion(it, f) {
			for _, a := range c.Attrs {
				lines = append(lines, indent+"    "+a)
			}
			lines = append(lines, indent+"    "+constDecl(it.Kind, c))
		}
		empty := len(bytes.TrimSpace(src[it.Body.Start:it.Body.End])) == 0
		switch {
		case f == vtable.Form612 || empty:
			text := "\n" + strings.Join(lines, "\n")
			if empty {
				text += "\n" + indent
			}
			edits = append(edits, edit{it.Body.Start, it.Body.Start, text})
		default:
			// After the body's own items: on lines of their own before the
			// closing brace's line, or before the brace when it shares a
			// line with them.
			end := it.Body.End
			ls := bytes.LastIndexByte(src[:end], '\n') + 1
			if len(bytes.TrimSpace(src[ls:end])) == 0 && ls > it.Body.Start {
				edits = append(edits, edit{ls, ls, strings.Join(lines, "\n") + "\n"})
			} else {
				edits = append(edits, edit{end, end, "\n" + strings.Join(lines, "\n") + "\n" + indent})
			}
		}
		if f == vtable.FormOptional && it.Kind == vtable.Trait {
			for _, m := range it.Methods {
				if !m.Optional || m.HasBody || m.Semicolon.End == 0 {
					continue // an #[optional] method with a body is an error, reported elsewhere
				}
				mi := lineIndent(src, m.OptionalAttr.Start)
				edits = append(edits,
					edit{m.OptionalAttr.Start, m.OptionalAttr.End, "#[inline]"},
					edit{m.Semicolon.Start, m.Semicolon.End, " {\n" + mi + "    " + vtable.OptionalBody + "\n" + mi + "}"})
			}
		}
	}
	slices.SortStableFunc(edits, func(a, b edit) int { return a.start - b.start })

	var out bytes.Buffer
	out.WriteString(Header + "\n" + RustMarker + "\n")
	at := 0
	for _, e := range edits {
		out.Write(src[at:e.start])
		out.WriteString(e.text)
		at = e.end
	}
	out.Write(src[at:])
	return out.Bytes()
}

// constDecl spells one inserted const.
func constDecl(kind vtable.ItemKind, c *vtable.Const) string {
	if c.TypeItem {
		if kind == vtable.Trait {
			return "type " + string(c.Name) + ": " + c.Type + ";"
		}
		return "type " + string(c.Name) + " = " + c.Expr + ";"
	}
	if c.Name == vtable.UseVtableAttr {
		if kind == vtable.Trait {
			return "const USE_VTABLE_ATTR: ();"
		}
		return "const USE_VTABLE_ATTR: () = ();"
	}
	v := "false"
	if c.Value != nil && *c.Value {
		v = "true"
	}
	return "const " + string(c.Name) + ": bool = " + v + ";"
}

// lineSpan widens [start, end) to whole lines, newline included, when only
// blanks share those lines with it, so that removing an attribute that
// stands on its own line removes the line.
func lineSpan(src []byte, start, end int) (int, int) {
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(src) && (src[le] == ' ' || src[le] == '\t' || src[le] == '\r') {
		le++
	}
	if (ls == 0 || src[ls-1] == '\n') && (le == len(src) || src[le] == '\n') {
		if le < len(src) {
			le++
		}
		return ls, le
	}
	return start, end
}

// lineIndent returns the leading blanks of the line holding offset.
func lineIndent(src []byte, offset int) string {
	ls := bytes.LastIndexByte(src[:offset], '\n') + 1
	e := ls
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[ls:e])
}
