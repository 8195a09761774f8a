package cparse

import (
	"strings"
	"sync"

	"modernc.org/cc/v4"
)

// cc/v4's builtin source declares some 190 builtin functions, one a line,
// which cc/v4 parses and checks on every run, after the host's 350 or so
// predefined macros: about 4 ms, more than the declarations a
// preprocessed unit's slice needs. A preprocessed text names the few it
// uses, so textSources keeps only those declarations and the macros they
// or the text name; the directives (the builtin macros), the typedefs and
// the objects stay.

// builtinLine is a line of cc.Builtin and the function it declares ("" for
// a line that stays whatever the text).
type builtinLine struct {
	text string
	fn   string
}

var builtinLines = sync.OnceValue(func() []builtinLine {
	var lines []builtinLine
	for _, l := range strings.SplitAfter(cc.Builtin, "\n") {
		lines = append(lines, builtinLine{text: l, fn: builtinFunc(l)})
	}
	return lines
})

// builtinFunc returns the name of the function the line declares, or ""
// when it is no function declaration of its own line.
func builtinFunc(line string) string {
	t := strings.TrimSpace(line)
	if t == "" || t[0] == '#' || strings.HasPrefix(t, "typedef") || !strings.HasSuffix(t, ");") {
		return ""
	}
	paren := strings.IndexByte(t, '(')
	if paren < 0 {
		return ""
	}
	head := strings.TrimRight(t[:paren], " ")
	i := len(head)
	for i > 0 && isIdentChar(head[i-1]) {
		i--
	}
	name := head[i:]
	if !strings.HasPrefix(name, "__") {
		return ""
	}
	return name
}

// textSources returns the predefined macros and cc/v4's builtin source
// for parsing text, a unit preprocessed already: only the function
// declarations of the builtin source that text names, and only the
// predefined macros text or the builtin source use. Either is parsed on
// every run, and whole they cost more than the declarations of a slice.
func textSources(predefined string, text []byte) (string, string) {
	names := identSet(text, nil)
	var b strings.Builder
	b.Grow(len(cc.Builtin))
	for _, l := range builtinLines() {
		if l.fn == "" || names[l.fn] {
			b.WriteString(l.text)
		} else {
			b.WriteByte('\n')
		}
	}
	builtin := b.String()
	names = identSet([]byte(builtin), names)
	var pb strings.Builder
	for line := range strings.Lines(predefined) {
		if rest, ok := strings.CutPrefix(line, "#define "); ok {
			end := 0
			for end < len(rest) && isIdentChar(rest[end]) {
				end++
			}
			if !names[rest[:end]] {
				pb.WriteByte('\n')
				continue
			}
		}
		pb.WriteString(line)
	}
	return pb.String(), builtin
}

// identSet adds the identifiers of text to names (a new set when nil).
func identSet(text []byte, names map[string]bool) map[string]bool {
	if names == nil {
		names = map[string]bool{}
	}
	for i := 0; i < len(text); i++ {
		if !isIdentStart(text[i]) || i > 0 && isIdentChar(text[i-1]) {
			continue
		}
		j := i + 1
		for j < len(text) && isIdentChar(text[j]) {
			j++
		}
		names[string(text[i:j])] = true
		i = j
	}
	return names
}
