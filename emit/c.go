package emit

import (
	"path/filepath"
	"strconv"

	"github.com/vtablegen/vtablegen/vtable"
)

// C renders the C side of a bound table: the "Code generated" header, an
// #include of the header that defines the struct (include is spelled as
// given, e.g. "device.h"), a prototype of every callback with the member's
// C type, and per impl a const designated initializer naming every
// function member in declaration order, NULL where the impl has no method.
// Data members are left out of the initializer and so stay zero.
func C(t *vtable.Table, include string) []byte {
	var p Printer
	s := t.Struct
	p.P(Header)
	p.P("// From struct ", s.Name, " (", filepath.Base(s.Pos.Filename), ") and #[vtable] trait ", t.Trait.Name, " (", filepath.Base(t.Trait.Pos.Filename), ").")
	p.P()
	p.P("#include ", strconv.Quote(include))
	for _, b := range t.Impls {
		p.P()
		p.P("/* impl ", t.Trait.Name, " for ", b.Impl.Self, " */")
		for _, sl := range b.Slots {
			if sl.Callback != "" {
				p.P(sl.Member.Func.Prototype(sl.Callback), ";")
			}
		}
		p.P()
		p.P("const struct ", s.Name, " ", InitializerName(t, b), " = {")
		p.In()
		for _, sl := range b.Slots {
			value := "NULL"
			if sl.Callback != "" {
				value = string(sl.Callback)
			}
			p.P(".", sl.Member.Name, " = ", value, ",")
		}
		p.Out()
		p.P("};")
	}
	return p.Content()
}

// InitializerName is the C name of an impl's initializer,
// <impl in snake case>_<struct>, e.g. led_device_device_ops.
func InitializerName(t *vtable.Table, b *vtable.BoundImpl) string {
	return b.Symbol + "_" + string(t.Struct.Name)
}
