"""The ``allegiance`` command line: a thin Typer layer over the Python API.

:func:`main` is the one error boundary: an expected failure (an
:class:`~allegiance.errors.AllegianceError`: no votes in the period, an unknown code, a bad
date, a missing store) prints one line with its remedy and exits with code 2; anything
unexpected prints one line and the path of a log file holding the traceback, and exits
with code 1. No traceback reaches the terminal.
"""

from __future__ import annotations

import contextlib
import importlib
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
    from allegiance.cli.output import configure_consoles, err
    from allegiance.errors import AllegianceError

    configure_consoles()
    args = _translate(list(sys.argv[1:] if argv is None else argv))
    try:
        with _quiet_warnings():
            code = app(args=args, standalone_mode=False, prog_name="allegiance")
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        err.print("aborted", markup=False)
        code = 130
    except AllegianceError as exc:
        _error(_one_line(exc))
        code = 2
    except _parser_errors("NoArgsIsHelpError") as exc:
        exc.show()
        code = 0
    except _parser_errors("UsageError") as exc:
        _error(_usage(exc))
        code = 2
    except _parser_errors("ClickException") as exc:  # a file option that cannot be opened
        _error(exc.format_message())
        code = 2
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        code = 130
    except Exception as exc:  # noqa: BLE001 - the boundary: one line, the traceback to a log
        report_unexpected(exc)
        code = 1
    sys.exit(code if isinstance(code, int) else 0)


def _parser_errors(name: str) -> tuple[type, ...]:
    """The parser's exception class ``name``: Typer's own copy of click and click itself
    (Typer has vendored click since 0.26)."""
    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _error(message: str) -> None:
    """One line on stderr: ``error: <what went wrong and what to do>``."""
    from allegiance.cli.output import err

    text = " ".join(line.strip() for line in str(message).splitlines() if line.strip())
    err.print(f"error: {text}", markup=False, highlight=False, soft_wrap=True)


#: Problems of a knowledge base shown in the one line; ``allegiance kb check`` lists all.
_SHOWN_PROBLEMS = 2


def _one_line(exc) -> str:
    """An expected error as one line; a list of problems is cut to the first few."""
    from allegiance.kb.load import KBError

    problems = exc.problems if isinstance(exc, KBError) else None
    if problems and len(problems) > _SHOWN_PROBLEMS:
        first = "; ".join(str(p) for p in problems[:_SHOWN_PROBLEMS])
        more = len(problems) - _SHOWN_PROBLEMS
        return (
            f"{len(problems)} problems in the knowledge base: {first}; and {more} more "
            "(`allegiance kb check` lists them all)"
        )
    text = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return text.replace(":;", ":")


def _usage(exc) -> str:
    """A usage error as one line, with where to read how the command is used."""
    message = exc.format_message().rstrip(".")
    path = exc.ctx.command_path if exc.ctx is not None else "allegiance"
    return f"{message}; see `{path} --help`"


@contextlib.contextmanager
def _quiet_warnings():
    """No raw warning reaches the terminal: allegiance's own warnings are printed as one
    line (``warning: ...``), those of the libraries underneath are not the user's business."""
    import warnings

    from allegiance.cli.output import err

    def show(message, category, *_args, **_kwargs) -> None:
        err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("default", category=UserWarning, module=r"allegiance(\.|$)")
        warnings.showwarning = show
        yield


__all__ = ["main"]
