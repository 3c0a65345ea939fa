"""The README stays true: its first lines are the two commands, its links resolve, every subcommand is listed."""
from __future__ import annotations

import re
from pathlib import Path

from core.cli import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_first_lines_are_the_two_commands():
    first = [ln.strip() for ln in README.splitlines() if ln.strip()][:2]
    assert first[0].startswith("make run") and first[1].startswith("make test")


def test_local_links_and_anchors_resolve():
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", README, re.M)}
    for target in re.findall(r"\]\(([^)\s]+)\)", README):
        if target.startswith(("http://", "https://")):
            continue
        if target.startswith("#"):
            assert target[1:] in anchors, f"README links to a missing section {target}"
        else:
            assert (REPO / target.split("#")[0]).exists(), f"README links to a missing file {target}"


def test_every_subcommand_is_documented():
    for name in [*COMMANDS, "studio"]:
        assert re.search(rf"brushwork {name}\b", README), f"README does not mention `brushwork {name}`"
