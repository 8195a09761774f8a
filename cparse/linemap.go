package cparse

import (
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// lineMap maps lines of a preprocessed unit back to the original files
// through its line markers, "# 42 \"include/linux/fs.h\" 1" (GCC's form)
// or "#line 42 \"fs.h\"".
type lineMap struct {
	unit  string
	marks []lineMark
}

// lineMark says that line at of the unit is line line of file.
type lineMark struct {
	at   int
	file string
	line int
}

// newLineMap reads the markers of src, the unit named unit; relative file
// names in them are relative to dir.
func newLineMap(unit string, src []byte, dir string) *lineMap {
	m := &lineMap{unit: unit}
	line := 1
	for i := 0; i < len(src); {
		j := i
		for j < len(src) && src[j] != '\n' {
			j++
		}
		if mk, ok := parseMarker(src[i:j]); ok {
			mk.at = line + 1
			if dir != "" && !filepath.IsAbs(mk.file) && !strings.HasPrefix(mk.file, "<") {
				mk.file = filepath.Join(dir, mk.file)
			}
			m.marks = append(m.marks, mk)
		}
		line++
		i = j + 1
	}
	return m
}

// files returns the files the markers name, in the order first named,
// without the preprocessor's own "<built-in>" and "<command-line>".
func (m *lineMap) files() []string {
	seen := map[string]bool{}
	var out []string
	for _, mk := range m.marks {
		if strings.HasPrefix(mk.file, "<") || seen[mk.file] {
			continue
		}
		seen[mk.file] = true
		out = append(out, mk.file)
	}
	return out
}

// parseMarker parses one line marker; the at field is left to the caller.
func parseMarker(l []byte) (lineMark, bool) {
	i := 0
	skip := func() {
		for i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			i++
		}
	}
	skip()
	if i >= len(l) || l[i] != '#' {
		return lineMark{}, false
	}
	i++
	skip()
	if i+4 <= len(l) && string(l[i:i+4]) == "line" {
		i += 4
		skip()
	}
	start := i
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(string(l[start:i]))
	if err != nil {
		return lineMark{}, false
	}
	skip()
	if i >= len(l) || l[i] != '"' {
		return lineMark{}, false
	}
	end := skipQuoted(l, i)
	file, err := strconv.Unquote(string(l[i:end]))
	if err != nil {
		file = string(l[i+1 : max(i+1, end-1)])
	}
	return lineMark{file: file, line: n}, true
}

// pos maps a position in the unit to the original file and line; the
// column is kept. Positions in other files, and lines before the first
// marker, are returned unchanged.
func (m *lineMap) pos(p token.Position) token.Position {
	if p.Filename != m.unit || len(m.marks) == 0 {
		return p
	}
	k := sort.Search(len(m.marks), func(k int) bool { return m.marks[k].at > p.Line }) - 1
	if k < 0 {
		return p
	}
	mk := m.marks[k]
	return token.Position{Filename: mk.file, Line: mk.line + p.Line - mk.at, Column: p.Column}
}
