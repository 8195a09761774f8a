package cparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vtablegen/vtablegen/internal/testtool"
	"github.com/vtablegen/vtablegen/vtable"
)

// TestIncludeFlagSearch: an -include file is looked for as gcc looks
// ("as if #include "file" appeared as the first line of the primary
// source file", but first in the preprocessor's working directory instead
// of the main file's directory, then the rest of the "..." chain), by both
// embedded preprocessors; one found nowhere is a single error, not the
// errors of the header that needs it.
func TestIncludeFlagSearch(t *testing.T) {
	testtool.Need(t, "gcc")
	dir := t.TempDir()
	for name, text := range map[string]string{
		"inc/decls.h": "typedef struct stream STREAM;\nstruct from_inc { int (*f)(void); };\n",
		"inc/only.h":  "typedef struct stream STREAM;\n",
		"inc/sub/x.h": "typedef struct stream STREAM;\n",
		"cwd/decls.h": "typedef struct stream STREAM;\nstruct from_cwd { int (*f)(void); };\n",
		"hdr/ops.h":   "struct ops { int (*read)(STREAM *s, char *buf); };\n",
		"hdr/local.h": "typedef struct stream STREAM;\n",
		"other/x":     "",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, text)
	}
	ops := filepath.Join(dir, "hdr", "ops.h")
	inc := filepath.Join(dir, "inc")
	for _, tc := range []struct {
		cwd     string
		flags   []string
		structs string // the structs read, or the one error
	}{
		{"other", []string{"-I", inc, "-include", "only.h"}, "ops"},
		{"other", []string{"-I" + inc, "-include", "decls.h"}, "from_inc ops"},
		{"other", []string{"-iquote", inc, "-include", "sub/x.h"}, "ops"},
		{"cwd", []string{"-I", inc, "-include", "decls.h"}, "from_cwd ops"},
		{"other", []string{"-include", filepath.Join(inc, "decls.h")}, "from_inc ops"},
		// Not the main file's directory, as gcc.
		{"other", []string{"-I", inc, "-include", "local.h"}, ops + ":1:1: error: -include local.h: no such file in the working directory or the #include \"...\" search path"},
	} {
		t.Chdir(filepath.Join(dir, tc.cwd))
		for _, own := range []bool{true, false} {
			ownPreprocessor = own
			p, err := NewParser(Options{Flags: tc.flags})
			if err != nil {
				t.Fatal(err)
			}
			if own && !strings.Contains(tc.structs, "error") {
				// The own preprocessor reads it, not cc/v4's after it
				// gave up.
				if _, _, err := p.preprocessEmbedded(ops); err != nil {
					t.Errorf("in %s, %q: own preprocessor: %v", tc.cwd, tc.flags, err)
				}
			}
			u, diags := p.Parse(ops)
			ownPreprocessor = true
			var got []string
			if u != nil {
				for _, s := range u.Structs {
					got = append(got, string(s.Name))
				}
			}
			for _, d := range diags {
				if d.Severity != vtable.Verbose {
					got = append(got, d.Error())
				}
			}
			if g := strings.Join(got, " "); g != tc.structs {
				t.Errorf("in %s, %q (own preprocessor %v): %s\nwant %s", tc.cwd, tc.flags, own, g, tc.structs)
			}
		}
	}
}
