# Askel: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON310 := $(shell tools/python310)
VENV := .venv
VENV_RASA := .venv-rasa
ASKEL := $(VENV)/bin/askel
PIP_FLAGS := --disable-pip-version-check --progress-bar off

.PHONY: help run serve test test-fast train bench lint typecheck envs system-packages lock-app lock-rasa clean

help:
	@echo "make run     set everything up and chat with Askel in the terminal"
	@echo "make test    the whole test suite (what CI runs)"
	@echo "make serve   the same stack as 'make run', without the terminal chat"
	@echo "make train   train the Finnish model if its data changed"
	@echo "make bench   the benchmarks; figures go to bench/results/"
	@echo "make lint    ruff and mypy"

# Each environment is rebuilt when its pinned requirements change.
$(VENV)/.installed: requirements/app.txt pyproject.toml
	@echo "==> Creating $(VENV): the application (about 350 MB; usually under a minute)"
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 supports no newer)." >&2; exit 1; }
	@start=$$(date +%s); \
	  test -x $(VENV)/bin/python || $(PYTHON310) -m venv $(VENV); \
	  $(VENV)/bin/pip install $(PIP_FLAGS) -q -r requirements/app.txt && \
	  $(VENV)/bin/pip install $(PIP_FLAGS) -q --no-deps -e . && \
	  echo "==> $(VENV) ready in $$(( $$(date +%s) - start )) s"
	@touch $@

$(VENV_RASA)/.installed: requirements/rasa.txt
	@echo "==> Creating $(VENV_RASA): Rasa Open Source 3.6.21 with TensorFlow"
	@echo "    (about 2.7 GB; usually 1 to 5 minutes, depending on the package cache)"
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6 supports no newer)." >&2; exit 1; }
	@start=$$(date +%s); \
	  test -x $(VENV_RASA)/bin/python || $(PYTHON310) -m venv $(VENV_RASA); \
	  $(VENV_RASA)/bin/pip install $(PIP_FLAGS) -r requirements/rasa.txt \
	    | grep --line-buffered -E '^(Collecting|Successfully installed)' \
	    | awk '/^Collecting/ { n++; if (n % 20 == 0) { print "    " n " packages resolved..."; fflush() } } /^Successfully/ { print "    installed " NF-2 " packages"; fflush() }'; \
	  test $${PIPESTATUS[0]} -eq 0 && echo "==> $(VENV_RASA) ready in $$(( $$(date +%s) - start )) s"
	@touch $@

envs: $(VENV)/.installed $(VENV_RASA)/.installed

train: envs
	@$(ASKEL) train

run: envs
	@$(ASKEL) run

serve: envs
	@$(ASKEL) serve

# Debian packages the tests need: Chromium renders the coach's digest as a coach would see it.
# Installed only when missing, so a machine that has it is not touched.
system-packages:
	@test -x /usr/bin/chromium || { \
	  echo "==> Installing chromium (the digest's rendering test)"; \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# The whole suite, end-to-end tests included; the model is trained first if its data changed.
test: envs system-packages
	@$(ASKEL) train
	@$(VENV)/bin/python -m pytest

# Everything but the tests that start the real stack.
test-fast: $(VENV)/.installed system-packages
	@$(VENV)/bin/python -m pytest -m "not e2e"

lint: $(VENV)/.installed
	@$(VENV)/bin/ruff check backend actions tests bench
	@$(VENV)/bin/ruff format --check backend actions tests bench
	@$(VENV)/bin/python -m mypy

bench: envs
	@$(ASKEL) train
	@$(VENV)/bin/python -m bench

lock-app: $(VENV)/.installed
	$(VENV)/bin/pip freeze --exclude-editable | sed '1i # The application environment (.venv), pinned. Regenerate with `make lock-app` after changing pyproject.toml.' > requirements/app.txt

lock-rasa: $(VENV_RASA)/.installed
	$(VENV_RASA)/bin/pip freeze | sed '1i # The Rasa environment (.venv-rasa), pinned: rasa==3.6.21 and what it resolved to. Regenerate with `make lock-rasa`.' > requirements/rasa.txt

clean:
	rm -rf var bot/models .pytest_cache .mypy_cache .ruff_cache
