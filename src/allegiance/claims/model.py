"""The claims file: a document's metadata, then its claims (schema in docs/claims.md).

:func:`load_claims` reads the file (:mod:`allegiance.claims.source`: ``on``, ``yes`` and
``no`` stay words, dates stay text), validates the document and every claim, each
claim's parameters against its kind's model, every name it refers to (states,
organizations, poles, scopes, resolution symbols, dates; :mod:`allegiance.claims.refs`)
and whether its check says enough to be decided. Every problem is reported at once, each
as ``file:line: claim <id> (<kind>): <field>: <message>``.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from allegiance.claims import source
from allegiance.claims.refs import Resolver, resolve
from allegiance.errors import AllegianceError, BadInputError


class ClaimsFileError(BadInputError):
    """The claims file cannot be read; the message lists every problem with its line."""


class Document(BaseModel):
    """The document the claims come from."""

    model_config = ConfigDict(extra="forbid")

    title: str
    author: str
    publisher: str
    date: str | int | date
    url: str | None = None
    #: Where the text was read, when not at ``url`` (a reprint or archived copy).
    read_at: str | None = None
    note: str | None = None


class Claim(BaseModel):
    """One statement of the document and how to check it.

    ``text`` quotes the document; ``kind`` names an evaluator; ``check`` holds that
    kind's parameters. ``on`` is the date the claim speaks of (default: the document's
    date), used by kinds that ask "as of when". ``unchecked`` names parts of the statement
    the data cannot test; they keep a claim from being ``supported`` outright.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    text: str = Field(min_length=1)
    kind: str
    check: dict[str, Any] = Field(default_factory=dict)
    on: str | int | date | None = None
    unchecked: list[str] = Field(default_factory=list)
    note: str | None = None


class ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Document
    claims: list[Claim] = Field(min_length=1)


class _Problems:
    """Problems found in one file, each placed at its line."""

    def __init__(self, path: Path, positions: dict):
        self.path, self.positions, self.items = path, positions, []

    def add(self, where: tuple, message: str, claim: str | None = None, field: str = "") -> None:
        line = source.line_of(self.positions, where)
        who = f"claim {claim}: " if claim else ""
        self.items.append((line, f"{self.path}:{line}: {who}{field + ': ' if field else ''}"
                                 f"{message}"))  # fmt: skip

    def add_validation(
        self, exc: ValidationError, base: tuple, data: Any, claim=None, top="", model=None
    ):
        for e in exc.errors():
            loc = _data_path(e["loc"], data)
            field = ".".join([top] * bool(top) + [_show(loc)]) if loc else top or "(top)"
            message = e["msg"]
            if e["type"] == "extra_forbidden":
                message = "unknown key"
                if model is not None and len(loc) == 1:
                    close = difflib.get_close_matches(str(loc[0]), list(model.model_fields), n=1)
                    known = ", ".join(model.model_fields)
                    message += (
                        f"; did you mean {close[0]}?" if close else ""
                    ) + f" (keys: {known})"
            self.add((*base, *loc), message, claim, field)

    def raise_if_any(self) -> None:
        if self.items:
            lines = [m for _, m in sorted(self.items, key=lambda x: x[0])]
            raise ClaimsFileError(f"{self.path}: {len(lines)} problem(s):\n  " + "\n  ".join(lines))


def _data_path(loc: tuple, data: Any) -> tuple:
    """The part of a pydantic error location that names keys and indexes of the data
    (leaving out the names pydantic gives union members: ``str``, ``list[str]``, ...)."""
    out, node = [], data
    for step in loc:
        if (
            isinstance(node, dict)
            and step in node
            or isinstance(node, list)
            and isinstance(step, int)
            and 0 <= step < len(node)
        ):
            out.append(step)
            node = node[step]
        elif isinstance(step, str) and not re.search(r"[\[\]-]|^(str|int|float|bool|date)$", step):
            out.append(step)  # a missing key: name it
            node = None
    return tuple(out)


def _show(path: tuple) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def load_claims(path: str | Path, store=None, kb=None) -> tuple[ClaimsFile, dict[str, BaseModel]]:
    """Read and validate a claims file.

    Parameters
    ----------
    path : str or Path
    store : Store, optional
        If given, survey questions are checked against it.
    kb : KnowledgeBase, optional
        Default: the package's knowledge base.

    Returns
    -------
    (ClaimsFile, dict)
        The file, and each claim's parameters validated by its kind's model (names in
        their canonical form), by claim id.

    Raises
    ------
    ClaimsFileError
        Listing every problem, each with its file, line, claim id and field.
    """
    from allegiance import kb as kb_
    from allegiance.claims.kinds import KINDS

    path = Path(path)
    try:
        data, positions = source.read(path)
    except OSError as exc:
        raise ClaimsFileError(f"{path}: cannot read the claims file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ClaimsFileError(f"{path}{line}: not valid YAML: {problem}") from None
    problems = _Problems(path, positions)
    if not isinstance(data, dict):
        problems.add((), "a claims file is a mapping with `document` and `claims`")
        problems.raise_if_any()
    for key in data:
        if key not in ("document", "claims"):
            problems.add((key,), f"unknown top-level key {key!r}; expected document and claims")
    kb = kb if kb is not None else kb_.default()
    resolver = Resolver(kb, store)
    document = None
    try:
        document = Document.model_validate(data.get("document"))
    except ValidationError as exc:
        problems.add_validation(
            exc, ("document",), data.get("document"), top="document", model=Document
        )
    if document is not None:
        _check_date(resolver, document.date, problems, ("document", "date"), None, "document.date")
    raw_claims = data.get("claims")
    if not isinstance(raw_claims, list) or not raw_claims:
        problems.add(("claims",), "claims must be a non-empty list")
        problems.raise_if_any()
    claims, params, seen = [], {}, {}
    for i, raw in enumerate(raw_claims):
        where = ("claims", i)
        cid = raw.get("id", f"#{i + 1}") if isinstance(raw, dict) else f"#{i + 1}"
        try:
            claim = Claim.model_validate(raw)
        except ValidationError as exc:
            problems.add_validation(exc, where, raw, claim=cid, model=Claim)
            continue
        if claim.id in seen:
            problems.add((*where, "id"), f"claim id {claim.id!r} is used twice (first on line "
                         f"{source.line_of(positions, ('claims', seen[claim.id], 'id'))})", cid)  # fmt: skip
        seen.setdefault(claim.id, i)
        claims.append(claim)
        if claim.on is not None:
            _check_date(resolver, claim.on, problems, (*where, "on"), cid, "on")
        kind = KINDS.get(claim.kind)
        if kind is None:
            close = difflib.get_close_matches(claim.kind, list(KINDS), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.add((*where, "kind"), f"unknown kind {claim.kind!r}{hint} "
                         f"(known: {', '.join(KINDS)})", cid)  # fmt: skip
            continue
        label = f"{cid} ({claim.kind})"
        try:
            p = kind.params.model_validate(claim.check)
        except ValidationError as exc:
            problems.add_validation(
                exc, (*where, "check"), claim.check, label, top="check", model=kind.params
            )
            continue
        p, found = resolve(p, resolver)
        for sub, message in found:
            problems.add((*where, "check", *sub), message, label, _show(("check", *sub)))
        for sub, message in p.too_loose():
            problems.add((*where, "check", *sub), message, label, _show(("check", *sub)))
        params[claim.id] = p
    problems.raise_if_any()
    return ClaimsFile(document=document, claims=claims), params


def _check_date(resolver, value, problems, where, claim, field) -> None:
    try:
        resolver("date", value)
    except (AllegianceError, ValueError) as exc:
        problems.add(where, str(exc), claim, field)
