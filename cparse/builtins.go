package cparse

import (
	"bytes"
	"math/bits"
	"regexp"
	"strconv"
	"strings"
)

// builtinCall matches a bit-counting builtin of GCC applied to an integer
// literal, which cc/v4 v4.31.0 cannot evaluate in a constant expression:
// the kernel's sound/emu10k1.h builds dozens of enum constants from
// __builtin_ctz(MASK) and __builtin_popcount(MASK), one rejected
// declaration each.
var builtinCall = regexp.MustCompile(`__builtin_(ctz|clz|popcount|ffs|parity)(l|ll)?\s*\(\s*(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*\s*\)`)

// foldBuiltins replaces, in place, each such call in text by its value,
// padded with blanks to the call's length so that every position stays
// where it was. A call whose value is undefined (ctz or clz of 0) is left.
func foldBuiltins(text []byte) {
	if !bytes.Contains(text, []byte("__builtin_")) {
		return
	}
	for _, m := range builtinCall.FindAllSubmatchIndex(text, -1) {
		fn := string(text[m[2]:m[3]])
		wide := m[4] >= 0 // l or ll: 64 bits
		v, err := strconv.ParseUint(string(text[m[6]:m[7]]), 0, 64)
		if err != nil {
			continue
		}
		if !wide {
			v &= 0xffffffff
		}
		width := 32
		if wide {
			width = 64
		}
		var r int
		switch fn {
		case "ctz":
			if v == 0 {
				continue
			}
			r = bits.TrailingZeros64(v)
		case "clz":
			if v == 0 {
				continue
			}
			r = bits.LeadingZeros64(v) - (64 - width)
		case "popcount":
			r = bits.OnesCount64(v)
		case "parity":
			r = bits.OnesCount64(v) & 1
		case "ffs":
			if v != 0 {
				r = bits.TrailingZeros64(v) + 1
			}
		}
		repl := strconv.Itoa(r)
		if len(repl) > m[1]-m[0] {
			continue
		}
		copy(text[m[0]:m[1]], repl+strings.Repeat(" ", m[1]-m[0]-len(repl)))
	}
}

// fillElvis rewrites GNU C's conditional with the middle operand left out,
// "x ?: y", as "x ? x : y", which is the same in the constant expressions
// of type declarations (they have no side effects): cc/v4 v4.31.0 panics
// on the short form (a nil pointer in ConditionalExpression.check), and
// the kernel writes it in aligned attributes (__cacheline_group_begin_
// aligned in struct page_pool). x is the token before the '?': an
// identifier or number, or a parenthesized group, with the identifier
// before it (a call, sizeof); another x is left as it is. What follows
// on the line moves right by x's length (columns in a preprocessed unit
// are those of its macro-expanded lines anyway).
func fillElvis(text []byte) []byte {
	if !bytes.Contains(text, []byte("?")) {
		return text
	}
	toks := tokenize(text)
	var out []byte
	last := 0
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].kind != '?' || toks[i+1].kind != ':' {
			continue
		}
		first := i - 1
		switch toks[first].kind {
		case 'i', 'n':
		case ')':
			depth := 0
			for first >= 0 {
				switch toks[first].kind {
				case ')':
					depth++
				case '(':
					depth--
				}
				if depth == 0 {
					break
				}
				first--
			}
			if first < 0 {
				continue
			}
			if first > 0 && toks[first-1].kind == 'i' {
				first--
			}
		default:
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(text)+64)
		}
		x := text[toks[first].start:toks[i-1].end]
		out = append(out, text[last:toks[i].end]...)
		out = append(out, ' ')
		out = append(out, x...)
		if c := text[toks[i].end]; c != ' ' && c != '\t' {
			out = append(out, ' ')
		}
		last = int(toks[i].end)
	}
	if out == nil {
		return text
	}
	return append(out, text[last:]...)
}
