"""The ``allegiance`` command line: a thin Typer layer over the Python API.

:func:`main` is the one error boundary: an expected failure (an
:class:`~allegiance.errors.AllegianceError`: no votes in the period, an unknown code, a bad
date, a missing store) prints one line with its remedy and exits with code 2; anything
unexpected prints one line and the path of a log file holding the traceback, and exits
with code 1. No traceback reaches the terminal.
"""

from __future__ import annotations

import sys

#: Old option names kept as hidden aliases for one release (issue: one name for one thing).
#: ``build --from DIR`` and ``events build --from DIR`` keep their own ``--from``.
ALIASES = {"--from": "--since", "--to": "--until"}
_KEEPS_FROM = {"build", "events", "fetch"}


def _translate(argv: list[str]) -> list[str]:
    """``--from``/``--to`` of the window options become ``--since``/``--until``."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command in _KEEPS_FROM:
        return argv
    out = []
    for arg in argv:
        name, eq, value = arg.partition("=")
        out.append(ALIASES[name] + eq + value if name in ALIASES else arg)
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``)."""
    import typer

    from allegiance.cli.app import app
    from allegiance.cli.errors import report_unexpected
    from allegiance.cli.output import err
    from allegiance.errors import AllegianceError

    args = _translate(list(sys.argv[1:] if argv is None else argv))
    try:
        code = app(args=args, standalone_mode=False, prog_name="allegiance")
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("aborted", markup=False)
        code = 130
    except AllegianceError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        code = 2
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        code = 130
    except Exception as exc:  # noqa: BLE001 - the boundary: one line, the traceback to a log
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error of the parser
            exc.show()
            code = 2 if exc.exit_code in (None, 0, 1) else exc.exit_code
        else:
            report_unexpected(exc)
            code = 1
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["main"]
