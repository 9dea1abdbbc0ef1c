"""Typed records of the knowledge base: one pydantic model per YAML file.

The schema is documented field by field in ``docs/knowledge.md``. Every model forbids
unknown keys, so a misspelt field is an error rather than a silently ignored value.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    model_validator,
)
from pydantic_core import core_schema

from allegiance.citation import Citation

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True, order=False)
class FuzzyDate:
    """A date known to the year, the month or the day.

    Parameters
    ----------
    text : str
        ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"``.

    Attributes
    ----------
    precision : {"year", "month", "day"}
    start, end : datetime.date
        The first and the last day the text can mean: ``"2024-02"`` spans
        2024-02-01 to 2024-02-29.

    Notes
    -----
    Dates sort by ``(start, end)``: by first possible day, then the narrower first, so
    ``"2024-01" < "2024" < "2024-01-15"``. For "in force on day D" questions use
    :func:`in_force`, which states the rule for fuzzy ends.

    Examples
    --------
    >>> d = FuzzyDate.parse("2024-02")
    >>> d.precision, d.start, d.end
    ('month', datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """

    text: str
    precision: Precision
    start: date
    end: date

    @classmethod
    def parse(cls, value: Any) -> FuzzyDate:
        """Read ``"YYYY"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"``, a year as int, or a ``date``.

        Raises
        ------
        ValueError
            If the value is none of these or names a day that does not exist.
        """
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls(value.isoformat(), "day", value, value)
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:04d}"
        if value is None:
            raise ValueError("a date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' is required here, got null")
        if not isinstance(value, str):
            raise ValueError(f"expected a date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {value!r}")
        m = _DATE.match(value.strip())
        if not m:
            raise ValueError(f"expected a date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {value!r}")
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        try:
            if mo is None:
                return cls(value.strip(), "year", date(y, 1, 1), date(y, 12, 31))
            month = int(mo)
            if d is None:
                last = calendar.monthrange(y, month)[1] if 1 <= month <= 12 else 0
                return cls(value.strip(), "month", date(y, month, 1), date(y, month, last))
            day = date(y, month, int(d))
        except ValueError as exc:
            raise ValueError(f"not a real date: {value!r} ({exc})") from None
        return cls(value.strip(), "day", day, day)

    def __str__(self) -> str:
        return self.text

    def _key(self) -> tuple[date, date]:
        return (self.start, self.end)

    def __lt__(self, other: FuzzyDate) -> bool:
        return self._key() < other._key()

    def __le__(self, other: FuzzyDate) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: FuzzyDate) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: FuzzyDate) -> bool:
        return self._key() >= other._key()

    def contains(self, day: date) -> bool:
        """Whether ``day`` is one of the days this date can mean."""
        return self.start <= day <= self.end

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


def as_day(value: date | str | FuzzyDate) -> date:
    """A query date as a ``datetime.date`` (a fuzzy date counts as its first day)."""
    if isinstance(value, FuzzyDate):
        return value.start
    if isinstance(value, datetime):  # also pandas.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    return FuzzyDate.parse(str(value)).start


def in_force(start: FuzzyDate | None, end: FuzzyDate | None, on: date) -> bool:
    """Whether a spell from ``start`` to ``end`` is in force on day ``on``.

    The rule gives fuzzy dates the benefit of the doubt: the spell counts from the
    first day ``start`` can mean and through the last day ``end`` can mean, both
    inclusive. A spell starting ``"2024-02"`` is in force on every day from
    2024-02-01; a spell ending ``"2009"`` is in force through 2009-12-31. A missing
    ``start`` means "since before anything we record"; a missing ``end`` means ongoing.
    """
    if start is not None and on < start.start:
        return False
    return end is None or on <= end.end


def yaml_line(raw: Any, path: Iterable[str | int], default: int = 0) -> int:
    """The line of the deepest step of ``path`` found in parsed YAML ``raw``.

    ``raw`` is YAML as read by :mod:`allegiance.kb.load`: mappings carry ``line`` (where
    they start) and ``key_lines`` (where each key is). Steps not found are ignored.
    """
    line, node = getattr(raw, "line", default) or default, raw
    for step in path:
        if isinstance(node, dict) and step in node:
            line = getattr(node, "key_lines", {}).get(step, line)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


class CitedDocument(BaseModel):
    """The document a record cites, as written in the YAML files: with a URL or a document
    symbol. :meth:`as_citation` gives it as the package's one
    :class:`allegiance.citation.Citation` type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    publisher: str
    date: FuzzyDate
    url: str | None = None
    symbol: str | None = None
    accessed: FuzzyDate | None = None
    quote: str | None = None

    @model_validator(mode="after")
    def _url_or_symbol(self) -> CitedDocument:
        if not self.url and not self.symbol:
            raise ValueError("a citation needs a url or a symbol (or both)")
        return self

    def one_line(self) -> str:
        """The citation as one line: publisher, title, date, symbol or URL."""
        where = self.symbol or ""
        if self.url:
            where = f"{where}, {self.url}" if where else self.url
        return f"{self.publisher}, “{self.title}” ({self.date}), {where}"

    def as_citation(self, key: str = "") -> Citation:
        return Citation(
            self.one_line(), url=self.url, key=key or self.symbol or self.title, title=self.title
        )


class Record(BaseModel):
    """Fields shared by every record, and where it was read from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citations: list[CitedDocument] = Field(min_length=1)
    confidence: str | None = None
    note: str | None = None

    _file: str = PrivateAttr(default="")
    _line: int = PrivateAttr(default=0)
    _raw: Any = PrivateAttr(default=None)

    @property
    def file(self) -> str:
        """The YAML file name the record came from (``""`` if built in code)."""
        return self._file

    @property
    def line(self) -> int:
        """The line where the record starts in its file (0 if built in code)."""
        return self._line

    def line_of(self, field: str) -> int:
        """The line of a field such as ``"end"`` or ``"citations[0].url"`` in the file.

        Falls back to the nearest enclosing mapping, then to the record's own line.
        """
        steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", field)]
        return yaml_line(self._raw, steps, self._line)

    def located(self, file: str, line: int, raw: Any = None) -> Record:
        """Set where the record was read from and the parsed YAML it came from.

        ``raw`` is the mapping as read, whose nodes carry ``line`` and ``key_lines``
        (see :mod:`allegiance.kb.load`); it lets :meth:`line_of` place any field.
        Returns the record itself.
        """
        self._file = file
        self._line = line
        self._raw = raw
        return self


OrgKind = Literal[
    "defence_alliance",
    "economic_union",
    "customs_union",
    "political_union",
    "regional_forum",
    "security_forum",
    "cultural",
    "development",
]
Pole = Literal["RUS", "USA", "CHN", "TUR", "EU"]


class Organization(Record):
    """An international organization (``organizations.yaml``)."""

    id: str
    name: str
    kind: OrgKind
    led_by: Pole | None = None
    founded: FuzzyDate
    dissolved: FuzzyDate | None = None
    predecessors: list[str] = Field(default_factory=list)
    cow_igo_id: str | None = None


MembershipStatus = Literal["member", "suspended", "observer", "candidate", "partner", "applicant"]

#: Statuses that count as membership: a suspended member is still a member.
MEMBER_STATUSES = frozenset({"member", "suspended"})


class Membership(Record):
    """One spell of one state's status in one organization (``memberships.yaml``)."""

    state: str
    org: str
    status: MembershipStatus
    start: FuzzyDate
    end: FuzzyDate | None = None


PresenceKind = Literal[
    "base",
    "airbase",
    "naval_base",
    "radar",
    "peacekeepers",
    "border_guards",
    "troops",
    "training_mission",
]


class MilitaryPresence(Record):
    """Armed forces of ``sender`` on the soil of ``host`` (``military_presence.yaml``)."""

    id: str
    sender: str
    host: str
    site: str
    kind: PresenceKind
    start: FuzzyDate
    end: FuzzyDate | None = None
    size: int | None = None
    size_note: str | None = None
    territory: str | None = None
    #: Whether the host government consents (a basing, lease or status-of-forces
    #: agreement, or its request). Forces without that consent (occupation, forces in a
    #: breakaway territory against the host's wishes) are coercion, not a tie of alignment.
    consent: bool
    consent_note: str | None = None
    #: What establishes the lack of consent; required when ``consent`` is false.
    consent_citations: list[CitedDocument] = Field(default_factory=list)

    @model_validator(mode="after")
    def _non_consent_is_cited(self) -> MilitaryPresence:
        if not self.consent and not self.consent_citations:
            raise ValueError(
                "consent is false, so consent_citations must cite what establishes that the "
                "host does not consent (a resolution, a judgment, the host's statement)"
            )
        return self


class Recognition(BaseModel):
    """A state's recognition of a territory's claimed statehood or annexation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: str
    since: FuzzyDate
    until: FuzzyDate | None = None


class Territory(Record):
    """An occupied, separatist or annexed territory (``territories.yaml``)."""

    id: str
    name: str
    de_jure: str
    status: Literal["occupied", "separatist", "annexed"]
    controlled_by: str
    backed_by: str | None = None
    since: FuzzyDate
    until: FuzzyDate | None = None
    recognised_by: list[Recognition] = Field(default_factory=list)


class Office(Record):
    """A state agency's office abroad, e.g. a Russian House (``offices.yaml``)."""

    id: str
    agency: str
    sender: str
    host: str
    city: str
    name: str
    opened: FuzzyDate
    closed: FuzzyDate | None = None
    closure_note: str | None = None


AgreementKind = Literal[
    "treaty",
    "strategic_partnership",
    "alliance",
    "defence_cooperation",
    "peace_agreement",
    "basing_agreement",
    "other",
]


class Agreement(Record):
    """A treaty or other agreement between states (``agreements.yaml``)."""

    id: str
    name: str
    kind: AgreementKind
    parties: list[str] = Field(min_length=1)
    signed: FuzzyDate
    in_force: FuzzyDate | None = None
    ended: FuzzyDate | None = None


EventKind = Literal[
    "war",
    "shootdown",
    "conviction",
    "expulsion",
    "closure",
    "attack",
    "election",
    "protest",
    "referendum",
    "sanction",
    "withdrawal",
    "other",
]


class Event(Record):
    """A dated event that bears on alignment (``events.yaml``)."""

    id: str
    date: FuzzyDate
    end_date: FuzzyDate | None = None
    kind: EventKind
    actors: list[str] = Field(default_factory=list)
    place: str
    figures: dict[str, int | float | str] = Field(default_factory=dict)
    summary: str


#: Each file of the knowledge base and the model of its records.
FILES: dict[str, type[Record]] = {
    "organizations.yaml": Organization,
    "memberships.yaml": Membership,
    "military_presence.yaml": MilitaryPresence,
    "territories.yaml": Territory,
    "offices.yaml": Office,
    "agreements.yaml": Agreement,
    "events.yaml": Event,
}
