package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestRuleSpellings checks that every TOML spelling of a member rule gives
// the same rule, with the position of each value.
func TestRuleSpellings(t *testing.T) {
	for name, doc := range map[string]string{
		"inline": `[[binding]]
header = "h.h"
rust = ["a.rs"]
[binding.members]
unlocked_ioctl = { method = "ioctl", required = true }
`,
		"dotted": `[[binding]]
header = "h.h"
rust = ["a.rs"]
members.unlocked_ioctl.method = "ioctl"
members.unlocked_ioctl.required = true
`,
		"table": `[[binding]]
header = "h.h"
rust = ["a.rs"]
[binding.members.unlocked_ioctl]
method = "ioctl"
required = true
`,
		"inline members": `[[binding]]
header = "h.h"
rust = ["a.rs"]
members = { unlocked_ioctl = { method = "ioctl", required = true } }
`,
	} {
		f, diags := Parse("v.toml", []byte(doc))
		if len(diags) != 0 || f == nil {
			t.Errorf("%s: %v", name, diags)
			continue
		}
		b := f.Bindings[0]
		if len(b.Rules.Members) != 1 {
			t.Errorf("%s: %d rules", name, len(b.Rules.Members))
			continue
		}
		r := b.Rules.Members[0]
		got := fmt.Sprintf("%s method=%s required=%v at %s", r.Member, r.Method, r.Required, r.Values["method"])
		if !strings.HasPrefix(got, "unlocked_ioctl method=ioctl required=true at v.toml:") {
			t.Errorf("%s: %s", name, got)
		}
		if b.Header != "h.h" || len(b.Rust) != 1 || b.At("header").Line != 2 {
			t.Errorf("%s: binding %+v", name, b)
		}
	}
}

// TestShorthand checks member = "method".
func TestShorthand(t *testing.T) {
	f, diags := Parse("v.toml", []byte("[[binding]]\nheader = \"h.h\"\nrust = [\"a.rs\"]\n[binding.members]\nunlocked_ioctl = \"ioctl\"\n"))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	r := f.Bindings[0].Rules.Members[0]
	if r.Member != "unlocked_ioctl" || r.Method != "ioctl" || r.Values["method"].String() != "v.toml:5:18" {
		t.Errorf("%+v", r)
	}
}

// TestParseErrors checks a few documents that are not binding files.
func TestParseErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"":                                    "v.toml:1:1: error: no [[binding]] table",
		"x = 1\n":                             "v.toml:1:1: error: unknown key x: settings go in a [[binding]] table",
		"[binding]\nheader = \"h\"\n":         "v.toml:1:2: error: unknown table [binding]",
		"[[binding]]\nheader = \n":            "v.toml:2:",
		"[[binding]]\nrust = [\"a\", 1]\n":    "v.toml:2:14: error: rust must be an array of strings",
		"[[binding]]\nheader = \"\"\nrust=[]": "v.toml:2:1: error: header must not be empty",
	} {
		_, diags := Parse("v.toml", []byte(doc))
		if !strings.Contains(diags.Error(), want) {
			t.Errorf("%q:\n%s\nwant %q", doc, diags.Error(), want)
		}
	}
}
