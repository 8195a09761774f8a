package cparse

import (
	"bytes"
	"io/fs"
)

// Comments are most of many headers' text (87% of sqlite3.h), and cc/v4's
// scanner reads them character by character, decoding each. A header is
// therefore handed to cc/v4 without the comments that end their line:
// every newline is kept, so lines do not move, and nothing that follows
// on a line moves either, so columns stay too. A comment followed by code
// on the line where it ends (/* a */ int x;) is left as it is, and so is
// a // comment continued by a backslash; quotes and #include names are
// not searched for comments. A comment is whitespace to the preprocessor,
// and the end of a line ends a directive whether or not a comment ran to
// it, so nothing the preprocessor sees changes.

// keepComments, set by tests only, hands headers to cc/v4 as they are.
var keepComments bool

// dropComments returns src without its comments that end their line, as
// said above; src itself when it has none.
func dropComments(src []byte) []byte {
	if keepComments || bytes.IndexByte(src, '/') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	lineStart := true // only blanks since the last newline
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			out = append(out, c)
			i++
			lineStart = true
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			out = append(out, c)
			i++
			continue
		case c == '#' && lineStart:
			// #include <a//b.h>: the name is not searched.
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if bytes.HasPrefix(src[j:], []byte("include")) || bytes.HasPrefix(src[j:], []byte("import")) {
				end := bytes.IndexByte(src[j:], '\n')
				if end < 0 {
					end = len(src) - j
				}
				line := src[j : j+end]
				if lt := bytes.IndexByte(line, '<'); lt >= 0 {
					if gt := bytes.IndexByte(line[lt:], '>'); gt >= 0 {
						end = lt + gt + 1
					}
				}
				out = append(out, src[i:j+end]...)
				i = j + end
				lineStart = false
				continue
			}
		case c == '"' || c == '\'':
			j := skipLiteral(src, i)
			out = append(out, src[i:j]...)
			i = j
			lineStart = false
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 { // unterminated: cc/v4 says so
				return append(out, src[i:]...)
			}
			e := i + 2 + end + 2
			k := e
			for k < len(src) && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r') {
				k++
			}
			if k < len(src) && src[k] != '\n' {
				out = append(out, src[i:e]...) // code follows: kept
				i = e
				lineStart = false
				continue
			}
			for _, b := range src[i:e] {
				if b == '\n' {
					out = append(out, '\n')
				}
			}
			i = k
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			end := bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			if bytes.HasSuffix(bytes.TrimRight(src[i:i+end], "\r"), []byte("\\")) {
				out = append(out, src[i:i+end]...) // continued on the next line: kept
			}
			i += end
			continue
		}
		// A run of bytes with nothing to look at, copied at once.
		j := i + 1
		for j < len(src) && !commentSpecial[src[j]] {
			j++
		}
		out = append(out, src[i:j]...)
		i = j
		lineStart = false
	}
	return out
}

// commentSpecial marks the bytes dropComments must look at inside a line
// (a '#' matters only first on a line, before which no run starts).
var commentSpecial = [256]bool{'\n': true, '"': true, '\'': true, '/': true}

// skipLiteral returns the offset past the string or character literal
// that starts at src[i]; one that a newline ends unterminated (an
// apostrophe in #error text) ends there. A backslash escapes the next
// byte, a newline too (a splice).
func skipLiteral(src []byte, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			return j
		}
	}
	return len(src)
}

// sizedInfo is a file's FileInfo with the size of the text handed to
// cc/v4 instead of the file's.
type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }
