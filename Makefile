# Two entry points: `make report` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MIRROR_DEFAULT := $(wildcard ../shared/data)
ALLEGIANCE_MIRROR ?= $(MIRROR_DEFAULT)
export ALLEGIANCE_MIRROR

.PHONY: report test test-fast install lint format bench clean serve

$(BIN)/allegiance: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(BIN)/allegiance

install: $(BIN)/allegiance

report: install
ifeq ($(strip $(ALLEGIANCE_MIRROR)),)
	$(BIN)/allegiance fetch
	$(BIN)/allegiance build
else
	$(BIN)/allegiance build --from $(ALLEGIANCE_MIRROR)
endif
	$(BIN)/allegiance report --out out/report.html

# The dashboard and JSON API on http://127.0.0.1:8000/ (PORT=8080 make serve for another port).
PORT ?= 8000
serve: install
	$(BIN)/allegiance serve --port $(PORT)

# Modules whose docstring examples run without a store; the others' examples are marked
# +SKIP because they need a built store (the tests cover those calls).
DOCTESTS := $(addprefix src/allegiance/,dates.py citation.py poles.py issues.py states.py \
	sources/symbols.py measures/agreement.py measures/cohesion.py kb/models.py \
	analysis/frames.py analysis/regions.py analysis/sourcing.py)

# The whole suite: import contracts, lint, doctests and every test (builds the store once).
test: install
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q -p no:cacheprovider $(DOCTESTS) tests

# The inner loop: no store build and no Spark session (those tests are left out), under a
# minute.
test-fast: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not store and not spark" $(DOCTESTS) tests

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	export ALLEGIANCE_BENCH_DB=$${ALLEGIANCE_BENCH_DB:-$$(mktemp -d)/allegiance.duckdb}; \
	test -f $$ALLEGIANCE_BENCH_DB || $(BIN)/allegiance build --from $(ALLEGIANCE_MIRROR) --db $$ALLEGIANCE_BENCH_DB >/dev/null; \
	for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf out build dist *.egg-info
