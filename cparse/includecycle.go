package cparse

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// includeDirective is one #include line of a file: its position, the name
// it includes, whether it is a "quoted" include, and whether it stands
// inside an #if, #ifdef or #ifndef (an include guard included).
type includeDirective struct {
	line, column int
	name         string
	quoted, cond bool
}

// includeDirectives lists the #include lines of src (not #include_next),
// read line by line without the preprocessor.
func includeDirectives(src string) []includeDirective {
	var out []includeDirective
	depth := 0
	for i, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, "#") {
			continue
		}
		t = strings.TrimSpace(t[1:])
		switch {
		case strings.HasPrefix(t, "if"):
			depth++
			continue
		case strings.HasPrefix(t, "endif"):
			depth--
			continue
		}
		rest, ok := strings.CutPrefix(t, "include")
		if !ok || strings.HasPrefix(rest, "_next") {
			continue
		}
		rest = strings.TrimSpace(rest)
		d := includeDirective{line: i + 1, column: strings.Index(line, "#") + 1, cond: depth > 0}
		switch {
		case strings.HasPrefix(rest, `"`):
			if j := strings.Index(rest[1:], `"`); j >= 0 {
				d.name, d.quoted = rest[1:1+j], true
			}
		case strings.HasPrefix(rest, "<"):
			if j := strings.Index(rest, ">"); j >= 0 {
				d.name = rest[1:j]
			}
		}
		if d.name != "" {
			out = append(out, d)
		}
	}
	return out
}

// includeCycle looks, before cc/v4 runs, for an #include cycle through
// unconditional includes: header -> ... -> a file already on the way,
// which nests without end (gcc stops at 200 levels; cc/v4 runs into its
// expansion bound after seconds and hundreds of MB). Only #include lines
// outside every #if/#ifdef/#ifndef are followed, so a header with an
// include guard, or one that includes itself under a condition, is never
// reported (nor one with #pragma once). It resolves "file" includes
// against the includer's directory then dirs, and <file> ones against
// dirs only (system headers are not followed). It returns the error at
// the #include line that closes the cycle, or nil.
func includeCycle(header string, dirs []string) *vtable.Diagnostic {
	onPath := map[string]bool{}
	visited := map[string]bool{}
	var walk func(file string, chain []string) *vtable.Diagnostic
	walk = func(file string, chain []string) *vtable.Diagnostic {
		abs, err := filepath.Abs(file)
		if err != nil || visited[abs] && !onPath[abs] {
			return nil
		}
		st, err := os.Stat(abs)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxHeaderBytes {
			return nil
		}
		src, err := os.ReadFile(abs)
		if err != nil || strings.Contains(string(src), "#pragma once") {
			return nil
		}
		visited[abs], onPath[abs] = true, true
		defer func() { onPath[abs] = false }()
		chain = append(chain, filepath.Base(abs))
		for _, inc := range includeDirectives(string(src)) {
			if inc.cond {
				continue
			}
			var candidates []string
			if inc.quoted {
				candidates = append(candidates, filepath.Join(filepath.Dir(abs), inc.name))
			}
			for _, d := range dirs {
				candidates = append(candidates, filepath.Join(d, inc.name))
			}
			for _, c := range candidates {
				if _, err := os.Stat(c); err != nil {
					continue
				}
				target, _ := filepath.Abs(c)
				if onPath[target] {
					return &vtable.Diagnostic{
						Pos:      token.Position{Filename: file, Line: inc.line, Column: inc.column},
						Severity: vtable.Error,
						Msg: fmt.Sprintf("#include nested too deeply: %s includes itself without an include guard (%s)",
							filepath.Base(target), strings.Join(append(chain, filepath.Base(target)), " -> ")),
					}
				}
				if d := walk(c, chain); d != nil {
					return d
				}
				break
			}
		}
		return nil
	}
	return walk(header, nil)
}
