package vtable

import (
	"fmt"
	"go/token"
	"strings"
	"testing"
)

// bindFixture is a struct with the members the binding rules need and a
// trait with two impls, one with everything and one with the minimum.
func bindFixture() (*Struct, *Item, []*Item) {
	pos := func(line int) token.Position { return token.Position{Filename: "ops.h", Line: line, Column: 2} }
	fn := func(name string, line int) *Member {
		return &Member{Name: CIdent(name), Kind: Func, Pos: pos(line), Func: &FuncType{Result: "long"}}
	}
	s := &Struct{Name: "file_ops", Tag: "file_ops", Pos: pos(1), Members: []*Member{
		{Name: "owner", Kind: Data, Pos: pos(2)},
		{Name: "name", Kind: Data, Pos: pos(3)},
		{Name: "size", Kind: Data, Pos: pos(4)},
		fn("open", 5), fn("unlocked_ioctl", 6), fn("compat_ioctl", 7),
		fn("xConnect", 8), fn("xCreate", 9), fn("llseek", 10), fn("release", 11),
		{Name: "log", Kind: Func, Pos: pos(12), Func: &FuncType{Result: "void", Variadic: true}},
	}}
	rpos := func(line int) token.Position { return token.Position{Filename: "ops.rs", Line: line, Column: 5} }
	yes := true
	trait := &Item{Kind: Trait, Name: "FileOps", Pos: rpos(1), Methods: []*Method{
		{Name: "open", Required: true, Pos: rpos(2)}, {Name: "ioctl", HasBody: true, Pos: rpos(3)},
		{Name: "compat_ioctl", HasBody: true, Pos: rpos(4)}, {Name: "connect", HasBody: true, Pos: rpos(5)},
		{Name: "release", HasBody: true, Pos: rpos(6)},
	}, Consts: []*Const{{Name: "NAME", Type: "&'static CStr", Pos: rpos(7)}, {Name: "SIZE", Type: "usize", Expr: "4096usize", Pos: rpos(8)}}}
	full := &Item{Kind: Impl, Trait: "FileOps", Self: "FullDev", Pos: rpos(20), Methods: []*Method{
		{Name: "open"}, {Name: "ioctl"}, {Name: "compat_ioctl"}, {Name: "connect"}, {Name: "release"},
	}, Consts: []*Const{{Name: "NAME", Expr: `c"full"`, Pos: rpos(21)}}}
	least := &Item{Kind: Impl, Trait: "FileOps", Self: "LeastDev", Pos: rpos(30), Methods: []*Method{{Name: "open"}, {Name: "ioctl"}},
		Consts: []*Const{{Name: "NAME", Expr: `c_str!("least\n")`, Pos: rpos(31)}, {Name: "HAS_RELEASE", Value: &yes, User: true}}}
	return s, trait, []*Item{full, least}
}

func TestBindRules(t *testing.T) {
	s, trait, impls := bindFixture()
	cpos := func(line int) token.Position { return token.Position{Filename: "vtable.toml", Line: line, Column: 1} }
	b := &Binding{
		Members: []*MemberRule{
			{Member: "owner", Expr: "THIS_MODULE", Pos: cpos(1)},
			{Member: "name", Const: "NAME", Pos: cpos(2)},
			{Member: "size", Const: "SIZE", Pos: cpos(3)},
			{Member: "open", Required: true, Pos: cpos(4)},
			{Member: "unlocked_ioctl", Method: "ioctl", Pos: cpos(5)},
			{Member: "compat_ioctl", Fallback: "compat_ptr_ioctl", FallbackIf: "ioctl", Pos: cpos(6)},
			{Member: "xConnect", Method: "connect", Pos: cpos(7)},
			{Member: "xCreate", SameAs: "xConnect", Pos: cpos(8)},
			{Member: "llseek", Expr: "noop_llseek", Pos: cpos(9)},
			{Member: "log", Zero: true, Pos: cpos(10)},
		},
		Naming: Naming{Callback: "{impl}_{trait}_{member}", Initializer: "{impl}_vtbl"},
	}
	table, diags := Bind(s, trait, impls, b)
	if diags.HasErrors() || len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	var got []string
	for _, bi := range table.Impls {
		got = append(got, string(bi.Initializer)+":")
		for _, sl := range bi.Slots {
			if sl.Designated {
				got = append(got, fmt.Sprintf("\t%s = %s (%s)", sl.Member.Name, sl.CValue(), sl.Kind))
			}
		}
	}
	want := `full_dev_vtbl:
	owner = THIS_MODULE (expr)
	name = "full" (const)
	size = 4096 (const)
	open = full_dev_FileOps_open (callback)
	unlocked_ioctl = full_dev_FileOps_unlocked_ioctl (callback)
	compat_ioctl = full_dev_FileOps_compat_ioctl (callback)
	xConnect = full_dev_FileOps_xConnect (callback)
	xCreate = full_dev_FileOps_xConnect (same_as)
	llseek = noop_llseek (expr)
	release = full_dev_FileOps_release (callback)
least_dev_vtbl:
	owner = THIS_MODULE (expr)
	name = "least\n" (const)
	size = 4096 (const)
	open = least_dev_FileOps_open (callback)
	unlocked_ioctl = least_dev_FileOps_unlocked_ioctl (callback)
	compat_ioctl = compat_ptr_ioctl (fallback)
	xConnect = NULL (null)
	xCreate = NULL (same_as)
	llseek = noop_llseek (expr)
	release = least_dev_FileOps_release (callback)`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("got\n%s\nwant\n%s", g, want)
	}
}

func TestBindRuleErrors(t *testing.T) {
	cpos := func(line int) token.Position { return token.Position{Filename: "vtable.toml", Line: line, Column: 1} }
	for _, tc := range []struct {
		name  string
		rules []*MemberRule
		other func(*Binding, []*Item)
		want  string
	}{
		{"unknown member", []*MemberRule{{Member: "unlocked_ioct", Method: "ioctl"}},
			nil, `vtable.toml:1:1: error: no member unlocked_ioct in struct file_ops; did you mean "unlocked_ioctl"?`},
		{"unknown method", []*MemberRule{{Member: "unlocked_ioctl", Method: "iotcl"}},
			nil, `vtable.toml:1:1: error: no method iotcl in trait FileOps; did you mean "ioctl"?`},
		{"unknown const", []*MemberRule{{Member: "name", Const: "NAEM"}},
			nil, `vtable.toml:1:1: error: no const NAEM in trait FileOps; did you mean "NAME"?`},
		{"method to data member", []*MemberRule{{Member: "owner", Method: "open"}},
			nil, "vtable.toml:1:1: error: method open given to data member owner: a data member takes expr, const or zero"},
		{"data member without a value", []*MemberRule{{Member: "owner", Required: true}},
			nil, "vtable.toml:1:1: error: the rule for data member owner gives it no value: use expr, const or zero"},
		{"two rules", []*MemberRule{{Member: "llseek", Expr: "a"}, {Member: "llseek", Expr: "b"}},
			nil, "vtable.toml:2:1: error: two rules for member llseek"},
		{"two sources", []*MemberRule{{Member: "llseek", Expr: "a", Zero: true}},
			nil, "vtable.toml:1:1: error: the rule for member llseek sets both expr and zero: give it one source"},
		{"loop", []*MemberRule{{Member: "xConnect", SameAs: "xCreate"}, {Member: "xCreate", SameAs: "xConnect"}},
			nil, "vtable.toml:1:1: error: same_as rules loop: xConnect -> xCreate -> xConnect"},
		{"variadic", []*MemberRule{{Member: "log", Method: "release"}},
			nil, "ops.h:12:2: error: member log is variadic, and stable Rust cannot define a variadic function (c_variadic is unstable): give it an expr, or zero"},
		{"method fills nothing", []*MemberRule{{Member: "unlocked_ioctl", Method: "ioctl"}},
			func(b *Binding, _ []*Item) { b.Unbound = nil; b.Members = b.Members[:1] },
			`ops.rs:5:5: error: method "connect" of trait FileOps has no function member in struct file_ops: bind it with a member rule, or mark it unbound`},
		{"unknown unbound", []*MemberRule{{Member: "unlocked_ioctl", Method: "ioctl"}},
			func(b *Binding, _ []*Item) { b.Unbound = append(b.Unbound, Named{Name: "conect", Pos: cpos(9)}) },
			`vtable.toml:9:1: error: no method conect in trait FileOps; did you mean "connect"?`},
		{"required left NULL", []*MemberRule{{Member: "compat_ioctl", Required: true}},
			nil, "ops.rs:30:5: error: impl FileOps for LeastDev leaves member compat_ioctl NULL, and the binding requires it"},
		{"const not a literal", []*MemberRule{{Member: "name", Const: "NAME"}},
			func(_ *Binding, impls []*Item) { impls[0].Consts[0].Expr = "make_name()" },
			`ops.rs:21:5: error: const NAME = make_name() cannot be written in C`},
		{"naming", nil,
			func(b *Binding, _ []*Item) { b.Naming = Naming{Callback: "{impl}-{memebr}", Pos: cpos(7)} },
			`vtable.toml:7:1: error: callback pattern "{impl}-{memebr}" has an unknown placeholder {memebr}; did you mean "member"?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, trait, impls := bindFixture()
			b := &Binding{Unbound: []Named{{Name: "connect"}}}
			for i, r := range tc.rules {
				r.Pos = cpos(i + 1)
				b.Members = append(b.Members, r)
			}
			if tc.other != nil {
				tc.other(b, impls)
			}
			_, diags := Bind(s, trait, impls, b)
			diags.Sort()
			if !strings.Contains(diags.Error(), tc.want) || !diags.HasErrors() {
				t.Errorf("got\n%s\nwant a line starting\n%s", diags.Error(), tc.want)
			}
		})
	}
}

func TestCLiteral(t *testing.T) {
	for in, want := range map[string]string{
		`"led"`: `"led"`, `c"led"`: `"led"`, `c_str!("led")`: `"led"`, `"a\"b\\n"`: `"a\"b\\n"`, `"tab\t"`: `"tab\t"`,
		`"\x41z"`: `"\x41""z"`, `"??="`: `"?\?="`, "4096": "4096", "0x1F_u32": "0x1F", "0o17": "017", "0b101i8": "0b101",
		"true": "1", "false": "0", "1_000usize": "1000",
		`foo()`: "", `"\u{1F600}"`: "", "1.5": "", "0xZZ": "", `b"x"`: "",
	} {
		got, ok := CLiteral(in)
		if got != want || ok != (want != "") {
			t.Errorf("CLiteral(%s) = %s, %v; want %s", in, got, ok, want)
		}
	}
}
