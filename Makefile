# ldnsite: two commands on a fresh machine.
#   make site   create .venv, install ldnsite, build build/ from content/
#   make test   install what the tests need (Chromium included), run the whole suite
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

LINT_FILES ?= src

.PHONY: help site test lint check serve schema golden browser bench mutation clean

help:
	@echo "make site    build the site into build/ (creates .venv and installs ldnsite)"
	@echo "make test    run the whole test suite (installs test tools and Chromium)"
	@echo "make serve   preview at http://127.0.0.1:8000/, rebuilding on every change"
	@echo "make lint    ruff (lint and format) and mypy on src/"
	@echo "make check   validate content/ in strict mode"
	@echo "make schema  regenerate schema/*.schema.json from the content model"
	@echo "make golden  regenerate the golden files of the test suite"
	@echo "make bench   run the benchmarks (see benchmarks/README.md)"
	@echo "make mutation  mutation testing on a seeded sample (see docs/development/mutation.md)"

$(BIN)/ldnsite: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[search]'
	@touch $@

$(VENV)/.test-deps: $(BIN)/ldnsite pyproject.toml package.json
	$(BIN)/pip install --quiet -e '.[test,search]'
	npm ci --no-audit --no-fund --silent
	@touch $@

site: $(BIN)/ldnsite
	$(BIN)/ldnsite build --strict

check: $(BIN)/ldnsite
	$(BIN)/ldnsite check --strict

serve: $(BIN)/ldnsite
	$(BIN)/ldnsite serve

schema: $(BIN)/ldnsite
	$(BIN)/ldnsite schema

browser:
	@sh scripts/install-browser.sh

# The whole of src/ is held to ruff (lint and format) and mypy; `make test` runs this first, as do
# pre-commit (the `lint` hook) and CI (through `make test`).
lint: $(VENV)/.test-deps
	$(BIN)/ruff check $(LINT_FILES)
	$(BIN)/ruff format --check $(LINT_FILES)
	$(BIN)/mypy $(LINT_FILES)

test: $(VENV)/.test-deps browser lint
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests; the suite is missing or mis-selected" >&2; exit 1; fi; \
	exit $$rc

golden: $(VENV)/.test-deps
	LDNSITE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_build_golden.py tests/test_problems_golden.py

bench: $(VENV)/.test-deps
	$(BIN)/python benchmarks/run.py

# Not part of `make test`: minutes per module. MUTATION_ARGS e.g. "--module cache --sample 40 --show".
MUTATION_ARGS ?=
mutation: $(VENV)/.test-deps
	$(BIN)/pip install --quiet 'mutmut>=3.3,<4'
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf build dist .build-staging-* $(VENV) node_modules test-artifacts
