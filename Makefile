# The two commands of README.md: `make run` and `make test`. Only Python 3.11+ is needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# `make run PORT=8001` serves on another port (SITE_URL follows it).
PORT   ?= 8000
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: setup run test lint worker beat check-deploy clean bench

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)
	mkdir -p var/static  # the embedded SQLite database, mail/SMS files and collected static files live here
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput

# Sets up and serves the demo portal on the embedded default (SQLite, eager Celery, console mail).
run: export DEBUG ?= 1
# Links in e-mails sent by tasks point at the port the server listens on.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Sets up and runs the test suite. With DATABASE_URL/REDIS_URL set (as .ci/run does) the
# PostgreSQL, Redis + worker and browser tests run too.
test: $(STAMP)
	mkdir -p var/static  # WhiteNoise warns on every request when STATIC_ROOT is missing
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports  # the layers of DESIGN.md "Layout" (contracts in pyproject.toml)
	$(PY) manage.py makemigrations --check --dry-run

worker: $(STAMP)
	$(VENV)/bin/celery -A portal worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) var

# Benchmarks (issue #12; not part of the tests): generates the bench data on PostgreSQL and measures
# the pages against a minimal Django project. BENCH_SCALE=0.1 for a quick run (10k accounts, 1M
# readings, a 900k-reading archive). Needs wrk and BENCH_DATABASE_URL (default: abonent_bench).
BENCH_SCALE ?= 1
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/abonent_bench
bench: export DATABASE_URL = $(BENCH_DATABASE_URL)
bench: export DJANGO_SETTINGS_MODULE = portal.settings
bench: $(STAMP)
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput
	$(PY) bench/generate.py --tenant azersu \
		--accounts $$($(PY) -c "print(int(100000 * $(BENCH_SCALE)))") \
		--readings $$($(PY) -c "print(int(10000000 * $(BENCH_SCALE)))") \
		--archive-readings $$($(PY) -c "print(int(9000000 * $(BENCH_SCALE)))")
	$(PY) bench/run.py $(BENCH_ARGS)
