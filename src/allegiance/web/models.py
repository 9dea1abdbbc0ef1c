"""The JSON shapes of the API (pydantic models; the OpenAPI schema is generated from them).

Each table answer is a :class:`Page` of rows: the rows asked for, how many there are in
all, and the citations of what they were computed from. Row models name the columns the
Python API documents; columns that depend on the data (one per pole, one per channel) are
allowed as extra fields.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Row = TypeVar("Row", bound=BaseModel)


class _Row(BaseModel):
    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[Row]):
    """Rows of one result, a page at a time, with their provenance."""

    data: list[Row]
    total: int = Field(description="Rows in the whole result.")
    offset: int
    limit: int
    sources: list[str] = Field(description="Source ids (keys of the source registry).")
    citation: str = Field(description="The bibliography of those sources (as al.cite gives it).")
    attribution: str | None = Field(None, description="The UN's attribution, for UN votes.")
    about: dict[str, Any] | None = Field(None, description="What the rows are about.")


class RollCall(_Row):
    id: int
    session: int | None
    date: str
    year: int
    symbol: str | None
    title: str | None
    kind: str | None
    important: bool | None = None
    yes: int | None
    no: int | None
    abstain: int | None
    source: str


class StateVote(_Row):
    state: str
    name: str
    vote: str


class RegionVotes(_Row):
    region: str
    yes: int
    no: int
    abstain: int
    absent: int
    members: int


class Agreement(_Row):
    state: str
    partner: str
    year: int | None = None
    session: int | None = None
    agreement: float | None
    n: int
    sparse: bool


class Alignment(_Row):
    """One year of a state's agreement with each pole (one column per pole)."""

    state: str
    year: int
    closest: str | None
    n: int
    sparse: bool


class IdealPoint(_Row):
    state: str
    year: int
    estimate: float | None
    lower: float | None
    upper: float | None


class IndexValue(_Row):
    """The influence index of a pole in a state-year (``contrib_<channel>`` columns too)."""

    state: str
    pole: str
    year: int
    index: float | None
    lower: float | None
    upper: float | None
    n_channels: int
    channels: str
    missing: str | None = None


class SphereStanding(_Row):
    state: str
    year: int
    status: str
    pole_index: float | None
    lower: float | None = None
    upper: float | None = None
    leader: str | None
    runner_up: str | None = None
    lead: float | None = None
    n_channels: int | None = None
    channels: str | None = None
    top_channels: str | None = None


class ChannelScore(_Row):
    state: str
    pole: str
    year: int
    channel: str
    score: float | None
    coverage_note: str | None = None
    inputs: str | None = None


class Drift(_Row):
    """A state's drift towards or away from a pole (``slope_<channel>`` columns too)."""

    state: str
    pole: str
    n: int | None = None
    slope: float | None
    p: float | None = None
    trend: str


class Record(_Row):
    """A knowledge-base record (membership, presence, event, timeline entry)."""


class ClaimSummary(_Row):
    file: str
    id: str
    kind: str
    text: str
    verdict: str
    summary: str
    corrections: str | None = None


class ClaimCheck(BaseModel):
    what: str
    ok: bool | None
    detail: str = ""


class ClaimDetail(BaseModel):
    """One claim with its full evidence."""

    file: str
    id: str
    kind: str
    text: str
    verdict: str
    summary: str
    checks: list[ClaimCheck]
    corrections: list[str]
    missing: list[str]
    caveats: list[str]
    scopes: list[dict[str, Any]]
    figures: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]
    citations: list[dict[str, Any]]


class ClaimsChecked(BaseModel):
    """A claims file checked: its document, the tally of verdicts, every claim."""

    file: str
    document: dict[str, Any] | None
    tally: dict[str, int]
    claims: list[ClaimDetail]


class Source(_Row):
    source: str
    citation: str | None


class Status(BaseModel):
    version: str
    build_id: str
    built_at: str
    vote_years: list[int]
    warm: str = Field(
        description="Warm-up of the in-memory results: computing, ready (the panel, the "
        "post-Soviet states, the ledger), complete (every state), failed."
    )
    warm_seconds: float | None = Field(description="Seconds until ready.")
    warm_all_seconds: float | None = Field(description="Seconds until complete.")
    first_year: int = Field(description="First year of the influence index (the map's slider).")
    last_year: int
    default_year: int = Field(description="Latest year covered by both votes and arms.")
    poles: list[str]


class Problem(BaseModel):
    """An error: what went wrong and, where there is one, the closest valid value; for a
    parameter that fails validation, one item per problem (``loc``, ``msg``, ``type``)."""

    detail: str | list[dict[str, Any]]
