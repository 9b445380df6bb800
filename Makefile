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
.PHONY: help report report-gavle test demo-data check clean edit-install edit diff hooks lint

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

report: $(STAMP) ## build the default report on the demo data (creates .venv if missing)
	$(BIN)/lagesbild build

report-gavle: $(STAMP) ## build the second demo, the kommun Gävle 2023 (outside Stockholm)
	$(BIN)/lagesbild build --area gavle --year 2023

test: $(STAMP) ## run the whole test suite in two processes (creates .venv if missing)
	$(BIN)/python -m pytest -n 2 --dist loadfile

demo-data: $(STAMP) ## (re)write the synthetic demo data into data/demo
	$(BIN)/lagesbild demo-data

check: $(STAMP) ## validate the default params and data without running anything
	$(BIN)/lagesbild check

edit-install: $(STAMP) ## install JupyterLab (the optional editing extra)
	$(BIN)/python -m pip install --quiet -e '.[test,edit]'

edit: $(STAMP) ## open a chapter in JupyterLab: make edit CHAPTER=brottslighet [YEAR=2022] [AREA=bromma]
	@test -n "$(CHAPTER)" || { echo "name the chapter: make edit CHAPTER=brottslighet [YEAR=2022] [AREA=bromma]"; exit 2; }
	$(BIN)/lagesbild edit $(CHAPTER) $(if $(YEAR),--year $(YEAR)) $(if $(AREA),--area $(AREA))

diff: $(STAMP) ## compare two builds: make diff OLD=folder-or-manifest NEW=folder-or-manifest
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "name both builds: make diff OLD=outputs/2023/x NEW=other/2023/x"; exit 2; }
	$(BIN)/lagesbild diff "$(OLD)" "$(NEW)"

hooks: $(STAMP) ## install the git pre-commit hooks (nbstripout, ruff, nbqa-ruff, file-size cap)
	$(BIN)/python -m pip install --quiet pre-commit
	$(BIN)/pre-commit install

lint: $(STAMP) ## run every pre-commit check on all files
	$(BIN)/python -m pip install --quiet pre-commit
	$(BIN)/pre-commit run --all-files

clean: ## remove built reports and the generated demo data (keeps .venv)
	rm -rf outputs/* data/demo
