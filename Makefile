# Two entry points: `make report` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MIRROR_DEFAULT := $(wildcard ../shared/data)
ALLEGIANCE_MIRROR ?= $(MIRROR_DEFAULT)
export ALLEGIANCE_MIRROR

.PHONY: report test install lint format bench clean

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

test: install
	$(BIN)/python -m pytest -q

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
