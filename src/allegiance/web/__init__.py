"""``allegiance serve``: the web dashboard and the JSON API over the store.

A thin layer: every page and API answer comes from the public Python API (``al.*`` and
``allegiance.analysis``) through :mod:`allegiance.web.service`. See docs/web.md.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):
    """The FastAPI app (see :func:`allegiance.web.app.create_app`)."""
    from allegiance.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)
