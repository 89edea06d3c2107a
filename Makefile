# Hearth: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# This environment sets PYTHONDONTWRITEBYTECODE; precompiled files make every start ~3x faster (see setup).
UV_VERSION := 0.13.9
TOOLS := $(HOME)/.cache/hearth-tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
HEARTH := .venv/bin/hearth

.PHONY: help setup run test lint bench fuzz clean deploy-test

help:
	@echo "make run    set up, load the demo organisation and serve it at http://127.0.0.1:8000 (PORT=8001 for another port)"
	@echo "make test   set up and run the whole suite (SQLite, PostgreSQL + Redis, browser, lint)"
	@echo "make bench  run the benchmarks and print the figures"
	@echo "make fuzz   every malformed value everywhere as every role, on PostgreSQL (about ten minutes)"

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "uv==$(UV_VERSION)"

# The project's own modules too: nothing else writes them (PYTHONDONTWRITEBYTECODE), and each test process, server
# and worker would compile all of them again (a quarter of a second of CPU a process, three seconds for pytest's).
setup: $(UV)
	@$(UV) sync --locked --compile-bytecode -q
	@.venv/bin/python -m compileall -q -j 0 hearth e2e

PORT ?= 8000
# `hearth serve` and `hearth demo_accounts` both read HEARTH_PORT, so the address printed is the one served.
run: export HEARTH_PORT = $(PORT)
run: setup
	@$(HEARTH) migrate --no-input -v 0
	@$(HEARTH) seed_demo --if-empty
	@$(HEARTH) demo_accounts
	@$(HEARTH) serve --host 127.0.0.1

test: setup
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

# Every malformed value in every place as every role, on PostgreSQL (about ten minutes; before a release).
fuzz: setup
	bash scripts/with-services.sh .venv/bin/pytest -p no:cacheprovider -q -m fuzz hearth/core/tests/test_fuzz.py

bench: setup
	bash scripts/bench.sh

# The deploy/ stack from real processes, checked through nginx over HTTPS (also a step of `make test`).
deploy-test: setup
	bash deploy/test-stack.sh

clean:
	rm -rf .venv data .pytest_cache .mypy_cache .ruff_cache
