# Entry points for users and CI. Every target prepares what it needs first
# (as root: Debian packages, the virtual environment, the base image), and a
# second run reuses what the first one built.
SHELL := /bin/bash
HARNESS := tests/harness

.PHONY: help setup test demo demo-destroy ee bench clean verify-class
help:
	@echo "make demo          bring up local podman hosts and deploy the collection on them"
	@echo "make demo-destroy  remove the demo hosts"
	@echo "make ee            build the execution environment and run the demo's playbooks in it (after make demo)"
	@echo "make test          run every test layer (SCENARIOS=\"a b\" for some Molecule scenarios)"
	@echo "make bench         run the benchmarks (figures in BENCHMARKS.md)"
	@echo "make setup         only prepare this machine"
	@echo "make verify-class  rebuild roles/verify/files/TrustCheck.class from its source (javac)"
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

ee:
	@PHS_TARGET=ee $(HARNESS)/setup.sh
	@PHS_TARGET=ee $(HARNESS)/ee.sh build
	@PHS_TARGET=ee $(HARNESS)/ee.sh run

bench:
	@PHS_TARGET=bench $(HARNESS)/setup.sh
	@PHS_TARGET=bench $(HARNESS)/bench.sh $(BENCHMARKS)

clean:
	rm -rf tests/output

# verify runs its check as a compiled class, so that a runtime without the
# jdk.compiler module (a jlink'd JDK) can run it; Java 8 class files, so that
# every JVM Tomcat 9 and 10.1 run on can load it. javac's output depends only
# on the source and javac's version; the playbooks layer compares the two.
verify-class:
	javac --release 8 -d roles/verify/files roles/verify/files/TrustCheck.java
