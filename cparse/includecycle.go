package cparse

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/vtablegen/vtablegen/vtable"
)

// includeCycle looks, before cc/v4 runs, for an #include cycle through
// unconditional includes: header -> ... -> a file already on the way,
// which nests without end (gcc stops at 200 levels; cc/v4 runs into its
// expansion bound after seconds and hundreds of MB). Only #include lines
// outside every #if/#ifdef/#ifndef are followed, so a guarded header, or
// one that includes itself under a condition, is never reported. It
// resolves "file" includes against the includer's directory then dirs,
// and <file> ones against dirs only (system headers are not followed). It
// returns the error at the #include line that closes the cycle, or nil.
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
		if err != nil || guarded(string(src)) {
			return nil
		}
		visited[abs], onPath[abs] = true, true
		defer func() { onPath[abs] = false }()
		chain = append(chain, filepath.Base(abs))
		cond := 0 // #if nesting: only unconditional includes are followed
		for i, line := range strings.Split(string(src), "\n") {
			t := strings.TrimSpace(line)
			if !strings.HasPrefix(t, "#") {
				continue
			}
			t = strings.TrimSpace(t[1:])
			switch {
			case strings.HasPrefix(t, "if"):
				cond++
				continue
			case strings.HasPrefix(t, "endif"):
				cond--
				continue
			}
			rest, ok := strings.CutPrefix(t, "include")
			if !ok || strings.HasPrefix(rest, "_next") || cond > 0 {
				continue
			}
			rest = strings.TrimSpace(rest)
			var name string
			var candidates []string
			switch {
			case strings.HasPrefix(rest, `"`):
				if j := strings.Index(rest[1:], `"`); j >= 0 {
					name = rest[1 : 1+j]
					candidates = append(candidates, filepath.Join(filepath.Dir(abs), name))
				}
			case strings.HasPrefix(rest, "<"):
				if j := strings.Index(rest, ">"); j >= 0 {
					name = rest[1:j]
				}
			}
			if name == "" {
				continue
			}
			for _, d := range dirs {
				candidates = append(candidates, filepath.Join(d, name))
			}
			for _, c := range candidates {
				if _, err := os.Stat(c); err != nil {
					continue
				}
				target, _ := filepath.Abs(c)
				if onPath[target] {
					return &vtable.Diagnostic{
						Pos:      token.Position{Filename: file, Line: i + 1, Column: strings.Index(line, "#") + 1},
						Severity: vtable.Error,
						Msg: fmt.Sprintf("#include nested too deeply: %s includes itself without an include guard (%s)",
							filepath.Base(target), strings.Join(append(chain, filepath.Base(target)), " -> ")),
					}
				}
				rel := c
				if d := walk(rel, chain); d != nil {
					return d
				}
				break
			}
		}
		return nil
	}
	return walk(header, nil)
}

// guarded reports a header with an include guard: #pragma once, or a
// first directive #ifndef X (or #if !defined X) followed by #define X.
func guarded(src string) bool {
	var directives []string
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			directives = append(directives, strings.Join(strings.Fields(strings.TrimSpace(t[1:])), " "))
			if len(directives) == 2 {
				break
			}
		}
	}
	if len(directives) == 0 {
		return false
	}
	if directives[0] == "pragma once" {
		return true
	}
	if len(directives) < 2 {
		return false
	}
	var macro string
	switch {
	case strings.HasPrefix(directives[0], "ifndef "):
		macro = strings.TrimSpace(strings.TrimPrefix(directives[0], "ifndef "))
	case strings.HasPrefix(directives[0], "if !defined"):
		macro = strings.Trim(strings.TrimSpace(strings.TrimPrefix(directives[0], "if !defined")), "() ")
	default:
		return false
	}
	f := strings.Fields(directives[1])
	return len(f) >= 2 && f[0] == "define" && f[1] == macro
}
