"""Check an analyst's statements against the evidence.

A claims file (YAML, see docs/claims.md) quotes a document's statements and says how to
check each: its *kind* (``votes``, ``membership``, ``presence``, ``event``, ``trend``,
``share``, ``compare``, ``opinion``) and that kind's parameters. :func:`check` evaluates every claim against the
store and the knowledge base and returns one row per claim with its verdict and evidence.

>>> import allegiance as al                                          # doctest: +SKIP
>>> results = al.check("examples/claims/kuzio-2025-03-10.yaml")      # doctest: +SKIP
>>> results[["id", "verdict"]]                                       # doctest: +SKIP
>>> results.loc[0, "evidence"].evidence.citations                   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from allegiance.claims.kinds import KINDS, VAGUE_SCOPES, Context
from allegiance.claims.model import Claim, ClaimsFile, ClaimsFileError, load_claims
from allegiance.claims.verdict import (
    CONTRADICTED,
    NOT_CHECKABLE,
    PARTLY,
    SUPPORTED,
    VERDICTS,
    Check,
    Evidence,
    ScopeResult,
    Verdict,
)

__all__ = [
    "CONTRADICTED",
    "KINDS",
    "NOT_CHECKABLE",
    "PARTLY",
    "SUPPORTED",
    "VAGUE_SCOPES",
    "VERDICTS",
    "Check",
    "Claim",
    "ClaimsFile",
    "ClaimsFileError",
    "Evidence",
    "ScopeResult",
    "Verdict",
    "check",
    "evaluate",
]

COLUMNS = ["id", "kind", "text", "verdict", "summary", "corrections", "scopes", "evidence"]


def evaluate(claim: Claim, params, ctx: Context) -> Verdict:
    """One claim's verdict. An evaluator that fails gives ``not checkable`` naming the error,
    so that one bad claim never hides the verdicts on the others."""
    try:
        v = KINDS[claim.kind].evaluate(params, ctx)
    except Exception as exc:  # noqa: BLE001 - reported in the verdict, not swallowed
        return Verdict(
            NOT_CHECKABLE,
            f"evaluation failed: {type(exc).__name__}: {exc}",
            checks=[Check(claim.kind, None, f"evaluation failed: {exc}")],
            missing=[f"evaluation failed: {type(exc).__name__}: {exc}"],
        )
    if claim.unchecked:
        extra = [Check(part, None, "the data cannot test this") for part in claim.unchecked]
        v.checks += extra
        v.missing += [f"{part}: the data cannot test this" for part in claim.unchecked]
        v.summary += "; " + "; ".join(c.line() for c in extra)
        if v.caveats:
            v.summary += "; " + "; ".join(f"source note: {c}" for c in v.caveats)
        if v.verdict == SUPPORTED:
            v.verdict = PARTLY
    return v


def check(path: str | Path, store=None) -> pd.DataFrame:
    """Check every claim of a claims file.

    Parameters
    ----------
    path : str or Path
        The YAML claims file.
    store : Store, optional
        An open store; by default the default store is opened. If none is built, claims
        that need votes are ``not checkable`` and the others are still checked.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``id, kind, text, verdict, summary, corrections, scopes`` and
        ``evidence`` (a :class:`Verdict` with its checks, rows, figures and citations).
        ``attrs["document"]`` holds the document's metadata.

    Raises
    ------
    ClaimsFileError
        If the file is not valid; the message lists every problem.
    """
    from allegiance import kb as kb_
    from allegiance.dates import parse_date

    store_error, opened = None, False
    if store is None:
        from allegiance.store.store import Store, StoreMissingError

        try:
            store, opened = Store(), True
        except StoreMissingError as exc:
            store_error = str(exc)
    kb = kb_.default()
    cache: dict = {}
    try:
        parsed, params = load_claims(path, store=store, kb=kb)
        rows = [
            _row(
                claim,
                params[claim.id],
                Context(
                    store, kb, parse_date(claim.on or parsed.document.date), store_error, cache
                ),  # fmt: skip
            )
            for claim in parsed.claims
        ]
    finally:
        if opened:
            store.close()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs["document"] = parsed.document.model_dump(mode="json")
    frame.attrs["path"] = str(path)
    return frame


def _row(claim: Claim, params, ctx: Context) -> dict:
    v = evaluate(claim, params, ctx)
    scopes = "; ".join(f"{s.scope}: {s.verdict}" for s in v.scopes) if len(v.scopes) > 1 else ""
    return {
        "id": claim.id,
        "kind": claim.kind,
        "text": claim.text.strip(),
        "verdict": v.verdict,
        "summary": v.summary,
        "corrections": "; ".join(v.corrections),
        "scopes": scopes,
        "evidence": v,
    }
