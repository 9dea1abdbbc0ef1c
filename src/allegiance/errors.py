"""The errors allegiance raises on purpose: each says what went wrong and what to do.

Every class derives from :class:`AllegianceError` and from the built-in exception a caller
would expect (``ValueError`` for bad input, ``LookupError`` for something not found), so
``except ValueError`` keeps working. The command line turns any of them into one line and
exit code 2.
"""

from __future__ import annotations


class AllegianceError(Exception):
    """Base of the errors allegiance raises on purpose (expected failures)."""

    def __str__(self) -> str:  # KeyError would quote its message
        return str(self.args[0]) if self.args else ""


class BadInputError(AllegianceError, ValueError):
    """An argument that cannot be understood (a malformed date, an unknown option)."""


class BadDateError(BadInputError):
    """A date, year-month or year that is not one (``2022-02-30``, ``June 2024``)."""


class UnknownStateError(BadInputError):
    """A code or name that is not in the states table; the message suggests close ones."""


class UnknownPoleError(BadInputError):
    """A pole that is not one of the poles table (``data/poles.toml``)."""


class UnknownOrganizationError(BadInputError):
    """An organization that is not in the knowledge base."""


class UnknownIssueError(BadInputError):
    """An issue area that is not in ``data/issues.toml``."""


class UnknownSourceError(BadInputError):
    """A source id that is not in the source registry."""


class NoDataError(AllegianceError, LookupError):
    """The store holds nothing for what was asked (a period with no votes, a state that
    never voted in it)."""


class UnknownRollCallError(NoDataError, KeyError):
    """No roll call has the given symbol or id."""


class StoreMissingError(AllegianceError, FileNotFoundError):
    """No store has been built yet at the given path."""


class NotAStoreError(AllegianceError, OSError):
    """A file that is not an allegiance store."""
