# eventcoder: `make demo` sets up and codes the sample corpus; `make test` sets up and runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= eventcoder.sqlite
OUT    ?= out
SHARED ?= ../shared

.PHONY: setup web demo test lint typecheck pytest bench train clean

setup: $(VENV)/.setup-done web

# The web page: npm packages built into the package's static files (nothing third-party is committed).
web: src/eventcoder/web/app.js

src/eventcoder/web/app.js: web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*)
	cd web && npm ci --no-audit --no-fund && npm run build

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "eventcoder needs Python 3.11 (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Tables converted from ../shared data (Phoenix dictionaries, CAMEO2PLOVER): built here, never committed.
CONVERTED := src/eventcoder/data/compiled/phoenix
$(CONVERTED)/.done: $(VENV)/.installed
	@test -d $(SHARED)/data/phoenix || { echo "$(SHARED)/data/phoenix is missing: set-up converts its dictionaries (set SHARED=/path/to/shared)"; exit 1; }
	$(BIN)/python -m eventcoder.events.convert $(SHARED)/data/phoenix/CAMEO.2.0.txt $(SHARED)/eval/dev/CAMEO2PLOVER-2021.txt $(CONVERTED)
	$(BIN)/python -m eventcoder.actors.convert_phoenix $(SHARED)/data/phoenix $(CONVERTED)
	touch $@

$(VENV)/.setup-done: $(VENV)/.installed $(CONVERTED)/.done
	@test -d $(SHARED)/data/actors-sources || { echo "$(SHARED)/data/actors-sources is missing: set-up builds the actor KB from it (set SHARED=/path/to/shared)"; exit 1; }
	EVENTCODER_SOURCE_DATA=$(SHARED)/data $(BIN)/python -m eventcoder.actors compile
	$(BIN)/python -m eventcoder.places compile
	$(BIN)/python -m eventcoder.learned train --open-news $(SHARED)/corpus/open-news
	$(BIN)/python tests/actors_dev.py --build
	touch $@

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/eventcoder code corpus/ --db $(DB) -o $(OUT)/events.jsonl
	@$(BIN)/eventcoder summary --db $(DB)
	@echo
	@echo "Outputs: $(OUT)/events.jsonl (JSONL event records), $(DB) (SQLite store)."
	@echo "Try:     $(BIN)/eventcoder claims corpus/karabakh-2020-09-27.txt"

lint: setup
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

pytest: setup
	scripts/ensure-postgres
	bash scripts/ensure-chromium
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: setup
	$(BIN)/python bench/throughput.py --json

# The relevance model (src/eventcoder/data/relevance/model/) from the project's own examples; then the learned
# event layer (git-ignored src/eventcoder/data/compiled/learned/) from the corpus train split and its texts in
# $(SHARED)/corpus/open-news (skipped, saying so, when they are not there). Both deterministic.
train: setup
	$(BIN)/python -m eventcoder.relevance train
	$(BIN)/python -m eventcoder.learned train --open-news $(SHARED)/corpus/open-news

clean:
	rm -rf $(VENV) $(OUT) $(DB) $(DB)-wal $(DB)-shm src/eventcoder/data/compiled src/eventcoder/web web/node_modules .pytest_cache .mypy_cache .ruff_cache
