"""What every kind of claim shares: the registry, the context, dates and the typed fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from allegiance.claims.refs import (
    ACTOR,
    DATE,
    EVENT_KIND,
    ISSUE,
    ORG,
    PARTNER,
    POLE,
    PRESENCE_KIND,
    QUESTION,
    RECORD,
    RESOLUTION,
    SCOPE,
    STATE,
    STATUS,
    VOTER,
)
from allegiance.claims.scopes import VAGUE_SCOPES, readings
from allegiance.claims.verdict import Verdict
from allegiance.kb.models import FuzzyDate

#: A date as a claim writes it: a year, "YYYY-MM", or a full date (validated at load).
When = Annotated[str | int | date, DATE]
State = Annotated[str, STATE]
States = Annotated[list[str], STATE]
Actors = Annotated[list[str], ACTOR]
Partner = Annotated[str, PARTNER]
Partners = Annotated[list[str], PARTNER]
Pole = Annotated[str, POLE]
Poles = Annotated[list[str], POLE]
Voter = Annotated[str, VOTER]
Org = Annotated[str | list[str], ORG]
Scope = Annotated[str | list[str], SCOPE]
Resolutions = Annotated[list[str], RESOLUTION]
Issue = Annotated[str, ISSUE]
RecordRef = Annotated[str, RECORD]
Question = Annotated[str, QUESTION]
Status = Annotated[str | list[str], STATUS]
PresenceKinds = Annotated[list[str], PRESENCE_KIND]
EventKinds = Annotated[str | list[str], EVENT_KIND]

__all__ = ["KINDS", "VAGUE_SCOPES", "Context", "Kind", "Params", "readings", "register"]


class Unavailable(Exception):
    """The store lacks a measure or channel a claim needs (an older or partial build)."""


class Params(BaseModel):
    """Base of each kind's parameters: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    def too_loose(self) -> list[tuple[tuple[str, ...], str]]:
        """Why this ``check`` does not constrain the evidence enough to be decided, as
        (field path, reason) pairs; empty if it does. A claim whose check is too loose is
        rejected when the file is loaded, so that it cannot match unrelated records."""
        return []


@dataclass
class Context:
    """What an evaluator may query: the store (may be None), the knowledge base, and the
    date the claim speaks of."""

    store: Any
    kb: Any
    on: date
    store_error: str | None = None
    cache: dict = field(default_factory=dict)


Evaluate = Callable[[Any, Context], Verdict]


@dataclass(frozen=True)
class Kind:
    """A kind of claim: its parameter model and its evaluator."""

    name: str
    params: type[Params]
    evaluate: Evaluate
    doc: str


KINDS: dict[str, Kind] = {}


def register(name: str, params: type[Params]) -> Callable[[Evaluate], Evaluate]:
    """Register ``evaluate(params, ctx) -> Verdict`` as the evaluator of kind ``name``."""

    def wrap(func: Evaluate) -> Evaluate:
        KINDS[name] = Kind(name, params, func, (func.__doc__ or "").strip().split("\n")[0])
        return func

    return wrap


def fuzzy(value: Any) -> FuzzyDate | None:
    """A claimed date (validated at load) as a :class:`FuzzyDate`."""
    if value is None:
        return None
    if isinstance(value, date):
        return FuzzyDate.parse(value)
    return FuzzyDate.parse(value if isinstance(value, int) else str(value))


def date_check(claimed: FuzzyDate, actual: FuzzyDate) -> bool | None:
    """Whether an actual date matches a claimed one.

    True when every day the actual date can mean lies within the claimed date ("in 2012"
    and 2012-12-10); False when they share no day; None when they overlap but the
    sources are too coarse to tell.
    """
    if claimed.start <= actual.start and actual.end <= claimed.end:
        return True
    if actual.end < claimed.start or claimed.end < actual.start:
        return False
    return None


def one_or_many(value: str | list[str] | None) -> list[str]:
    """A parameter that takes one value or a list, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def scope_readings(scope) -> list[str]:
    """The readings of a scope (see :mod:`allegiance.claims.scopes`)."""
    return readings(scope)


def by_reading(
    scope, one: Callable[[str | None], tuple[Verdict, list[str], str]], label: str = ""
) -> Verdict:
    """Evaluate a claim under each reading of its scope and combine the verdicts.

    ``one(reading)`` returns the verdict under a reading (``None`` when the claim has no
    scope), the states it covered and a one-line detail. With one reading its verdict is
    the claim's; with several, :func:`across_scopes` combines them and every reading is
    shown.
    """
    from allegiance.claims.verdict import ScopeResult, across_scopes

    results = []
    for reading in readings(scope) or [None]:
        verdict, members, detail = one(reading)
        name = reading or label or ", ".join(members)
        results.append((ScopeResult(name, sorted(members), verdict.verdict, detail), verdict))
    if len(results) == 1:
        scope_result, verdict = results[0]
        verdict.scopes = [scope_result]
        return verdict
    return across_scopes(results)
