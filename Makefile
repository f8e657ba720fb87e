# Regulars: `make run` starts the service with demo data, `make test` runs every test.
GO        ?= go
BIN       := bin/regulars
export CGO_ENABLED := 1

.PHONY: build run test test-race lint fmt tidy bench clean browser postgres

build:
	$(GO) build -o $(BIN) ./cmd/regulars

## run: build and serve on 127.0.0.1:8080 with the demo hotel (data/regulars.db)
run: build
	./$(BIN) serve --demo

## test: every test (unit, integration, fuzz seed corpora, browser) with the service on
## the embedded SQLite engine, then the PostgreSQL engine's conformance suite and the
## service's tests (API, pages, kiosk, letters, commands) again on PostgreSQL, with the
## tests of several `regulars serve` processes on one database (internal/instances,
## skipped on the SQLite pass), on a throw-away server (scripts/with-postgres; REGULARS_TEST_POSTGRES names another).
## Each run ends with a line counting its tests.
ON_POSTGRES := ./preferences/postgres/... ./frontdesk/... ./kiosk/... ./scheduler/... ./internal/app/... ./cmd/... ./internal/instances/...
test: browser postgres
	./scripts/with-postgres sh -c '\
	  $(GO) test -count=1 -json $$($(GO) list ./... | grep -v /preferences/postgres) | $(GO) run ./internal/testsummary sqlite && \
	  REGULARS_TEST_ENGINE=postgres $(GO) test -count=1 -json $(ON_POSTGRES) | $(GO) run ./internal/testsummary postgres'

## test-race: the store, the scheduler, the kiosk and the HTTP shell under the race detector,
## where goroutines share state (rebuilds sqlite with -race: about a minute more)
RACE_PKGS := ./preferences/... ./scheduler/... ./kiosk/... ./internal/web/...
test-race: browser postgres
	./scripts/with-postgres $(GO) test -race -count=1 $(RACE_PKGS)

## browser: make sure headless Chromium is there for the browser tests
browser:
	@./scripts/ensure-chromium

## postgres: make sure PostgreSQL's server programs are there for the tests, unless
## REGULARS_TEST_POSTGRES names a server to use
postgres:
	@[ -n "$$REGULARS_TEST_POSTGRES" ] || ./scripts/ensure-postgres >/dev/null

## bench: measure the service at BENCH_GUESTS guests (default 1000000), BENCH_SECONDS per
## row (default 10), on each engine of BENCH_ENGINES (default "sqlite postgres"); writes
## bench/results.json and BENCHMARKS.md. SQLite's generated data is cached in bench/out;
## PostgreSQL runs on a throw-away server with fsync on (scripts/with-postgres) or on the
## server BENCH_POSTGRES names (its generated data kept there).
bench: build
	$(GO) build -o bin/regulars-bench ./cmd/regulars-bench
	REGULARS_TEST_POSTGRES="$${BENCH_POSTGRES:-$${REGULARS_TEST_POSTGRES:-}}" WITH_POSTGRES_FSYNC=on \
	  ./scripts/with-postgres ./bin/regulars-bench --regulars $(BIN)

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

tidy:
	$(GO) mod tidy

clean:
	rm -rf bin
