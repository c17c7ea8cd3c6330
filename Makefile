# ScleroChart: `make run` starts the program, `make test` runs every check.
# Both create .venv and install the pinned packages on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint types layers pytest search-sql bench bench-all bench-reports bench-crash bench-backup screenshots clean bundle deb bundle-check

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ScleroChart needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/sclerochart $(ARGS)

test: lint types layers pytest

lint: $(STAMP)
	$(BIN)/ruff check sclerochart tests
	$(BIN)/ruff format --check sclerochart tests

types: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		echo "PostgreSQL server not found: the PostgreSQL tests will be skipped. Install it with: sudo apt-get install postgresql"
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

search-sql: $(STAMP)
	$(BIN)/python -c "from sclerochart.store.repositories.patients import write_sqlite_texts; write_sqlite_texts()"

bench: $(STAMP)
	$(BIN)/python -m sclerochart.bench store $(BENCH_ARGS)

# The PDF documents: report with 60 sites, handout, 20-session summary, and the bare-ReportLab ratio.
bench-all: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m sclerochart.bench all $(BENCH_ARGS)

bench-reports: $(STAMP)
	$(BIN)/python -m sclerochart.bench reports $(BENCH_ARGS)

# 500 writers killed with SIGKILL mid-work, then every acknowledged write checked (about 9 minutes).
bench-crash: $(STAMP)
	$(BIN)/python -m sclerochart.bench crash --trials 500 $(BENCH_ARGS)

# Verified backup, restore and encryption of a 100,000-patient clinic (generated first: a few minutes).
bench-backup: $(STAMP)
	$(BIN)/python -m sclerochart.bench backup $(BENCH_ARGS)

# Pictures of the charting screen for the README: under Xvfb when it is installed, else Qt's offscreen platform.
screenshots: $(STAMP)
	@if command -v xvfb-run >/dev/null; then \
		xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python -m sclerochart.screenshots resources/screenshots; \
	else \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m sclerochart.screenshots resources/screenshots; \
	fi

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build dist *.egg-info

# The one-folder program a clinic installs (dist/ScleroChart: "ScleroChart" opens the window, "sclerochart-cli"
# is the command line), with a desktop entry and the icon; PyInstaller is pinned in requirements.lock.
BUNDLE := dist/ScleroChart
bundle: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev,bundle]"
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
	sed "s|@PREFIX@|/opt/ScleroChart|g" resources/linux/sclerochart.desktop > $(BUNDLE)/sclerochart.desktop
	cp resources/icons/sclerochart.png $(BUNDLE)/sclerochart.png
	@du -sh $(BUNDLE)

# A Debian package of the bundle: installs into /opt/ScleroChart with a menu entry and `sclerochart` on the PATH.
deb: bundle
	bash .ci/make-deb $(BUNDLE) dist

# The bundle tried from a folder outside the checkout: version, demo, check, report, the window offscreen
# with a PDF exported, and a PostgreSQL database (CI runs this after the tests).
bundle-check: bundle
	$(BIN)/python -m sclerochart.bench.bundle_trial $(BUNDLE)

