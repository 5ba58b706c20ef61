# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint stack catalogs clean

# The site's strings in each language (docs/translations.md): the .po files are kept in git, and
# compiled here before anything runs, so a newcomer needs no extra step.
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After changing strings in the code: extract them and update every catalog (then translate the new ones).
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs='.*' --no-location --sort-output -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: $(STAMP) $(COMPILED)
	FLASK_APP=wsgi.py $(BIN)/flask setup-dev
	FLASK_APP=wsgi.py $(BIN)/flask run --host 127.0.0.1 --port 5000

# nginx (TLS) in front of two gunicorn nodes on PostgreSQL and Redis, on 127.0.0.1 (deploy/stack.py).
stack: $(STAMP) $(COMPILED)
	$(BIN)/python -m deploy.stack

# A whole run measures branch coverage of course/ and fails under its floor (pyproject.toml); a run
# of chosen tests (PYTEST_ARGS=...) does not measure it. COVERAGE= turns it off.
COVERAGE ?= $(if $(PYTEST_ARGS),,--cov --cov-report=term)

test: $(STAMP) $(COMPILED)
	$(BIN)/python -m pytest $(COVERAGE) $(PYTEST_ARGS)

# The formatter, the linter and the type checker, as .ci/run and the pre-commit hooks run them.
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance/*.sqlite3* $(COMPILED)
