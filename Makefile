# `make test` does every set-up step the tests need, then runs every test.
# .ci/run calls it with CI=true, under which a test that needs a missing tool
# (gcc, rustc) fails instead of skipping.

GO ?= go

.PHONY: all build test vet fmt-check fixtures userspace-deps build-tools

all: build

build:
	$(GO) build ./...

test: fixtures userspace-deps build-tools fmt-check vet
	$(GO) test ./...

# Fixtures go to .cache (git-ignored): Debian's Linux 6.12 headers and
# Kbuild, the reference Kbuild unit built from them with its DWARF, and the
# Rust code of linux-source-6.12, and of linux-source-7.2 (sid) and -7.3
# (trixie-backports) through a private apt configuration under .cache;
# Debian's Linux 7.2 and 7.3 headers, with the reference unit (for drift)
# and each tree's bindings_helper.h (for audit) preprocessed; the units of
# the header sweep's sample (scripts/sweep-sample.txt) with their DWARF;
# Debian's Linux 7.3.4 kernel (built with Rust) with its exact toolchain in
# a trixie chroot, the crates out-of-tree Rust modules need regenerated from
# its source, and its vmlinuz for QEMU (scripts/kernel-rust-7.3.sh, about
# 5 minutes from empty; scripts/qemu-boot.sh builds and boots with it).
fixtures:
	bash scripts/kernel-fixtures.sh .cache
	bash scripts/kernel-units.sh .cache
	bash scripts/rust-fixtures.sh .cache
	bash scripts/rust-fixtures-7.sh .cache
	bash scripts/kernel-headers-7.sh .cache
	bash scripts/kernel-sweep.sh .cache .cache/kernel/sweep - < scripts/sweep-sample.txt
	bash scripts/kernel-rust-7.3.sh .cache

# libfuse3-dev, libsqlite3-dev, bindgen and libclang-dev, and the -dev
# packages of the library sweep's sample, installed when missing.
userspace-deps:
	bash scripts/userspace-deps.sh
	bash scripts/libsweep-deps.sh scripts/libs-sample.txt

# make, cmake, ninja-build, meson and bazel-bootstrap, whose vtablegen
# fragments the tests run, and dwarves (pahole, for Kbuild's BTF step),
# installed when missing.
build-tools:
	bash scripts/build-tools.sh

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.cache/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
