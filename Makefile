# Every target that needs Python sets up .venv first, so each works as the
# first command on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all install test check lint typecheck bench browser-test reference-docx clean

all: $(STAMP)
	$(BIN)/fkj validate
	$(BIN)/fkj lint
	$(BIN)/fkj build all --proof

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

check: test lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check fkj_cli tests tools bench
	$(BIN)/ruff format --check fkj_cli tests tools bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Not a test: builds every decision basis for the full register and prints figures; then times the
# preview from a saved file to the updated page.
bench: $(STAMP)
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/preview.py

# The preview in a real browser: headless Chromium through Playwright, with a Chromium found on the
# machine (skipped, saying so, where there is none).
browser-test: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,browser]'
	$(BIN)/python -m pytest -rs tests/test_preview_browser.py

reference-docx: $(STAMP)
	$(BIN)/python tools/make_reference_docx.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
