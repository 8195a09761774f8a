// Package libsweep runs vtablegen's whole userspace pipeline over the
// public headers of real C libraries (Debian's -dev packages) and says, for
// every struct with function-pointer members, which step failed and why.
//
// For each library of a list (scripts/libs.txt; the sample make test runs is
// scripts/libs-sample.txt), its headers are read with its pkg-config C
// flags by `vtablegen structs -json`, and every struct of the library's own
// headers goes through the steps a user takes:
//
//  1. trait: `vtablegen trait -header H -struct S -o DIR` writes the trait
//     file and the starter binding file, vtable.toml;
//  2. impls: three impls of the trait are written next to it, defining no
//     method, every method, and every other one, each method's signature
//     copied from the trait file and its body a zero value;
//  3. gen: `vtablegen gen` in DIR, with the binding file as written;
//  4. rustc: the Rust side, a lib.rs that include!s the generated files,
//     built by plain `rustc --edition 2021 --crate-type staticlib`, each
//     impl's Rust VTABLE evaluated;
//  5. gcc: the C file compiled with `gcc -Wall -Wextra -Werror -c` and the
//     library's C flags, from a copy of the project at another depth of the
//     file system (as another checkout builds a committed file);
//  6. link: the object, the staticlib and the library linked into a shared
//     object with --no-undefined, so that an unresolved symbol is an error;
//  7. check: in the object, each impl's initializer holds, at the member
//     offsets `structs -json` gave, exactly that impl's callbacks (the
//     relocations into the symbol) and zero everywhere else.
//
// A failure is recorded with its step and first error line and put in a
// class (Classify); a variadic member, which a Rust method cannot fill, is a
// note. The harness never works around what it finds: a file vtablegen
// writes is used as written.
package libsweep

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Library is one line of a library list: a library whose headers the sweep
// reads, e.g. SQLite's sqlite3.h and sqlite3ext.h.
type Library struct {
	// Name names the library in the table, e.g. "sqlite3".
	Name string
	// Package is the Debian package with its headers, e.g.
	// "libsqlite3-dev"; scripts/libsweep-deps.sh installs it.
	Package string
	// PkgConfig are the pkg-config modules whose --cflags the headers are
	// read with and whose --libs the object is linked with, e.g. "sqlite3".
	PkgConfig []string
	// Own are the paths (a trailing / for a directory) of the headers
	// whose structs are the library's: a struct declared elsewhere (GLib's
	// in a GTK header's unit) is left to its own library. Empty: the
	// headers themselves.
	Own []string
	// Headers are the headers read, as written in the list, e.g.
	// "sqlite3.h": found in the C flags' -I directories, then in
	// /usr/include/<multiarch> and /usr/include.
	Headers []string
	// Only, when not empty, are the structs swept (by the name given to
	// -struct), e.g. "sqlite3_module": a list's HEADER:S1,S2.
	Only map[string]bool
	// CFlags are C flags added to pkg-config's, e.g. "-DFUSE_USE_VERSION=31".
	CFlags []string
	// Pos is where the list gives it, e.g. "scripts/libs.txt:12".
	Pos string
}

// ParseList reads a library list: one library a line, as
//
//	NAME PACKAGE PKG-CONFIG OWN HEADER[:STRUCT,...]... [-- CFLAG...]
//
// where PKG-CONFIG is a comma-separated list of modules or "-" for none,
// OWN a comma-separated list of paths or "-" for the headers themselves,
// relative paths are under the include directories, and the STRUCTs after
// a header, when given, are the only structs of the library swept. Blank
// lines and lines starting with # are skipped.
func ParseList(r io.Reader, file string) ([]Library, error) {
	var libs []Library
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		var flags []string
		for i, f := range fields {
			if f == "--" {
				fields, flags = fields[:i], fields[i+1:]
				break
			}
		}
		pos := fmt.Sprintf("%s:%d", file, n)
		if len(fields) < 5 {
			return nil, fmt.Errorf("%s: want NAME PACKAGE PKG-CONFIG OWN HEADER... [-- CFLAG...], got %q", pos, line)
		}
		lib := Library{
			Name: fields[0], Package: fields[1],
			PkgConfig: splitList(fields[2]), Own: splitList(fields[3]),
			CFlags: flags, Pos: pos,
		}
		for _, h := range fields[4:] {
			h, only, ok := strings.Cut(h, ":")
			lib.Headers = append(lib.Headers, h)
			if !ok {
				continue
			}
			if lib.Only == nil {
				lib.Only = map[string]bool{}
			}
			for _, s := range strings.Split(only, ",") {
				lib.Only[s] = true
			}
		}
		libs = append(libs, lib)
	}
	return libs, sc.Err()
}

// ReadList reads the library list in file.
func ReadList(file string) ([]Library, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseList(f, file)
}

func splitList(s string) []string {
	if s == "-" {
		return nil
	}
	return strings.Split(s, ",")
}

// includeDirs are the directories relative header and own paths are
// found in: the -I directories of flags, then the system's.
func includeDirs(flags []string, multiarch string) []string {
	var dirs []string
	for i, f := range flags {
		switch {
		case f == "-I" && i+1 < len(flags):
			dirs = append(dirs, flags[i+1])
		case strings.HasPrefix(f, "-I") && len(f) > 2:
			dirs = append(dirs, f[2:])
		}
	}
	if multiarch != "" {
		dirs = append(dirs, filepath.Join("/usr/include", multiarch))
	}
	return append(dirs, "/usr/include")
}

// resolveHeader returns the file a list's header names, or "" when none
// of dirs has it.
func resolveHeader(h string, dirs []string) string {
	if filepath.IsAbs(h) {
		if _, err := os.Stat(h); err == nil {
			return h
		}
		return ""
	}
	for _, d := range dirs {
		p := filepath.Join(d, h)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// owns reports whether the struct declared in file is the library's: file
// is one of its headers when own is empty, else one of own's paths: a
// header (.h) itself, a directory (a trailing /) and what is under it, or
// a prefix of file names.
func owns(file string, own, headers, dirs []string) bool {
	file = filepath.Clean(file)
	if len(own) == 0 {
		for _, h := range headers {
			if file == h {
				return true
			}
		}
		return false
	}
	for _, o := range own {
		prefixes := []string{o}
		if !filepath.IsAbs(o) {
			prefixes = nil
			for _, d := range dirs {
				p := filepath.Join(d, o)
				if strings.HasSuffix(o, "/") {
					p += "/"
				}
				prefixes = append(prefixes, p)
			}
		}
		for _, p := range prefixes {
			// A header is itself, a directory (trailing /) what is under it,
			// anything else a prefix of file names (gst/gst: gst/gstbin.h).
			if strings.HasSuffix(p, ".h") && file == p || !strings.HasSuffix(p, ".h") && strings.HasPrefix(file, p) {
				return true
			}
		}
	}
	return false
}
