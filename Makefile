# Two commands on a fresh machine (see README):  make site   and   make test
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup site test lint golden bench schema browser-deps fonts

$(BIN)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,properdocs,zensical]"
	touch $@

setup: $(BIN)/.installed

site: setup fonts
	$(BIN)/evidence build

lint: setup
	$(BIN)/ruff check generator tests

test: lint browser-deps fonts
	$(BIN)/python -m pytest -q

# Browser tests (tests/test_browser.py): Debian's Chromium, and axe-core from npm. Playwright
# itself comes with the test extras; its own browser download is not used. Idempotent.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser-deps: setup $(AXE)
	@if [ ! -x /usr/bin/chromium ]; then \
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
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

# Regenerate schema/*.schema.json from generator/core/schema.py (tests/test_schema.py compares)
schema: setup
	$(BIN)/evidence schema

golden: setup
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

bench: setup
	$(BIN)/python bench/run.py
