package cparse

import (
	"bytes"
	"slices"
	"sort"

	"github.com/vtablegen/vtablegen/vtable"
)

// A Kbuild translation unit is about 4 MB of preprocessed C full of GCC
// extensions that cc/v4 does not parse (per-CPU declarations typed with
// __typeof__(... __seg_gs), statement expressions in inline functions,
// stray semicolons in struct bodies). Operations structs need only type
// declarations, so before cc/v4 sees a preprocessed unit, reduce keeps the
// type declarations and blanks everything else: function definitions,
// declarations of objects and functions, top-level asm and static
// assertions. Blanking replaces bytes with spaces and keeps newlines, so a
// position in the reduced text is the same line and column as in the
// input, and the line markers map it back to the original header.
//
// Should cc/v4 still reject a kept declaration, that declaration is blanked
// as well and the unit parsed again (see Parser.StructsPreprocessed), so
// that a part of the unit the wanted structs do not need cannot stop
// extraction; each one is reported as a note that -v shows.
//
// The reduction works on tokens, not text: nested parentheses in
// __attribute__((...)) and braces in initializers are matched, never
// guessed at with a regular expression.

// ctok is one token of preprocessed C: its byte range and, for the few
// kinds the reduction cares about, what it is.
type ctok struct {
	start, end int32 // 12 bytes a token: a Kbuild unit has about 900,000
	kind       byte  // 'i' identifier, 's' string or char literal, 'n' number, else the punctuator byte
}

// identChar marks the bytes that may continue an identifier; identStart
// those that may begin one.
var identChar, identStart [256]bool

func init() {
	for c := 0; c < 256; c++ {
		identStart[c] = c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
		identChar[c] = identStart[c] || c >= '0' && c <= '9'
	}
}

// tokenize splits preprocessed C into tokens. Line markers and other
// lines starting with '#' are skipped; so are comments, which a
// preprocessed unit does not normally hold. Multi-byte punctuators come out
// as single bytes, which is all the reduction needs.
func tokenize(src []byte) []ctok {
	toks := make([]ctok, 0, len(src)/4+16) // about one token per 4.6 bytes in a Kbuild unit
	lineStart := true
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '#' && lineStart:
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := i + 2
			for j+1 < len(src) && !(src[j] == '*' && src[j+1] == '/') {
				j++
			}
			i = min(j+2, len(src))
			continue
		}
		lineStart = false
		start := i
		switch {
		case isIdentStart(c):
			var prefix bool
			if i, prefix = scanIdent(src, start); prefix {
				i = skipQuoted(src, i)
				toks = append(toks, ctok{int32(start), int32(i), 's'})
				continue
			}
			toks = append(toks, ctok{int32(start), int32(i), 'i'})
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			for i < len(src) && (isIdentChar(src[i]) || src[i] == '.' ||
				(src[i] == '+' || src[i] == '-') && (src[i-1]|0x20 == 'e' || src[i-1]|0x20 == 'p')) {
				i++
			}
			toks = append(toks, ctok{int32(start), int32(i), 'n'})
		case c == '"' || c == '\'':
			i = skipQuoted(src, i)
			toks = append(toks, ctok{int32(start), int32(i), 's'})
		default:
			i++
			toks = append(toks, ctok{int32(start), int32(i), c})
		}
	}
	return toks
}

func isIdentStart(c byte) bool { return identStart[c] }

// scanIdent returns the end of the identifier at src[start], and whether
// it is the prefix of a string or character literal (L"x", u8"x", u'x',
// U"x") whose quote is there.
func scanIdent(src []byte, start int) (int, bool) {
	i := start
	for i < len(src) && isIdentChar(src[i]) {
		i++
	}
	if i < len(src) && (src[i] == '"' || src[i] == '\'') {
		switch string(src[start:i]) {
		case "L", "u", "U", "u8":
			return i, true
		}
	}
	return i, false
}

func isIdentChar(c byte) bool { return identChar[c] }

// skipQuoted returns the offset after the string or char literal starting
// at src[i], or the end of the line for an unterminated one.
func skipQuoted(src []byte, i int) int {
	q := src[i]
	for i++; i < len(src) && src[i] != '\n'; i++ {
		switch src[i] {
		case '\\':
			i++
		case q:
			return i + 1
		}
	}
	return min(i, len(src)) // a backslash may have stepped past the end
}

// reduction is the result of reducing a unit: which declarations are kept
// and which bytes are blanked, what was dropped for -v, and the reduced text
// (made on first use; a slice is taken from src and the blanks directly).
type reduction struct {
	src []byte
	// blanks are the byte ranges to blank, in order of position;
	// directive lines (line markers) are blanked too.
	blanks []span
	text   []byte
	// Dropped counts the top-level declarations blanked, by kind:
	// "function definition", "declaration", "static assertion", "asm",
	// "stray semicolon".
	dropped map[string]int
	// kept are the declarations kept, in order, so that one cc/v4 rejects
	// can be blanked too, and so that a slice of them can be taken.
	kept []span
	// toks are the unit's tokens.
	toks []ctok
	// facts and defs are computed by the first slice and reused.
	facts []declFacts
	defs  map[string][]int
	names interner
	// cut are the tokens of a struct, union or enum definition the unit
	// ends inside, left out.
	cut []ctok
}

// span is a half-open byte range, and the range of token indexes it holds.
type span struct{ start, end, first, last int }

// fullText returns the whole reduced unit: src with every blank applied.
func (r *reduction) fullText() []byte {
	if r.text == nil {
		r.text = make([]byte, len(r.src))
		copy(r.text, r.src)
		for _, b := range r.blanks {
			blankBytes(r.text[b.start:b.end])
		}
		blankDirectives(r.text)
	}
	return r.text
}

// blank blanks s in the full text.
func (r *reduction) blank(s span) { blankBytes(r.fullText()[s.start:s.end]) }

// spanText returns the reduced text of the kept declaration s.
func (r *reduction) spanText(s span) []byte {
	if r.text != nil {
		return r.text[s.start:s.end]
	}
	out := make([]byte, s.end-s.start)
	copy(out, r.src[s.start:s.end])
	k := sort.Search(len(r.blanks), func(k int) bool { return r.blanks[k].end > s.start })
	for ; k < len(r.blanks) && r.blanks[k].start < s.end; k++ {
		b := r.blanks[k]
		blankBytes(out[max(b.start, s.start)-s.start : min(b.end, s.end)-s.start])
	}
	blankDirectives(out)
	return out
}

// blankBytes replaces b's bytes, newlines excepted, with spaces.
func blankBytes(b []byte) {
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
}

// blankDirectives blanks every line of b that starts with '#' (after
// blanks): line markers, which cc/v4 does not read; positions are mapped
// back separately.
func blankDirectives(b []byte) {
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		end := bytes.IndexByte(b[j:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += j
		}
		if j < len(b) && b[j] == '#' {
			blankBytes(b[j:end])
		}
		i = end + 1
	}
}

// compact keeps only the tokens of the kept declarations, the only ones
// read after the reduction: a third or less of a unit's, which is the
// largest thing a run holds (12 bytes a token).
func (r *reduction) compact() {
	n := 0
	for _, k := range r.kept {
		n += k.last - k.first
	}
	toks := make([]ctok, 0, n)
	for i, k := range r.kept {
		first := len(toks)
		toks = append(toks, r.toks[k.first:k.last]...)
		r.kept[i].first, r.kept[i].last = first, len(toks)
	}
	r.toks = toks
}

// keptOf returns the index in kept of the declaration a diagnostic of a
// cc/v4 run over the unit name is at, or -1 when it has no position
// there; lines are the unit's line offsets.
func (r *reduction) keptOf(d *vtable.Diagnostic, name string, lines []int) int {
	p := d.Pos
	if p.Offset == noPosition || p.Filename != name || p.Line < 1 || p.Line > len(lines) {
		return -1
	}
	return r.keptAt(lines[p.Line-1] + max(p.Column-1, 0))
}

// drop blanks the kept declaration k and removes it from kept.
func (r *reduction) drop(k int) {
	r.blank(r.kept[k])
	r.kept = append(r.kept[:k], r.kept[k+1:]...)
	r.facts, r.defs = nil, nil // kept changed: slice's analysis is stale
}

// keptAt returns the index in kept of the declaration holding offset, or -1.
func (r *reduction) keptAt(offset int) int {
	k := sort.Search(len(r.kept), func(k int) bool { return r.kept[k].end > offset })
	if k < len(r.kept) && r.kept[k].start <= offset {
		return k
	}
	return -1
}

// reduce keeps the type declarations of a preprocessed unit and blanks the
// rest; see the comment at the top of this file.
func reduce(src []byte) *reduction {
	toks := tokenize(src)
	r := &reduction{src: src, dropped: map[string]int{}, toks: toks, names: interner{}}
	blank := func(from, to int) {
		if from < to {
			r.blanks = append(r.blanks, span{start: from, end: to})
		}
	}
	text := func(t ctok) string { return string(src[t.start:t.end]) }

	for i := 0; i < len(toks); {
		// One external declaration: toks[i:end].
		end, isFunc, bodies := scanDecl(toks, i, text)
		first := text(toks[i])
		switch {
		case end == i+1 && toks[i].kind == ';':
			r.dropped["stray semicolon"]++
			blank(int(toks[i].start), int(toks[i].end))
		case isFunc:
			r.dropped["function definition"]++
			blank(int(toks[i].start), int(toks[end-1].end))
		case first == "_Static_assert" || first == "static_assert":
			r.dropped["static assertion"]++
			blank(int(toks[i].start), int(toks[end-1].end))
		case first == "asm" || first == "__asm__" || first == "__asm":
			r.dropped["asm"]++
			blank(int(toks[i].start), int(toks[end-1].end))
		case len(bodies) == 0 && usesUnsupportedType(toks[i:end], text):
			// cc/v4 has no _Float16 or __bf16 vector or function types
			// (GCC 12's <immintrin.h> declares them): without the
			// declaration a struct that does not use them reads
			// normally. A struct body is kept: cc/v4 reads a _Float16
			// member, and a body it rejects is reported (leftOutReport),
			// where leaving it out here would lose a struct of function
			// pointers without a word.
			r.dropped["declaration of a type cc/v4 lacks (_Float16, __bf16)"]++
			blank(int(toks[i].start), int(toks[end-1].end))
		case isTypedef(toks[i:end], text):
			collapseStraySemicolons(toks[i:end], blank)
			r.kept = append(r.kept, span{int(toks[i].start), int(toks[end-1].end), i, end})
		case len(bodies) > 0:
			// Defines a struct, union or enum, maybe with declarators:
			// keep the tag's keyword through its body's closing brace.
			b := bodies[0]
			if toks[end-1].kind != ';' {
				r.dropped["declaration"]++ // unterminated: the unit is cut short
				blank(int(toks[i].start), int(toks[end-1].end))
				// Its tokens outlive compact, to say so (leftOutReport).
				r.cut = slices.Clone(toks[i:end])
				break
			}
			blank(int(toks[i].start), int(toks[b.keyword].start))
			collapseStraySemicolons(toks[b.keyword:b.close+1], blank)
			// Attributes right after the closing brace belong to the type
			// ("} ____cacheline_aligned;" makes it 64-byte aligned): kept.
			last := b.close
			for last+2 < end-1 && isAttributeKeyword(text(toks[last+1])) && toks[last+2].kind == '(' {
				last = matchClose(toks, last+2, '(', ')')
			}
			blank(int(toks[last].end), int(toks[end-1].start))
			r.kept = append(r.kept, span{int(toks[b.keyword].start), int(toks[end-1].end), b.keyword, end})
		case isForwardDecl(toks[i:end], text):
			// struct foo; keeps the tag in scope.
			r.kept = append(r.kept, span{int(toks[i].start), int(toks[end-1].end), i, end})
		default:
			r.dropped["declaration"]++
			blank(int(toks[i].start), int(toks[end-1].end))
		}
		i = end
	}
	return r
}

// usesUnsupportedType reports a declaration that names a GCC type cc/v4
// does not have.
func usesUnsupportedType(decl []ctok, text func(ctok) string) bool {
	for _, t := range decl {
		if t.kind == 'i' {
			switch text(t) {
			case "_Float16", "__bf16":
				return true
			}
		}
	}
	return false
}

// body is a struct, union or enum body at the top level of a declaration:
// the token index of its keyword and of its closing brace.
type body struct{ keyword, close int }

// scanDecl scans the external declaration starting at toks[i] and returns
// the index after its last token, whether it is a function definition, and
// the struct, union and enum bodies at its top level.
func scanDecl(toks []ctok, i int, text func(ctok) string) (end int, isFunc bool, bodies []body) {
	depth := 0 // parentheses and brackets
	lastKeyword := -1
	for j := i; j < len(toks); j++ {
		t := toks[j]
		switch t.kind {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ';':
			if depth <= 0 {
				return j + 1, false, bodies
			}
		case 'i':
			if depth == 0 {
				switch text(t) {
				case "struct", "union", "enum":
					lastKeyword = j
				}
			}
		case '{':
			if depth > 0 {
				// A statement expression in an attribute or typeof: skip.
				j = matchBrace(toks, j)
				continue
			}
			close := matchBrace(toks, j)
			switch {
			case j > i && toks[j-1].kind == '=':
				// An initializer.
			case lastKeyword >= 0 && isTagBody(toks, lastKeyword, j, text):
				bodies = append(bodies, body{lastKeyword, close})
				lastKeyword = -1
			default:
				// A function body: the definition ends with it.
				return close + 1, true, bodies
			}
			j = close
		}
	}
	return len(toks), false, bodies
}

// isTagBody reports whether the '{' at toks[open] opens the body of the
// struct, union or enum keyword at toks[kw]: between them only the tag,
// attributes and, for enums, a fixed underlying type may stand. A
// parenthesis at the top level must open an attribute's arguments: after
// "enum nl80211_channel_type" a name and a parameter list make a function
// returning the enum, whose body is no tag body.
func isTagBody(toks []ctok, kw, open int, text func(ctok) string) bool {
	depth := 0
	for j := kw + 1; j < open; j++ {
		switch toks[j].kind {
		case '(':
			if depth == 0 {
				prev := text(toks[j-1])
				if toks[j-1].kind != 'i' || !isAttributeKeyword(prev) && prev != "_Alignas" && prev != "alignas" && prev != "__declspec" {
					return false
				}
			}
			depth++
		case ')':
			depth--
		case 'i', ':', 'n', 's', ',':
		default:
			if depth == 0 {
				return false
			}
		}
	}
	return depth == 0
}

// matchBrace returns the index of the '}' that closes the '{' at toks[j],
// or the last token when the unit ends first.
func matchBrace(toks []ctok, j int) int { return matchClose(toks, j, '{', '}') }

// matchClose returns the index of the close token that closes the open
// token at toks[j], or the last token when the unit ends first.
func matchClose(toks []ctok, j int, open, close byte) int {
	depth := 0
	for k := j; k < len(toks); k++ {
		switch toks[k].kind {
		case open:
			depth++
		case close:
			if depth--; depth == 0 {
				return k
			}
		}
	}
	return len(toks) - 1
}

// isAttributeKeyword reports GNU C's attribute keyword in its spellings.
func isAttributeKeyword(s string) bool { return s == "__attribute__" || s == "__attribute" }

// isTypedef reports whether the declaration's specifiers include typedef.
func isTypedef(decl []ctok, text func(ctok) string) bool {
	depth := 0
	for _, t := range decl {
		switch t.kind {
		case '(', '{', '[':
			depth++
		case ')', '}', ']':
			depth--
		case 'i':
			if depth == 0 && text(t) == "typedef" {
				return true
			}
		}
	}
	return false
}

// isForwardDecl reports a declaration "struct foo;", "union foo;" or
// "enum foo;", attributes allowed.
func isForwardDecl(decl []ctok, text func(ctok) string) bool {
	for j, t := range decl {
		if t.kind == 'i' {
			switch text(t) {
			case "struct", "union", "enum":
				return j+3 == len(decl) && decl[j+1].kind == 'i' && decl[j+2].kind == ';'
			case "__extension__":
				continue
			}
		}
		return false
	}
	return false
}

// collapseStraySemicolons blanks each ';' in decl that follows a '{' or
// another ';', which GCC accepts in struct bodies and cc/v4 does not.
func collapseStraySemicolons(decl []ctok, blank func(from, to int)) {
	for j := 1; j < len(decl); j++ {
		if decl[j].kind == ';' && (decl[j-1].kind == ';' || decl[j-1].kind == '{') {
			blank(int(decl[j].start), int(decl[j].end))
		}
	}
}
