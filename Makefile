# Every target sets up what it needs: `make run` and `make test` work on a fresh machine.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 5000
PROXY_PORT ?= 8080
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The Debian packages the project needs, each listed once, as PACKAGE:COMMAND (installed when
# COMMAND is not on PATH) or PACKAGE alone (installed when dpkg does not list it). Add a
# package by adding one word to the right list.
#   BASE_DEBS: to install and run the app: venv for .venv, Pango for WeasyPrint's PDFs.
#   TOOL_DEBS: for `make test`, `make proxy` and `make bench`: chromium (browser tests;
#   Playwright cannot download its own here), poppler-utils (pdftotext / pdftoppm for PDF
#   tests), nginx (the front door in deploy/), zbar-tools (zbarimg reads the PDF's QR code).
#   BENCH_DEBS: for `make bench` only: wrk measures request rates.
BASE_DEBS := python3-venv libpango-1.0-0 libpangoft2-1.0-0
TOOL_DEBS := chromium:chromium poppler-utils:pdftotext nginx:nginx zbar-tools:zbarimg
BENCH_DEBS := wrk:wrk

# $(call apt-missing,ENTRIES): apt-get install the entries that are missing, in one go.
# python3-venv counts as present when python3 can make a venv (ensurepip), whatever installed it;
# commands are also looked for in /usr/sbin (nginx), which is not on a normal user's PATH.
define apt-missing
	@missing=""; \
	for entry in $(1); do \
		pkg=$${entry%%:*}; cmd=$${entry#*:}; \
		if [ "$$cmd" != "$$entry" ]; then \
			PATH="$$PATH:/usr/sbin:/sbin" command -v "$$cmd" >/dev/null 2>&1 && continue; \
		elif [ "$$pkg" = python3-venv ]; then \
			python3 -c 'import ensurepip, venv' >/dev/null 2>&1 && continue; \
		else \
			dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q 'ok installed' && continue; \
		fi; \
		missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get..."; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

.PHONY: install base-deps system-deps bench-deps run proxy test lint check-rules bench load clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes; otherwise `make install` returns at once (after
# the quick look at BASE_DEBS).
$(STAMP): pyproject.toml | base-deps
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

base-deps:
	$(call apt-missing,$(BASE_DEBS))

system-deps:
	$(call apt-missing,$(TOOL_DEBS))

run: install
	SCREENING_PORT=$(PORT) $(BIN)/gunicorn --config screening/gunicorn_conf.py

# nginx (deploy/nginx.conf.template) in front of two gunicorn instances, on loopback; Ctrl-C
# stops them all.
proxy: install system-deps
	PROXY_PORT=$(PROXY_PORT) $(BIN)/python -m deploy.proxy

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check screening tests bench deploy
	$(BIN)/mypy

check-rules: install
	$(BIN)/screening rules check
	$(BIN)/screening rules test

test: install system-deps lint check-rules
	$(BIN)/pytest -n 2 --dist worksteal  # two processes: browser and server tests wait a lot

bench-deps:
	$(call apt-missing,$(BENCH_DEBS))

bench: install system-deps bench-deps
	$(BIN)/python bench/bench.py

# Full journeys (with the PDF) under locust for at most 2 minutes, loopback only.
load: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[load]'
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
