package cparse

import (
	"bytes"
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
	files := interner{} // a unit names each of its files in thousands of markers
	// line is the number of the line that starts at offset at; the
	// search jumps from '#' to '#' (a unit has a marker every 20 lines
	// or so) and counts the newlines in between at once.
	line, at := 1, 0
	for i := 0; i < len(src); {
		h := bytes.IndexByte(src[i:], '#')
		if h < 0 {
			break
		}
		h += i
		start := bytes.LastIndexByte(src[:h], '\n') + 1
		end := bytes.IndexByte(src[h:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += h
		}
		i = end + 1
		if len(bytes.Trim(src[start:h], " \t")) != 0 {
			continue // a '#' inside a line: not a marker
		}
		line += bytes.Count(src[at:start], []byte("\n"))
		at = start
		if mk, ok := parseMarker(src[start:end], files); ok {
			mk.at = line + 1
			if dir != "" && !filepath.IsAbs(mk.file) && !strings.HasPrefix(mk.file, "<") {
				mk.file = files.get([]byte(filepath.Join(dir, mk.file)))
			}
			m.marks = append(m.marks, mk)
		}
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
func parseMarker(l []byte, files interner) (lineMark, bool) {
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
	var file string
	if q := l[i:end]; bytes.IndexByte(q, '\\') < 0 && len(q) >= 2 && q[len(q)-1] == '"' {
		file = files.get(q[1 : len(q)-1]) // nothing to unquote
	} else if f, err := strconv.Unquote(string(q)); err == nil {
		file = f
	} else {
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
