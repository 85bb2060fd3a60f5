# herald's developer commands. `make help` lists them.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.DEFAULT_GOAL := help
.PHONY: help install run test lint fmt clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with herald and its dev dependencies

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install ## Load the demo data (and a demo CSAF signing key) when absent, then serve on 127.0.0.1:8000
	$(BIN)/herald demo
	$(BIN)/herald keys generate --keep-existing
	$(BIN)/herald serve

lint: install ## ruff and mypy (strict)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: install lint ## Every test, on SQLite and PostgreSQL
	$(BIN)/pytest -n auto --dist loadgroup

fmt: install ## Format and auto-fix
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean: ## Remove the venv, caches and the local data folder
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
