package vtable

// Table is the bound table for one C struct and one vtable trait: for
// every impl of the trait and every member of the struct, what goes there.
// It is the one record of every decision; the emitters only print it.
type Table struct {
	// Struct is the C operations struct being filled.
	Struct *Struct
	// Trait is the Rust vtable trait the struct is bound to.
	Trait *Item
	// Binding is the binding the table was made with.
	Binding *Binding
	// Impls are the trait's impls in source order.
	Impls []*BoundImpl
	// Calls are, in declaration order, the function members a trait
	// method fills, each with the method and the plan of its trampoline
	// (nil where the signatures do not fit, which is reported).
	Calls []*Call
	// Rust is the Rust struct and VTABLE; nil when Rust cannot express
	// the struct (reported as a warning).
	Rust *RustStruct
}

// Call is a function member some trait method fills, and how the
// member's trampoline calls it.
type Call struct {
	Member *Member
	Method *Method
	Plan   *Plan
}

// BoundImpl is one impl of the trait, bound to the struct's members.
type BoundImpl struct {
	// Impl is the Rust impl.
	Impl *Item
	// Symbol is the impl's self type in snake case, e.g. "led_device" for
	// impl DeviceOps for LedDevice: the {impl} of the naming patterns.
	Symbol string
	// Initializer is the name of the impl's C initializer, e.g.
	// "led_device_device_ops".
	Initializer CIdent
	// Slots are the struct's members in declaration order (the members of
	// anonymous structs and unions in their place), each with what fills
	// it.
	Slots []*Slot
}

// SlotKind says what fills a member in one impl.
type SlotKind int

const (
	// Null is a function member no method fills: NULL.
	Null SlotKind = iota
	// Callback is the exported callback of a method of the impl.
	Callback
	// SameAs is the value of another member (Slot.Source).
	SameAs
	// Fallback is the rule's C expression for an impl without the method,
	// e.g. compat_ptr_ioctl.
	Fallback
	// Expr is a C expression the binding gives, e.g. THIS_MODULE.
	Expr
	// ConstValue is the value of a trait const, as a C literal.
	ConstValue
	// Zero is a member left zero: it is not designated. Data members
	// without a rule are zero.
	Zero
)

// String names the kind as the -json output spells it.
func (k SlotKind) String() string {
	return [...]string{"null", "callback", "same_as", "fallback", "expr", "const", "zero"}[k]
}

// Slot is one member of the struct as seen from one impl: the C side and
// the Rust side of the same thing.
type Slot struct {
	// Member is the C member, with its type and position.
	Member *Member
	// Kind says what fills the member.
	Kind SlotKind
	// Method is the Rust method that fills the member (Callback), or whose
	// absence gave the Fallback; nil otherwise.
	Method *Method
	// Callback is the C symbol of the exported callback, e.g.
	// "led_device_open": set for Callback, and for SameAs when the source
	// holds a callback; empty otherwise.
	Callback CIdent
	// Value is the C expression of a Fallback, Expr or ConstValue slot,
	// e.g. "THIS_MODULE" or "\"led\"".
	Value string
	// Source is the slot whose value a SameAs slot takes.
	Source *Slot
	// Rule is the member's rule in the binding; nil for the default.
	Rule *MemberRule
	// Plan is how the member's trampoline calls the method, for a member
	// some method fills (whatever this impl's HAS_* says); nil otherwise.
	Plan *Plan
	// Designated says the initializer names the member. It is false for
	// Zero slots and for the members of an anonymous union's other
	// alternatives: one initializer designates one alternative of a union
	// (the one the impl fills, or else the first), since a second would
	// overwrite the first.
	Designated bool
}

// CValue is the C expression the initializer gives the member: "NULL",
// the callback, or the slot's value; "" for a Zero slot.
func (s *Slot) CValue() string {
	switch s.Kind {
	case Callback:
		return string(s.Callback)
	case SameAs:
		return s.Source.CValue()
	case Fallback, Expr, ConstValue:
		return s.Value
	case Zero:
		return ""
	}
	return "NULL"
}

// Filled reports whether the member holds something other than NULL or
// zero.
func (s *Slot) Filled() bool {
	switch s.Kind {
	case Null, Zero:
		return false
	case SameAs:
		return s.Source.Filled()
	}
	return true
}
