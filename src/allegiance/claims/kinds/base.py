"""What every kind of claim shares: the registry, the context and the reading of scopes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from allegiance.claims.verdict import Verdict
from allegiance.kb.models import FuzzyDate

#: A date as a claim writes it: a year, "YYYY-MM", or a full date.
When = str | int | date


class Unavailable(Exception):
    """The store lacks a measure or channel a claim needs (an older or partial build)."""


class Params(BaseModel):
    """Base of each kind's parameters: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


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


#: The readings the system knows for scopes that writers leave vague. "Eurasia" may mean
#: the former Soviet Union (as in "Russia's sphere of influence in Eurasia"), the CIS, or
#: the UN members of the M49 regions Europe and Asia, together or apart.
VAGUE_SCOPES: dict[str, tuple[str, ...]] = {
    "eurasia": ("post-soviet", "cis", "eurasia", "europe", "asia"),
    "former soviet union": ("post-soviet", "cis"),
    "central asia": ("central-asia",),
    "south caucasus": ("south-caucasus",),
    "the west": ("eu", "nato"),
    "west": ("eu", "nato"),
}


def scope_readings(scope: str | list[str] | None) -> list[str]:
    """The region names to evaluate a scope under: a list as given, a vague name expanded."""
    if scope is None:
        return []
    if isinstance(scope, list):
        return scope
    return list(VAGUE_SCOPES.get(scope.strip().lower(), (scope,)))


def region_on(name: str, on: date) -> list[str]:
    """Members of region ``name`` on ``on`` (organizations from the knowledge base)."""
    from allegiance.analysis.regions import region

    return region(name, on=on)


def fuzzy(value: Any) -> FuzzyDate | None:
    return (
        None if value is None else FuzzyDate.parse(value if not isinstance(value, int) else value)
    )


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


def states_of(
    state: str | None, states: list[str] | None, scope: str | list[str] | None, on: date
) -> list[str]:
    """The states a claim is about: one, a list, or a region's members on the date."""
    out = [state] if state else []
    out += list(states or [])
    for name in scope_readings(scope):
        out += [s for s in region_on(name, on) if s not in out]
    return out
