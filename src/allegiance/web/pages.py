"""The HTML pages, rendered on the server from the service's frames.

Tables are written into the page; charts and the map are drawn by the package's scripts
(``static/``) from the same API routes whose CSV the pages link to.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

import jinja2
import pandas as pd
from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from allegiance._version import __version__
from allegiance.analysis.influence.api import SINGLE_STATE_POLES
from allegiance.poles import POLES
from allegiance.store.store import UN_ATTRIBUTION
from allegiance.web import api, tables
from allegiance.web.service import Service

router = APIRouter(include_in_schema=False)

NATURAL_EARTH = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
POLE_NAMES = {"RUS": "Russia", "USA": "the United States", "CHN": "China", "TUR": "Türkiye",
              "EU": "the European Union"}  # fmt: skip

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _num(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int,)):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _api(path: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v is not None}
    return f"/api/v1/{path}" + (f"?{urlencode(clean)}" if clean else "")


_env.filters["num"] = _num
_env.globals.update(api=_api, quote=quote, POLES=POLES, POLE_NAMES=POLE_NAMES,
                    version=__version__, UN_ATTRIBUTION=UN_ATTRIBUTION,
                    NATURAL_EARTH=NATURAL_EARTH)  # fmt: skip


def render(template: str, request: Request, **context) -> HTMLResponse:
    svc: Service = request.app.state.service
    html = _env.get_template(template).render(request_path=request.url.path, svc=svc, **context)
    return HTMLResponse(html)


def error_page(request: Request, status: int, detail) -> str:
    text = detail if isinstance(detail, str) else str(detail)
    return _env.get_template("error.html").render(
        request_path=request.url.path, status=status, detail=text, un_votes=False, svc=None
    )


def rows(frame: pd.DataFrame) -> list[dict]:
    return tables.records(frame)


# -- pages ---------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    svc: Service = request.app.state.service
    return render("map.html", request, title="Spheres of influence", un_votes=True,
                  first_year=svc.first_year, last_year=svc.last_year,
                  default_year=svc.default_year)  # fmt: skip


@router.get("/state/", response_class=HTMLResponse)
def state_search(request: Request, q: str = ""):
    """The header's search box: a code or a name, to the state's page."""
    svc: Service = request.app.state.service
    return RedirectResponse(f"/state/{svc.state(q.strip()[:60])}", status_code=303)


@router.get("/state/{code}", response_class=HTMLResponse)
def state_page(request: Request, code: str):
    svc: Service = request.app.state.service
    state = svc.state(code[:60])
    if state != code:
        return RedirectResponse(f"/state/{state}", status_code=307)
    name = svc.state_name(state)
    year = svc.default_year
    standing = svc.sphere_map("RUS", year)
    mine = standing[standing["state"] == state]
    channels = svc.channels(state, year)
    drift = svc.drift(state) if len(svc.index(state, None)) else None
    timeline = svc.timeline(state)
    mentions = [(file, row) for file, row in svc.claims_mentioning(state)]
    return render(
        "state.html", request, title=name, un_votes=True, state=state, name=name, year=year,
        is_pole=state in SINGLE_STATE_POLES,
        standing=rows(mine)[0] if len(mine) else None,
        channels=rows(channels), drift=rows(drift) if drift is not None else [],
        drift_cols=[c for c in (drift.columns if drift is not None else [])
                    if c.startswith("slope_")],
        timeline=rows(timeline), mentions=mentions,
        index_now=rows(svc.index(state, None, year)),
    )  # fmt: skip


@router.get("/resolutions", response_class=HTMLResponse)
def resolutions(request: Request, search: str | None = None, since: str | None = None,
                until: str | None = None, offset: int = 0):  # fmt: skip
    svc: Service = request.app.state.service
    search = (search or "").strip()[:100] or None
    since = api.date_param(since, "since")
    until = api.date_param(until, "until")
    filters = {"search": search, "since": since, "until": until, "kind": "resolution"}
    frame = svc.roll_calls(**{k: v for k, v in filters.items() if v is not None})
    frame = frame.iloc[::-1].reset_index(drop=True)  # newest first
    offset = max(0, min(int(offset), max(len(frame) - 1, 0)))
    page = rows(frame.iloc[offset : offset + 100])
    return render("resolutions.html", request, title="Resolutions", un_votes=True, page=page,
                  total=len(frame), offset=offset, search=search or "", since=since or "",
                  until=until or "", csv=_api("roll-calls", format="csv", kind="resolution",
                                              search=search, since=since, until=until))  # fmt: skip


@router.get("/resolution/{symbol:path}", response_class=HTMLResponse)
def resolution(request: Request, symbol: str):
    svc: Service = request.app.state.service
    canonical = svc.symbol(symbol[:60])
    if canonical != symbol:
        return RedirectResponse(f"/resolution/{canonical}", status_code=307)
    about = svc.roll_call(canonical)
    votes = svc.votes(canonical)
    regions = svc.votes_by_region(canonical)
    counted = votes["vote"].value_counts().to_dict()
    return render(
        "resolution.html", request, title=canonical, un_votes=True, symbol=canonical,
        about={k: tables.cell(v) for k, v in about.items()}, counted=counted,
        regions=rows(regions), votes=rows(votes),
        citation=tables.citation(votes),
    )  # fmt: skip


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request):
    svc: Service = request.app.state.service
    ledger = svc.ledger_table()
    return render("claims.html", request, title="Claims ledger", un_votes=True,
                  ledger=rows(ledger), max_kib=api.MAX_UPLOAD_BYTES // 1024,
                  documents={f: r.attrs.get("document") for f, r in svc.ledger().items()})  # fmt: skip


@router.post("/claims/check", response_class=HTMLResponse)
def claims_upload(request: Request, file: Annotated[UploadFile, File()]):
    svc: Service = request.app.state.service
    content = api.read_upload(file)
    results = svc.check_upload(file.filename or "claims.yaml", content)
    checked = api.checked(file.filename or "claims.yaml", results)
    return render("checked.html", request, title="Your claims, checked", un_votes=True,
                  checked=checked)  # fmt: skip


@router.get("/claims/{file}/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, file: str, claim_id: str):
    svc: Service = request.app.state.service
    detail = api.claim_detail(file, svc.claim(file, claim_id))
    return render("claim.html", request, title=f"Claim {claim_id}", un_votes=True, c=detail)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request):
    svc: Service = request.app.state.service
    coverage = svc.coverage()
    return render(
        "sources.html", request, title="Sources", un_votes=True,
        sources=rows(svc.sources_table()), decades=rows(coverage["decades"]),
        checks=rows(coverage["checks"]), bibliography=svc.bibliography().splitlines(),
    )  # fmt: skip
