"""Help › Diagnostics: the same checks as `brushwork doctor`, run off the GUI thread."""
from __future__ import annotations

from studio.ops import run_in_thread

# The studio's Train pane starts from the tiny model by default: in the studio, a model that is not
# built is missing (FAIL), not a mere warning as for the command line.
STUDIO_REQUIRES = ("tiny-model",)


async def doctor_report() -> tuple[str, bool]:
    """(the doctor's text report, whether everything required is present)."""
    from core.doctor import format_text, run_checks  # deferred: heavy (playwright)

    checks = await run_in_thread(run_checks, STUDIO_REQUIRES)
    return format_text(checks), not any(c.status == "missing" for c in checks)
