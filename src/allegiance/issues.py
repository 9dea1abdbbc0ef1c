"""Issue areas of roll calls (``me``, ``hr``, ``ukraine``, ...), defined in ``data/issues.toml``.

:func:`issue_filter` turns one issue into a SQL condition with parameters for the store's
``roll_calls`` table; the definitions themselves are data, not SQL.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from allegiance.errors import UnknownIssueError


@dataclass(frozen=True)
class Issue:
    code: str
    label: str
    dataverse: str | None = None
    symbol_prefixes: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()


@cache
def issues() -> dict[str, Issue]:
    """Every issue area, by code, in the order of ``data/issues.toml``."""
    text = resources.files("allegiance").joinpath("data", "issues.toml").read_text("utf-8")
    table = tomllib.loads(text)["issues"]
    return {
        code: Issue(
            code,
            row["label"],
            row.get("dataverse"),
            tuple(row.get("symbol_prefixes", ())),
            tuple(row.get("title_words", ())),
        )
        for code, row in table.items()
    }


def issue(code: str) -> Issue:
    """One issue by code (case-insensitive), or an error listing the codes.

    >>> issue("UKRAINE").label
    'Ukraine: the 11th emergency special session and resolutions on Ukraine'
    """
    found = issues().get(str(code).strip().lower())
    if found is None:
        raise UnknownIssueError(f"unknown issue {code!r}; expected one of {', '.join(issues())}")
    return found


def issue_filter(code: str) -> tuple[str, list]:
    """A SQL condition on ``roll_calls`` (columns ``issues``, ``symbol``, ``title``) and its
    parameters, selecting the roll calls of one issue."""
    found = issue(code)
    parts, params = [], []
    if found.dataverse:
        parts.append("list_contains(issues, ?)")
        params.append(found.dataverse)
    for prefix in found.symbol_prefixes:
        parts.append("starts_with(symbol, ?)")
        params.append(prefix)
    for word in found.title_words:
        parts.append("contains(lower(title), ?)")
        params.append(word.lower())
    return "(" + " OR ".join(parts) + ")", params
