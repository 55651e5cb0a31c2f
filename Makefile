# Entry points for users and CI. Every target prepares what it needs first
# (as root: Debian packages, the virtual environment, the base image), and a
# second run reuses what the first one built.
SHELL := /bin/bash
HARNESS := tests/harness

.PHONY: help setup test demo demo-destroy bench clean
help:
	@echo "make demo          bring up local podman hosts and deploy the collection on them"
	@echo "make demo-destroy  remove the demo hosts"
	@echo "make test          run every test layer (SCENARIOS=\"a b\" for some Molecule scenarios)"
	@echo "make bench         run the benchmarks (figures in BENCHMARKS.md)"
	@echo "make setup         only prepare this machine"
	@echo "make clean         remove tests/output (the cache in /var/cache/prime-hermod-stack stays)"

setup:
	@PHS_TARGET=setup $(HARNESS)/setup.sh

test:
	@PHS_TARGET=test $(HARNESS)/setup.sh
	@PHS_TARGET=test $(HARNESS)/test.sh $(LAYERS)

demo:
	@PHS_TARGET=demo $(HARNESS)/setup.sh
	@PHS_TARGET=demo $(HARNESS)/demo.sh up

demo-destroy:
	@PHS_TARGET=demo-destroy $(HARNESS)/demo.sh down

bench:
	@PHS_TARGET=bench $(HARNESS)/setup.sh
	@PHS_TARGET=bench $(HARNESS)/bench.sh $(BENCHMARKS)

clean:
	rm -rf tests/output
