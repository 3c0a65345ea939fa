#!/usr/bin/env bash
# Idempotent setup: system packages (as root), the Python venv, and the pinned npm assets.
# Fast when everything is already in place; `make run`, `make test` and `make demo` call it.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.brushwork-installed

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# 1. System: Debian chromium (the render sandbox) and xvfb (a screen for `make run` on headless boxes).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
# Validators for the desktop entry and AppStream metainfo (tests/test_packaging.py).
command -v desktop-file-validate >/dev/null 2>&1 || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null 2>&1 || need+=(appstream)
# Qt's xcb platform plugin needs these at run time (offscreen tests do not).
for lib in libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libegl1; do
    dpkg -s "$lib" >/dev/null 2>&1 || need+=("$lib")
done
if ((${#need[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing system packages: ${need[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        say "missing system packages: ${need[*]} — install them with: sudo apt-get install ${need[*]}"
    fi
fi

# 2. Python: a venv with torch 2.13.0 CPU and the design-card packages (vllm stays in the [gpu] extra),
#    every package at the version in packaging/constraints.txt (the set the suite passes with; doctor
#    reports a drift; packaging/freeze_constraints.sh re-pins it).
CONSTRAINTS=packaging/constraints.txt
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] || [ "$CONSTRAINTS" -nt "$STAMP" ]; then
    say "installing Python packages pinned by $CONSTRAINTS (torch 2.13.0 CPU first, then brushwork[test])"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    # torch first, pinned, so no other package's range can pull a CUDA build.
    "$VENV/bin/python" -m pip install -q -c "$CONSTRAINTS" "torch==2.13.0"
    "$VENV/bin/python" -m pip install -q -c "$CONSTRAINTS" -e ".[test]"
    touch "$STAMP"
fi

# 3. Browser assets: p5 and p5.brush, exactly as pinned by resources/package-lock.json.
if [ ! -f resources/node_modules/.package-lock.json ] || [ resources/package-lock.json -nt resources/node_modules/.package-lock.json ]; then
    if ! command -v npm >/dev/null 2>&1; then
        say "npm is missing: install Node.js 20+ (apt-get install nodejs npm)"; exit 1
    fi
    say "installing p5 + p5.brush into resources/node_modules (npm ci)"
    (cd resources && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
