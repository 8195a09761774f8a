package cparse

import (
	"bytes"
	"fmt"

	"github.com/vtablegen/vtablegen/vtable"
)

// Speculation: with the build's preprocessor and named structs, the work
// after the preprocessor ends (reduce, slice, parse) used to add a tenth
// or more to its time. C declares everything before its use, so once the
// preprocessor has written the definitions of every wanted struct, the
// output up to them holds all those structs need: that prefix is parsed
// while the preprocessor goes on, and its result stands when the
// preprocessor then succeeds. Only the files read (the unit's line
// markers) need the whole output. A prefix that does not give every
// wanted struct, or any error, and the whole output is parsed as before.

// speculation watches the preprocessor's output for the definitions of
// the wanted structs and parses the prefix that holds them.
type speculation struct {
	p     *Parser
	name  string
	dir   string
	names []string
	// open is, per name, the offset of the '{' of its definition, or -1;
	// searched is how far the output has been searched for them.
	open     []int
	searched int
	// started is the length of the prefix being parsed, 0 before;
	// given says the speculation was given up (a "definition" that did
	// not end within maxDefinition bytes).
	started int
	given   bool
	done    chan specResult
}

type specResult struct {
	cu    *vtable.CUnit
	diags vtable.Diagnostics
}

// newSpeculation returns a speculation for the structs p wants from the
// unit name, or nil when it wants none.
func newSpeculation(p *Parser, name, dir string) *speculation {
	if len(p.opts.Structs) == 0 {
		return nil
	}
	s := &speculation{p: p, name: name, dir: dir, names: p.opts.Structs, open: make([]int, len(p.opts.Structs)), done: make(chan specResult, 1)}
	for i := range s.open {
		s.open[i] = -1
	}
	return s
}

// watch is preprocess's watch: out is the output so far.
func (s *speculation) watch(out []byte) {
	if s.started > 0 || s.given {
		return
	}
	// Only whole lines: the last may still be written.
	complete := bytes.LastIndexByte(out, '\n') + 1
	if complete <= s.searched {
		return
	}
	from := max(s.searched-256, 0) // a match may straddle two reads
	for i, name := range s.names {
		if s.open[i] < 0 {
			s.open[i] = findDefinition(out[from:complete], name)
			if s.open[i] >= 0 {
				s.open[i] += from
			}
		}
	}
	s.searched = complete
	cut := 0
	for _, o := range s.open {
		if o < 0 {
			return
		}
		end := definitionEnd(out[o:min(complete, o+maxDefinition)])
		if end < 0 {
			s.given = s.given || complete >= o+maxDefinition // not a definition after all
			return
		}
		cut = max(cut, o+end)
	}
	// Through the end of the line the last definition ends on.
	if nl := bytes.IndexByte(out[cut:complete], '\n'); nl >= 0 {
		cut += nl + 1
	}
	prefix := out[:cut:cut] // never written again: the reader only appends
	s.started = cut
	go func() {
		cu, diags := s.p.parseUnit(s.name, prefix, s.dir)
		s.done <- specResult{cu, diags}
	}()
}

// result waits for the parse of the prefix, if one started, and returns
// it when it gives every wanted struct without an error; whole is the
// whole output, whose line markers give the files read, or nil when the
// preprocessor failed (the Parser is then free again).
func (s *speculation) result(whole []byte) (*vtable.CUnit, vtable.Diagnostics, bool) {
	if s == nil || s.started == 0 {
		return nil, nil, false
	}
	r := <-s.done
	if whole == nil || r.diags.HasErrors() || r.cu == nil {
		return nil, nil, false
	}
	for _, name := range s.names {
		found := false
		for _, st := range r.cu.Structs {
			if string(st.Name) == name || string(st.Tag) == name || string(st.Typedef) == name {
				found = true
			}
		}
		if !found {
			return nil, nil, false
		}
	}
	r.cu.Files = newLineMap(s.name, whole, s.dir).files()
	r.diags = append(r.diags, &vtable.Diagnostic{Pos: vtable.FileStart(s.name), Severity: vtable.Verbose,
		Msg: fmt.Sprintf("read while the preprocessor ran: its first %d bytes of %d, through the definitions of %v", s.started, len(whole), s.names)})
	return r.cu, r.diags, true
}

// findDefinition returns the offset of the '{' of "struct name {" or
// "union name {" in text, or -1.
func findDefinition(text []byte, name string) int {
	for at := 0; ; {
		i := bytes.Index(text[at:], []byte(name))
		if i < 0 {
			return -1
		}
		i += at
		at = i + len(name)
		if i > 0 && isIdentChar(text[i-1]) || at < len(text) && isIdentChar(text[at]) {
			continue
		}
		// Blanks, then '{'.
		j := at
		for j < len(text) && isBlank(text[j]) {
			j++
		}
		if j >= len(text) || text[j] != '{' {
			continue
		}
		// Blanks and "struct" or "union" before the name.
		k := i
		for k > 0 && isBlank(text[k-1]) {
			k--
		}
		if k == i {
			continue
		}
		for _, kw := range []string{"struct", "union"} {
			if bytes.HasSuffix(text[:k], []byte(kw)) && (k == len(kw) || !isIdentChar(text[k-len(kw)-1])) {
				return j
			}
		}
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// maxDefinition bounds the bytes of a definition speculation waits for.
const maxDefinition = 256 << 10

// definitionEnd returns the offset just past the ';' that ends the
// declaration whose body opens at text[0], or -1 when text does not hold
// it all.
func definitionEnd(text []byte) int {
	toks := tokenize(text)
	depth := 0
	body := true // in the body, until its '}'
	for _, t := range toks {
		switch t.kind {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 && t.kind == '}' {
				body = false
			}
		case ';':
			if depth == 0 && !body {
				return int(t.end)
			}
		}
	}
	return -1
}
