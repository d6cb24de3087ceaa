# Two commands do all set-up on a fresh machine with Python 3.11 and the package index:
#   make demo   - .venv, the package, the pkuseg model, `qidu analyze` on the bundled report
#   make test   - .venv with the dev extras, the model, the whole test suite (notebooks included)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= qidu-out

.PHONY: demo test install install-dev model models bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel numpy

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

model: $(VENV)/.installed
	$(BIN)/qidu download

demo: install model
	$(BIN)/qidu analyze corpora/qidu_2024.txt -o $(OUT)
	@echo "Results in $(abspath $(OUT)); open $(abspath $(OUT))/report.html in a browser."

test: install-dev model
	$(BIN)/python -m pytest

# the gold the shipped judges are trained on (documents of split "blind" are left out by the trainers)
GOLD := corpora/annotations/qidu_2024.jsonl ../shared/corpora/local_dev/gold.jsonl \
        corpora/annotations/local_train.jsonl corpora/annotations/local_gov_paragraphs.jsonl

# mentions of long city and county reports judged by hand: the entity judge reads their documents
JUDGED := --judged corpora/annotations/corpus_judgements.jsonl --corpus ../shared/corpora/local_gov_reports.jsonl

models: install model
	$(BIN)/qidu train slogans $(GOLD) -o qidu_nlp/data/slogans/model.joblib
	$(BIN)/qidu train entities $(GOLD) $(JUDGED) -o qidu_nlp/data/entities/

bench: install-dev model
	$(BIN)/python benchmarks/accuracy.py --readme benchmarks/README.md
	$(BIN)/python benchmarks/themes.py
	$(BIN)/python benchmarks/speed.py --docs 52 --max-chars 1000000000
	$(BIN)/python benchmarks/graph_speed.py
	$(BIN)/python benchmarks/memory.py --copies 1 2 4 8 16

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
