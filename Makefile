# `make test` does every set-up step the tests need, then runs every test.
# .ci/run calls it with CI=true, under which a test that needs a missing tool
# (gcc, rustc) fails instead of skipping.

GO ?= go

.PHONY: all build test vet fmt-check

all: build

build:
	$(GO) build ./...

test: fmt-check vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.cache/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
