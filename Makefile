# khidi — run `make help` for the targets.

GO          ?= go
BIN         := bin/khidi
DEMO_DIR    ?= $(or $(TMPDIR),/tmp)/khidi-demo
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
LOAD_FLAGS  ?=

.PHONY: help build test bench lint ci demo solve-demo peers-bench load

build: ## build bin/khidi
	$(GO) build -o $(BIN) ./cmd/khidi

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

test: ## run every test once, with the race detector
	$(GO) test -race -count=1 ./...

bench: ## run the Go benchmarks beside the code
	$(GO) test -run='^$$' -bench=. -benchmem ./...

lint: ## gofmt check, go vet, staticcheck
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

ci: lint test ## what CI runs: lint, then the tests

demo: build ## a realistic programme in $(DEMO_DIR)/khidi.db, a round of every kind, the year's calendars
	@mkdir -p $(DEMO_DIR)
	$(BIN) demo --db sqlite:$(DEMO_DIR)/khidi.db --seed 1 --calendars $(DEMO_DIR)/calendars

solve-demo: build ## generate a 2000×2000 assignment and a 20k-applicant round, solve both and check their certificates
	@mkdir -p $(DEMO_DIR)
	$(GO) run ./benchmarks/gen dense 2000 1000 1 > $(DEMO_DIR)/dense2000.txt
	$(BIN) solve --verify --out $(DEMO_DIR)/dense2000.solution $(DEMO_DIR)/dense2000.txt
	$(GO) run ./benchmarks/gen transport 20000 1000 30 1 > $(DEMO_DIR)/transport20k.dimacs
	$(BIN) solve --verify --out $(DEMO_DIR)/transport20k.solution $(DEMO_DIR)/transport20k.dimacs

peers-bench: build ## khidi beside SciPy and LEMON on the same instances; rewrites benchmarks/RESULTS.md
	$(GO) run ./benchmarks/compare -khidi $(BIN) -results benchmarks/RESULTS.md

load: ## 200 hosts answering offers for 30 s on a throw-away PostgreSQL; latency, throughput and checks (LOAD_FLAGS=… for more)
	$(GO) run ./benchmarks/hostload $(LOAD_FLAGS)
