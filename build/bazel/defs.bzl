"""vtablegen_gen: runs `vtablegen gen` as a Bazel action.

    load("//build/bazel:defs.bzl", "vtablegen_gen")

    vtablegen_gen(
        name = "stream_vtable",
        config = "vtable.toml",
        hdrs = ["plugin.h"],
        srcs = ["stream.rs"],
        outs = ["gen/stream_ops_vtable.c", "gen/stream_ops_vtable.rs", "gen/stream_expanded.rs"],
        vtablegen = "//tools:vtablegen",
    )

    cc_library(name = "streamops", srcs = [":stream_vtable"], hdrs = ["plugin.h"])

Every input is declared (the binding file, the headers it reads, the Rust
sources) and every output, all in one directory, which the action passes
with -o so that vtablegen writes under Bazel's output tree; the action reads
nothing else of the workspace, so it can run sandboxed or remotely. Two
things come from the machine: the C compiler vtablegen asks for its
predefined macros (gcc or cc on PATH) and the system headers the binding's
header includes (<stddef.h>), which Bazel does not track.
"""

def _vtablegen_gen_impl(ctx):
    outs = [ctx.actions.declare_file(o) for o in ctx.attr.outs]
    outdir = outs[0].dirname
    for o in outs:
        if o.dirname != outdir:
            fail("vtablegen_gen: outs must be in one directory: %s and %s" % (outs[0].short_path, o.short_path))
    args = ctx.actions.args()
    args.add_all(["gen", "-q", "-config", ctx.file.config.path, "-o", outdir])
    ctx.actions.run(
        executable = ctx.executable.vtablegen,
        arguments = [args],
        inputs = [ctx.file.config] + ctx.files.hdrs + ctx.files.srcs,
        outputs = outs,
        mnemonic = "VtableGen",
        progress_message = "vtablegen %s" % ctx.file.config.short_path,
    )
    return [DefaultInfo(files = depset(outs))]

vtablegen_gen = rule(
    implementation = _vtablegen_gen_impl,
    doc = "Runs vtablegen gen on a binding file; see the file's docstring.",
    attrs = {
        "config": attr.label(allow_single_file = [".toml"], mandatory = True, doc = "The binding file."),
        "hdrs": attr.label_list(allow_files = [".h"], doc = "The headers the binding reads."),
        "srcs": attr.label_list(allow_files = [".rs"], doc = "The Rust sources of the binding."),
        "outs": attr.string_list(mandatory = True, doc = "The outputs the binding file names, in one directory."),
        "vtablegen": attr.label(executable = True, cfg = "exec", allow_single_file = True, mandatory = True, doc = "The vtablegen command."),
    },
)
