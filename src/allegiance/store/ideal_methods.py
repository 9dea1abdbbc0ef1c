"""Ideal points from the store: the votes in the model's long format, and fitted results
cached in the store under the settings that produced them.

Thin on purpose: choosing the roll calls (window, issue, final passage or all votes) and
the period (calendar year or session) happens here; bridging is
:func:`allegiance.measures.ideal_bridge.bridge_items`, the model is
:class:`allegiance.measures.ideal_points.DynamicIdealPoints`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import duckdb

from allegiance._lazy import lazy
from allegiance.vote import CAST

np = lazy("numpy")
pd = lazy("pandas")

#: Time keys of the two kinds of period.
BY = ("year", "session")
#: Which recorded votes enter: whole resolutions only, or amendments and paragraphs too.
VOTES = ("final", "all")
#: Bumped when the model or the bridging changes, so that old cached runs are not reused.
MODEL_VERSION = 3
#: Years whose estimates have mean 0: three decades after the Cold War, in
#: which every present member votes. Fixed, so that a new year of votes does not rescale
#: the past (docs/ideal_points.md, identification).
REFERENCE_YEARS = (1991, 2020)
_CACHE_DDL = """
CREATE TABLE IF NOT EXISTS ideal_runs (
    key VARCHAR PRIMARY KEY, settings VARCHAR, diagnostics VARCHAR, computed_at VARCHAR);
CREATE TABLE IF NOT EXISTS ideal_estimates (
    key VARCHAR, state VARCHAR, period INTEGER, estimate DOUBLE, lower DOUBLE, upper DOUBLE,
    n_votes INTEGER);
"""


def _check(by: str, votes: str) -> None:
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}; got {by!r}")
    if votes not in VOTES:
        raise ValueError(f"votes must be one of {', '.join(VOTES)}; got {votes!r}")


def _roll_calls(store, since, until, by, votes, issue):
    from allegiance.measures.ideal_bridge import bridge_items

    _check(by, votes)
    rc = store.roll_calls(since=since, until=until, issue=issue)
    if votes == "final":
        rc = rc[rc["kind"].eq("resolution")]
    if rc.empty:
        raise ValueError(
            f"no recorded votes between {since or 'the start'} and {until or 'the end'}"
            + (f" on issue {issue!r}" if issue else "")
        )
    return rc.assign(item=bridge_items(rc))


def ideal_point_votes(
    store, since=None, until=None, by: str = "year", votes: str = "all", issue=None, states=None
) -> pd.DataFrame:
    """Cast votes in the long format of :class:`~allegiance.measures.ideal_points.DynamicIdealPoints`.

    Columns ``roll_call, item, state, period, vote``: ``period`` is the calendar year
    (``by="year"``) or the session (``by="session"``); ``item`` is the bridge key. Absent
    and not-a-member are left out: they are missing, not votes.
    """
    rc = _roll_calls(store, since, until, by, votes, issue)
    frame = _long(store, rc, by)
    if states is not None:
        frame = frame[frame["state"].isin([s.upper() for s in states])]
    frame = frame.reset_index(drop=True)
    frame.attrs["sources"] = sorted(rc["source"].dropna().unique().tolist())
    return frame


def _long(store, rc, by):
    codes_votes, codes = store.vote_array(rc["id"].to_numpy())
    rows, cols = np.nonzero(np.isin(codes_votes, CAST))
    return pd.DataFrame(
        {
            "roll_call": rc["id"].to_numpy()[rows],
            "item": rc["item"].to_numpy()[rows],
            "state": np.asarray(codes)[cols],
            "period": rc[by].to_numpy()[rows].astype(np.int64),
            "vote": codes_votes[rows, cols].astype(np.int8),
        }
    )


def ideal_points(
    store,
    since=None,
    until=None,
    by: str = "year",
    votes: str = "all",
    issue=None,
    states=None,
    smoothing: float = 0.05,
    ci: float | None = 0.95,
    reference: tuple[int, int] | None = REFERENCE_YEARS,
    refresh: bool = False,
    cache: bool = True,
    n_bootstrap: int | None = None,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Ideal points per state and year (or session) on one scale, fitted on demand and cached.

    The model (dynamic ordinal IRT with bridged resolutions; see docs/ideal_points.md) is
    fitted on every state's votes in the window and issue, so that the scale is shared;
    ``states`` only filters the rows returned.

    Returns
    -------
    pandas.DataFrame
        ``state, year`` (or ``session``) ``, estimate, lower, upper, n_votes``; ``attrs``
        holds ``settings``, ``diagnostics`` (``DynamicIdealPoints.diagnostics_`` with its
        frames as dicts of lists; :func:`~allegiance.measures.ideal_points.diagnostics_table`
        reads it; its
        ``reference`` is the periods that fix the scale: ``reference`` years clipped to the
        window, or the whole window when they fall outside it), ``sources`` and
        ``attribution``. ``n_bootstrap`` and ``random_state`` are accepted
        for old callers and ignored: the intervals are analytic.
    """
    from allegiance.store.store import UN_ATTRIBUTION

    _check(by, votes)
    settings = {
        "since": None if since is None else str(since),
        "until": None if until is None else str(until),
        "by": by,
        "votes": votes,
        "issue": issue,
        "smoothing": float(smoothing),
        "ci": ci,
        "reference": None if reference is None else [int(y) for y in reference],
        "model": MODEL_VERSION,
    }
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    found = None if refresh else _cached(store, key)
    if found is None:
        from allegiance.measures.ideal_points import DynamicIdealPoints

        rc = _roll_calls(store, since, until, by, votes, issue)
        periods = _reference_periods(rc, by, reference)
        model = DynamicIdealPoints(smoothing=smoothing, ci=ci, reference=periods)
        model.fit(_long(store, rc, by))
        diagnostics = dict(model.diagnostics_)
        diagnostics["sources"] = sorted(rc["source"].dropna().unique().tolist())
        diagnostics["reference"] = None if periods is None else [int(p) for p in periods]
        # Plain lists and numbers only: pandas compares attrs when frames are combined.
        found = (model.ideal_points_, json.loads(_to_json(diagnostics)))
        if cache:
            _save(store, key, settings, *found)
    points, diagnostics = found
    points = points.rename(columns={"period": by})
    if states is not None:
        points = points[points["state"].isin([s.upper() for s in states])]
    points = points.sort_values(["state", by]).reset_index(drop=True)
    points.attrs["settings"] = settings
    points.attrs["diagnostics"] = diagnostics
    points.attrs["sources"] = diagnostics["sources"]
    points.attrs["attribution"] = UN_ATTRIBUTION
    return points


def _reference_periods(rc, by: str, reference) -> tuple[int, int] | None:
    """The reference years as periods of ``by``; the whole window when they fall outside."""
    if reference is None:
        return None
    inside = rc[rc["year"].between(*reference)]
    if inside.empty:
        return None
    return int(inside[by].min()), int(inside[by].max())


def _to_json(diagnostics: dict) -> str:
    return json.dumps(
        {
            k: v.to_dict(orient="list") if isinstance(v, pd.DataFrame) else v
            for k, v in diagnostics.items()
        },
        default=float,
    )


def _cached(store, key: str):
    try:
        run = store.sql("SELECT diagnostics FROM ideal_runs WHERE key = ?", [key])
        points = store.sql(
            "SELECT state, period, estimate, lower, upper, n_votes FROM ideal_estimates "
            "WHERE key = ?",
            [key],
        )
    except duckdb.CatalogException:
        return None
    if not len(run) or not len(points):
        return None
    return points, json.loads(run["diagnostics"].iloc[0])


def _save(store, key: str, settings: dict, points, diagnostics) -> None:
    """Write the run into the store file; skipped with a note if another process holds it."""
    runs = pd.DataFrame([{
        "key": key, "settings": json.dumps(settings, sort_keys=True),
        "diagnostics": _to_json(diagnostics),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }])  # fmt: skip
    rows = points.assign(key=key)[
        ["key", "state", "period", "estimate", "lower", "upper", "n_votes"]
    ]
    try:
        with store.writable() as con:
            con.execute(_CACHE_DDL)
            for table, frame in (("ideal_runs", runs), ("ideal_estimates", rows)):
                con.execute(f"DELETE FROM {table} WHERE key = ?", [key])
                con.register("frame", frame)
                con.execute(f"INSERT INTO {table} SELECT * FROM frame")
                con.unregister("frame")
    except duckdb.Error as exc:
        import warnings

        warnings.warn(
            f"ideal points not cached: the store is in use elsewhere ({exc})", stacklevel=3
        )


def attach(store_class) -> None:
    """Add ``ideal_points`` and ``ideal_point_votes`` to ``Store``."""
    store_class.ideal_points = ideal_points
    store_class.ideal_point_votes = ideal_point_votes
