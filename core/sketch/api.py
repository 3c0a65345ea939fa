"""The real p5.brush API, read from the installed package (never typed by hand), cached per version.

How: evaluate `dist/p5.brush.js` (a UMD bundle) in a bare `vm` context in node, with only
`exports`/`module`, and list what it exports: exactly the `brush.*` names a sketch can reach, classes
(`Polygon`, `Plot`, `Position`) included. The bundle touches no `window` or `p5` at load time, so
no fake browser is needed. Without node we fall back to the export lists of `src/index.shared.js`
(the same names: the p5 entry point re-exports it and adds nothing to `brush`).
The result is cached as JSON in the data home, keyed by the package version and the bundle's hash.
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

from core.atomic import write_atomic
from core.hashing import bytes_hash
from core.paths import NODE_MODULES, data_home
from core.sketch.syntax import node_path

PACKAGE = NODE_MODULES / "p5.brush"

_LIST_EXPORTS_JS = r"""
const vm = require('vm'), fs = require('fs');
const exp = {};
const box = {exports: exp, module: {exports: exp}};
vm.createContext(box);
vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), box, {filename: 'p5.brush.js'});
const kinds = {};
for (const [k, v] of Object.entries(exp)) {
  kinds[k] = typeof v === 'function'
    ? (/^class[\s{]/.test(Function.prototype.toString.call(v)) ? 'class' : 'function') : typeof v;
}
process.stdout.write(JSON.stringify(kinds));
"""


class BrushApiError(RuntimeError):
    """The installed p5.brush package could not be read."""


def brush_version(package: Path = PACKAGE) -> str:
    """Version of the installed p5.brush (from its package.json)."""
    try:
        return json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as e:
        raise BrushApiError(f"cannot read p5.brush's package.json in {package}: {e}") from e


def brush_api(package: Path = PACKAGE) -> frozenset[str]:
    """Every name on the `brush` object of the installed p5.brush (functions, classes, constants)."""
    return frozenset(brush_api_kinds(package))


def brush_api_kinds(package: Path = PACKAGE) -> dict[str, str]:
    """Name -> "function" | "class" | other typeof, for the installed p5.brush."""
    return dict(_cached_kinds(str(Path(package).resolve())))


@functools.lru_cache(maxsize=4)
def _cached_kinds(package_dir: str) -> tuple[tuple[str, str], ...]:
    package = Path(package_dir)
    bundle = package / "dist" / "p5.brush.js"
    try:
        digest = bytes_hash(bundle.read_bytes())[:16]
    except OSError as e:
        raise BrushApiError(f"p5.brush bundle missing: {bundle}") from e
    cache = data_home() / "cache" / f"p5.brush-api-{brush_version(package)}-{digest}.json"
    try:
        return tuple(sorted(json.loads(cache.read_text(encoding="utf-8")).items()))
    except (OSError, ValueError):
        pass
    kinds = _kinds_from_node(bundle) or _kinds_from_source(package / "src" / "index.shared.js")
    if not kinds:
        raise BrushApiError(f"found no exports in {package}")
    try:  # atomic: parallel processes may race to write it
        write_atomic(cache, json.dumps(kinds, indent=1, sort_keys=True).encode("utf-8"))
    except OSError:
        pass  # a read-only data home only costs us the cache
    return tuple(sorted(kinds.items()))


def _kinds_from_node(bundle: Path) -> dict[str, str] | None:
    node = node_path()
    if node is None:
        return None
    try:
        done = subprocess.run([node, "-e", _LIST_EXPORTS_JS, str(bundle)], capture_output=True,
                              text=True, timeout=30, check=True)
        return json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


_EXPORT_LIST = re.compile(r"export\s*\{([^}]*)\}", re.S)
_EXPORT_DECL = re.compile(r"export\s+(?:async\s+)?(function|class|const|let|var)\s+([\w$]+)")


def _kinds_from_source(index: Path) -> dict[str, str]:
    """Names from `export { a, b as c }` lists: the fallback when node is absent."""
    try:
        text = re.sub(r"//[^\n]*|/\*.*?\*/", "", index.read_text(encoding="utf-8"), flags=re.S)
    except OSError:
        return {}
    kinds: dict[str, str] = {}
    for group in _EXPORT_LIST.findall(text):
        for item in filter(None, (part.strip() for part in group.split(","))):
            name = item.split(" as ")[-1].strip()
            kinds[name] = "class" if name[:1].isupper() else "function"
    for decl, name in _EXPORT_DECL.findall(text):
        kinds[name] = "class" if decl == "class" else "function" if decl == "function" else "object"
    return kinds
