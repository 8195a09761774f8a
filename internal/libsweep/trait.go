package libsweep

import (
	"fmt"
	"regexp"
	"strings"
)

// trait is what the impls need of a trait file `vtablegen trait` wrote:
// its name and its methods in order.
type trait struct {
	name    string
	methods []method
}

type method struct {
	name string
	// member is the C member the method fills, from its doc line
	// "Fills `S.member` (...)", else the method's name.
	member string
	// attrs are the method's attributes (#[cfg(...)]), each with its line
	// break and indentation, copied onto the impl's method.
	attrs string
	// sig is the signature as the trait writes it, up to the body's {.
	sig string
	// result is the written result type, "" for none.
	result string
}

// body is a body that compiles for any result: nothing for (), a loop for
// !, else a zero value (C results are integers, pointers, Options of
// function pointers, or structs and unions, all valid when zero).
func (m method) body() string {
	switch m.result {
	case "", "()":
		return ""
	case "!":
		return "loop {}"
	}
	return "unsafe { ::core::mem::zeroed() }"
}

var (
	traitRx = regexp.MustCompile(`^pub trait (\w+)`)
	fnRx    = regexp.MustCompile(`^    (?:pub )?(?:unsafe )?(?:extern "C" )?fn (?:r#)?(\w+)`)
	fillsRx = regexp.MustCompile("^/// Fills `([^`]*)`")
)

// parseTrait reads the first trait of src: each method's signature
// (which may span lines) up to its body, whose braces are skipped.
func parseTrait(src string) (*trait, error) {
	lines := strings.Split(src, "\n")
	var t *trait
	var doc []string
	var attrs strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if t == nil {
			if m := traitRx.FindStringSubmatch(l); m != nil {
				t = &trait{name: m[1]}
			}
			continue
		}
		if l == "}" {
			return t, nil
		}
		s := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(s, "///"):
			doc = append(doc, s)
			continue
		case strings.HasPrefix(s, "#["):
			attrs.WriteString(s + "\n    ")
			continue
		}
		m := fnRx.FindStringSubmatch(l)
		if m == nil {
			doc = doc[:0]
			attrs.Reset()
			continue
		}
		// The signature, up to the { of the body.
		var sig strings.Builder
		j, col := i, -1
		for ; j < len(lines); j++ {
			if col = strings.IndexByte(lines[j], '{'); col >= 0 {
				sig.WriteString(strings.TrimRight(lines[j][:col], " "))
				break
			}
			sig.WriteString(lines[j] + "\n")
		}
		if j == len(lines) {
			return nil, fmt.Errorf("trait %s: method %s has no body", t.name, m[1])
		}
		// Skip the body: braces outside string literals.
		depth, inStr := 0, false
		for line := lines[j][col:]; ; line = lines[j] {
			for k := 0; k < len(line); k++ {
				switch c := line[k]; {
				case inStr && c == '\\':
					k++
				case c == '"':
					inStr = !inStr
				case !inStr && c == '{':
					depth++
				case !inStr && c == '}':
					depth--
				}
			}
			if depth == 0 || j+1 == len(lines) {
				break
			}
			j++
		}
		if depth != 0 {
			return nil, fmt.Errorf("trait %s: the body of method %s does not close", t.name, m[1])
		}
		mt := method{name: m[1], member: m[1], attrs: attrs.String(), sig: strings.TrimSpace(sig.String())}
		for _, d := range doc {
			if f := fillsRx.FindStringSubmatch(d); f != nil {
				path := f[1]
				mt.member = path[strings.LastIndexByte(path, '.')+1:]
			}
		}
		mt.result = result(mt.sig)
		t.methods = append(t.methods, mt)
		doc = doc[:0]
		attrs.Reset()
		i = j
	}
	if t == nil {
		return nil, fmt.Errorf("no `pub trait` in the trait file")
	}
	return nil, fmt.Errorf("trait %s does not close", t.name)
}

// result is the result type of a signature: what follows -> after the
// parameters' closing parenthesis.
func result(sig string) string {
	open := strings.IndexByte(sig, '(')
	if open < 0 {
		return ""
	}
	depth := 0
	for k := open; k < len(sig); k++ {
		switch sig[k] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				rest := strings.TrimSpace(sig[k+1:])
				if r, ok := strings.CutPrefix(rest, "->"); ok {
					return strings.TrimSpace(r)
				}
				return ""
			}
		}
	}
	return ""
}
