"""The knowledge base as the rest of the package sees it: loaded once, regions registered."""

from __future__ import annotations

from functools import lru_cache

from allegiance.kb.load import KnowledgeBase, load_kb


@lru_cache(maxsize=1)
def default() -> KnowledgeBase:
    """The knowledge base shipped with the package (``allegiance/kb/data``)."""
    return load_kb()


_registered = False


def ensure_regions() -> None:
    """Make every organization of the knowledge base a region (``eu``, ``nato``, ...)."""
    global _registered
    if not _registered:
        from allegiance.kb.query import register_regions

        register_regions(default())
        _registered = True
