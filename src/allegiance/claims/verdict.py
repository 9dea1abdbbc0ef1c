"""Verdicts and the evidence behind them.

A verdict is built from *checks*: each part of a claim the evaluator could test (``ok``
True or False) or could not (``ok`` None, with the missing data named). The rule that
turns checks into a verdict is in :func:`verdict_of`; the rule that turns the verdicts
under several readings of a vague scope into one is in :func:`across_scopes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
PARTLY = "partly supported"
NOT_CHECKABLE = "not checkable"
VERDICTS = (SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE)


@dataclass
class Check:
    """One testable part of a claim: what was asked, whether it holds, and why.

    ``ok`` is True (holds), False (does not hold) or None (the data cannot decide; the
    ``detail`` then names what is missing).
    """

    what: str
    ok: bool | None
    detail: str = ""
    #: The citations that back this part: the source of the fact checked (the membership
    #: spell's own join or exit source, the event's own source), each a dict with
    #: ``text``, ``url`` and ``quote``.
    sources: list[dict[str, str | None]] = field(default_factory=list)

    def line(self) -> str:
        mark = {True: "holds", False: "does not hold", None: "not checkable"}[self.ok]
        return f"{self.what}: {mark}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Evidence:
    """What a verdict rests on: the rows used, the figures computed, the sources cited."""

    rows: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    citations: list[dict[str, str | None]] = field(default_factory=list)

    def add_rows(self, name: str, frame: pd.DataFrame) -> None:
        """Keep ``frame`` under ``name``. Its citations are not cited wholesale: each check
        cites the sources that back the fact it tested (:attr:`Check.sources`)."""
        self.rows[name] = frame.reset_index(drop=True)

    def cite(self, text: str | None, url: str | None = None, quote: str | None = None) -> None:
        """Add a citation (once): its one-line text, URL and the words quoted from it."""
        if not text or (isinstance(text, float) and pd.isna(text)):
            return
        url = None if url is None or (isinstance(url, float) and pd.isna(url)) else str(url)
        quote = None if quote is None or (isinstance(quote, float) and pd.isna(quote)) else quote
        if any(c["text"] == str(text) for c in self.citations):
            return
        self.citations.append({"text": str(text), "url": url, "quote": quote})

    def merge(self, other: Evidence, prefix: str = "") -> None:
        for name, frame in other.rows.items():
            self.rows[f"{prefix}{name}"] = frame
        for name, value in other.figures.items():
            self.figures[f"{prefix}{name}"] = value
        for c in other.citations:
            if c not in self.citations:
                self.citations.append(c)


@dataclass
class ScopeResult:
    """The verdict under one reading of a vague scope ("Eurasia" as the post-Soviet states)."""

    scope: str
    members: list[str]
    verdict: str
    detail: str


@dataclass
class Verdict:
    """The verdict on one claim.

    Attributes
    ----------
    verdict : str
        One of ``supported``, ``partly supported``, ``contradicted``, ``not checkable``.
    summary : str
        One line: what holds, what does not, and the right figure where the claim is wrong.
    checks : list of Check
        Each tested part of the claim.
    corrections : list of str
        Where the claim has a figure or a date wrong: the right one and its source.
    missing : list of str
        The data that would be needed to check what could not be checked.
    scopes : list of ScopeResult
        For a vague scope, the verdict under each reading.
    evidence : Evidence
    """

    verdict: str
    summary: str
    checks: list[Check] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    scopes: list[ScopeResult] = field(default_factory=list)
    evidence: Evidence = field(default_factory=Evidence)
    caveats: list[str] = field(default_factory=list)

    @property
    def holds(self) -> list[str]:
        return [c.line() for c in self.checks if c.ok is True]

    @property
    def fails(self) -> list[str]:
        return [c.line() for c in self.checks if c.ok is False]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: every table as a list of records."""
        return {
            "verdict": self.verdict,
            "summary": self.summary,
            "checks": [
                {"what": c.what, "ok": c.ok, "detail": c.detail, "sources": c.sources}
                for c in self.checks
            ],
            "corrections": self.corrections,
            "missing": self.missing,
            "caveats": self.caveats,
            "scopes": [s.__dict__ for s in self.scopes],
            "figures": {k: _plain(v) for k, v in self.evidence.figures.items()},
            "rows": {
                name: [{k: _plain(v) for k, v in r.items()} for r in f.to_dict(orient="records")]
                for name, f in self.evidence.rows.items()
            },
            "citations": self.evidence.citations,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def verdict_of(checks: list[Check]) -> str:
    """Turn checks into a verdict.

    All hold: supported. None hold and at least one fails: contradicted. Some hold and
    some fail or cannot be checked: partly supported. Nothing could be checked: not
    checkable. A claim is never supported on the strength of what was not checked.
    """
    oks = [c.ok for c in checks]
    if not oks or all(ok is None for ok in oks):
        return NOT_CHECKABLE
    if all(ok is True for ok in oks):
        return SUPPORTED
    if any(ok is True for ok in oks):
        return PARTLY
    return CONTRADICTED


def from_checks(
    checks: list[Check],
    evidence: Evidence,
    corrections: list[str] | None = None,
    caveats: list[str] | None = None,
) -> Verdict:
    """A verdict whose summary lists what holds, what does not and what is missing."""
    verdict = verdict_of(checks)
    backing = Evidence()  # the sources backing each fact come first in the bibliography
    for c in checks:
        for source in c.sources:
            backing.cite(source.get("text"), source.get("url"), source.get("quote"))
    for c in evidence.citations:
        backing.cite(c["text"], c.get("url"), c.get("quote"))
    evidence.citations = backing.citations
    missing = [c.detail for c in checks if c.ok is None and c.detail]
    parts = [c.line() for c in checks]
    if corrections:
        parts += [f"correction: {c}" for c in corrections]
    if caveats and any(c.ok is None for c in checks):
        # What the data cannot test, the sources may still describe: show their words.
        parts += [f"source note: {c}" for c in caveats]
    return Verdict(
        verdict=verdict,
        summary="; ".join(parts),
        checks=checks,
        corrections=list(corrections or []),
        missing=missing,
        evidence=evidence,
        caveats=list(caveats or []),
    )


def not_checkable(what: str, missing: str, evidence: Evidence | None = None) -> Verdict:
    """The verdict on a claim the data cannot decide, naming the missing data."""
    return from_checks([Check(what, None, missing)], evidence or Evidence())


def across_scopes(results: list[tuple[ScopeResult, Verdict]]) -> Verdict:
    """One verdict from the verdicts under each reading of a vague scope.

    If every reading gives the same verdict, that is the verdict. If they differ, the
    claim holds under some readings and not others: partly supported, and the summary
    says which readings give which verdict.
    """
    evidence = Evidence()
    for scope, v in results:
        evidence.merge(v.evidence, prefix=f"{scope.scope}: ")
    verdicts = {v.verdict for _, v in results}
    checkable = verdicts - {NOT_CHECKABLE}
    if len(verdicts) == 1:
        overall = verdicts.pop()
    elif checkable == {SUPPORTED}:
        overall = PARTLY
    elif checkable == {CONTRADICTED}:
        overall = CONTRADICTED
    else:
        overall = PARTLY
    by_verdict: dict[str, list[str]] = {}
    for scope, _ in results:
        by_verdict.setdefault(scope.verdict, []).append(scope.scope)
    head = "; ".join(f"{k} with scope {', '.join(v)}" for k, v in by_verdict.items())
    details = " | ".join(f"{s.scope}: {s.detail}" for s, _ in results)
    checks = [c for _, v in results for c in v.checks]
    return Verdict(
        verdict=overall,
        summary=f"{head} — {details}",
        checks=checks,
        corrections=[c for _, v in results for c in v.corrections],
        missing=sorted({m for _, v in results for m in v.missing}),
        scopes=[s for s, _ in results],
        evidence=evidence,
        caveats=sorted({c for _, v in results for c in v.caveats}),
    )
