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
