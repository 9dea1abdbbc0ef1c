"""Ideal points from the store: the votes in the model's long format, and fitted results
cached beside the store (:mod:`allegiance.store.derived`) under the settings that produced
them.

Thin on purpose: choosing the roll calls (window, issue, final passage or all votes) and
the period (calendar year or session) happens here; bridging is
:func:`allegiance.measures.ideal_bridge.bridge_items`, the model is
:class:`allegiance.measures.ideal_points.DynamicIdealPoints` (docs/ideal_points.md).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from allegiance._lazy import lazy
from allegiance.analysis.sourcing import UN_ATTRIBUTION, with_sources
from allegiance.errors import BadInputError, NoDataError
from allegiance.store import derived
from allegiance.vote import CAST

np = lazy("numpy")
pd = lazy("pandas")

#: Time keys of the two kinds of period.
BY = ("year", "session")
#: Which recorded votes enter: whole resolutions only, or amendments and paragraphs too.
VOTES = ("final", "all")
#: Bumped when the model or the bridging changes, so that old cached runs are not reused.
MODEL_VERSION = 5
#: Years whose estimates have mean 0: three decades after the Cold War, in which every
#: present member votes. Fixed, so that a new year of votes does not rescale the past
#: (docs/ideal_points.md, identification).
REFERENCE_YEARS = (1991, 2020)
#: The one fit that the index, the verbs and the report share is on the whole record
#: (``since=None``), so that a year's value never depends on which years were asked.
_PARTS = ("points", "run")


def _check(by: str, votes: str) -> None:
    if by not in BY:
        raise BadInputError(f"by must be one of {', '.join(BY)}; got {by!r}")
    if votes not in VOTES:
        raise BadInputError(f"votes must be one of {', '.join(VOTES)}; got {votes!r}")


def _roll_calls(store, since, until, by, votes, issue):
    from allegiance.measures.ideal_bridge import bridge_items

    _check(by, votes)
    rc = store.roll_calls(since=since, until=until, issue=issue)
    if votes == "final":
        rc = rc[rc["kind"].eq("resolution")]
    if rc.empty:
        raise NoDataError(
            f"no recorded votes between {since or 'the start'} and {until or 'the end'}"
            + (f" on issue {issue!r}" if issue else "")
        )
    titles = store.record_titles().set_index("roll_call_id")["title"]
    rc = rc.assign(record_title=rc["id"].map(titles))
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
        from allegiance.states import resolve_states

        frame = frame[frame["state"].isin(resolve_states(states))]
    return with_sources(frame.reset_index(drop=True), sorted(rc["source"].dropna().unique()))


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
    ``states`` only filters the rows returned. A fit is kept in the cache folder beside the
    store (never in the store file) and reused for the same settings.

    Returns
    -------
    pandas.DataFrame
        ``state, year`` (or ``session``) ``, estimate, lower, upper, n_votes``; ``attrs``
        holds ``settings``, ``diagnostics`` (``DynamicIdealPoints.diagnostics_`` with its
        frames as dicts of lists; :func:`~allegiance.measures.ideal_points.diagnostics_table`
        reads it; its ``reference`` is the periods that fix the scale), ``sources`` and
        ``attribution``. ``n_bootstrap`` and ``random_state`` are accepted for old callers
        and ignored: the intervals are analytic.
    """
    _check(by, votes)
    wanted = None
    if states is not None:
        from allegiance.states import resolve_states

        wanted = resolve_states(states)
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
    if wanted is not None:
        points = points[points["state"].isin(wanted)]
        if points.empty:
            raise NoDataError(f"{', '.join(wanted)} cast no vote in the window asked for")
    points = points.sort_values(["state", by]).reset_index(drop=True)
    points.attrs["settings"] = settings
    points.attrs["diagnostics"] = diagnostics
    points.attrs["attribution"] = UN_ATTRIBUTION
    return with_sources(points, diagnostics["sources"])


def in_years(frame: pd.DataFrame, by: str, first: int | None, last: int | None):
    """The rows of ``frame`` (keyed by ``by``) that fall in the years ``first``-``last``:
    calendar years, or with ``by="session"`` the sessions that opened in those years
    (session 75 opened in September 2020)."""
    _check(by, "all")
    if by == "session":
        from datetime import date

        from allegiance.sources.symbols import session_of

        first = None if first is None else session_of(date(first, 12, 31))
        last = None if last is None else session_of(date(last, 12, 31))
    if first is not None:
        frame = frame[frame[by] >= first]
    if last is not None:
        frame = frame[frame[by] <= last]
    return frame


def fit_default(store) -> pd.DataFrame:
    """Fit (or read) the ideal points every index value and verb uses, and cache them:
    the explicit step that ``allegiance build`` runs after writing a store."""
    return ideal_points(store)


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
    found = derived.read(store, "ideal_points", key, _PARTS)
    if found is None or found["points"].empty:
        return None
    return found["points"], json.loads(found["run"]["diagnostics"].iloc[0])


def _save(store, key: str, settings: dict, points, diagnostics) -> None:
    """Keep the fit in the cache folder beside the store (never in the store file)."""
    run = pd.DataFrame([{
        "key": key, "settings": json.dumps(settings, sort_keys=True),
        "diagnostics": _to_json(diagnostics),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }])  # fmt: skip
    derived.write(store, "ideal_points", key, {"points": points, "run": run})
