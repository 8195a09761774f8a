package vtable

import (
	"math/big"
	"slices"
	"strings"
)

// rustIntExpr evaluates a Rust integer constant expression made only of
// integer literals, parentheses, unary - and !, and the binary operators
// * / % + - << >> & ^ | with Rust's precedence (shifts bind tighter than
// &, & than ^, ^ than |), e.g. "1 << 0 | 1 << 5" of a flags const, and
// returns its value as a C integer literal. Rust's ! is the bitwise not,
// taken as -x-1: the C member's conversion to its unsigned type then gives
// what Rust's fixed width gives. Anything else is not ok.
func rustIntExpr(expr string) (string, bool) {
	toks, ok := intTokens(expr)
	if !ok || len(toks) == 0 {
		return "", false
	}
	p := &intParser{toks: toks}
	v, ok := p.binary(0)
	if !ok || p.i != len(p.toks) {
		return "", false
	}
	switch {
	case v.Sign() < 0:
		return "(" + v.String() + ")", true
	case v.IsInt64():
		return v.String(), true
	case v.BitLen() <= 64:
		return v.String() + "ULL", true
	}
	return "", false
}

func intTokens(s string) ([]string, bool) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] >= '0' && s[j] <= '9' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case strings.HasPrefix(s[i:], "<<"), strings.HasPrefix(s[i:], ">>"):
			toks = append(toks, s[i:i+2])
			i += 2
		case strings.IndexByte("()+-*/%&|^!", c) >= 0:
			toks = append(toks, s[i:i+1])
			i++
		default:
			return nil, false
		}
	}
	return toks, true
}

type intParser struct {
	toks []string
	i    int
}

// Binary operators by precedence level, lowest first.
var intLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (p *intParser) binary(level int) (*big.Int, bool) {
	if level == len(intLevels) {
		return p.unary()
	}
	x, ok := p.binary(level + 1)
	for ok && p.i < len(p.toks) && slices.Contains(intLevels[level], p.toks[p.i]) {
		op := p.toks[p.i]
		p.i++
		var y *big.Int
		if y, ok = p.binary(level + 1); !ok {
			return nil, false
		}
		switch op {
		case "|":
			x = new(big.Int).Or(x, y)
		case "^":
			x = new(big.Int).Xor(x, y)
		case "&":
			x = new(big.Int).And(x, y)
		case "<<", ">>":
			if y.Sign() < 0 || !y.IsInt64() || y.Int64() >= 128 {
				return nil, false
			}
			if op == "<<" {
				x = new(big.Int).Lsh(x, uint(y.Int64()))
			} else {
				x = new(big.Int).Rsh(x, uint(y.Int64()))
			}
		case "+":
			x = new(big.Int).Add(x, y)
		case "-":
			x = new(big.Int).Sub(x, y)
		case "*":
			x = new(big.Int).Mul(x, y)
		case "/", "%":
			if y.Sign() == 0 {
				return nil, false
			}
			if op == "/" {
				x = new(big.Int).Quo(x, y)
			} else {
				x = new(big.Int).Rem(x, y)
			}
		}
		if x.BitLen() > 128 {
			return nil, false
		}
	}
	return x, ok
}

func (p *intParser) unary() (*big.Int, bool) {
	if p.i >= len(p.toks) {
		return nil, false
	}
	t := p.toks[p.i]
	p.i++
	switch {
	case t == "-" || t == "!":
		x, ok := p.unary()
		if !ok {
			return nil, false
		}
		x = new(big.Int).Neg(x)
		if t == "!" {
			x.Sub(x, big.NewInt(1))
		}
		return x, true
	case t == "(":
		x, ok := p.binary(0)
		if !ok || p.i >= len(p.toks) || p.toks[p.i] != ")" {
			return nil, false
		}
		p.i++
		return x, true
	case t[0] >= '0' && t[0] <= '9':
		lit, ok := rustIntToC(t)
		if !ok {
			return nil, false
		}
		v, ok := new(big.Int).SetString(strings.TrimPrefix(strings.TrimPrefix(lit, "0b"), "0x"), litBase(lit))
		return v, ok
	}
	return nil, false
}

// litBase is the base of a C integer literal rustIntToC made.
func litBase(lit string) int {
	switch {
	case strings.HasPrefix(lit, "0x"):
		return 16
	case strings.HasPrefix(lit, "0b"):
		return 2
	case len(lit) > 1 && lit[0] == '0':
		return 8
	}
	return 10
}
