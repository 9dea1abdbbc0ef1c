"""Frames as the API gives them: JSON pages and CSV with the citations in a header."""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

import allegiance as al
from allegiance.analysis.sourcing import sources_of
from allegiance.errors import BadInputError

#: Columns that hold Python objects (claims' evidence), never sent as table cells.
HIDDEN = ("evidence",)


def cell(value: Any) -> Any:
    """One value as JSON can hold it (NaN and NaT are null, dates are ISO strings)."""
    if isinstance(value, (pd.Timestamp, datetime)):
        return None if pd.isna(value) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return [cell(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [cell(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NaT or value is pd.NA or value is None:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain dicts (hidden object columns left out)."""
    columns = [c for c in frame.columns if c not in HIDDEN]
    return [
        {str(k): cell(v) for k, v in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def citation(frame: pd.DataFrame) -> str:
    """``al.cite(frame)``; an empty string when the frame records no source."""
    try:
        return al.cite(frame)
    except BadInputError:
        return ""


def attribution(frame: pd.DataFrame) -> str | None:
    text = frame.attrs.get("attribution")
    if text:
        return str(text)
    cited = citation(frame)
    from allegiance.store.store import UN_ATTRIBUTION

    return UN_ATTRIBUTION if UN_ATTRIBUTION in cited else None


def page(frame: pd.DataFrame, offset: int, limit: int, about: dict | None = None) -> dict:
    """A page of rows with the provenance of the whole result (see models.Page)."""
    rows = frame.iloc[offset : offset + limit]
    return {
        "data": records(rows),
        "total": len(frame),
        "offset": offset,
        "limit": limit,
        "sources": sources_of(frame),
        "citation": citation(frame),
        "attribution": attribution(frame),
        "about": {k: cell(v) for k, v in about.items()} if about else None,
    }


def to_csv(frame: pd.DataFrame, title: str, about: dict | None = None) -> str:
    """The rows as CSV, after ``#`` comment lines naming what they are (and ``about``
    them, e.g. a roll call's official tally) and their citations."""
    lines = [f"# {title}", f"# rows: {len(frame)}"]
    lines += [f"# {k}: {' '.join(str(cell(v)).split())}" for k, v in (about or {}).items()]
    cited = citation(frame)
    lines += [f"# {line}" for line in cited.splitlines()] or ["# sources: none recorded"]
    columns = [c for c in frame.columns if c not in HIDDEN]
    body = io.StringIO()
    frame[columns].to_csv(body, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return "\n".join(lines) + "\n" + body.getvalue()


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
