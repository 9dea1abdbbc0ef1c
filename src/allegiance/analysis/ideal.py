"""Ideal points from the store: the votes in the model's long format, and fitted results
cached beside the store (:mod:`allegiance.store.derived`) under the settings that produced
them.

Bridging (Bailey, Strezhnev and Voeten 2017): a whole-resolution vote whose title returns
in several sessions is one *item*, so its cut points and discrimination are shared across
years. The key is the title folded to lower-case letters, without numbers; a title that
occurs more than once in a session is not bridged (it cannot be told which vote continues
which), nor are amendment and paragraph votes.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

from allegiance._lazy import lazy
from allegiance.analysis.sourcing import with_sources
from allegiance.states import require_state
from allegiance.store import derived
from allegiance.vote import CAST

np = lazy("numpy")
pd = lazy("pandas")

#: First year of the one fit that the index and the verbs share, so that a year's value
#: does not depend on which years were asked.
IDEAL_POINTS_FROM = 1992

#: Settings that change the result; they key the cache.
_SETTING_NAMES = (
    "since",
    "until",
    "issue",
    "states",
    "smoothing",
    "n_bootstrap",
    "random_state",
    "dynamic",
)


def bridge_key(titles: pd.Series) -> pd.Series:
    """The title folded for bridging: lower-case words, no digits or punctuation."""
    first = titles.fillna("").str.split(" — ").str[0]
    return first.str.lower().map(lambda t: re.sub(r"[^a-z]+", " ", t).strip())


def ideal_point_votes(store, since=None, until=None, issue=None, states=None) -> pd.DataFrame:
    """Cast votes in the long format of :class:`~allegiance.measures.ideal_points.DynamicIdealPoints`.

    Columns ``roll_call, item, state, period, year, vote``; ``period`` is the session.
    Absent and not-a-member are left out: they are missing, not votes.
    """
    rc = store.roll_calls(since=since, until=until, issue=issue)
    key = bridge_key(rc["title"])
    repeated = key.groupby([rc["session"], key]).transform("size") > 1
    bridged = rc["kind"].eq("resolution") & key.str.len().gt(0) & ~repeated
    rc = rc.assign(item=np.where(bridged, "t:" + key, "rc:" + rc["id"].astype(str)))
    votes, codes = store.vote_array(rc["id"].to_numpy())
    rows, cols = np.nonzero(np.isin(votes, CAST))
    frame = pd.DataFrame(
        {
            "roll_call": rc["id"].to_numpy()[rows],
            "item": rc["item"].to_numpy()[rows],
            "state": np.asarray(codes)[cols],
            "period": rc["session"].to_numpy()[rows].astype(np.int64),
            "year": rc["year"].to_numpy()[rows].astype(np.int64),
            "vote": votes[rows, cols].astype(np.int8),
        }
    )
    if states is not None:
        frame = frame[frame["state"].isin(states)]
    return frame.reset_index(drop=True)


def ideal_points(
    store,
    since=None,
    until=None,
    states=None,
    issue=None,
    smoothing: float | None = 0.1,
    n_bootstrap: int = 0,
    random_state: int = 0,
    dynamic: bool = True,
    refresh: bool = False,
    cache: bool = True,
) -> pd.DataFrame:
    """Dynamic ideal points per state and session, fitted on demand and cached.

    The model (ordinal IRT with a random walk; see docs/ideal_points.md) is fitted on every
    state's votes in the period and issue, so that the scale is shared; ``states`` only
    filters the rows returned. Results are cached beside the store with their settings and
    reused when the same settings are asked for again.

    Returns
    -------
    pandas.DataFrame
        ``state, period, year, estimate, lower, upper, n_votes`` (lower/upper missing
        when ``n_bootstrap`` is 0).
    """
    settings = {
        "since": None if since is None else str(since),
        "until": None if until is None else str(until),
        "issue": issue,
        "states": None,
        "smoothing": smoothing,
        "n_bootstrap": int(n_bootstrap),
        "random_state": int(random_state),
        "dynamic": bool(dynamic),
    }
    key = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    found = None if refresh else _cached(store, key)
    if found is None:
        from allegiance.measures.ideal_points import DynamicIdealPoints

        model = DynamicIdealPoints(
            smoothing=smoothing, n_bootstrap=n_bootstrap, random_state=random_state, dynamic=dynamic
        )
        model.fit(ideal_point_votes(store, since=since, until=until, issue=issue))
        found = model.ideal_points_
        if cache:
            _save(store, key, settings, model)
    found = found.rename(columns={"period": "session"})
    if states is not None:
        wanted = [require_state(s) for s in states]
        found = found[found["state"].isin(wanted)]
    found = found.sort_values(["state", "session"]).reset_index(drop=True)
    found.attrs["settings"] = settings
    return with_sources(found, sorted(set(store.roll_calls(since=since, until=until)["source"])))


_PARTS = ("points", "items", "run")


def _cached(store, key: str) -> pd.DataFrame | None:
    found = derived.read(store, "ideal_points", key, _PARTS)
    return None if found is None else found["points"]


def _save(store, key: str, settings: dict, model) -> None:
    """Keep the fit in the cache folder beside the store (never in the store file)."""
    run = pd.DataFrame([{
        "key": key, "settings": json.dumps(settings, sort_keys=True),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fit_seconds": float(model.fit_seconds_),
        "seconds_per_replicate": model.bootstrap_seconds_per_replicate_,
        "n_iter": int(model.n_iter_), "converged": bool(model.converged_),
    }])  # fmt: skip
    derived.write(store, "ideal_points", key,
                  {"points": model.ideal_points_, "items": model.item_params_, "run": run})  # fmt: skip


def fit_default(store) -> pd.DataFrame:
    """Fit (or read) the ideal points every index value and verb uses, and cache them:
    the explicit step that ``allegiance build`` runs after writing a store."""
    return ideal_points(store, since=IDEAL_POINTS_FROM)
