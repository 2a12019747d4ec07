# Every command betdb's developers run is spelled out here; CI calls these targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
DOCS_STAMP := $(VENV)/.docs-installed
# sqlc finds the plugin and dbmate finds nothing else on its own: the venv's tools come first.
export PATH := $(BIN):$(PATH)
# dbmate dump must use the pg_dump of the embedded server's own major version.
PGBIN = $$($(BIN)/python -m betdb.embedded bindir)

.PHONY: help install generate migrate schema check lint lint-migrations typecheck drift import-cycles verify docs docs-check test soak bench bench-quick bench-huge demo clean corpus

help:
	@echo "make test      lint, type-check, drift check, then the test suite (a real PostgreSQL)"
	@echo "make soak      the load soak for 60 s per scenario, async and sync: none, restart, kills, network cut; sync also timeouts and Ctrl-C"
	@echo "make demo      start the local server, migrate, load the sample week, show every command"
	@echo "make generate  regenerate src/betdb/generated from db/queries and the schema dump"
	@echo "make schema    dump db/schema/schema.sql from a scratch server migrated from zero"
	@echo "make migrate   dbmate up against DATABASE_URL, else the local embedded server"
	@echo "make bench     betdb vs raw asyncpg, pydantic, SQLAlchemy, aiosql (ARGS=--quick: < 3 min)"
	@echo "make corpus CORPUS=DIR  every sqlc project under DIR through the plugin, then verified (ARGS=--json F --markdown F)"
	@echo "make docs      build the documentation site into build/site (mkdocs --strict)"
	@echo "make docs-check  screenshots of the built site in headless Chromium, into build/docs-check"
	@echo "make bench-huge  the scale queries at 10^6, 10^7, 10^8 odds rows (HUGE_DIR=, ~20 GB)"

# The plugin is a distribution of its own (plugin/), which betdb's dev extra names: it goes in first.
$(STAMP): pyproject.toml plugin/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
	  || { $(PYTHON) -m pip install --quiet --user virtualenv && $(PYTHON) -m virtualenv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ./plugin
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# A venv whose betdb once carried the plugin's script loses it when that betdb is replaced.
	test -x $(BIN)/sqlc-gen-asyncpg || $(BIN)/python -m pip install --quiet \
	  --disable-pip-version-check --no-deps --force-reinstall -e ./plugin
	touch $@

install: $(STAMP)

generate: $(STAMP)
	sqlc generate

migrate: $(STAMP)
	url="$${DATABASE_URL:-$$($(BIN)/python -m betdb.embedded start)}"; \
	  DATABASE_URL="$$url" dbmate --migration-lock --no-dump-schema up --strict

schema: $(STAMP)
	PATH="$(PGBIN):$$PATH" $(BIN)/python tools/devtools.py schema db/schema/schema.sql

lint: $(STAMP)
	ruff check src tests bench tools plugin
	ruff format --check src tests bench tools plugin

# squawk knows nothing of dbmate's markers: it gets each file's up-section only. A rule knowingly
# ignored is ignored in that file, with a `-- squawk-ignore-file RULE` line saying why.
lint-migrations: $(STAMP)
	status=0; for file in db/migrations/*.sql; do \
	  awk '/^-- migrate:down/ {exit} {print}' "$$file" \
	    | squawk --assume-in-transaction --pg-version=18.0 --reporter gcc \
	        --stdin-filepath "$$file" || status=1; \
	done; exit $$status

# bench/ imports the bench extra's libraries (SQLAlchemy, aiosql), so they are installed first.
typecheck: $(STAMP) $(BENCH_STAMP)
	mypy --strict src bench

drift: $(STAMP)
	PATH="$(PGBIN):$$PATH" $(BIN)/python tools/devtools.py drift

# The import graph of both packages has no cycle.
import-cycles: $(STAMP)
	$(BIN)/python tools/import_cycles.py

# The plugin's verify: every generated query prepared on a server migrated from zero, its types
# compared with the server's (what users of the plugin run in their CI after dbmate up).
verify: $(STAMP)
	$(BIN)/python tools/devtools.py verify

# The documentation site (docs/, mkdocs.yml) into build/site. --strict: a broken link, a page
# missing from the nav or a docstring mkdocstrings cannot read fails the build. Nothing is
# fetched: no web fonts, no inventories of other sites.
$(DOCS_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'
	touch $@

docs: $(STAMP) $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Headless Chromium (Debian's package, installed when missing as root) screenshots the built
# home page and the CLI reference into build/docs-check/*.png.
docs-check: docs
	$(BIN)/python tools/docs_browser.py build/site build/docs-check

check: lint lint-migrations typecheck drift import-cycles verify docs

# Other people's sqlc projects through the plugin, generated offline and with sqlc's database
# analyzer on a scratch server, then verified. Not in make test: their files stay outside the tree.
corpus: $(STAMP)
	@test -n "$(CORPUS)" || { echo "usage: make corpus CORPUS=DIR [ARGS='--json F --markdown F']" >&2; exit 2; }
	$(BIN)/python tools/corpus.py "$(CORPUS)" $(ARGS)

# The bench extra too, so the benchmarks' smoke test runs and they cannot rot unnoticed.
test: check $(BENCH_STAMP)
	$(BIN)/python -m pytest

# make test runs the soak for a few seconds per scenario and 8 fuzzed files per import format;
# this runs them at length (about 5 min, then 400 files per format, about 4 min).
# Figures: build/soak/*.json.
soak: $(STAMP)
	BETDB_SOAK_SECONDS=$${BETDB_SOAK_SECONDS:-60} $(BIN)/python -m pytest -m soak tests/soak
	BETDB_FUZZ_PROFILE=soak $(BIN)/python -m pytest tests/fuzz

# Benchmarks print ratios measured in one run; they never fail on a number. They compare betdb
# with libraries of its own extra (bench), installed next to dev. Output: build/bench/.
$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench $(ARGS)

bench-quick: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python -m bench --quick $(ARGS)

# The scale benchmark at 10^6, 10^7 and 10^8 odds rows: about half an hour and ~20 GB under
# HUGE_DIR (absent or empty; deleted afterwards, ARGS=--keep keeps it). Output: build/bench-huge/.
HUGE_DIR ?= /tmp/betdb-bench-huge
bench-huge: $(STAMP) $(BENCH_STAMP)
	nice -n 10 $(BIN)/python -m bench.huge --data-dir $(HUGE_DIR) $(ARGS)

# The local server keeps running afterwards (betdb server stop); a second run prints the same.
demo: $(STAMP)
	$(BIN)/betdb demo --out build/demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
