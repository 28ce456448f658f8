# budgetkg: two commands on a fresh machine with Python 3.11: `make demo`, `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_STORE := demo-store

.PHONY: demo test test-engines test-all bench lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or: make PYTHON=python3 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_STORE)
	$(BIN)/budgetkg ingest --store $(DEMO_STORE) --jobs 2 examples/*.pdf examples/nine-table/*.pdf
	@echo
	@echo "Which projects cite 晋综示发〔2020〕49号?"
	$(BIN)/budgetkg query projects-citing --store $(DEMO_STORE) --param policy='晋综示发〔2020〕49号' --format table
	@echo
	@echo "Which disclosures are in the store (both layouts: 山西 预算公开表1-13 and 上海 nine-table)?"
	$(BIN)/budgetkg query organizations --store $(DEMO_STORE) --format table

# Two worker processes on the 2-core machine (pytest-xdist). `make test` leaves out the tests
# marked `engines` (they start the Oxigraph server, Virtuoso or Chromium: about 2 more minutes);
# `make test-engines` runs only those, `make test-all` everything; .ci/run runs test and test-engines.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m "not engines"

test-engines: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m engines

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(DEMO_STORE) .pytest_cache
