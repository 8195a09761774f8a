package cparse

import (
	"strconv"
	"strings"
)

// evalIf evaluates the controlling expression of #if or #elif: defined,
// __has_include and the __has_builtin family answered as cc/v4 answers
// them, macros expanded, identifiers left 0.
func (pp *preprocessor) evalIf(args []pptok, hash pptok) bool {
	toks := pp.expandIf(args)
	if len(toks) == 0 {
		giveUp("%s:%d: #if without an expression", pp.names[hash.file], hash.line)
	}
	e := ifExpr{toks: toks}
	v := e.cond(true)
	if e.i != len(e.toks) {
		giveUp("%s:%d: #if: unexpected %q", pp.names[hash.file], hash.line, e.toks[e.i].text)
	}
	return v.v != 0
}

func ppNum(b bool) pptok {
	if b {
		return pptok{kind: ppNumber, text: "1"}
	}
	return pptok{kind: ppNumber, text: "0"}
}

// expandIf is expandList for an #if line.
func (pp *preprocessor) expandIf(args []pptok) []pptok {
	src := &listSource{}
	src.push(args)
	var out []pptok
	want := func(text string) pptok {
		t, ok := src.next()
		if !ok || (text != "" && t.text != text) {
			giveUp("#if: %q expected", text)
		}
		return t
	}
	for {
		t, ok := src.next()
		if !ok {
			return out
		}
		if t.kind != ppIdent {
			out = append(out, t)
			continue
		}
		switch t.text {
		case "defined":
			n := want("")
			if n.text == "(" {
				n = want("")
				want(")")
			}
			if n.kind != ppIdent {
				giveUp("#if: defined without a macro name")
			}
			out = append(out, ppNum(pp.defined(n.text)))
			continue
		case "__has_include", "__has_include__", "__has_include_next":
			want("(")
			var operand []pptok
			for depth := 0; ; {
				a := want("")
				if a.text == "(" {
					depth++
				} else if a.text == ")" {
					if depth == 0 {
						break
					}
					depth--
				}
				operand = append(operand, a)
			}
			if len(operand) > 0 && operand[0].kind != ppString && operand[0].text != "<" {
				operand = pp.expandList(operand)
			}
			nm, quoted := headerName(operand)
			if nm == "" {
				giveUp("#if: %s: bad file name", t.text)
			}
			_, _, found := pp.find(nm, quoted, t.text == "__has_include_next")
			out = append(out, ppNum(found))
			continue
		case "__has_builtin", "__has_feature", "__has_extension":
			want("(")
			n := want("")
			want(")")
			supported := false
			if t.text == "__has_builtin" {
				if hb := pp.p.cfg.HasBuiltin; hb != nil {
					supported = hb(n.text)
				} else {
					supported = strings.HasPrefix(n.text, "__c11_atomic_") || strings.HasPrefix(n.text, "__sync_") || strings.HasPrefix(n.text, "__builtin_")
				}
			} else {
				switch n.text {
				case "c_atomic", "c_generic_selections", "c_thread_local", "c_alignas":
					supported = true
				}
			}
			out = append(out, ppNum(supported))
			continue
		}
		if pp.expand(t, src) {
			continue
		}
		out = append(out, t) // 0, see unary
	}
}

// ifValue is a value of an #if expression: intmax_t or uintmax_t.
type ifValue struct {
	v        int64
	unsigned bool
}

// ifExpr evaluates the tokens of an #if line by precedence climbing;
// eval false parses without evaluating (the side of && || ?: not taken),
// where dividing by zero is no error.
type ifExpr struct {
	toks []pptok
	i    int
}

func (e *ifExpr) peek() string {
	if e.i < len(e.toks) {
		if e.toks[e.i].kind == ppPunct {
			return e.toks[e.i].text
		}
	}
	return ""
}

func (e *ifExpr) cond(eval bool) ifValue {
	c := e.binary(0, eval)
	if e.peek() != "?" {
		return c
	}
	e.i++
	a := e.cond(eval && c.v != 0)
	if e.peek() != ":" {
		giveUp("#if: ':' expected")
	}
	e.i++
	b := e.cond(eval && c.v == 0)
	r := b
	if c.v != 0 {
		r = a
	}
	r.unsigned = a.unsigned || b.unsigned
	return r
}

var ifPrec = map[string]int{
	"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
	"<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
}

func (e *ifExpr) binary(min int, eval bool) ifValue {
	l := e.unary(eval)
	for {
		op := e.peek()
		prec, ok := ifPrec[op]
		if !ok || prec <= min {
			return l
		}
		e.i++
		switch op {
		case "&&":
			r := e.binary(prec, eval && l.v != 0)
			l = ifValue{v: b2i(l.v != 0 && r.v != 0)}
			continue
		case "||":
			r := e.binary(prec, eval && l.v == 0)
			l = ifValue{v: b2i(l.v != 0 || r.v != 0)}
			continue
		}
		r := e.binary(prec, eval)
		l = arith(op, l, r, eval)
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func arith(op string, l, r ifValue, eval bool) ifValue {
	u := l.unsigned || r.unsigned
	if op == "<<" || op == ">>" {
		u = l.unsigned
	}
	a, b := l.v, r.v
	ua, ub := uint64(a), uint64(b)
	res := ifValue{unsigned: u}
	switch op {
	case "*":
		res.v = a * b
	case "/", "%":
		if b == 0 {
			if eval {
				giveUp("#if: division by zero")
			}
			return res
		}
		switch {
		case u && op == "/":
			res.v = int64(ua / ub)
		case u:
			res.v = int64(ua % ub)
		case op == "/":
			res.v = a / b
		default:
			res.v = a % b
		}
	case "+":
		res.v = a + b
	case "-":
		res.v = a - b
	case "<<":
		if b < 0 || b >= 64 {
			res.v = 0
		} else {
			res.v = a << uint(b)
		}
	case ">>":
		switch {
		case b < 0 || b >= 64:
			res.v = 0
		case u:
			res.v = int64(ua >> uint(b))
		default:
			res.v = a >> uint(b)
		}
	case "<", ">", "<=", ">=":
		var t bool
		if u {
			t = op == "<" && ua < ub || op == ">" && ua > ub || op == "<=" && ua <= ub || op == ">=" && ua >= ub
		} else {
			t = op == "<" && a < b || op == ">" && a > b || op == "<=" && a <= b || op == ">=" && a >= b
		}
		return ifValue{v: b2i(t)}
	case "==":
		return ifValue{v: b2i(a == b)}
	case "!=":
		return ifValue{v: b2i(a != b)}
	case "&":
		res.v = a & b
	case "|":
		res.v = a | b
	case "^":
		res.v = a ^ b
	}
	return res
}

func (e *ifExpr) unary(eval bool) ifValue {
	if e.i >= len(e.toks) {
		giveUp("#if: unexpected end of expression")
	}
	t := e.toks[e.i]
	e.i++
	switch {
	case t.kind == ppPunct:
		switch t.text {
		case "(":
			v := e.cond(eval)
			if e.peek() != ")" {
				giveUp("#if: ')' expected")
			}
			e.i++
			return v
		case "+":
			return e.unary(eval)
		case "-":
			v := e.unary(eval)
			v.v = -v.v
			return v
		case "~":
			v := e.unary(eval)
			v.v = ^v.v
			return v
		case "!":
			v := e.unary(eval)
			return ifValue{v: b2i(v.v == 0)}
		}
	case t.kind == ppNumber:
		return ifNumber(t.text)
	case t.kind == ppIdent:
		// An identifier is 0, and so is one followed by a parenthesized
		// list, up to its first ')' (cc/v4's reading of sizeof(int) and
		// __has_attribute(x)).
		if e.peek() == "(" {
			for e.i < len(e.toks) && !(e.toks[e.i].kind == ppPunct && e.toks[e.i].text == ")") {
				e.i++
			}
			if e.i == len(e.toks) {
				giveUp("#if: unbalanced parenthesis")
			}
			e.i++
		}
		return ifValue{}
	case t.kind == ppString && (t.text[0] == '\'' || strings.HasSuffix(t.text, "'")):
		return ifChar(t.text)
	}
	giveUp("#if: unexpected %q", t.text)
	return ifValue{}
}

// ifNumber is the value of an integer constant.
func ifNumber(s string) ifValue {
	var v ifValue
	body := strings.TrimRight(s, "uUlL")
	if strings.ContainsAny(s[len(body):], "uU") {
		v.unsigned = true
	}
	base := 10
	switch {
	case len(body) > 2 && (body[:2] == "0x" || body[:2] == "0X"):
		base, body = 16, body[2:]
	case len(body) > 1 && body[0] == '0':
		base, body = 8, body[1:]
	}
	n, err := strconv.ParseUint(body, base, 64)
	if err != nil {
		giveUp("#if: %q is not an integer constant", s)
	}
	v.v = int64(n)
	if n > 1<<63-1 {
		v.unsigned = true
	}
	return v
}

// ifChar is the value of a character constant: a plain char is signed
// here, as on x86-64.
func ifChar(s string) ifValue {
	q := strings.IndexByte(s, '\'')
	prefix, body := s[:q], s[q+1:len(s)-1]
	r, _, tail, err := strconv.UnquoteChar(body, '\'')
	if err != nil || tail != "" {
		// Octal escapes above \377 and multi-character constants: cc/v4
		// decides.
		giveUp("#if: character constant %s", s)
	}
	if prefix == "" {
		return ifValue{v: int64(int8(r))}
	}
	return ifValue{v: int64(r)}
}
