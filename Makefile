# swift-sqlgen: build, generate, test.
#   make generate   install what is missing, build, run sqlgen on the bundled MTenant CRM
#   make test       install what is missing, run the test suite against a throwaway PostgreSQL 15
#                   (the library's tests, the plugin checks, the MTenant CRM example's end-to-end tests and
#                   the PostgresNIO integration's tests),
#                   then a 60-second fuzz smoke over the committed corpus (FUZZ_SMOKE_SECONDS)
#   make docs       install what is missing, build the DocC documentation of SQLGenRuntime and SQLGenCore
#                   into .build/docs/ (swift-docc-plugin; static-hosting layout)
SHELL := /bin/bash
SWIFT ?= swift
CONFIGURATION ?= debug

.PHONY: all deps test-deps build release generate goldens test test-crm test-postgres-nio crm-seed crm-serve fuzz bench-runtime bench-tenancy bench-generator bench-build builtin-catalog docs lint format db-start db-stop clean

all: generate

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFT) build -c $(CONFIGURATION)

release: deps
	$(SWIFT) build -c release --product sqlgen

generate: build
	$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/sqlgen generate --config sqlgen.yaml

# The runtime's tests run in a process of their own: the generator's tests are seconds of CPU on the
# cooperative threads, and beside them the runtime's timeouts and connects would wait for a thread.
test: test-deps
	scripts/with-test-db.sh bash -c '$(SWIFT) test --skip SQLGenRuntimeTests && $(SWIFT) test --skip-build --filter SQLGenRuntimeTests && scripts/check-plugin.sh && scripts/test-crm-example.sh && scripts/test-postgres-nio.sh'
	scripts/fuzz.sh $${FUZZ_SMOKE_SECONDS:-60}

# Only the MTenant CRM example's end-to-end tests.
test-crm: test-deps
	scripts/with-test-db.sh scripts/test-crm-example.sh

# Only the PostgresNIO integration's tests (Integrations/SQLGenPostgresNIO).
test-postgres-nio: test-deps
	scripts/with-test-db.sh scripts/test-postgres-nio.sh

# The MTenant CRM example against the `make db-start` database: apply migrations and seed three tenants, then serve.
# DATABASE_URL, when set, chooses another database.
crm-seed: deps
	@url=$${DATABASE_URL:-$$(scripts/dev-db.sh url)} || exit 1; \
	cd Examples/MTenantCRM && DATABASE_URL="$$url" $(SWIFT) run mtenant-crm seed

crm-serve: deps
	@url=$${DATABASE_URL:-$$(scripts/dev-db.sh url)} || exit 1; \
	cd Examples/MTenantCRM && DATABASE_URL="$$url" $(SWIFT) run mtenant-crm serve

# Regenerates the golden files the emitter tests compare with (review the diff before committing).
goldens: build
	$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/sqlgen generate --quiet --config sqlgen.yaml --output Tests/SQLGenCoreTests/Goldens/MTenantCRM
	$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/sqlgen generate --quiet --config Tests/GeneratedEdgeCaseTests/sqlgen.yaml --output Tests/SQLGenCoreTests/Goldens/EdgeCases

# Front end + catalog (and, as they land, analysis and emission) on the synthetic corpus, beside sqlc.
bench-generator: release
	scripts/bench-generator.py

# Build time of generated code through the build plugin: clean, one query file changed, nothing changed.
bench-build: deps
	scripts/bench-build.py

# Runtime point-select benchmark beside libpq in C and PostgresNIO (builds the Benchmarks/ package).
bench-runtime: deps
	scripts/bench-runtime.sh

# Tenancy benchmark: random vs single tenant through generated code, beside pgbench -S; CRM provisioning rate.
bench-tenancy: deps
	scripts/bench-tenancy.sh

# Regenerates Sources/SQLGenCore/Catalog/Builtin/BuiltinCatalogData.swift from a real PostgreSQL 15.
builtin-catalog: deps
	scripts/with-test-db.sh python3 scripts/generate-builtin-catalog.py

# DocC archives of the runtime and the generator, laid out for static hosting, in .build/docs/<target>.
DOCS_DIR ?= .build/docs
docs: deps
	@mkdir -p $(DOCS_DIR)
	@for target in SQLGenRuntime SQLGenCore; do \
		$(SWIFT) package --allow-writing-to-directory $(DOCS_DIR) generate-documentation \
			--target $$target --output-path $(DOCS_DIR)/$$target \
			--disable-indexing --transform-for-static-hosting --hosting-base-path $$target \
			--warnings-as-errors || exit 1; \
	done

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

# A long-lived local database for development (data in .build-db/, port 5432 on localhost).
db-start: deps
	scripts/dev-db.sh start

db-stop:
	scripts/dev-db.sh stop

clean:
	rm -rf .build

# libFuzzer over parse → catalog → analysis → emission, seeded from the test corpus (FUZZ_SECONDS, default 600).
fuzz: deps
	scripts/fuzz.sh $${FUZZ_SECONDS:-600}
