# shift: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift

.PHONY: build test demo bench clean

build:
	$(SWIFT) build

# Builds everything (the shift binary too: the integration tests run it), then runs every test.
# The tests are XCTest; the empty swift-testing pass is skipped so that XCTest's summary closes the run.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

demo: build
	./Examples/demo.sh

# Release build; figures are printed and belong in BENCHMARKS.md. The AWS figures need moto (started here).
bench:
	$(SWIFT) build -c release --product shift
	$(SWIFT) build -c release --product shift-bench
	.ci/with-moto .build/release/shift-bench .build/release/shift

clean:
	rm -rf .build demo-state
