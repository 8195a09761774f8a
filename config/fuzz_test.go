package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the binding-file reader: it must
// never panic, every diagnostic must be positioned inside the input, and a
// file read without errors must have bindings that name a struct.
func FuzzParse(f *testing.F) {
	f.Add([]byte("[[binding]]\nstruct = \"ops\"\nheader = \"ops.h\"\nrust = [\"ops.rs\"]\n\n[binding.members]\nowner = { expr = \"THIS_MODULE\", rust = \"crate::M\" }\nopen = { required = true }\nunlocked_ioctl = \"ioctl\"\n"))
	f.Add([]byte("[[binding]]\nstruct = \"file_operations\"\nkbuild_cmd = \".x.o.cmd\"\nrust = [\"a.rs\"]\nrust_style = \"kernel\"\nrust_every_member = true\n[binding.cfg]\nX = 'feature = \"x\"'\n[binding.naming]\ncallback = \"{impl}_{member}\"\n"))
	f.Add([]byte("[[binding]]\nstruct = 1\n[[binding]]\n[binding.members]\nx = { fallback = \"f\", if = \"g\", zero = true }\n"))
	f.Add([]byte("a = \"\\u0000\"\n[[binding]]\nstruct = \"s\"\x00"))
	f.Add([]byte("[[binding]]\nstruct = \"s\"\nheader = \"h\"\nrust = [\"r.rs\"]\n[binding.members]\n\"a b\" = \"c\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := Parse("vtable.toml", data)
		lines := strings.Split(string(data), "\n")
		for _, d := range diags {
			p := d.Pos
			if p.Filename != "vtable.toml" || p.Line < 1 || p.Line > len(lines)+1 || p.Column < 1 {
				t.Fatalf("diagnostic outside the input (%d lines): %v", len(lines), d)
			}
		}
		if !diags.HasErrors() && file != nil {
			for _, b := range file.Bindings {
				if b.Struct == "" {
					t.Fatalf("a binding without a struct read without error: %+v", b)
				}
			}
		}
	})
}
