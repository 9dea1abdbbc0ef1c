"""allegiance: geopolitical alignment and spheres of influence from open data.

>>> import allegiance as al          # doctest: +SKIP
>>> store = al.open()                # doctest: +SKIP
>>> store.votes("A/RES/ES-11/1")     # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"


def open(path=None):  # noqa: A001 - `al.open()` is the documented entry point
    """Open the built store (default ``$ALLEGIANCE_HOME/allegiance.duckdb``)."""
    from allegiance.store.store import Store

    return Store(path)


def build(mirror, db=None, undl=None):
    """Build the store from a mirror folder; returns the build report."""
    from allegiance import paths
    from allegiance.store.build import build as _build

    return _build(mirror, db or paths.default_db(), undl=undl)


def check(path, store=None):
    """Check the claims in a YAML claims file against the evidence (see docs/claims.md)."""
    from allegiance.claims import check as _check

    return _check(path, store=store)
