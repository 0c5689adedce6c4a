# shift: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local

# The shipped binary: one `shift` with the Swift runtime, Foundation, SwiftNIO and BoringSSL linked in, so it
# runs on a glibc Linux of the same architecture with no Swift installed. It is built in a folder of its own, so
# a debug build or a test run can go on beside it; the bench is built with the same flags, so the two share one
# build of every module. No $ORIGIN run path: the binary loads no library of its own, and with one the dynamic
# loader looks for libc, libm, libstdc++ and libz in some 40 subfolders of the binary's folder at every start.
STATIC_BUILD = .build/static
STATIC_FLAGS = --scratch-path $(STATIC_BUILD) -c release --static-swift-stdlib --disable-local-rpath -Xlinker -s

.PHONY: build test demo bench bench-start-up bench-python-runtime release install clean

build:
	$(SWIFT) build

# Builds everything (the shift binary too: the integration tests run it), then runs every test.
# The tests are XCTest; the empty swift-testing pass is skipped so that XCTest's summary closes the run.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

demo: build
	./Examples/demo.sh

# The static release binary: .build/static/release/shift.
release:
	$(SWIFT) build $(STATIC_FLAGS) --product shift

# Installs the static release binary as $(PREFIX)/bin/shift.
install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(STATIC_BUILD)/release/shift $(DESTDIR)$(PREFIX)/bin/shift

# Release build (the static binary users install); figures are printed and belong in BENCHMARKS.md. The AWS
# figures need moto (started here).
bench: release
	$(SWIFT) build $(STATIC_FLAGS) --product shift-bench
	.ci/with-moto $(STATIC_BUILD)/release/shift-bench $(STATIC_BUILD)/release/shift

# Only the invoke and start-up figures (no moto needed).
bench-start-up: release
	$(SWIFT) build $(STATIC_FLAGS) --product shift-bench
	$(STATIC_BUILD)/release/shift-bench $(STATIC_BUILD)/release/shift --start-up

bench-python-runtime: release
	$(SWIFT) build $(STATIC_FLAGS) --product shift-bench
	$(STATIC_BUILD)/release/shift-bench $(STATIC_BUILD)/release/shift --python-runtime

clean:
	rm -rf .build demo-state
