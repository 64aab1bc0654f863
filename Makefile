# Two commands on a fresh machine (see README):  make site   and   make test
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup site test lint golden bench schema browser-deps fonts

# What building the site needs (make site), then what the tests need too (make setup, test).
$(BIN)/.site-installed: pyproject.toml constraints.txt
	@echo "make: installing the generator and the versions in constraints.txt into $(VENV)/ (once; about a minute)"
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --progress-bar off -c constraints.txt -e .
	touch $@

$(BIN)/.installed: $(BIN)/.site-installed
	@echo "make: installing the test tools, ProperDocs and Zensical into $(VENV)/ (once)"
	$(BIN)/python -m pip install --quiet --progress-bar off -c constraints.txt -e ".[test,properdocs,zensical]"
	touch $@

setup: $(BIN)/.installed

site: $(BIN)/.site-installed fonts
	@echo "make: checking the content, then building the site and the PDF handouts into site/"
	$(BIN)/evidence build

lint: setup
	@echo "make: ruff (lint)"
	$(BIN)/ruff check generator tests

test: lint browser-deps fonts
	@echo "make: running the whole test suite (a few minutes on 2 cores; [done/total] at each line's end)"
	$(BIN)/python -m pytest -q -o console_output_style=count

# Browser tests (tests/test_browser.py): Debian's Chromium, and axe-core from npm. Playwright
# itself comes with the test extras; its own browser download is not used. Idempotent.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser-deps: setup $(AXE)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "make: installing Chromium for the browser tests (apt-get; once)"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

# The handouts' fallback fonts (generator/outputs/handouts.py): Noto CJK and Noto Color Emoji,
# Debian's packages, for text that Libertinus Serif lacks. Idempotent.
fonts:
	@if [ ! -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@echo "make: installing axe-core for the accessibility tests (npm ci; once)"
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# Regenerate schema/*.schema.json from generator/core/schema.py (tests/test_schema.py compares)
schema: setup
	$(BIN)/evidence schema

golden: setup
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: setup
	$(BIN)/python bench/run.py
