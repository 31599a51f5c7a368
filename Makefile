# Fenghuo developer entry points. `make install` is idempotent: it only reinstalls
# when pyproject.toml changed since the last install (stamp file in .venv).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test` (the suite is written to run in parallel; 1 to debug).
PYTEST_WORKERS ?= 2

.PHONY: install demo test lint typecheck bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/pybabel compile -d src/fenghuo/locale -D messages || true
	touch $(STAMP)

# make demo HOST=0.0.0.0 PORT=8080 — the port is bound before the address is printed; a taken port fails at once.
# The shared register sample is loaded from $FENGHUO_SHARED (default ../shared) when present.
demo: install
	FENGHUO_HOME=$${FENGHUO_HOME:-$$PWD/.demo-home} $(BIN)/fenghuo demo --serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pybabel compile -d src/fenghuo/locale -D messages
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .demo-home .pytest_cache
