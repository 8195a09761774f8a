# vtablegen.mk: runs `vtablegen gen` from Make (GNU make 4.3 or later) and
# Kbuild, with the dependencies vtablegen reports.
#
#   VTABLEGEN         the command, default `vtablegen`
#   VTABLEGEN_CONFIG  the binding file, e.g. vtable.toml
#   VTABLEGEN_OUTPUTS the files the binding file names, e.g.
#                     gen/stream_ops_vtable.c gen/stream_ops_vtable.rs gen/stream_expanded.rs
#   VTABLEGEN_DEPFILE where the dependency file goes, default
#                     <first output>.d
#
# Include it after setting those, then depend on the outputs:
#
#   VTABLEGEN_CONFIG := vtable.toml
#   VTABLEGEN_OUTPUTS := gen/stream_ops_vtable.c gen/stream_ops_vtable.rs gen/stream_expanded.rs
#   include path/to/build/make/vtablegen.mk
#   main: main.c gen/stream_ops_vtable.c
#
# The outputs are one grouped target (&:): one run writes them all. The
# depfile names every input vtablegen read (the binding file, each header,
# transitively, the Rust sources), so touching any of them regenerates.
# vtablegen rewrites an output only when its bytes change, and -touch
# brings an unchanged output's time stamp past its inputs', so that after a
# change that leaves the outputs as they were (a comment in a header) make
# does not run vtablegen again on every build.

#
# Kbuild: set VTABLEGEN_KBUILD := y and include this from a module's Kbuild
# file, with paths under $(src) and $(obj). The binding's header is then
# preprocessed by the kernel's own compiler with the kernel's own C flags
# ($(c_flags), less its -Wp,-MMD,... which would write a file), run in the
# kernel's build directory, as the module's own sources are.

VTABLEGEN ?= vtablegen
VTABLEGEN_DEPFILE ?= $(firstword $(VTABLEGEN_OUTPUTS)).d

ifeq ($(VTABLEGEN_KBUILD),y)
vtablegen_comma := ,
VTABLEGEN_CFLAGS = -cpp "$(CC) -E" -- $(filter-out -Wp$(vtablegen_comma)%,$(c_flags))
endif

$(VTABLEGEN_OUTPUTS) &: $(VTABLEGEN_CONFIG)
	$(VTABLEGEN) gen -q -touch -config $(VTABLEGEN_CONFIG) -depfile $(VTABLEGEN_DEPFILE) $(VTABLEGEN_CFLAGS)

-include $(VTABLEGEN_DEPFILE)
