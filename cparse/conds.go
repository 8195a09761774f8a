package cparse

import (
	"bytes"
	"go/token"
	"os"
	"sort"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// The preprocessor decides which members a struct has, and leaves no trace
// of it in the AST: a member under "#ifdef CONFIG_COMPAT" simply is or is
// not there. A generated file that includes the header is compiled under
// the same macros as the header itself, so reproducing the header's chain
// of conditional directives around everything written for a member makes
// one file right under any setting. The chain is read from the header's
// text at the member's line.

// condIndex is the conditional structure of one file: the chain of
// conditional directives in effect on each line.
type condIndex struct {
	// lines are the lines of the directives that change the chain, in
	// increasing order; chains[i] is in effect after lines[i].
	lines  []int
	chains [][]vtable.Cond
}

// at returns the chain in effect on line, outermost first.
func (ix *condIndex) at(line int) []vtable.Cond {
	i := sort.SearchInts(ix.lines, line) // first directive on or after line
	if i == 0 {
		return nil
	}
	return ix.chains[i-1]
}

// condFiles reads and indexes files on demand, each once: from texts
// when it has them (the embedded preprocessor's), else from disk.
type condFiles struct {
	texts map[string][]byte
	index map[string]*condIndex
}

// newCondFiles returns a condFiles reading from texts (nil: from disk).
func newCondFiles(texts map[string][]byte) condFiles {
	return condFiles{texts: texts, index: map[string]*condIndex{}}
}

// indexOf returns the index of file, or nil when it cannot be read as an
// ordinary header (missing, not a regular file, over the size limit).
func (cf condFiles) indexOf(file string) *condIndex {
	if ix, ok := cf.index[file]; ok {
		return ix
	}
	var ix *condIndex
	if text, ok := cf.texts[file]; ok {
		ix = scanConds(file, text)
	} else if st, err := os.Stat(file); err == nil && st.Mode().IsRegular() && st.Size() <= maxHeaderBytes {
		if src, err := os.ReadFile(file); err == nil {
			ix = scanConds(file, src)
		}
	}
	cf.index[file] = ix
	return ix
}

// annotate fills the Conds of s and of its members: the struct's chain
// where it is defined, and each member's chain inside the definition.
func (cf condFiles) annotate(s *vtable.Struct) {
	ix := cf.indexOf(s.Pos.Filename)
	if ix == nil {
		return
	}
	s.Conds = ix.at(s.Pos.Line)
	var walk func([]*vtable.Member)
	walk = func(ms []*vtable.Member) {
		for _, m := range ms {
			if m.Pos.Filename == s.Pos.Filename {
				m.Conds = inside(ix.at(m.Pos.Line), s.Conds)
			}
			walk(m.Fields)
		}
	}
	walk(s.Members)
}

// inside returns the part of chain below outer, or nil when chain does not
// start with outer (a member that a macro from elsewhere declared).
func inside(chain, outer []vtable.Cond) []vtable.Cond {
	if len(chain) <= len(outer) {
		return nil
	}
	for i := range outer {
		if chain[i] != outer[i] {
			return nil
		}
	}
	return chain[len(outer):]
}

// logicalLine is one line of a file as the preprocessor sees it: comments
// replaced by a blank, continuation lines joined, starting at line.
type logicalLine struct {
	line int
	text string
}

// codeLine stands for the text of a logical line that is not a directive
// (scanConds needs only to know that there is one).
const codeLine = "<code>"

// logicalLines splits src into logical lines. The text of a line that is
// plainly not a directive (no '#' first, no comment, no continuation) is
// codeLine, without copying it.
func logicalLines(src []byte) []logicalLine {
	out := make([]logicalLine, 0, bytes.Count(src, []byte("\n"))+1)
	inComment := false
	line := 1
	for off := 0; off < len(src); {
		start := line
		if !inComment {
			end := bytes.IndexByte(src[off:], '\n')
			if end < 0 {
				end = len(src) - off
			}
			phys := bytes.TrimRight(src[off:off+end], " \t\r\f\v")
			lead := bytes.TrimLeft(phys, " \t\f\v")
			if len(lead) == 0 || lead[0] != '#' && bytes.IndexByte(lead, '/') < 0 && lead[len(lead)-1] != '\\' {
				text := ""
				if len(lead) > 0 {
					text = codeLine
				}
				out = append(out, logicalLine{line: start, text: text})
				off += end + 1
				line++
				continue
			}
		}
		var text []byte
		for off < len(src) {
			end := bytes.IndexByte(src[off:], '\n')
			if end < 0 {
				end = len(src) - off
			}
			phys := bytes.TrimSuffix(src[off:off+end], []byte("\r"))
			off += end + 1
			line++
			continued := bytes.HasSuffix(phys, []byte("\\"))
			if continued {
				phys = phys[:len(phys)-1]
			}
			text = stripComments(text, phys, &inComment)
			if !continued && !inComment {
				break
			}
		}
		out = append(out, logicalLine{line: start, text: strings.TrimSpace(string(text))})
	}
	return out
}

// stripComments appends phys to dst with each comment replaced by a blank;
// inComment carries an unfinished block comment from line to line.
func stripComments(dst, phys []byte, inComment *bool) []byte {
	var quote byte
	for i := 0; i < len(phys); i++ {
		c := phys[i]
		switch {
		case *inComment:
			if c == '*' && i+1 < len(phys) && phys[i+1] == '/' {
				*inComment = false
				i++
				dst = append(dst, ' ')
			}
		case quote != 0:
			dst = append(dst, c)
			if c == '\\' && i+1 < len(phys) {
				i++
				dst = append(dst, phys[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			dst = append(dst, c)
		case c == '/' && i+1 < len(phys) && phys[i+1] == '*':
			*inComment = true
			i++
		case c == '/' && i+1 < len(phys) && phys[i+1] == '/':
			return append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// directive splits a logical line that is a directive into its name and
// the rest, whitespace collapsed: "#  ifdef  X" gives "ifdef", "X".
func directive(text string) (name, rest string, ok bool) {
	if !strings.HasPrefix(text, "#") {
		return "", "", false
	}
	f := strings.Fields(text[1:])
	if len(f) == 0 {
		return "", "", false
	}
	return f[0], strings.Join(f[1:], " "), true
}

// condFrame is one open #if group while scanning.
type condFrame struct {
	guard bool
	taken []string // the conditions of the group's branches so far
	cur   vtable.Cond
}

// scanConds indexes the conditional directives of file, whose text is src.
// A guard ("#ifndef X" or "#if !defined(X)", then "#define X": see
// guardAt) is not part of any chain: it is always taken where the file is
// read once.
func scanConds(file string, src []byte) *condIndex {
	lines := logicalLines(src)
	var content []logicalLine
	for _, l := range lines {
		if l.text != "" {
			content = append(content, l)
		}
	}

	ix := &condIndex{}
	var stack []*condFrame
	record := func(line int) {
		var chain []vtable.Cond
		for _, f := range stack {
			if !f.guard {
				chain = append(chain, f.cur)
			}
		}
		ix.lines = append(ix.lines, line)
		ix.chains = append(ix.chains, chain)
	}
	for i, l := range content {
		name, rest, ok := directive(l.text)
		if !ok {
			continue
		}
		pos := token.Position{Filename: file, Line: l.line, Column: 1}
		text := "#" + name
		if rest != "" {
			text += " " + rest
		}
		switch name {
		case "if", "ifdef", "ifndef":
			expr := condExpr(name, rest)
			stack = append(stack, &condFrame{
				guard: guardAt(content, i),
				taken: []string{expr},
				cur:   vtable.Cond{Directive: text, If: text, Pos: pos},
			})
		case "elif", "elifdef", "elifndef", "else":
			if len(stack) == 0 {
				continue // unbalanced: the compiler reports it
			}
			f := stack[len(stack)-1]
			var parts []string
			for _, e := range f.taken {
				parts = append(parts, "!("+e+")")
			}
			if name != "else" {
				expr := condExpr(strings.TrimPrefix(name, "el"), rest)
				parts = append(parts, "("+expr+")")
				f.taken = append(f.taken, expr)
			}
			f.cur = vtable.Cond{Directive: text, If: "#if " + strings.Join(parts, " && "), Pos: pos}
		case "endif":
			if len(stack) == 0 {
				continue
			}
			stack = stack[:len(stack)-1]
		default:
			continue
		}
		record(l.line)
	}
	return ix
}

// condExpr is the #if expression of a branch opened by directive name
// ("if", "ifdef", "ifndef") with operand rest.
func condExpr(name, rest string) string {
	switch name {
	case "ifdef":
		return "defined(" + rest + ")"
	case "ifndef":
		return "!defined(" + rest + ")"
	}
	return rest
}

// guardAt reports whether the directive content[i] opens a guard:
// "#ifndef X" or "#if !defined(X)" followed by "#define X". Inside its
// group X is defined, by the header itself, so a generated file that
// includes the header and copied the condition would read it as false:
// an include guard, wherever its #endif is (sqlite3.h closes SQLITE3_H's
// before its later sections), or a guard of one section.
func guardAt(content []logicalLine, i int) bool {
	if i+1 >= len(content) {
		return false
	}
	name, rest, _ := directive(content[i].text)
	var macro string
	switch name {
	case "ifndef":
		macro = rest
	case "if":
		r := strings.ReplaceAll(rest, " ", "")
		if m, ok := strings.CutPrefix(r, "!defined("); ok && strings.HasSuffix(m, ")") {
			macro = strings.TrimSuffix(m, ")")
		} else if m, ok := strings.CutPrefix(r, "!defined"); ok {
			macro = m
		}
	}
	if macro == "" {
		return false
	}
	d, r, _ := directive(content[i+1].text)
	return d == "define" && strings.HasPrefix(r+" ", macro+" ")
}
