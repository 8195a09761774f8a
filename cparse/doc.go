package cparse

import (
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// AttachDocs fills the Doc of every member of s (anonymous members'
// fields too) from the header it was read from: the comment block right
// above the member's line (a /* */ block that starts its own line, or
// consecutive // lines), else a comment after the member on its line. A
// header that cannot be read again leaves the docs empty.
func AttachDocs(s *vtable.Struct) {
	files := map[string][]string{}
	lines := func(name string) []string {
		if l, ok := files[name]; ok {
			return l
		}
		src, d := readRegular(name, maxHeaderBytes, "header")
		var l []string
		if d == nil {
			l = strings.Split(string(src), "\n")
		}
		files[name] = l
		return l
	}
	var walk func(ms []*vtable.Member)
	walk = func(ms []*vtable.Member) {
		for _, m := range ms {
			if m.Pos.Filename != "" && m.Pos.Line > 0 {
				m.Doc = memberDoc(lines(m.Pos.Filename), m.Pos.Line)
			}
			walk(m.Fields)
		}
	}
	walk(s.Members)
}

// memberDoc returns the comment documenting the declaration on line (1-based)
// of lines, cleaned of its markers.
func memberDoc(lines []string, line int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	i := line - 2 // the line above, 0-based
	if i >= 0 {
		above := strings.TrimSpace(lines[i])
		switch {
		case strings.HasSuffix(above, "*/"):
			for j := i; j >= 0 && j >= i-200; j-- {
				t := strings.TrimSpace(lines[j])
				if k := strings.Index(t, "/*"); k >= 0 {
					if k != 0 || strings.Contains(t[:k], ";") {
						break // a trailing comment of the line above
					}
					return cleanComment(lines[j : i+1])
				}
			}
		case strings.HasPrefix(above, "//"):
			j := i
			for j > 0 && strings.HasPrefix(strings.TrimSpace(lines[j-1]), "//") {
				j--
			}
			return cleanComment(lines[j : i+1])
		}
	}
	// A comment after the declaration, on its line.
	l := lines[line-1]
	if k := strings.Index(l, ";"); k >= 0 {
		rest := strings.TrimSpace(l[k+1:])
		if strings.HasPrefix(rest, "/*") || strings.HasPrefix(rest, "//") {
			return cleanComment([]string{rest})
		}
	}
	return ""
}

// cleanComment takes the comment markers off lines of a comment and
// drops leading and trailing empty lines.
func cleanComment(lines []string) string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		t = strings.TrimPrefix(t, "/**")
		t = strings.TrimPrefix(t, "/*")
		t = strings.TrimPrefix(t, "///")
		t = strings.TrimPrefix(t, "//")
		t = strings.TrimSuffix(t, "*/")
		if strings.HasPrefix(t, "*") {
			t = t[1:]
		}
		if strings.HasPrefix(t, " ") {
			t = t[1:]
		}
		out = append(out, strings.TrimRight(t, " \t"))
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}
