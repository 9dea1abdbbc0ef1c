"""The JSON API under ``/api/v1/``: one route per function of the Python API.

Every table route takes ``offset``/``limit`` (pages of at most 10,000 rows) and
``format=csv`` (all the rows, with the citations in ``#`` header lines). Routes hold no
logic: they validate parameters, call the :class:`~allegiance.web.service.Service` and
shape its frames.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response

from allegiance._version import __version__
from allegiance.claims import render as claims_render
from allegiance.errors import BadInputError
from allegiance.poles import POLES
from allegiance.web import models, tables
from allegiance.web.service import Service

router = APIRouter(
    prefix="/api/v1",
    responses={
        404: {"model": models.Problem, "description": "Unknown state, resolution or claim, "
              "or no data; the message names the closest valid value."},
        422: {"model": models.Problem, "description": "A parameter that is not valid."},
    },
)  # fmt: skip

#: Largest upload accepted by the claims checker.
MAX_UPLOAD_BYTES = 256 * 1024
MAX_LIMIT = 10_000

PoleCode = Enum("PoleCode", {p: p for p in POLES}, type=str)
Measure = Literal["voeten", "coincidence", "kappa", "pi", "s"]
Format = Literal["json", "csv"]

StateParam = Annotated[str, Query(min_length=2, max_length=60, description="ISO3 code or name")]
OptStateParam = Annotated[
    str | None, Query(min_length=2, max_length=60, description="ISO3 code or name")
]
YearParam = Annotated[int | None, Query(ge=1900, le=2100, description="A calendar year")]
DateParam = Annotated[
    str | None,
    Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]"),
]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Fmt = Annotated[Format, Query(description="json (a page of rows) or csv (every row)")]


def service(request: Request) -> Service:
    return request.app.state.service


Svc = Annotated[Service, Depends(service)]


def table(frame: pd.DataFrame, title: str, fmt: str, offset: int, limit: int,
          about: dict | None = None) -> Response:  # fmt: skip
    """A frame as a JSON page, or as CSV (every row) with its citations."""
    if fmt == "csv":
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in title)[:100]
        return Response(
            tables.to_csv(frame, title, about),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(tables.dumps(tables.page(frame, offset, limit, about)),
                    media_type="application/json")  # fmt: skip


def _json(payload: Any) -> Response:
    return Response(tables.dumps(payload), media_type="application/json")


# -- the service --------------------------------------------------------------------------------
@router.get("/status", response_model=models.Status, tags=["service"])
def status(svc: Svc):
    """Version, store build and whether the in-memory results are ready."""
    return _json(
        {
            "version": __version__,
            "build_id": svc.build_id,
            "built_at": svc.built_at,
            "vote_years": list(svc.vote_years),
            "warm": svc.warm_state,
            "warm_seconds": svc.warm_seconds,
            "warm_all_seconds": svc.warm_all_seconds,
            "first_year": svc.first_year,
            "last_year": svc.last_year,
            "default_year": svc.default_year,
            "poles": list(POLES),
        }
    )


# -- votes --------------------------------------------------------------------------------------
@router.get("/roll-calls", response_model=models.Page[models.RollCall], tags=["votes"])
def roll_calls(
    svc: Svc,
    since: DateParam = None,
    until: DateParam = None,
    session: Annotated[int | None, Query(ge=1, le=200)] = None,
    issue: Annotated[str | None, Query(max_length=20)] = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    important: bool | None = None,
    format: Fmt = "json",
    offset: Offset = 0,
    limit: Limit = 1000,
):
    """Roll calls (``store.roll_calls``), filtered; ``search`` matches words of the title."""
    filters = dict(since=since, until=until, session=session, issue=issue, search=search,
                   kind=kind, important=important)  # fmt: skip
    frame = svc.roll_calls(**{k: v for k, v in filters.items() if v is not None})
    return table(frame, "roll calls", format, offset, limit)


def _about(svc: Service, symbol: str) -> dict:
    rc = svc.roll_call(symbol)
    return {k: rc.get(k) for k in ("id", "symbol", "date", "title", "yes", "no", "abstain",
                                   "source", "session", "kind")}  # fmt: skip


@router.get("/votes", response_model=models.Page[models.StateVote], tags=["votes"])
def votes(
    svc: Svc,
    symbol: Annotated[str, Query(min_length=1, max_length=60, examples=["A/RES/ES-11/1"])],
    region: Annotated[str | None, Query(max_length=60)] = None,
    format: Fmt = "json",
    offset: Offset = 0,
    limit: Limit = 1000,
):
    """How each state voted on one roll call (``al.votes``); ``about`` holds the official
    tally (``yes``, ``no``, ``abstain``) and ``counted`` the tally of the rows."""
    symbol = svc.symbol(symbol)
    frame = svc.votes(symbol, region)
    about = _about(svc, symbol)
    about["counted"] = frame["vote"].value_counts().to_dict()
    return table(frame, f"votes on {symbol}", format, offset, limit, about)


@router.get("/votes/by-region", response_model=models.Page[models.RegionVotes], tags=["votes"])
def votes_by_region(
    svc: Svc,
    symbol: Annotated[str, Query(min_length=1, max_length=60, examples=["A/RES/ES-11/1"])],
    format: Fmt = "json",
    offset: Offset = 0,
    limit: Limit = 1000,
):
    """How each UN M49 region voted on one roll call; the last row (``all``) is the counted
    tally."""
    symbol = svc.symbol(symbol)
    frame = svc.votes_by_region(symbol)
    return table(frame, f"votes on {symbol} by region", format, offset, limit,
                 _about(svc, symbol))  # fmt: skip


@router.get("/agreement", response_model=models.Page[models.Agreement], tags=["alignment"])
def agreement(
    svc: Svc,
    state: StateParam,
    partner: Annotated[str, Query(min_length=2, max_length=60, description="state or pole")],
    measure: Measure = "voeten",
    since: YearParam = None,
    until: YearParam = None,
    format: Fmt = "json",
    offset: Offset = 0,
    limit: Limit = 1000,
):
    """Agreement of two states (or a state and a pole) per year (``al.agreement``)."""
    state, partner = svc.side(state), svc.side(partner)
    frame = svc.agreement(state, partner, measure, since, until)
    return table(frame, f"agreement {state} {partner} {measure}", format, offset, limit)


@router.get("/alignment", response_model=models.Page[models.Alignment], tags=["alignment"])
def alignment(svc: Svc, state: StateParam, format: Fmt = "json", offset: Offset = 0,
              limit: Limit = 1000):  # fmt: skip
    """A state's agreement with each pole per year and the closest (``al.alignment``)."""
    state = svc.state(state)
    return table(svc.alignment(state), f"alignment {state}", format, offset, limit)


@router.get("/ideal-points", response_model=models.Page[models.IdealPoint], tags=["alignment"])
def ideal_points(svc: Svc, state: OptStateParam = None, format: Fmt = "json",
                 offset: Offset = 0, limit: Limit = 1000):  # fmt: skip
    """Ideal points per state and year on one scale, with their interval
    (``al.ideal_points``); every state when ``state`` is left out."""
    state = svc.state(state) if state else None
    frame = svc.ideal_points(state)
    return table(frame, f"ideal points {state or 'all'}", format, offset, limit)


# -- influence --------------------------------------------------------------------------------
@router.get("/index", response_model=models.Page[models.IndexValue], tags=["influence"])
def index(svc: Svc, state: OptStateParam = None, pole: PoleCode | None = None,
          year: YearParam = None, format: Fmt = "json", offset: Offset = 0,
          limit: Limit = 1000):  # fmt: skip
    """The influence index (``al.influence``) of every state, pole and year, or of one
    state and/or pole and/or year; the whole panel of one pole is a few thousand rows."""
    state = svc.state(state) if state else None
    frame = svc.index(state, pole.value if pole else None, year)
    title = f"influence index {state or 'all'} {pole.value if pole else 'all'} {year or 'all'}"
    return table(frame, title, format, offset, limit)


@router.get("/sphere", response_model=models.Page[models.SphereStanding], tags=["influence"])
def sphere(svc: Svc, pole: PoleCode = PoleCode.RUS, year: YearParam = None,
           format: Fmt = "json", offset: Offset = 0, limit: Limit = 1000):  # fmt: skip
    """Every state's standing towards a pole in a year (``al.sphere``) and the channels its
    index rests on most; the map colours states by ``status``."""
    frame = svc.sphere_map(pole.value, year)
    return table(frame, f"sphere {pole.value} {frame.attrs.get('year', year or '')}".strip(),
                 format, offset, limit)  # fmt: skip


@router.get("/channels", response_model=models.Page[models.ChannelScore], tags=["influence"])
def channels(svc: Svc, state: StateParam, year: YearParam = None, format: Fmt = "json",
             offset: Offset = 0, limit: Limit = 1000):  # fmt: skip
    """Every channel's score for every pole in one year, with its inputs (the ``channels``
    part of ``al.profile``)."""
    state = svc.state(state)
    frame = svc.channels(state, year)
    return table(frame, f"channel scores {state} {year or ''}".strip(), format, offset, limit)


@router.get("/drift", response_model=models.Page[models.Drift], tags=["influence"])
def drift(svc: Svc, state: StateParam, format: Fmt = "json", offset: Offset = 0,
          limit: Limit = 1000):  # fmt: skip
    """Is the state moving towards or away from each pole (``al.drift``, the ten years to
    the latest full year)?"""
    state = svc.state(state)
    return table(svc.drift(state), f"drift {state}", format, offset, limit)


@router.get("/profile", response_model=dict[str, models.Page[models.IndexValue]
            | models.Page[models.ChannelScore]], tags=["influence"])  # fmt: skip
def profile(svc: Svc, state: StateParam, year: YearParam = None):
    """Everything behind one state's index in one year (``al.profile``): ``index`` and
    ``channels``."""
    state = svc.state(state)
    parts = svc.profile(state, year)
    return _json({k: tables.page(v, 0, max(len(v), 1)) for k, v in parts.items()})


# -- knowledge base ---------------------------------------------------------------------------
@router.get("/memberships", response_model=models.Page[models.Record], tags=["knowledge"])
def memberships(svc: Svc, state: OptStateParam = None,
                org: Annotated[str | None, Query(max_length=60)] = None, on: DateParam = None,
                format: Fmt = "json", offset: Offset = 0, limit: Limit = 1000):  # fmt: skip
    """Membership spells of states in organizations (``al.memberships``), with citations."""
    state = svc.state(state) if state else None
    frame = svc.memberships(state, org, on)
    return table(frame, f"memberships {state or ''} {org or ''}".strip(), format, offset, limit)


@router.get("/presence", response_model=models.Page[models.Record], tags=["knowledge"])
def presence(svc: Svc, sender: OptStateParam = None, host: OptStateParam = None,
             on: DateParam = None, format: Fmt = "json", offset: Offset = 0,
             limit: Limit = 1000):  # fmt: skip
    """Armed forces of one state on another's soil (``al.presence``), with citations."""
    sender = svc.side(sender) if sender else None
    host = svc.state(host) if host else None
    frame = svc.presence(sender, host, on)
    return table(frame, f"presence {sender or ''} {host or ''}".strip(), format, offset, limit)


@router.get("/events", response_model=models.Page[models.Record], tags=["knowledge"])
def events(svc: Svc, state: OptStateParam = None, since: DateParam = None,
           until: DateParam = None, format: Fmt = "json", offset: Offset = 0,
           limit: Limit = 1000):  # fmt: skip
    """Dated events that bear on alignment (``al.events``), with citations."""
    state = svc.side(state) if state else None
    frame = svc.events(state, since, until)
    return table(frame, f"events {state or ''}".strip(), format, offset, limit)


@router.get("/timeline", response_model=models.Page[models.Record], tags=["knowledge"])
def timeline(svc: Svc, state: StateParam, format: Fmt = "json", offset: Offset = 0,
             limit: Limit = 1000):  # fmt: skip
    """Everything the knowledge base dates about one state (``al.timeline``)."""
    state = svc.state(state)
    return table(svc.timeline(state), f"timeline {state}", format, offset, limit)


# -- claims ----------------------------------------------------------------------------------------
@router.get("/claims", response_model=models.Page[models.ClaimSummary], tags=["claims"])
def claims(svc: Svc, state: OptStateParam = None, format: Fmt = "json", offset: Offset = 0,
           limit: Limit = 1000):  # fmt: skip
    """Every claim of the ledger with its verdict (``al.check`` of each claims file), or
    those that mention ``state`` (by name, or through a scope that includes it)."""
    state = svc.state(state) if state else None
    title = f"claims mentioning {state}" if state else "claims ledger"
    return table(svc.ledger_table(state), title, format, offset, limit)


@router.get("/claims/{file}/{claim_id}", response_model=models.ClaimDetail, tags=["claims"])
def claim(svc: Svc, file: str, claim_id: str):
    """One claim with its full evidence: checks, tables, figures and citations."""
    row = svc.claim(file, claim_id)
    return _json(claim_detail(file, row))


@router.post(
    "/claims/check",
    response_model=models.ClaimsChecked,
    tags=["claims"],
    responses={413: {"model": models.Problem, "description": "Over 256 KiB."}},
)
def check_claims(svc: Svc, file: Annotated[UploadFile, File(description="a claims YAML")]):
    """Check an uploaded claims file (at most 256 KiB, YAML without anchors or aliases). It
    is checked in a temporary folder and never written to the store."""
    content = read_upload(file)
    results = svc.check_upload(file.filename or "claims.yaml", content)
    return _json(checked(file.filename or "claims.yaml", results))


def read_upload(file: UploadFile) -> bytes:
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KiB; split it into smaller "
            "claims files"
        )
    if not content.strip():
        raise BadInputError(f"{file.filename}: the file is empty")
    return content


def date_param(value: str | None, what: str) -> str | None:
    """A ``YYYY[-MM[-DD]]`` form field of a page, or None; anything else is a 422."""
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise BadInputError(f"{what}: expected a year, a year-month or a date, not {value[:40]!r}")
    return value


class UploadTooLarge(BadInputError):
    """An upload over the size limit (HTTP 413)."""


def claim_detail(file: str, row: pd.Series) -> dict:
    evidence = row["evidence"].to_dict()
    return {"file": file, "id": row["id"], "kind": row["kind"], "text": row["text"],
            **{k: tables.cell(v) if not isinstance(v, (dict, list)) else v
               for k, v in evidence.items()}}  # fmt: skip


def checked(file: str, results: pd.DataFrame) -> dict:
    tally = claims_render.tally(results)
    return {
        "file": file,
        "document": results.attrs.get("document"),
        "tally": {
            str(k): int(v) for k, v in zip(*tally.to_dict(orient="list").values(), strict=True)
        },  # fmt: skip
        "claims": [claim_detail(file, row) for _, row in results.iterrows()],
    }


# -- sources and the map -------------------------------------------------------------------------
@router.get("/sources", response_model=models.Page[models.Source], tags=["sources"])
def sources(svc: Svc, format: Fmt = "json", offset: Offset = 0, limit: Limit = 1000):
    """Coverage per source of the store (what was read, kept, rejected) and its citation."""
    return table(svc.sources_table(), "sources", format, offset, limit)


@router.get("/coverage", response_model=models.Page[models.Record], tags=["sources"])
def coverage(svc: Svc, part: Literal["decades", "sessions", "checks", "rejections"] = "decades",
             format: Fmt = "json", offset: Offset = 0, limit: Limit = 1000):  # fmt: skip
    """Coverage of the store (``store.info()``): roll calls per decade or session, the
    build's checks, or the rejected rows by source and field."""
    return table(svc.coverage_table(part), f"coverage {part}", format, offset, limit)


@router.get("/map/shapes", tags=["map"])
def shapes(svc: Svc) -> dict[str, Any]:
    """Natural Earth country shapes of the store as a GeoJSON FeatureCollection (one
    feature per state, ``properties.iso3`` and ``properties.name``)."""
    return Response(svc.shapes_json(), media_type="application/geo+json")
