# lagesbild — the two set-up commands are `make report` and `make test`; `make help` lists all.
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help report test demo-data check clean edit-install

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

report: $(STAMP) ## build the default report on the demo data (creates .venv if missing)
	$(BIN)/lagesbild build

test: $(STAMP) ## run the whole test suite (creates .venv if missing)
	$(BIN)/python -m pytest

demo-data: $(STAMP) ## (re)write the synthetic demo data into data/demo
	$(BIN)/lagesbild demo-data

check: $(STAMP) ## validate the default params and data without running anything
	$(BIN)/lagesbild check

edit-install: $(STAMP) ## install JupyterLab (the optional editing extra)
	$(BIN)/python -m pip install --quiet -e '.[test,edit]'

clean: ## remove built reports and the generated demo data (keeps .venv)
	rm -rf outputs/* data/demo
