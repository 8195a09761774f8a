package vtable

import (
	"go/token"
	"testing"
)

func TestDiagnosticsSortAndFormat(t *testing.T) {
	var l Diagnostics
	if l.Err() != nil {
		t.Fatalf("empty list: Err() = %v, want nil", l.Err())
	}
	l.Warn(token.Position{Filename: "b.rs", Line: 1, Column: 1}, "vtable inside macro %q", "m")
	if l.Err() != nil {
		t.Fatalf("warnings only: Err() = %v, want nil", l.Err())
	}
	d := l.Add(token.Position{Filename: "a.rs", Line: 12, Column: 5}, "method %q has no member in struct %s", "opne", "device_ops")
	d.Related = append(d.Related, Related{Pos: token.Position{Filename: "ops.h", Line: 7, Column: 2}, Msg: "struct declared here"})
	l.Add(token.Position{Filename: "a.rs", Line: 3, Column: 9}, "first")
	l.Sort()
	want := "a.rs:3:9: error: first\n" +
		"a.rs:12:5: error: method \"opne\" has no member in struct device_ops\n" +
		"ops.h:7:2: note: struct declared here\n" +
		"b.rs:1:1: warning: vtable inside macro \"m\""
	if got := l.Err(); got == nil || got.Error() != want {
		t.Errorf("Err() =\n%v\nwant\n%s", got, want)
	}
}

func TestKindStrings(t *testing.T) {
	for k, want := range map[MemberKind]string{Data: "data", Func: "func", AnonStruct: "struct", AnonUnion: "union"} {
		if got := k.String(); got != want {
			t.Errorf("MemberKind(%d).String() = %q, want %q", k, got, want)
		}
	}
	if Trait.String() != "trait" || Impl.String() != "impl" {
		t.Errorf("ItemKind strings = %q, %q", Trait, Impl)
	}
}

func TestFuncMembersDescendsIntoAnonymous(t *testing.T) {
	open := &Member{Name: "open", Kind: Func}
	read := &Member{Name: "read", Kind: Func}
	s := &Struct{Name: "device_ops", Members: []*Member{
		{Name: "name", Kind: Data},
		open,
		{Kind: AnonUnion, Fields: []*Member{read, {Name: "flags", Kind: Data}}},
	}}
	got := s.FuncMembers()
	if len(got) != 2 || got[0] != open || got[1] != read {
		t.Errorf("FuncMembers() = %v, want [open read]", got)
	}
}
