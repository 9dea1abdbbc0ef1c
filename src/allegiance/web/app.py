"""The web application: pages, the JSON API, static assets, headers and caches.

:func:`create_app` opens the store read-only (a small pool of connections), starts
computing the whole influence panel in the background, and serves:

* pages (``/``, ``/state/{ISO3}``, ``/resolution/{symbol}``, ``/resolutions``, ``/claims``,
  ``/claims/{file}/{id}``, ``/sources``), rendered on the server from the same frames as
  the API, with small scripts of the package for the map and the charts;
* the JSON API under ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``);
* ``/static/``: every script and style sheet, from the package (no external host).

The store cannot change while the app runs, so every answer carries an ``ETag`` made from
the store's build id, and ``GET`` answers are kept in memory.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from allegiance._version import __version__
from allegiance.errors import (
    AllegianceError,
    NoDataError,
    UnknownOrganizationError,
    UnknownStateError,
)
from allegiance.web import api, pages
from allegiance.web.service import Service

log = logging.getLogger("allegiance.web")

HERE = Path(__file__).resolve().parent

#: No script, style, font, image or connection from anywhere but this server.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
#: GET paths whose answers depend only on the store and the version (kept, tagged).
CACHED_PREFIXES = ("/api/v1/", "/state/", "/resolution/", "/claims", "/static/")
CACHED_PATHS = ("/", "/resolutions", "/sources")
UNCACHED = ("/api/v1/status",)


def create_app(db: Path | str | None = None, *, pool_size: int = 2, warm: bool = True,
               claims_dir: Path | str | None = None) -> FastAPI:  # fmt: skip
    """The web app over the store ``db`` (default: the default store).

    Parameters
    ----------
    db : Path, optional
        The store file.
    pool_size : int
        Read-only connections shared by the request threads.
    warm : bool
        Compute the whole influence panel, the ideal points and the claims ledger in a
        background thread at start-up (otherwise on first use).
    claims_dir : Path, optional
        The claims files of the ledger (default: the project's ``examples/claims``).
    """
    service = Service(db, pool_size=pool_size, claims_dir=claims_dir)  # fmt: skip
    app = FastAPI(
        title="allegiance",
        version=__version__,
        description="Geopolitical alignment and spheres of influence from open data: the "
        "JSON API of `allegiance serve`. Every table answer carries the citations of "
        "the sources it was computed from.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN: not offline
        redoc_url=None,
    )
    app.state.service = service
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(Shell, etag=service.etag)
    if warm:
        service.warm_in_background()
    return app


def _status(exc: Exception) -> int:
    if isinstance(exc, api.UploadTooLarge):
        return 413
    if isinstance(exc, (NoDataError, UnknownStateError, UnknownOrganizationError)):
        return 404
    return 422


def _errors(app: FastAPI) -> None:
    def answer(request: Request, status: int, detail) -> JSONResponse | HTMLResponse:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=status)
        return HTMLResponse(pages.error_page(request, status, detail), status_code=status)

    @app.exception_handler(AllegianceError)
    async def _expected(request: Request, exc: AllegianceError):
        return answer(request, _status(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=422)
        text = "; ".join(f"{'.'.join(map(str, d['loc'][1:]))}: {d['msg']}" for d in detail)
        return answer(request, 422, text)

    @app.exception_handler(404)
    async def _not_found(request: Request, exc):
        detail = getattr(exc, "detail", None) or "not found"
        return answer(request, 404, f"{request.url.path}: {detail}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return answer(request, 500, f"internal error ({type(exc).__name__}); see the log")


class Shell:
    """Headers on every answer, and the cache of ``GET`` answers.

    The ETag is the same for every URL (the store's build id and the version): a client
    holding any answer of this build may reuse it. Answers are kept in memory by URL (and
    by whether the client accepts gzip) up to ``max_bytes``.
    """

    def __init__(self, app, etag: str, max_bytes: int = 256 * 1024 * 1024):
        self.app = app
        self.etag = etag.encode()
        self.max_bytes = max_bytes
        self._kept: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def _cacheable(scope) -> bool:
        path = scope["path"]
        return (
            scope["method"] == "GET"
            and path not in UNCACHED
            and (path in CACHED_PATHS or path.startswith(CACHED_PREFIXES))
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        cacheable = self._cacheable(scope)
        static = scope["path"].startswith("/static/")
        if cacheable and not static and headers.get(b"if-none-match") == self.etag:
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", self.etag), *SECURITY_HEADERS]})  # fmt: skip
            return await send({"type": "http.response.body", "body": b""})
        gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        key = (scope["path"], scope.get("query_string", b""), gzip)
        if cacheable and not (static and b"if-none-match" in headers):
            with self._lock:
                kept = self._kept.get(key)
                if kept is not None:
                    self._kept.move_to_end(key)
            if kept is not None:
                status, out_headers, body = kept
                await send({"type": "http.response.start", "status": status,
                            "headers": out_headers})  # fmt: skip
                return await send({"type": "http.response.body", "body": body})

        started: dict = {}
        chunks: list[bytes] = []

        async def wrapped(message):
            if message["type"] == "http.response.start":
                ok = message["status"] == 200
                # Static files keep their own ETag (StaticFiles answers If-None-Match).
                drop = (
                    (b"etag", b"cache-control") if cacheable and not static else (b"cache-control",)
                )
                out = [(k, v) for k, v in message.get("headers", []) if k.lower() not in drop]
                out += SECURITY_HEADERS
                fresh = ok or message["status"] == 304
                if fresh and static or ok and cacheable and scope["path"].startswith("/api/"):
                    out.append((b"cache-control", b"public, max-age=300"))
                elif ok and cacheable:
                    out.append((b"cache-control", b"no-cache"))
                else:
                    out.append((b"cache-control", b"no-store"))
                if ok and cacheable and not static:
                    out.append((b"etag", self.etag))
                message = {**message, "headers": out}
                started.update(message)
            elif message["type"] == "http.response.body" and cacheable:
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200:
                    self._keep(key, started["status"], started["headers"], b"".join(chunks))
            await send(message)

        await self.app(scope, receive, wrapped)

    def _keep(self, key, status, headers, body: bytes) -> None:
        if len(body) > self.max_bytes // 16:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = (status, headers, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._kept:
                _, (_, _, old) = self._kept.popitem(last=False)
                self._size -= len(old)
