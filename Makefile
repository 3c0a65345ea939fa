# Brushwork: `make run` opens the studio, `make test` runs the whole suite. Both set up first.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run demo test bench lint clean

setup:
	@bash packaging/setup.sh

run: setup
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found: starting the studio on a virtual screen (xvfb-run)."; \
		xvfb-run -a $(PY) -m core.cli studio; \
	else \
		$(PY) -m core.cli studio; \
	fi

# The headless loop without a screen: render every starter sketch to demo-out/.
demo: setup
	$(PY) -m core.cli render resources/starters -o demo-out

test: setup
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; exit $$rc

bench: setup
	$(PY) -m core.cli bench render --json
	QT_QPA_PLATFORM=offscreen $(PY) -m core.cli bench editor --json
	QT_QPA_PLATFORM=offscreen $(PY) -m core.cli bench rating --json

lint: setup
	$(VENV)/bin/ruff check core studio tests benchmarks

clean:
	rm -rf $(VENV) resources/node_modules artifacts demo-out
