# shift: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
PREFIX ?= /usr/local

# The shipped binary: one `shift` with the Swift runtime, Foundation, SwiftNIO and BoringSSL linked in, so it
# runs on a glibc Linux of the same architecture with no Swift installed. It is built in a folder of its own, so
# a debug build or a test run can go on beside it; the bench is built with the same flags, so the two share one
# build of every module. No $ORIGIN run path: the binary loads no library of its own, and with one the dynamic
# loader looks for libc, libm, libstdc++ and libz in some 40 subfolders of the binary's folder at every start.
#
# The C++ runtime, libgcc and zlib are linked in too, so that `ldd` lists only the C library's parts (libc, libm,
# the loader): the toolchain's static-stdlib-args.lnk asks for `-lstdc++`, and swift-nio-extras (through
# async-http-client) for `-lz`, both ahead of any flag of ours. So a folder searched first holds linker scripts
# named libstdc++.so and libz.so that name the static archives (`INPUT(/usr/lib/.../libz.a)`); `-static-libgcc`
# makes clang link libgcc_eh.a for unwinding instead of libgcc_s.so. `make release` checks the result with ldd.
STATIC_BUILD = .build/static
STATIC_LIBRARIES = $(abspath $(STATIC_BUILD))/static-libraries
TOOLCHAIN_CLANG = $(dir $(realpath $(shell command -v $(SWIFT))))clang
#
# `--no-export-dynamic` undoes the `-export-dynamic` of static-stdlib-args.lnk: the binary loads no plugin that
# would look up its symbols, and the Swift runtime's start-up `dladdr` (finding its own path for the backtracer)
# scans every exported symbol, 36,000 of them here, paging in 3 MB of symbol tables at every start.
#
# `-no-pie` (`make release PIE=yes` leaves it out): a position-independent binary of this size has 126,000 relative
# relocations that the dynamic loader applies at every start, writing every page of Swift metadata and BoringSSL's
# tables, which doubles the start-up of every command (BENCHMARKS.md, "Start-up"). Linked at a fixed address, the
# binary starts as fast as a one-line static Swift program; the C library, stack, heap and every mapping stay
# randomised, as for Go's default executables on Linux (terraform, kubectl). `PIE=yes` keeps the binary's own code
# randomised too, at that start-up cost.
PIE ?= no
PIE_FLAGS = $(if $(filter yes,$(PIE)),,-Xlinker -no-pie)
#
# `-disable-concrete-type-metadata-mangled-name-accessors` (a Swift frontend option): code that needs the metadata
# of a concrete generic type, `KeyedDecodingContainer<FunctionRecord.CodingKeys>` say, calls that type's accessor
# instead of asking the runtime to demangle its name. Demangling checks the type's generic requirements by
# protocol-conformance lookups, and the first lookup of each type scans all 10,600 conformance records of a
# binary this size: about 0.1 ms each, a dozen of them in `shift invoke` (BENCHMARKS.md, "`shift invoke` against
# running the handler directly"). The price is a slightly larger binary (0.3 %).
STATIC_FLAGS = --scratch-path $(STATIC_BUILD) -c release --static-swift-stdlib --disable-local-rpath -Xlinker -s \
	-Xlinker --no-export-dynamic $(PIE_FLAGS) -Xswiftc -L$(STATIC_LIBRARIES) -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors

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
release: $(STATIC_LIBRARIES)
	$(SWIFT) build $(STATIC_FLAGS) --product shift
	@libraries=$$(ldd $(STATIC_BUILD)/release/shift | awk '{print $$1}' | grep -Ev '^(linux-vdso\.so|/lib64/ld-linux|libc\.so|libm\.so)'); \
	if [ -n "$$libraries" ]; then echo "error: $(STATIC_BUILD)/release/shift loads more than the C library:" $$libraries >&2; exit 1; fi

# Linker scripts standing for libstdc++ and libz, each naming the static archive the toolchain's clang finds.
$(STATIC_LIBRARIES):
	@mkdir -p $@.tmp
	@for library in stdc++ z; do \
		archive=$$($(TOOLCHAIN_CLANG) -print-file-name=lib$$library.a); \
		case "$$archive" in /*) echo "INPUT($$archive)" > $@.tmp/lib$$library.so ;; \
		*) echo "error: no lib$$library.a for a static link (install libstdc++-dev and zlib1g-dev)" >&2; rm -rf $@.tmp; exit 1 ;; esac; \
	done
	@mv $@.tmp $@

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
