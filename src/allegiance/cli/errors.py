"""What the command line does with an unexpected exception: one line on the terminal, the
traceback in a log file under ``$ALLEGIANCE_HOME/logs``."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime

from allegiance import paths


def report_unexpected(exc: BaseException) -> None:
    from allegiance.cli.output import err

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    folder = paths.home() / "logs"
    text = "".join(traceback.format_exception(exc))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"error-{stamp}.log"
        log.write_text(text, encoding="utf-8")
        where = f"the traceback is in {log}"
    except OSError:
        where = "the traceback could not be written to a log file"
    what = " ".join(str(exc).split())
    err.print(
        f"unexpected error: {type(exc).__name__}: {what}; {where}. Please report it.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
