VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install serve test bench lint score clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/ciwhy migrate
	$(VENV)/bin/ciwhy serve

# The dashboard's browser tests drive Debian's Chromium (installed here when missing and root).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq chromium >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null); \
	else echo "the browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi

test: $(STAMP) $(CHROMIUM)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/engine.py
	$(PY) bench/service.py
	$(PY) bench/analytics.py

score: $(STAMP)
	$(PY) ../shared/benchmarks/score_excerpts.py ../shared/benchmarks/logchunks -- $(VENV)/bin/ciwhy analyze --json

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
