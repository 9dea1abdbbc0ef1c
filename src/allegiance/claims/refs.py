"""What a claims file refers to, and its validation when the file is loaded.

A kind's parameter model marks each field that names something with a :class:`Ref`
(``Annotated[str, STATE]``): a state, an organization, a pole, a scope, a resolution
symbol, a date. :func:`resolve` walks a validated parameter model, checks every marked
value and returns the model with the canonical values (``"Kazakhstan"`` becomes ``KAZ``,
``"csto"`` becomes ``CSTO``) and the problems found, each with the path of the value and a
message that suggests the closest valid value.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from allegiance.errors import AllegianceError
from allegiance.kb.models import FuzzyDate


@dataclass(frozen=True)
class Ref:
    """A field that names something: ``what`` is one of :data:`KINDS_OF_REF`."""

    what: str


STATE = Ref("state")  # an ISO3 code or a state's name
ACTOR = Ref("actor")  # a state or the EU (actors and parties in the knowledge base)
PARTNER = Ref("partner")  # a state or a pole (EU: its members on the date)
POLE = Ref("pole")  # a pole of data/poles.toml
VOTER = Ref("voter")  # a state or a pole that holds a General Assembly seat
ORG = Ref("org")  # an organization of the knowledge base
SCOPE = Ref("scope")  # a region, an organization, world, or a vague name
RESOLUTION = Ref("resolution")  # a General Assembly resolution symbol
DATE = Ref("date")  # a year, year-month or date
ISSUE = Ref("issue")  # an issue area of data/issues.toml
RECORD = Ref("record")  # a record type or a knowledge-base record id
QUESTION = Ref("question")  # a survey question of the store's opinion table
STATUS = Ref("status")  # a membership status of the knowledge base, or none
PRESENCE_KIND = Ref("presence_kind")  # a kind of military presence, or a territory's status
EVENT_KIND = Ref("event_kind")  # a kind of event or agreement, or a moment (withdrawal, ...)

#: The kinds of record the ``event`` kind searches (``record: <type>``).
RECORD_TYPES = ("any", "event", "agreement", "presence", "office", "territory")


class Resolver:
    """Checks names against the states table, the knowledge base and (if open) the store."""

    def __init__(self, kb, store=None):
        self.kb = kb
        self.store = store
        self._ids: set[str] | None = None
        self._questions: list[str] | None = None

    def __call__(self, what: str, value: Any) -> Any:
        """The canonical form of ``value``; raises an error whose message suggests fixes."""
        return getattr(self, f"_{what}")(value)

    # -- one method per kind of reference ------------------------------------------------
    def _state(self, value):
        from allegiance.states import require_state

        return require_state(str(value))

    def _actor(self, value):
        from allegiance.kb import require_actor

        return require_actor(str(value))

    def _partner(self, value):
        from allegiance.poles import is_pole, pole

        text = str(value).strip()
        if is_pole(text) and pole(text).organization:
            return pole(text).code
        return self._state(text)

    def _pole(self, value):
        from allegiance.poles import pole

        return pole(str(value)).code

    def _voter(self, value):
        from allegiance.poles import is_pole, pole

        text = str(value).strip()
        if is_pole(text) and pole(text).organization:
            raise _Bad(
                f"{text} is an organization, not a General Assembly seat; "
                "compare votes with one state (RUS, USA, CHN, TUR, ...)"
            )
        return self._state(text)

    def _org(self, value):
        from allegiance.kb import require_org

        return require_org(str(value), self.kb)

    def _scope(self, value):
        from allegiance.analysis.regions import is_region, region_names
        from allegiance.claims.scopes import VAGUE_SCOPES

        text = str(value).strip()
        if text.lower() in VAGUE_SCOPES or is_region(text, self.kb):
            return text
        names = [*region_names(self.kb), *VAGUE_SCOPES]
        raise _Bad(f"unknown scope {text!r}{_suggest(text.lower(), names)}")

    def _resolution(self, value):
        from allegiance.sources.symbols import normalise

        symbol = normalise(str(value))
        if symbol is None:
            raise _Bad(
                f"{value!r} is not a General Assembly resolution symbol; "
                "write it as A/RES/ES-11/1, A/RES/68/262 or A/RES/2758(XXVI)"
            )
        return symbol

    def _date(self, value):
        from allegiance.dates import parse_date

        try:
            parse_date(value, what="date")
        except AllegianceError as exc:
            raise _Bad(
                f"{exc}; write a year (2024), a month (2024-06) or a day (2024-06-30)"
            ) from None
        try:
            FuzzyDate.parse(value)
        except ValueError:
            raise _Bad(f"date {value!r}: write a year, YYYY-MM or YYYY-MM-DD") from None
        return value

    def _issue(self, value):
        from allegiance.issues import issue

        return issue(str(value)).code

    def _record(self, value):
        text = str(value).strip()
        if text in RECORD_TYPES:
            return text
        if self._ids is None:
            self._ids = {
                r.id
                for name in ("events", "agreements", "military_presence", "offices", "territories")
                for r in getattr(self.kb, name)
            }
        if text in self._ids:
            return text
        raise _Bad(
            f"{text!r} is neither a record type ({', '.join(RECORD_TYPES)}) nor the id of a "
            f"record of the knowledge base{_suggest(text, sorted(self._ids))}"
        )

    def _status(self, value):
        from allegiance.kb.models import MembershipStatus

        return _one_of(value, [*get_args(MembershipStatus), "none"], "membership status")

    def _presence_kind(self, value):
        from allegiance.kb.models import PresenceKind

        kinds = [*get_args(PresenceKind), "occupied", "separatist", "annexed"]
        return _one_of(value, kinds, "kind of presence (or territory status)")

    def _event_kind(self, value):
        from allegiance.claims.kinds.event import MOMENT_KINDS
        from allegiance.kb.models import AgreementKind, EventKind, PresenceKind

        kinds = [*get_args(EventKind), *get_args(AgreementKind), *get_args(PresenceKind),
                 *MOMENT_KINDS]  # fmt: skip
        return _one_of(value, list(dict.fromkeys(kinds)), "kind of event")

    def _question(self, value):
        text = str(value).strip()
        if self.store is None:
            return text
        if self._questions is None:
            self._questions = sorted(set(self.store.opinion()["variable"].astype(str)))
        if text in self._questions:
            return text
        raise _Bad(f"no survey question {text!r} in the store{_suggest(text, self._questions)}")


def _one_of(value, allowed: list[str], what: str) -> str:
    text = str(value).strip()
    if text in allowed:
        return text
    raise _Bad(f"unknown {what} {text!r}{_suggest(text, allowed)} (one of: {', '.join(allowed)})")


class _Bad(AllegianceError):
    """A value that names nothing valid."""


def _suggest(text: str, options: list[str]) -> str:
    close = difflib.get_close_matches(text, options, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(close)}?" if close else ""


#: A problem found in a parameter model: the path of the value inside ``check`` and why.
Problem = tuple[tuple[str | int, ...], str]


def resolve(model: BaseModel, resolver: Resolver, path=()) -> tuple[BaseModel, list[Problem]]:
    """Check every value of ``model`` marked with a :class:`Ref`, and canonicalise it.

    Returns the model with canonical values and the problems found (path, message).
    """
    updates, problems = {}, []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if isinstance(value, BaseModel):
            updates[name], found = resolve(value, resolver, (*path, name))
            problems += found
            continue
        refs = _refs(field)
        if not refs:
            continue
        new, found = _value(refs[0].what, value, resolver, (*path, name))
        updates[name] = new
        problems += found
    return (model.model_copy(update=updates) if updates else model), problems


def _refs(field) -> list[Ref]:
    """The :class:`Ref` marks of a field, also inside ``Optional[Annotated[..., Ref]]``."""
    found = [m for m in field.metadata if isinstance(m, Ref)]
    stack = [field.annotation]
    while stack and not found:
        tp = stack.pop()
        if get_origin(tp) is Annotated:
            found += [m for m in tp.__metadata__ if isinstance(m, Ref)]
        stack += list(get_args(tp))
    return found


def _value(what: str, value: Any, resolver: Resolver, path) -> tuple[Any, list[Problem]]:
    problems: list[Problem] = []

    def one(item, where):
        try:
            return resolver(what, item)
        except (AllegianceError, ValueError) as exc:
            problems.append((where, str(exc)))
            return item

    if what == "state_keys":  # only a mapping names states, by its keys
        if not isinstance(value, dict):
            return value, problems
        what = "state"
    if isinstance(value, dict):  # keyed by the thing named (``cast: {KAZ: abstain}``)
        out = {one(k, (*path, k)): v for k, v in value.items()}
    elif isinstance(value, (list, tuple)):
        out = type(value)(one(item, (*path, i)) for i, item in enumerate(value))
    else:
        out = one(value, path)
    return out, problems
