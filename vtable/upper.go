package vtable

import (
	"strings"
	"unicode"
)

// RustUpper upper-cases s exactly as Rust's str::to_uppercase does: the
// full Unicode mapping, where one character may become several (ß becomes
// SS). Go's strings.ToUpper applies only the one-to-one mapping and an older
// Unicode version, so the characters where the two differ come from a table
// generated from rustc (upper_table.go, checked against rustc by
// TestRustUpperParity).
func RustUpper(s string) string {
	var b strings.Builder
	for _, r := range s {
		if u, ok := rustUpperSpecial[r]; ok {
			b.WriteString(u)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// HasName returns the name of the HAS_* const of a method, e.g. HAS_READ
// for read: "HAS_" and the method name upper-cased as Rust's to_uppercase
// does.
func HasName(method RustIdent) RustIdent {
	return RustIdent("HAS_" + RustUpper(string(method)))
}
