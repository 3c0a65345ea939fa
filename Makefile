# Brushwork: `make run` opens the studio, `make test` runs the whole suite. Both set up first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run demo test test-long bench lint clean install-desktop

setup:
	@bash packaging/setup.sh

run: setup
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found: starting the studio on a virtual screen (xvfb-run)."; \
		xvfb-run -a $(PY) -m studio; \
	else \
		$(PY) -m studio; \
	fi

# The headless loop without a screen (packaging/demo.sh): starters rendered to demo-out/, a demo pool and
# reward model, the tiny model, its SFT warm start (a few minutes, once), then GRPO on tiny-cpu
# (6-20 s a step on 2 cores, by how busy they are; `make demo DEMO_STEPS=10` for a short run). Stages already done are skipped.
demo: setup
	@PY=$(PY) DEMO_STEPS=$(DEMO_STEPS) bash packaging/demo.sh

# `make test` keeps under 20 minutes on 2 cores: the studio's tests and the rest run side by side, then the
# tests that measure time (marker `solo`) alone (tests/run_all.sh). Real multi-minute training runs are
# `make test-long`.
PYTEST := QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider
test: setup
	@PY=$(PY) bash tests/run_all.sh

test-long: setup
	@$(PYTEST) -m long; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; exit $$rc

bench: setup
	$(PY) -m core.cli bench render --json
	$(PY) -m core.cli bench group --json
	$(PY) -m core.cli bench store --json
	QT_QPA_PLATFORM=offscreen $(PY) -m studio bench editor --json
	QT_QPA_PLATFORM=offscreen $(PY) -m studio bench rating --json

# The menu entry, icon and AppStream metainfo (this user; DATADIR=/usr/share for everyone).
install-desktop: setup
	@bash packaging/install_desktop.sh

lint: setup
	$(VENV)/bin/ruff check core studio tests benchmarks

clean:
	rm -rf $(VENV) resources/node_modules artifacts demo-out
