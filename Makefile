# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test stack clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	FLASK_APP=wsgi.py $(BIN)/flask setup-dev
	FLASK_APP=wsgi.py $(BIN)/flask run --host 127.0.0.1 --port 5000

# nginx (TLS) in front of two gunicorn nodes on PostgreSQL and Redis, on 127.0.0.1 (deploy/stack.py).
stack: $(STAMP)
	$(BIN)/python -m deploy.stack

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance/*.sqlite3*
