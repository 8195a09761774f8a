package vtable

import "testing"

func TestCLiteralIntExpr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1 << 0 | 1 << 5", "33"},
		{"1 + 2 << 3", "24"}, // Rust: + binds tighter than <<
		{"0x10 | 0b1 & 0o7", "17"},
		{"(1 << 4) - 1", "15"},
		{"!0", "(-1)"},
		{"3 ^ 1 | 4", "6"},
		{"1_000 * 2u32", "2000"},
		{"1 << 63 | 1 << 62", "13835058055282163712ULL"},
		{"-7 % 3", "(-1)"},
	} {
		got, ok := CLiteral(c.in)
		if !ok || got != c.want {
			t.Errorf("CLiteral(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"1 / 0", "1 << 200", "FLAG_A | 1", "1 +", "(1", "1 == 1", "1 << -1", "1.5"} {
		if got, ok := CLiteral(in); ok {
			t.Errorf("CLiteral(%q) = %q, want not ok", in, got)
		}
	}
}
