package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// wantComment is a "// want "regexp"" comment beside an offending line.
var wantComment = regexp.MustCompile(`// want (".*")\s*$`)

// TestRustCases runs "consts" on the Rust files of each testdata/rust case
// ("args" holds extra flags, one per line) and checks every diagnostic
// against the // want comments of its line (each diagnostic must match one,
// each want must be matched) and, when the case has one, stdout.
func TestRustCases(t *testing.T) {
	loadCases(t, "rust", func(t *testing.T, path string, a archive) {
		dir := t.TempDir()
		args := []string{"consts"}
		var files []string
		var stdoutWant *string
		type want struct {
			re      *regexp.Regexp
			matched bool
		}
		wants := map[string][]*want{} // "file:line"
		for _, f := range a.files {
			switch {
			case f.name == "args":
				args = append(args, strings.Fields(string(f.data))...)
			case f.name == "stdout":
				s := string(f.data)
				stdoutWant = &s
			case strings.HasSuffix(f.name, ".rs"):
				files = append(files, writeArchiveFile(t, dir, f))
				for i, line := range strings.Split(string(f.data), "\n") {
					if m := wantComment.FindStringSubmatch(line); m != nil {
						// The quoted text is a regexp; \" stands for ".
						pattern := strings.ReplaceAll(m[1][1:len(m[1])-1], `\"`, `"`)
						key := f.name + ":" + strconv.Itoa(i+1)
						wants[key] = append(wants[key], &want{re: regexp.MustCompile(pattern)})
					}
				}
			}
		}
		slices.Sort(files)
		code, stdout, stderr := runCmd(append(args, files...)...)
		hasError := false
		for _, line := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
			if line == "" || strings.HasPrefix(line, "\t") {
				continue
			}
			line = strings.TrimPrefix(line, dir+string(filepath.Separator))
			parts := strings.SplitN(line, ":", 4)
			if len(parts) < 4 {
				t.Errorf("diagnostic without a position: %q", line)
				continue
			}
			msg := strings.TrimSpace(parts[3])
			if strings.HasPrefix(msg, "note: ") {
				continue // a place the diagnostic before points at
			}
			hasError = hasError || strings.HasPrefix(msg, "error: ")
			matched := false
			for _, w := range wants[parts[0]+":"+parts[1]] {
				if !w.matched && w.re.MatchString(msg) {
					w.matched, matched = true, true
					break
				}
			}
			if !matched {
				t.Errorf("unexpected diagnostic: %s", line)
			}
		}
		for key, ws := range wants {
			for _, w := range ws {
				if !w.matched {
					t.Errorf("%s: no diagnostic matches %q", key, w.re)
				}
			}
		}
		if wantCode := map[bool]int{true: 1, false: 0}[hasError]; code != wantCode {
			t.Errorf("exit %d, want %d", code, wantCode)
		}
		if stdoutWant != nil {
			if got := strings.ReplaceAll(stdout, dir+string(filepath.Separator), ""); got != *stdoutWant {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, *stdoutWant)
			}
		}
	})
}
