#!/usr/bin/env bash
# Build the one-folder bundle once and check it: `--version`, `doctor`, and a real render of a starter.
# Slow (minutes of CPU): not part of `make test`. Prints size and start-up time.
#   bash packaging/check_bundle.sh            # build, then check
#   SKIP_BUILD=1 bash packaging/check_bundle.sh   # check an existing build
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=build/bundle
BIN=$OUT/dist/brushwork/brushwork

if [ -z "${SKIP_BUILD:-}" ]; then
    .venv/bin/python -m PyInstaller --version >/dev/null 2>&1 || .venv/bin/pip install -q "pyinstaller>=6.10"
    start=$(date +%s)
    .venv/bin/python -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$OUT/dist" --workpath "$OUT/work" packaging/brushwork.spec
    echo "built in $(( $(date +%s) - start )) s"
fi
[ -x "$BIN" ] || { echo "no bundle at $BIN" >&2; exit 1; }
echo "bundle size: $(du -sh "$OUT/dist/brushwork" | cut -f1)"

want="brushwork $(.venv/bin/python -c 'from core.version import __version__; print(__version__)')"
start=$(date +%s.%N)
got=$("$BIN" --version)
echo "--version: $got ($(echo "$(date +%s.%N) - $start" | bc) s to start)"
[ "$got" = "$want" ] || { echo "expected $want" >&2; exit 1; }

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
BRUSHWORK_HOME=$home "$BIN" doctor || echo "(doctor exit $?: optional items above are expected to warn)"
png=$home/starter.png
start=$(date +%s.%N)
BRUSHWORK_HOME=$home "$BIN" render resources/starters/00-simple-line.js -o "$png" --timeout 120 --json > "$home/render.json"
echo "render: $(echo "$(date +%s.%N) - $start" | bc) s, $(stat -c %s "$png") bytes"
.venv/bin/python - "$png" "$home/render.json" <<'PY'
import json, sys
from PIL import Image
img = Image.open(sys.argv[1])
low, high = img.convert("L").getextrema()
assert img.size[0] >= 64 and low < high, "blank or tiny render"
print("render ok:", img.size, json.load(open(sys.argv[2])).get("ok", "?"))
PY
BRUSHWORK_HOME=$home "$BIN" check resources/starters/00-simple-line.js | head -3
echo "bundle check passed"
