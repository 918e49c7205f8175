# The HERB CLINIQUE blog. `make` alone lists the targets, each described in tools/__main__.py.
# Every target runs `python3 tools/launch.py TARGET`: it finds a Python 3.11 or newer, sets up
# .venv from the lock files, then runs the target (make.bat does the same on Windows).
# Settings given as NAME=value (make newpost TITLE="My title") reach the tools in their
# environment, exactly as typed: make would expand each one on its way there ($5 lost, $(shell …)
# run), so the line below turns every variable of the command line into one of make's simple
# variables holding its text, never expanded, and exports it. No shell ever reads one.
$(foreach name,$(.VARIABLES),$(if $(filter command line,$(origin $(name))),$(eval override $(name) := $$(value $(name)))$(eval export $(name))))

PYTHON ?= python3
LAUNCH = @$(PYTHON) tools/launch.py $@

.DEFAULT_GOAL := help
.PHONY: help devserver html publish serve-publish newpost import-wix rsync_upload github serve clean \
	comments-server test lint audit screenshot bench bench-machinery profile bench-growth bench-search lock

help: ; $(LAUNCH)
devserver: ; $(LAUNCH)
html: ; $(LAUNCH)
publish: ; $(LAUNCH)
serve-publish: ; $(LAUNCH)
newpost: ; $(LAUNCH)
import-wix: ; $(LAUNCH)
rsync_upload: ; $(LAUNCH)
github: ; $(LAUNCH)
serve: ; $(LAUNCH)
clean: ; $(LAUNCH)
comments-server: ; $(LAUNCH)
test: ; $(LAUNCH)
lint: ; $(LAUNCH)
audit: ; $(LAUNCH)
screenshot: ; $(LAUNCH)
bench: ; $(LAUNCH)
bench-machinery: ; $(LAUNCH)
profile: ; $(LAUNCH)
bench-growth: ; $(LAUNCH)
bench-search: ; $(LAUNCH)
lock: ; $(LAUNCH)
