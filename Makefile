# Set-up and common jobs. Every target creates the virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test format model bench bad-inputs clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: setup  ## tag the seed articles with the bundled model
	$(BIN)/tagger tag seeds/*.txt

test: setup  ## lint, then the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

model: setup  ## rebuild models/default.joblib from the seeds
	$(BIN)/tagger train seeds/segments.jsonl --taxonomy seeds/labels.toml \
		--user-dict seeds/userdict.dic --multi-label --balanced \
		--group-field source,article --cv 8 -o models/default.joblib
	sha256sum models/default.joblib > tagger/bundled.sha256  # trusted without a signature

bench: setup  ## tagger vs fastText on ../shared/data; writes BENCHMARKS.md (about 10 minutes)
	bash bench/run.sh

bad-inputs: setup  ## throw generated bad inputs at tag and train; writes bench/bad_inputs.md
	$(BIN)/python bench/bad_inputs.py --big-mb 100

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
