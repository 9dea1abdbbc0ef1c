"""What the web app shows, and nothing else: each method is one call of the public Python
API (``al.*``, ``allegiance.analysis.*``, ``allegiance.claims``), on a store taken from a
small pool, with its result kept in memory (the store is immutable between builds).

This is the one module of the web layer that calls the library; the routes only turn its
frames into JSON, CSV and HTML. DuckDB connections are not safe to share between threads,
so each thread borrows a whole :class:`~allegiance.store.store.Store` from the pool.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import queue
import re
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

import allegiance as al
from allegiance._version import __version__
from allegiance.analysis import panels
from allegiance.analysis.influence.api import FIRST_YEAR, latest_full_year
from allegiance.analysis.sourcing import with_sources
from allegiance.errors import BadInputError, NoDataError, UnknownRollCallError
from allegiance.poles import is_pole, pole
from allegiance.states import require_state

log = logging.getLogger("allegiance.web")

#: States whose pages are computed during warm-up, so that a first visit is fast.
WARM_STATES = ("ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "TJK",
               "TKM", "UKR", "UZB")  # fmt: skip

#: The example claims shipped with the project (the report's ledger uses the same file).
DEFAULT_CLAIMS_DIR = Path(__file__).resolve().parents[3] / "examples" / "claims"


class UnknownClaimError(NoDataError):
    """A claims file or claim id that is not in the ledger."""


class StorePool:
    """A few read-only stores on one file; a thread borrows one with :meth:`store`."""

    def __init__(self, path: Path | str | None, size: int = 2):
        self._free: queue.Queue = queue.Queue()
        self._all = []
        for _ in range(max(1, int(size))):
            store = al.open(path)
            self._all.append(store)
            self._free.put(store)
        self.path = self._all[0].path

    @contextmanager
    def store(self) -> Iterator[Any]:
        store = self._free.get()
        try:
            yield store
        finally:
            self._free.put(store)

    def close(self) -> None:
        for store in self._all:
            store.close()


class Results:
    """Computed results by key, least recently used dropped first; each key is computed
    once even when many threads ask for it at the same time."""

    def __init__(self, max_entries: int = 2048):
        self._data: OrderedDict = OrderedDict()
        self._pending: dict = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key, compute: Callable[[], Any]):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._data:
                    return self._data[key]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._pending.pop(key, None)
            with self._lock:
                self._data[key] = value
                while len(self._data) > self.max_entries:
                    self._data.popitem(last=False)
        return value

    def has(self, key) -> bool:
        with self._lock:
            return key in self._data


class Service:
    """The data behind every page and API route.

    Parameters
    ----------
    db : Path, optional
        The store file (default: the default store).
    pool_size : int
        How many read-only connections (stores) requests share.
    claims_dir : Path, optional
        The claims files of the ledger (default: the project's ``examples/claims``).
    """

    def __init__(self, db=None, pool_size: int = 2, claims_dir: Path | str | None = None):
        self.pool = StorePool(db, pool_size)
        self.results = Results()
        self.claims_dir = Path(claims_dir) if claims_dir else DEFAULT_CLAIMS_DIR
        with self.pool.store() as store:
            self.build_id = store.build_id
            self.built_at = store.build_info().get("built_at", "")
            self.vote_years = store.vote_years()
            self.names = store.state_names()
            self.default_year = latest_full_year(store)
        self.first_year, self.last_year = FIRST_YEAR, self.vote_years[1]
        self.etag = (
            '"' + hashlib.sha256(f"{self.build_id}|{__version__}".encode()).hexdigest()[:20] + '"'
        )
        self.warm_state = "not started"
        self.warm_seconds: float | None = None
        self.warm_all_seconds: float | None = None
        self._upload_gate = threading.BoundedSemaphore(1)

    # -- plumbing ---------------------------------------------------------------------------
    def _cached(self, key, compute: Callable[[Any], Any]):
        """``compute(store)`` once per key, on a store borrowed from the pool."""

        def run():
            with self.pool.store() as store:
                return compute(store)

        return self.results.get(key, run)

    def warm(self) -> None:
        """Compute what pages need, most asked for first, so that later requests are
        answered from memory: the whole index panel, ideal points, the post-Soviet states
        and the claims ledger (then ``warm_state`` is ``ready``), then the alignment and
        drift of every other state (then ``complete``). A failure is logged; pages then
        compute what they need on demand."""
        started = time.perf_counter()
        self.warm_state = "computing"
        try:
            self.panel()
            self.ideal_points_all()
            for state in WARM_STATES:
                self._state_parts(state)
            self.ledger()
            self.warm_seconds = round(time.perf_counter() - started, 2)
            self.warm_state = "ready"
            for state in self.panel().states:
                self._state_parts(state)
            self.warm_state = "complete"
        except Exception:  # noqa: BLE001 - logged; pages compute on demand instead
            log.exception("warm-up failed")
            self.warm_state = "failed"
        self.warm_all_seconds = round(time.perf_counter() - started, 2)

    def _state_parts(self, state: str) -> None:
        """The slow parts of a state page: alignment (votes) and drift (the panel)."""
        for part in (self.alignment, self.drift):
            # No data is no error: the page says "insufficient data".
            with contextlib.suppress(NoDataError, BadInputError):
                part(state)

    def warm_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.warm, name="allegiance-warm", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self.pool.close()

    # -- states and poles ---------------------------------------------------------------------
    def state(self, code: str) -> str:
        """The ISO3 code of a state (UnknownStateError, with the closest names, if none)."""
        return require_state(code)

    def side(self, code: str) -> str:
        """A pole's code (``RUS``, ``EU``, ...) or a state's ISO3 code."""
        return pole(code).code if is_pole(code) else require_state(code)

    def state_name(self, code: str) -> str:
        return self.names.get(code, code)

    # -- influence -------------------------------------------------------------------------------
    def panel(self) -> panels.IndexPanel:
        return self._cached(("panel",), panels.whole_panel)

    def sphere_map(self, pole: str, year: int | None) -> pd.DataFrame:
        panel = self.panel()
        return self.results.get(
            ("sphere", pole, year), lambda: panels.sphere_map(panel, pole, year)
        )

    def index(self, state: str | None, pole_: str | None, year: int | None = None):
        """The influence index of one state, pole or year, or of all (the whole panel)."""
        panel = self.panel()

        def compute():
            if state is not None:
                rows = panels.state_index(panel, state, [pole_] if pole_ else None)
            else:
                rows = panel.index if pole_ is None else panel.index[panel.index["pole"] == pole_]
            if year is not None:
                rows = rows[rows["year"] == year]
            return with_sources(rows.reset_index(drop=True), [], keep=[panel.index])

        return self.results.get(("index", state, pole_, year), compute)

    def channels(self, state: str, year: int | None) -> pd.DataFrame:
        panel = self.panel()
        return self.results.get(
            ("channels", state, year), lambda: panels.state_channels(panel, state, year)
        )

    def drift(self, state: str) -> pd.DataFrame:
        return self._cached(("drift", state), lambda store: al.drift(store, state))

    def profile(self, state: str, year: int | None) -> dict[str, pd.DataFrame]:
        year = self.panel().latest_full if year is None else year
        idx = self.index(state, None)
        idx = with_sources(idx[idx["year"] == year].reset_index(drop=True), [], keep=[idx])
        return {"index": idx, "channels": self.channels(state, year)}

    # -- votes and alignment -----------------------------------------------------------------------
    def roll_calls(self, **filters) -> pd.DataFrame:
        key = ("roll_calls", tuple(sorted(filters.items())))
        return self._cached(key, lambda store: _with_vote_sources(store.roll_calls(**filters)))

    def symbol(self, symbol: str) -> str:
        """The store's symbol of a resolution (any common spelling); an unknown one is an
        UnknownRollCallError naming the closest symbol of the store."""
        try:
            return str(self.roll_call(symbol)["symbol"])
        except UnknownRollCallError as exc:
            symbols = self._cached(
                ("symbols",),
                lambda store: sorted(set(store.roll_calls(kind="resolution")["symbol"].dropna())),
            )
            hint = _closest(symbol.strip().upper(), symbols)
            raise UnknownRollCallError(f"{exc.args[0]}{hint}") from None

    def roll_call(self, symbol: str) -> dict:
        return self._cached(("roll_call", symbol), lambda store: store.roll_call_record(symbol))

    def votes(self, symbol: str, region: str | None = None) -> pd.DataFrame:
        return self._cached(("votes", symbol, region),
                            lambda store: al.votes(store, symbol, region=region))  # fmt: skip

    def votes_by_region(self, symbol: str) -> pd.DataFrame:
        votes = self.votes(symbol)
        return self._cached(("votes_by_region", symbol),
                            lambda store: panels.votes_by_region(votes, store))  # fmt: skip

    def alignment(self, state: str) -> pd.DataFrame:
        return self._cached(("alignment", state), lambda store: al.alignment(store, state))

    def agreement(self, state: str, partner: str, measure: str, since, until) -> pd.DataFrame:
        key = ("agreement", state, partner, measure, since, until)
        return self._cached(key, lambda store: al.agreement(
            store, state, partner, measure=measure, since=since, until=until))  # fmt: skip

    def ideal_points_all(self) -> pd.DataFrame:
        return self._cached(
            ("ideal_points",),
            lambda store: al.ideal_points(store),
        )

    def ideal_points(self, state: str | None) -> pd.DataFrame:
        frame = self.ideal_points_all()
        if state is None:
            return frame
        rows = frame[frame["state"] == state].reset_index(drop=True)
        return with_sources(rows, [], keep=[frame])

    # -- knowledge base ------------------------------------------------------------------------------
    def timeline(self, state: str) -> pd.DataFrame:
        return self.results.get(("timeline", state), lambda: al.timeline(state))

    def memberships(self, state: str | None, org: str | None, on) -> pd.DataFrame:
        return self.results.get(("memberships", state, org, on),
                                lambda: al.memberships(state=state, org=org, on=on))  # fmt: skip

    def presence(self, sender: str | None, host: str | None, on) -> pd.DataFrame:
        return self.results.get(("presence", sender, host, on),
                                lambda: al.presence(sender=sender, host=host, on=on))  # fmt: skip

    def events(self, state: str | None, since, until) -> pd.DataFrame:
        return self.results.get(("events", state, since, until),
                                lambda: al.events(state, since=since, until=until))  # fmt: skip

    # -- sources -----------------------------------------------------------------------------------------
    def coverage(self) -> dict[str, pd.DataFrame]:
        return self._cached(("coverage",), lambda store: store.info())

    def bibliography(self) -> str:
        return self._cached(("bibliography",), lambda store: al.cite(store=store))

    def coverage_table(self, part: str) -> pd.DataFrame:
        """One table of ``store.info()``, citing the sources of the store's votes."""
        frame = self.coverage()[part]
        votes = self.coverage()["sources"]
        return with_sources(frame, [s for s in votes["source"] if s in _registry_ids()])

    def sources_table(self) -> pd.DataFrame:
        """Coverage per source: ``source, read, kept, vote_rows, rejected, citation``."""
        frame = self.coverage()["sources"]
        return with_sources(frame, [s for s in frame["source"] if s in _registry_ids()])

    def shapes_json(self) -> bytes:
        """The Natural Earth shapes of the store as a GeoJSON FeatureCollection."""

        def compute(store):
            features = []
            for row in store.boundaries().itertuples():
                feature = json.loads(row.geojson)
                features.append({"type": "Feature", "id": row.iso3,
                                 "properties": {"iso3": row.iso3, "name": row.name},
                                 "geometry": feature.get("geometry", feature)})  # fmt: skip
            return json.dumps({"type": "FeatureCollection", "features": features},
                              separators=(",", ":")).encode()  # fmt: skip

        return self._cached(("shapes",), compute)

    # -- claims ------------------------------------------------------------------------------------------
    def claim_files(self) -> list[str]:
        if not self.claims_dir.is_dir():
            return []
        return sorted(p.stem for p in self.claims_dir.glob("*.yaml"))

    def ledger(self) -> dict[str, pd.DataFrame]:
        """Every claims file of the claims folder, checked: file name -> results."""
        return {name: self.claim_results(name) for name in self.claim_files()}

    def ledger_table(self, state: str | None = None) -> pd.DataFrame:
        """Every claim of the ledger (or those that mention ``state``), one row each:
        ``file, id, kind, text, verdict, ...``."""
        if state is not None:
            mentioned = {(file, row["id"]) for file, row in self.claims_mentioning(state)}
            frame = self.ledger_table()
            keep = [(f, i) in mentioned for f, i in zip(frame["file"], frame["id"], strict=True)]
            return with_sources(frame[keep].reset_index(drop=True), [], keep=[frame])
        parts = [r.assign(file=name) for name, r in self.ledger().items()]
        if not parts:
            return pd.DataFrame(columns=["file", "id", "kind", "text", "verdict", "summary"])
        frame = pd.concat(parts, ignore_index=True)
        front = ["file", "id", "kind", "text", "verdict", "summary", "corrections", "scopes"]
        frame = frame[front + ["evidence"]]
        ids = ["kb"]
        for verdict in frame["evidence"]:
            rows = getattr(getattr(verdict, "evidence", None), "rows", {}) or {}
            for table in rows.values():
                ids += list(table.attrs.get("sources", []))
        return with_sources(frame, [i for i in dict.fromkeys(ids) if i in _registry_ids()])

    def claim_results(self, name: str) -> pd.DataFrame:
        files = self.claim_files()
        if name not in files:
            raise UnknownClaimError(f"no claims file {name!r}{_closest(name, files)}")
        path = self.claims_dir / f"{name}.yaml"
        return self._cached(("claims", name), lambda store: al.check(path, store=store))

    def claim(self, name: str, claim_id: str) -> pd.Series:
        results = self.claim_results(name)
        ids = list(results["id"])
        if claim_id not in ids:
            raise UnknownClaimError(f"no claim {claim_id!r} in {name}{_closest(claim_id, ids)}")
        return results.iloc[ids.index(claim_id)]

    def claims_mentioning(self, state: str) -> list[tuple[str, pd.Series]]:
        """Claims of the ledger whose text names the state or whose scope includes it."""
        name = self.state_name(state)
        out = []
        for file, results in self.ledger().items():
            for _, row in results.iterrows():
                scopes = getattr(row["evidence"], "scopes", []) or []
                members = {m for s in scopes for m in (s.members or [])}
                if state in members or re.search(rf"\b{re.escape(name)}\b", row["text"]):
                    out.append((file, row))
        return out

    def check_upload(self, filename: str, content: bytes) -> pd.DataFrame:
        """Check an uploaded claims file; it is written to a temporary folder only."""
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(filename or "claims.yaml").name)[:80]
        name = name if name.endswith((".yaml", ".yml")) else name + ".yaml"
        _refuse_aliases(name, content)
        with tempfile.TemporaryDirectory(prefix="allegiance-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            with self._upload_gate, self.pool.store() as store:
                try:
                    return al.check(path, store=store)
                except BadInputError as exc:
                    raise BadInputError(str(exc).replace(str(path), name)) from None


def _refuse_aliases(name: str, content: bytes) -> None:
    """Refuse YAML anchors and aliases in an upload: nested aliases make a few bytes expand
    into billions of nodes (a claims file never needs them)."""
    import yaml

    try:
        for event in yaml.parse(content, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise BadInputError(
                    f"{name}, line {line}: YAML anchors and aliases are not accepted in uploads"
                )
    except yaml.YAMLError as exc:
        raise BadInputError(f"{name}: not valid YAML: {exc}") from None


def _closest(value: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, options, n=1, cutoff=0.4)
    return f"; did you mean {close[0]!r}?" if close else ""


def _registry_ids() -> set[str]:
    from allegiance.sources import registry

    return set(registry.SOURCES)


def _with_vote_sources(frame: pd.DataFrame) -> pd.DataFrame:
    """Roll calls cite the sources their rows came from (the ``source`` column)."""
    return with_sources(frame, list(dict.fromkeys(frame["source"].astype(str))))
