# The venv's interpreter: the distribution's python3.11 where it has one with venv (Debian builds it with
# profile-guided and link-time optimisation, as the python:3.11 image of the Dockerfile is built), else the
# first python3.11 on PATH. A python3.11 compiled with default options, as pyenv builds it, takes about 30 %
# longer over the app's Python (docs/benchmarks.md, "Which Python"). `make PYTHON=...` chooses another.
PYTHON ?= $(shell /usr/bin/python3.11 -c 'import ensurepip' 2>/dev/null && echo /usr/bin/python3.11 || echo python3.11)
VENV := .venv
PY := $(VENV)/bin/python
export DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/coopportal
export REDIS_URL_TEST ?= redis://127.0.0.1:6379/0
# pytest-xdist processes for `make test` (tests/parallel.py: a database and a Redis database each; modules that
# share a fixture stay whole).  TEST_WORKERS=0 runs the suite in one process.  Redis databases: REDIS_URL's, plus
# two more per further worker (the production test takes the one after each), so keep REDIS_URL's number low.
TEST_WORKERS ?= 2

.PHONY: run test lint typecheck messages backup restore loadtest

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	bin/system-deps run
	bin/run

test: $(VENV)/.installed
	bin/system-deps test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache
	rm -rf var/coverage && mkdir -p var/coverage
	DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_TEST)} REDIS_URL=$${REDIS_URL:-$(REDIS_URL_TEST)} \
		DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup \
		--cov --cov-report=term-missing:skip-covered

# 50 staff saving entries for 60 s against gunicorn on loopback, then every acknowledged save checked in the
# database (bench/loadtest/run.py; docs/benchmarks.md). Not part of `make test`: it takes the machine's CPU.
loadtest: $(VENV)/.installed
	$(PY) bench/loadtest/run.py

messages: $(VENV)/.installed
	DEBUG=true $(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=test-artifacts --ignore=bench
	DEBUG=true $(PY) manage.py compilemessages -l en --ignore=.venv

# Backups (core/backup.py): the database of DATABASE_URL and every stored file (local folder or S3) in one
# archive under var/backups/ (DIR=... for another folder). No install step: a server has its venv already.
backup:
	$(PY) manage.py backup $(if $(DIR),--dir "$(DIR)")

# Restores into DATABASE_URL and the configured storage; refuses a database that has tables unless FORCE=1.
restore:
	@test -n "$(FILE)" || { echo "Cách dùng: make restore FILE=var/backups/coopportal-....tar [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)
