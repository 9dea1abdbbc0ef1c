"""Read the knowledge base's YAML files into typed records that remember their line.

Errors name the file, the line and the field (``memberships.yaml:132: end: ...``), and a
schema error lists every problem in every file at once, so one run shows all there is
to fix.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pydantic
import yaml
from pydantic import ValidationError

from allegiance.errors import AllegianceError
from allegiance.kb.models import (
    FILES,
    Agreement,
    Event,
    Membership,
    MilitaryPresence,
    Office,
    Organization,
    Record,
    Territory,
    yaml_line,
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, and where."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class KBError(AllegianceError):
    """The knowledge base cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base:\n{lines}")


class _Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class _PyLoader(yaml.SafeLoader):
    """Safe loader that keeps line numbers, notes repeated keys and leaves dates as strings.

    Dates stay strings so that ``FuzzyDate`` sees exactly what was written, whether or
    not it was quoted. A key repeated in one mapping would silently keep the last value,
    so each repetition is noted in ``duplicates`` as (key, line).
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[tuple[Any, int]] = []


# The same loader on libyaml's parser, about five times faster. Its nodes carry the same
# marks, and construction (lines, duplicates, dates as text) stays the Python code below.
_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        __doc__ = _PyLoader.__doc__

        def __init__(self, stream: str):
            super().__init__(stream)
            self.duplicates: list[tuple[Any, int]] = []


_LOADERS = [cls for cls in (_PyLoader, _CLoader) if cls is not None]
#: The loader ``read_file`` uses: libyaml's when PyYAML was built with it.
_Loader = _LOADERS[-1]

_NO_TIMESTAMPS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> _Mapping:
    loader.flatten_mapping(node)
    out = _Mapping()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            loader.duplicates.append((key, key_node.start_mark.line + 1))
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


for _cls in _LOADERS:
    _cls.yaml_implicit_resolvers = _NO_TIMESTAMPS
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1]}[{step}]"] if parts else [f"[{step}]"]
        else:
            parts.append(str(step))
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if error["type"] == "extra_forbidden":
        return "unknown field (not in the schema; see docs/knowledge.md)"
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "literal_error":
        return f"{msg}; got {error.get('input')!r}"
    return msg


@dataclass
class KnowledgeBase:
    """The records of every file of the knowledge base.

    Each record keeps where it was read from in ``record.file`` and ``record.line``.
    ``missing_files`` names expected files that were not found (loaded as empty).
    """

    folder: Path | None = None
    organizations: list[Organization] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    military_presence: list[MilitaryPresence] = field(default_factory=list)
    territories: list[Territory] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def records(self) -> Iterator[Any]:
        """Every record of every file, file by file (:data:`ATTRIBUTES`)."""
        for name in ATTRIBUTES.values():
            yield from getattr(self, name)

    def organization(self, org_id: str) -> Organization | None:
        """The organization with id ``org_id``, or None."""
        return next((o for o in self.organizations if o.id == org_id), None)

    def organizations_frame(self) -> pd.DataFrame:
        """One row per organization."""
        return _frame(
            self.organizations,
            ["id", "name", "kind", "led_by", "founded", "dissolved", "predecessors", "cow_igo_id"],
            lambda o: {
                "id": o.id,
                "name": o.name,
                "kind": o.kind,
                "led_by": o.led_by,
                "founded": str(o.founded),
                "dissolved": _text(o.dissolved),
                "predecessors": ",".join(o.predecessors),
                "cow_igo_id": o.cow_igo_id,
                **_span(o.founded, o.dissolved),
            },
        )

    def memberships_frame(self) -> pd.DataFrame:
        """One row per membership spell, with the first and last day it can cover."""
        return _frame(
            self.memberships,
            ["state", "org", "status", "start", "end"],
            lambda m: {
                "state": m.state,
                "org": m.org,
                "status": m.status,
                "start": str(m.start),
                "end": _text(m.end),
                **_span(m.start, m.end),
            },
        )

    def military_presence_frame(self) -> pd.DataFrame:
        """One row per deployment of one state's forces on another's soil."""
        return _frame(
            self.military_presence,
            [
                "id",
                "sender",
                "host",
                "site",
                "kind",
                "start",
                "end",
                "size",
                "size_note",
                "territory",
                "consent",
                "consent_note",
            ],
            lambda p: {
                "id": p.id,
                "sender": p.sender,
                "host": p.host,
                "site": p.site,
                "kind": p.kind,
                "start": str(p.start),
                "end": _text(p.end),
                "size": p.size,
                "size_note": p.size_note,
                "territory": p.territory,
                "consent": p.consent,
                "consent_note": p.consent_note,
                **_span(p.start, p.end),
            },
        )

    def territories_frame(self) -> pd.DataFrame:
        """One row per territory; ``recognised_by`` lists every recognising state ever."""
        return _frame(
            self.territories,
            [
                "id",
                "name",
                "de_jure",
                "status",
                "controlled_by",
                "backed_by",
                "since",
                "until",
                "recognised_by",
            ],
            lambda t: {
                "id": t.id,
                "name": t.name,
                "de_jure": t.de_jure,
                "status": t.status,
                "controlled_by": t.controlled_by,
                "backed_by": t.backed_by,
                "since": str(t.since),
                "until": _text(t.until),
                "recognised_by": ",".join(r.state for r in t.recognised_by),
                **_span(t.since, t.until),
            },
        )

    def offices_frame(self) -> pd.DataFrame:
        """One row per office abroad."""
        return _frame(
            self.offices,
            ["id", "agency", "sender", "host", "city", "name", "opened", "closed", "closure_note"],
            lambda o: {
                "id": o.id,
                "agency": o.agency,
                "sender": o.sender,
                "host": o.host,
                "city": o.city,
                "name": o.name,
                "opened": str(o.opened),
                "closed": _text(o.closed),
                "closure_note": o.closure_note,
                **_span(o.opened, o.closed),
            },
        )

    def agreements_frame(self) -> pd.DataFrame:
        """One row per agreement; the span runs from ``in_force`` (else ``signed``) to ``ended``."""
        return _frame(
            self.agreements,
            ["id", "name", "kind", "parties", "signed", "in_force", "ended"],
            lambda a: {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "parties": ",".join(a.parties),
                "signed": str(a.signed),
                "in_force": _text(a.in_force),
                "ended": _text(a.ended),
                **_span(a.in_force or a.signed, a.ended),
            },
        )

    def events_frame(self) -> pd.DataFrame:
        """One row per event; ``figures`` as ``name=value`` pairs joined by ``; ``."""
        return _frame(
            self.events,
            ["id", "date", "end_date", "kind", "actors", "place", "figures", "summary"],
            lambda e: {
                "id": e.id,
                "date": str(e.date),
                "end_date": _text(e.end_date),
                "kind": e.kind,
                "actors": ",".join(e.actors),
                "place": e.place,
                "figures": "; ".join(f"{k}={v}" for k, v in e.figures.items()),
                "summary": e.summary,
                **_span(e.date, e.end_date or e.date),
            },
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _span(start: Any, end: Any) -> dict[str, Any]:
    """First possible day of ``start`` and last possible day of ``end`` (NaT if ongoing)."""
    return {
        "first_day": pd.Timestamp(start.start),
        "last_day": pd.Timestamp(end.end) if end is not None else pd.NaT,
    }


def _provenance(r: Record) -> dict[str, Any]:
    first = r.citations[0]
    return {
        "citation": first.one_line(),
        "citation_url": first.url,
        "n_citations": len(r.citations),
        "confidence": r.confidence,
        "note": r.note,
        "file": r.file,
        "line": r.line,
    }


def _frame(records: list[Any], columns: list[str], row: Any) -> pd.DataFrame:
    """A frame of ``row(record)`` plus provenance; the columns exist even when empty."""
    rows = [{**row(r), **_provenance(r)} for r in records]
    frame = pd.DataFrame(rows, columns=[*columns, *_SHARED_COLUMNS])
    for col in ("first_day", "last_day"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    if "size" in frame:
        frame["size"] = frame["size"].astype("Int64")
    return frame


_SHARED_COLUMNS = (
    "first_day",
    "last_day",
    "citation",
    "citation_url",
    "n_citations",
    "confidence",
    "note",
    "file",
    "line",
)

#: Attribute of ``KnowledgeBase`` holding the records of each file.
ATTRIBUTES = {
    "organizations.yaml": "organizations",
    "memberships.yaml": "memberships",
    "military_presence.yaml": "military_presence",
    "territories.yaml": "territories",
    "offices.yaml": "offices",
    "agreements.yaml": "agreements",
    "events.yaml": "events",
}


def default_folder() -> Path:
    """The knowledge base shipped with the package: ``allegiance/kb/data``."""
    return Path(str(resources.files("allegiance.kb") / "data"))


def read_file(path: Path, model: type[Record]) -> tuple[list[Record], list[Problem]]:
    """Read one YAML file of records.

    Returns the records that are valid and a problem for each field of each invalid one.
    """
    name = path.name
    loader = _Loader(path.read_text(encoding="utf-8"))
    try:
        raw = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        return [], [Problem(name, line, "", f"not valid YAML: {reason}")]
    finally:
        loader.dispose()
    problems: list[Problem] = [
        Problem(name, line, str(key), "key repeated in the same record; keep one")
        for key, line in loader.duplicates
    ]
    if raw is None or raw == []:
        # An emptied file would silently remove every fact it held (an empty
        # memberships.yaml leaves the EU pole blank and every institution at 0).
        problems.append(
            Problem(
                name,
                0,
                "",
                "the file holds no records; every file of the knowledge base must list at "
                "least one (restore it from version control)",
            )
        )
        return [], problems
    if not isinstance(raw, list):
        problems.append(
            Problem(name, 1, "", "the file must be a YAML list of records (`- key: ...`)")
        )
        return [], problems
    records: list[Record] = []
    for index, item in enumerate(raw):
        line = getattr(item, "line", 0)
        if not isinstance(item, dict):
            problems.append(Problem(name, line, "", f"record {index + 1} is not a mapping"))
            continue
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                problems.append(
                    Problem(name, yaml_line(item, loc), _field_name(loc), _message(error))
                )
            continue
        records.append(record.located(name, line, item))
    return records, problems


def load_kb(
    folder: str | Path | None = None,
    cache: str | Path | None = None,
    *,
    strict: bool = False,
) -> KnowledgeBase:
    """Load every file of the knowledge base.

    Parameters
    ----------
    folder : str or Path, optional
        The folder holding ``organizations.yaml``, ``memberships.yaml`` and the other
        files; default: the package's own ``allegiance/kb/data``. A missing file loads as
        no records and is named in ``KnowledgeBase.missing_files``.
    cache : str or Path, optional
        A folder in which to keep the loaded knowledge base as a pickle, named by the
        SHA-256 of the files (and of the code that reads them), so that the next load of
        the same files is a fast read and any change to a file makes a new load. Only a
        knowledge base without problems is kept. Default: no cache. The pickle is
        trusted as the store is: keep ``cache`` in a folder only you can write to.
    strict : bool, default False
        Also fail on what would make records silently drop out where the knowledge base
        is used: a missing file, and a reference to an organization, state or territory
        that does not resolve (:func:`allegiance.kb.check.reference_problems`). The
        package loads its own knowledge base so (:func:`allegiance.kb.default`).

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    KBError
        If any record breaks the schema or a file holds no records (with ``strict``, also
        a missing file or an unresolved reference); ``KBError.problems`` lists every
        problem (file, line, field, message) in every file. The other rules across files
        (overlaps, dates, citations) are checked by :func:`allegiance.kb.check.check_kb`.

    Examples
    --------
    >>> kb = load_kb()  # doctest: +SKIP
    >>> kb.memberships_frame()[["state", "org", "status", "start", "end"]]  # doctest: +SKIP
    """
    base = Path(folder) if folder is not None else default_folder()
    if not base.is_dir():
        raise KBError([Problem(str(base), 0, "", "knowledge base folder not found")])
    if cache is None:
        return _read_folder(base, strict)
    path = Path(cache) / f"{_CACHE_PREFIX}{fingerprint(base, strict)}.pickle"
    kb = _read_cache(path)
    if kb is None:
        kb = _read_folder(base, strict)
        _write_cache(path, kb)
    kb.folder = base
    return kb


def _read_folder(base: Path, strict: bool = False) -> KnowledgeBase:
    kb = KnowledgeBase(folder=base)
    problems: list[Problem] = []
    for name, model in FILES.items():
        path = base / name
        if not path.is_file():
            kb.missing_files.append(name)
            continue
        records, found = read_file(path, model)
        problems.extend(found)
        setattr(kb, ATTRIBUTES[name], records)
    if strict:
        from allegiance.kb.check import reference_problems

        problems += [Problem(name, 0, "", "file not found") for name in kb.missing_files]
        if not problems:  # a record that broke the schema would show as a false reference
            problems += reference_problems(kb)
    if problems:
        raise KBError(problems)
    return kb


_CACHE_PREFIX = "kb-"
#: Bump to orphan every cached knowledge base when what a pickle holds changes shape.
_CACHE_FORMAT = 1


def fingerprint(folder: str | Path, strict: bool = False) -> str:
    """SHA-256 of the knowledge base files in ``folder`` and of the code that reads them.

    Two folders with the same files, read by the same version of the models, PyYAML and
    pydantic, have the same fingerprint; any change to any of these changes it. A
    ``strict`` load (see :func:`load_kb`) also rests on the checks and the table of states.
    """
    base = Path(folder)
    digest = hashlib.sha256()
    digest.update(
        f"{_CACHE_FORMAT}|{sys.version_info[:2]}|{yaml.__version__}|{pydantic.VERSION}".encode()
    )
    code = Path(__file__).parent
    checked = [code / "check.py", code.parent / "data" / "states.csv"] if strict else []
    digest.update(b"strict\0" if strict else b"")
    for path in [code / "models.py", code / "load.py", *checked, *(base / name for name in FILES)]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    return digest.hexdigest()


def _read_cache(path: Path) -> KnowledgeBase | None:
    """The knowledge base pickled at ``path``, or None if absent or unreadable."""
    try:
        with path.open("rb") as handle:
            kb = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write_cache(path: Path, kb: KnowledgeBase) -> None:
    """Pickle ``kb`` to ``path`` atomically and drop older caches; never fails the load."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, prefix=".tmp-", suffix=".pickle", delete=False
        ) as handle:
            temporary = Path(handle.name)
            pickle.dump(kb, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
        for old in path.parent.glob(f"{_CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - e.g. a read-only home: load without a cache
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
