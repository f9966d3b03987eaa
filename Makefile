# graphperf — the two commands are `make demo` and `make test`.
#
# Prerequisites: Go 1.26, Java 17, Maven 3.8+. Everything else (JanusGraph jars,
# Go modules) is fetched by these targets.

GO        ?= go
BIN       := bin/graphperf
PORT      ?= 8182
HOSTS     ?= 127.0.0.1:$(PORT)
JG        := GRAPHPERF_JANUSGRAPH_PORT=$(PORT) scripts/janusgraph.sh
# Integration tests fail (not skip) when the server is missing.
TESTENV   := GRAPHPERF_REQUIRE_SERVER=1 GRAPHPERF_HOSTS=$(HOSTS)
GOTEST_FLAGS ?= -count=1 -timeout 40m
# A module version of honnef.co/go/tools (`go list -m -versions
# honnef.co/go/tools`); the module proxy has no 2026.x.y version.
STATICCHECK_VERSION := v0.8.2

.PHONY: all build chromium test test-cluster unit integration vet lint demo janusgraph-start janusgraph-stop clean help

all: build

help: ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build bin/graphperf
	$(GO) build -o $(BIN) ./cmd/graphperf

vet: ## go vet
	$(GO) vet ./...

# lint: everything CI checks besides tests. staticcheck runs through `go run
# module@version`, so a clean clone needs nothing installed beyond Go.
lint: vet ## go vet + gofmt + go mod tidy -diff + staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

unit: ## unit tests only (no server needed; integration tests skip)
	$(GO) test $(GOTEST_FLAGS) -short ./...

# test: lint + unit + integration tests against a real JanusGraph. Starts the
# local server if none answers on $(PORT), and stops it afterwards only if this
# target started it.
# chromium: the browser tests (results/web) drive Debian's Chromium; install
# it when missing (as root, or through sudo), else fail: the tests never skip
# under `make test`.
CHROMIUM ?= /usr/bin/chromium
chromium: ## install Debian's Chromium for the browser tests when missing
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	echo "installing chromium (apt-get) for the browser tests"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "make: $(CHROMIUM) is missing and apt-get needs root: install the chromium package" >&2; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium || \
	  { echo "make: could not install chromium for the browser tests" >&2; exit 1; }; \
	[ -x "$(CHROMIUM)" ] || { echo "make: chromium installed but $(CHROMIUM) is missing (set CHROMIUM=...)" >&2; exit 1; }

test: lint chromium ## lint + unit + integration + browser tests against real JanusGraph
	@started=0; \
	if ! $(JG) status >/dev/null 2>&1; then \
	  $(JG) start || exit 1; started=1; \
	fi; \
	$(TESTENV) GRAPHPERF_CHROMIUM=$(CHROMIUM) $(GO) test $(GOTEST_FLAGS) ./...; rc=$$?; \
	if [ $$started = 1 ]; then $(JG) stop; fi; \
	exit $$rc

# test-cluster: the cluster fault tests, one private cluster at a time:
# kill -9 of a Gremlin server mid-load on a 2-node ring (RF 2) under 2 Gremlin
# servers (ports 8201-8202, Cassandra 127.0.0.1-2:9201/10201), then kill -9 of
# a Cassandra node mid-load on a 3-node ring (RF 3, QUORUM) under 1 server
# (port 8203, Cassandra 127.0.0.1-3:9203/10203). Each is stopped after.
# The single-node CQL tests (internal/cqltest) already run in `make test`.
test-cluster: ## CQL cluster fault tests: Gremlin server kill, Cassandra node kill (docs/cql.md)
	GRAPHPERF_REQUIRE_SERVER=1 $(GO) test -count=1 -timeout 60m -tags cluster -run TestCluster -v ./internal/cqltest

# integration: every test, with the server required, so that no test that
# needs JanusGraph is left out whatever its name (the unit tests come along:
# they take seconds). Unlike `test`, it neither lints nor starts a server.
integration: ## every test against a running server (fails when none answers on PORT)
	$(TESTENV) $(GO) test $(GOTEST_FLAGS) ./...

janusgraph-start: ## start the local JanusGraph (in-memory)
	$(JG) start

janusgraph-stop: ## stop the local JanusGraph
	$(JG) stop

# demo: start JanusGraph if needed, load a small banking graph (replacing what
# the demo loaded before), check it against the generator, then benchmark the
# query catalogue on it and print the table.
DEMO_SCALE ?= 0.01
DEMO_SEED  ?= 42
DEMO_STATE := .cache/demo-load-state
SERVE_LISTEN ?= 127.0.0.1:8080
demo: build ## start JanusGraph, load a small banking graph, run the query bench, store it, print the serve command
	@$(JG) start
	$(BIN) --hosts $(HOSTS) ping
	$(BIN) --hosts $(HOSTS) load --scale $(DEMO_SCALE) --seed $(DEMO_SEED) --drop --yes --verify --state $(DEMO_STATE)
	$(BIN) --hosts $(HOSTS) query-bench --scale $(DEMO_SCALE) --seed $(DEMO_SEED) --store-graph
	@echo
	@echo "The run is stored in the results graph. Browse it with:"
	@echo "  $(BIN) --hosts $(HOSTS) serve --listen $(SERVE_LISTEN)"
	@echo "then open http://$(SERVE_LISTEN)/ (docs/serve.md)."

clean: ## remove build output (keeps the JanusGraph jar cache)
	rm -rf bin
