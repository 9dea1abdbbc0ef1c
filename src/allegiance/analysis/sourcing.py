"""Provenance of results: which sources a frame rests on, and their bibliography.

Every function of the analysis layer records the source ids it used (keys of the source
registry, ``sources/registry.toml``, plus ``kb`` for the knowledge base and
``un_membership`` for the states tables) in ``frame.attrs["sources"]``; the ``add_*``
verbs keep the ids already there and add their own. :func:`cite` turns them into a
bibliography, as peacesciencer's ``ps_cite()`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from allegiance.citation import Citation
from allegiance.errors import BadInputError, UnknownSourceError
from allegiance.sources import registry
from allegiance.store.store import UN_ATTRIBUTION

if TYPE_CHECKING:  # pandas is imported by whoever made the frame; `votes` starts without it
    import pandas as pd

__all__ = ["UN_ATTRIBUTION", "VOTE_SOURCES", "cite", "citations", "sources_of", "with_sources"]

#: Source ids whose data are UN voting records (their outputs carry the UN attribution).
VOTE_SOURCES = frozenset(
    {"undl", "unxml", "supplement", "undl_scrape", "voeten", "voeten_dataverse", "unvotes",
     "kaggle"}
)  # fmt: skip

FORMATS = ("text", "bibtex")


def sources_of(frame: pd.DataFrame) -> list[str]:
    """The source ids recorded on ``frame`` (empty when none are)."""
    return list(frame.attrs.get("sources", []))


def with_sources(frame: pd.DataFrame, ids: Iterable[str], keep=()) -> pd.DataFrame:
    """``frame`` with ``ids`` added to its sources (and to those of the frames in ``keep``).

    The ids stay in first-seen order, each once; an id that is not in the registry is an
    error, so a typo cannot produce a bibliography that silently lacks a source.
    """
    merged: list[str] = []
    for part in [*(sources_of(f) for f in keep), sources_of(frame), list(ids)]:
        for key in part:
            if key not in registry.SOURCES:
                raise UnknownSourceError(f"unknown source id {key!r} (not in registry.toml)")
            if key not in merged:
                merged.append(key)
    frame.attrs["sources"] = merged
    if any(k in VOTE_SOURCES for k in merged):
        frame.attrs["attribution"] = UN_ATTRIBUTION
    return frame


def citations(ids: Iterable[str]) -> list[Citation]:
    """The :class:`~allegiance.citation.Citation` of each source id, in the order given."""
    out = []
    for key in dict.fromkeys(ids):
        out.append(registry.source(key).as_citation())
    return out


def cite(frame: pd.DataFrame | None = None, format: str = "text", store=None) -> str:  # noqa: A002
    """The bibliography of exactly the sources ``frame`` used.

    Parameters
    ----------
    frame : DataFrame, optional
        A result of allegiance (or a frame built with ``state_years``/``dyad_years`` and
        ``add_*`` verbs). Without a frame, every source of ``store`` is listed.
    format : {"text", "bibtex"}
    store : Store, optional
        With no frame: the store whose sources to list (default: ``allegiance.open()``).

    Returns
    -------
    str
        One entry per source: ``[id] citation`` lines (text), or BibTeX ``@misc`` entries.
        The text form ends with the UN's attribution when UN votes were used.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"state": ["ARM"]})
    >>> frame.attrs["sources"] = ["sipri"]
    >>> print(cite(frame))
    [sipri] SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, https://www.sipri.org/databases/armstransfers (data generated 12 Feb 2026).
    """
    if format not in FORMATS:
        raise BadInputError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if frame is not None:
        ids = sources_of(frame)
        if not ids:
            raise BadInputError(
                "the frame records no sources (attrs['sources'] is empty); it was not made "
                "by allegiance, or an operation dropped its attrs"
            )
    else:
        if store is None:
            from allegiance.store.store import Store

            store = Store()
        ids = [s for s in store.citations()["source"] if s in registry.SOURCES]
        ids += ["kb", "un_membership"]
    entries = citations(ids)
    if format == "bibtex":
        return "\n\n".join(c.to_bibtex() for c in entries) + "\n"
    lines = [f"[{c.key}] {c.text}" for c in entries]
    if any(k in VOTE_SOURCES for k in ids):
        lines.append(UN_ATTRIBUTION)
    return "\n".join(lines)
