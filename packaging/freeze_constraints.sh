#!/usr/bin/env bash
# Re-pin packaging/constraints.txt to what a working venv has installed (default .venv): run it after the
# suite passes on an upgraded stack, then commit the file. setup.sh installs with `-c` this file, so every
# fresh machine gets the same versions; `brushwork doctor` reports a drift from it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
{
    echo "# The versions the suite passes with (pip constraints: setup.sh installs with -c this file)."
    echo "# Regenerate with packaging/freeze_constraints.sh from a venv that passes \`make test\`; doctor reports drift."
    echo "# torch is pinned without its local label (+cpu) so the CPU wheel and the CUDA one both satisfy it."
    # the project itself (an editable install) and pip's own comments are not constraints
    "$PY" -m pip freeze --exclude-editable --all | grep -v -E '^(#|-e |pip==|setuptools==|wheel==)' \
        | sed -E 's/^(torch(vision|audio)?==[^+]+)\+.*/\1/' | LC_ALL=C sort -f -t= -k1,1
} > packaging/constraints.txt
echo "packaging/constraints.txt: $(grep -c '==' packaging/constraints.txt) pins"
