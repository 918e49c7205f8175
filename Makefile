# The HERB CLINIQUE blog. `make` alone lists the targets, each described in tools/__main__.py.
# Every target runs `python3 tools/launch.py TARGET`: it finds a Python 3.11 or newer, sets up
# .venv from the lock files, then runs the target (make.bat does the same on Windows).
# Settings given as NAME=value (make newpost TITLE="My title") reach the tools in their
# environment: GNU make exports its command-line variables to the commands it runs.

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
