package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 2, "", "usage: vtablegen"},
		{[]string{"help"}, 0, "usage: vtablegen", ""},
		{[]string{"-help"}, 0, "usage: vtablegen", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code {
			t.Errorf("run(%q) = %d, want %d", tc.args, code, tc.code)
		}
		if tc.stdout != "" && !strings.Contains(out.String(), tc.stdout) || tc.stdout == "" && out.Len() != 0 {
			t.Errorf("run(%q) stdout = %q, want it to contain %q", tc.args, out.String(), tc.stdout)
		}
		if tc.stderr != "" && !strings.Contains(errb.String(), tc.stderr) || tc.stderr == "" && errb.Len() != 0 {
			t.Errorf("run(%q) stderr = %q, want it to contain %q", tc.args, errb.String(), tc.stderr)
		}
	}
}
