# Two commands on a fresh machine (see README):  make site   and   make test
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup site test lint golden bench

$(BIN)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

setup: $(BIN)/.installed

site: setup
	$(BIN)/evidence build

lint: setup
	$(BIN)/ruff check generator tests

test: lint
	$(BIN)/python -m pytest -q

golden: setup
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py
