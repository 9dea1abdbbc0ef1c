"""The claims file: a document's metadata, then its claims (schema in docs/claims.md).

Each claim names a kind; the kind's own parameter model (in :mod:`allegiance.claims.kinds`)
validates its ``check`` mapping, so a misspelt parameter is an error naming the claim.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from allegiance.errors import BadInputError


class ClaimsFileError(BadInputError):
    """The claims file cannot be read; the message lists every problem."""


class Document(BaseModel):
    """The document the claims come from."""

    model_config = ConfigDict(extra="forbid")

    title: str
    author: str
    publisher: str
    date: dt.date
    url: str | None = None


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
    on: dt.date | None = None
    unchecked: list[str] = Field(default_factory=list)
    note: str | None = None


class ClaimsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Document
    claims: list[Claim] = Field(min_length=1)

    @field_validator("claims")
    @classmethod
    def _unique_ids(cls, claims: list[Claim]) -> list[Claim]:
        seen: set[str] = set()
        for c in claims:
            if c.id in seen:
                raise ValueError(f"claim id {c.id!r} is used twice")
            seen.add(c.id)
        return claims


def load_claims(path: str | Path) -> tuple[ClaimsFile, dict[str, BaseModel]]:
    """Read and validate a claims file.

    Returns
    -------
    (ClaimsFile, dict)
        The file, and each claim's parameters validated by its kind's model, by claim id.

    Raises
    ------
    ClaimsFileError
        Listing every problem: unknown kinds, unknown or missing parameters.
    """
    from allegiance.claims.kinds import KINDS

    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimsFileError(f"{path}: cannot read the claims file: {exc}") from None
    try:
        parsed = ClaimsFile.model_validate(raw)
    except ValidationError as exc:
        raise ClaimsFileError(f"{path}: {_errors(exc)}") from None
    problems, params = [], {}
    for claim in parsed.claims:
        kind = KINDS.get(claim.kind)
        if kind is None:
            problems.append(
                f"claim {claim.id}: unknown kind {claim.kind!r}; known: {', '.join(KINDS)}"
            )
            continue
        try:
            params[claim.id] = kind.params.model_validate(claim.check)
        except ValidationError as exc:
            problems.append(f"claim {claim.id} ({claim.kind}): {_errors(exc)}")
    if problems:
        raise ClaimsFileError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return parsed, params


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
    )
