# Shortcuts for people; the README's two set-up commands need only Python and git.
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: help setup repro exp-show plots test test-fast lint format serve client bench bench-serve bench-score load gate report docs docker
help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# A stamp, not bin/python: that is a symlink whose date is the system Python's. A venv made by the
# README's set-up command has no stamp: it is accepted as it is when every pin of requirements.txt
# is installed at its version (boxoffice.checks.installed), and installed into otherwise.
$(VENV)/.installed: requirements.txt
	@if [ -x $(BIN)/python ] && $(BIN)/python -m boxoffice.checks.installed requirements.txt; then touch $@; \
	else python3 -m venv $(VENV) && $(BIN)/pip install -r requirements.txt && touch $@; fi

setup: $(VENV)/.installed  ## create .venv with the pinned dependencies

repro: setup  ## run the pipeline (pulls the raw data from the DVC remote)
	dvc repro --pull

exp-show: setup  ## experiments best first: served models, headline metrics, changed params; ARGS='--sort-by pre_r2'
	python -m boxoffice.checks.exp_show $(ARGS)

plots: setup  ## dvc plots diff into dvc_plots/index.html, offline (vendored Vega); REVS='exp-a exp-b' compares experiments
	dvc plots diff $(REVS)

test: setup  ## run the test suite (includes one real pipeline run)
	pytest

test-fast: setup  ## the fast tier only: everything but the real pipeline run
	pytest -m "not pipeline"

lint: setup  ## ruff, mypy, the import layers (lint-imports) and the CI workflow (actionlint)
	ruff check . && ruff format --check . && mypy && lint-imports --no-cache && actionlint .github/workflows/*.yml

format: setup  ## apply ruff fixes and formatting
	ruff check --fix . && ruff format .

serve: setup  ## serve the models on port 8000
	uvicorn main:app --host 0.0.0.0 --port 8000

client: setup  ## send the example movies to a running service
	python -m boxoffice.serving.client --url http://localhost:8000

bench: setup  ## time the pipeline: cold, no-op and per stage (writes bench/results/pipeline/)
	python bench/pipeline.py

bench-serve: setup  ## requests/s and latency of /predict, movies/s of /batch_predict
	python bench/serve.py

bench-score: setup  ## boxoffice.scoring on 100k and 1M generated films, single process and Dask
	python bench/score.py

load: setup  ## 64 connections for a minute plus 10k-movie batches; errors and peak memory
	python bench/serve.py --load

gate: setup  ## check metrics/ against gates.yaml and the previous commit
	python -m boxoffice.checks.gate --baseline HEAD~1

report: setup  ## refresh the generated files: reports/ (the pipeline's report stage), the benchmarks page, the OpenAPI schema
	dvc repro report
	python -m boxoffice.checks.benchmarks --write
	python -m boxoffice.checks.openapi --write

docs: setup  ## serve the manual on http://127.0.0.1:8001 (mkdocs serve), rebuilt as you edit docs/
	mkdocs serve --dev-addr 127.0.0.1:8001

docker:  ## build and run the service with docker compose (needs a Docker engine)
	docker compose up --build
