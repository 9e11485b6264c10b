# Every target sets up what it needs: `make run` and `make test` work on a fresh machine.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 5000
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps bench-deps run test lint check-rules bench load clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes; otherwise `make install` returns at once.
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Debian's chromium (browser tests; Playwright cannot download its own here) and poppler-utils
# (pdftotext / pdftoppm for PDF tests). Installed only when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then \
		echo "Installing chromium and poppler-utils with apt-get..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

run: install
	SCREENING_PORT=$(PORT) $(BIN)/gunicorn --config screening/gunicorn_conf.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

check-rules: install
	$(BIN)/screening rules check
	$(BIN)/screening rules test

test: install system-deps lint check-rules
	$(BIN)/pytest

# wrk measures request rates for `make bench`; installed only when missing.
bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
		echo "Installing wrk with apt-get..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; \
	fi

bench: install bench-deps
	$(BIN)/python tests/bench.py

# Full journeys (with the PDF) under locust for at most 2 minutes, loopback only.
load: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[load]'
	$(BIN)/python tests/load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
