package emit

import "testing"

func TestAdapterFnName(t *testing.T) {
	for in, want := range map[string]string{
		"Adapter::<T>::read_callback": "read_callback",
		"Self::read_callback":         "read_callback",
		"read_callback":               "read_callback",
	} {
		if got := adapterFnName(in); got != want {
			t.Errorf("adapterFnName(%q) = %q, want %q", in, got, want)
		}
	}
}
