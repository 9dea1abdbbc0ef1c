"""Compare the knowledge base's memberships with independent datasets.

Two comparisons, year by year:

* **COW IGO v3** full-membership spells (Pevehouse et al. 2020), for every organization
  with a ``cow_igo_id``: a state is a member in a year in our data if a ``member`` or
  ``suspended`` spell covers any day of that year; in COW's if the year lies within a
  ``Beg``-``End`` spell. COW records the status at a point in the year (in practice the
  year-end status), so a state joining in December or leaving in January is legitimately
  one year off; a difference confined to **one year at a spell end** is therefore
  tolerated. Runs of two or more years are reported.
* **ATOP v5.1** defence pledges (Leeds et al. 2002), for every ``defence_alliance`` led
  by a pole with a COW code: in each year a state is a member, ATOP should record a
  defence pledge between it and the leading state (e.g. Russia, COW 365, for the CSTO).
  The same one-year tolerance applies (ATOP dates treaties, we date membership). A
  pledge without membership is not a difference: ATOP codes treaties, and bilateral
  treaties create pledges outside any organization.

Differences that have a documented reason are explained from :data:`KNOWN_DIFFERENCES`;
the rest have an empty ``explanation`` and are for a person to resolve. The method and
every known difference are described in ``docs/knowledge.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from allegiance.kb.load import KnowledgeBase
from allegiance.kb.models import MEMBER_STATUSES, Membership
from allegiance.sources.igo import read_atop_defence, read_cow_igo_spells
from allegiance.states import states

#: Years compared with COW IGO v3 (its data end in 2014; 1992 is the first year every
#: post-Soviet state existed for a whole year).
COW_IGO_YEARS = (1992, 2014)

#: Years compared with ATOP v5.1 (its data end in 2018).
ATOP_YEARS = (1992, 2018)

#: COW state codes of the poles that lead defence alliances.
POLE_COW = {"RUS": 365, "USA": 2, "CHN": 710, "TUR": 640}

COLUMNS = [
    "source",
    "state",
    "org",
    "year",
    "ours",
    "theirs",
    "explanation",
    "file",
    "line",
    "citation",
]


#: Organizations whose every member the knowledge base means to list. With
#: ``scope="auto"`` these are compared with every member COW lists; for the others (the
#: Council of Europe, the Non-Aligned Movement) only the states we list are compared.
COMPLETE = frozenset({"EU", "NATO", "CIS", "CSTO", "EAEC"})

_CST = (
    "Our CSTO id also covers the Collective Security Treaty (Tashkent, 1992-05-15) that the "
    "CSTO Charter of 2002 turned into an organization (see organizations.yaml, CSTO note); "
    "COW IGO v3 codes the CSTO only from 2002 and has no record for the Treaty."
)

#: Accepted differences: (source, state, org, first year, last year) -> reason. ``source``
#: is ``"cow_igo"`` or ``"atop"``. A reported year is explained when it falls within the
#: years of an entry for its source, state and organization. Add an entry only with a
#: reason a reader can check against the record's citations.
KNOWN_DIFFERENCES: dict[tuple[str, str, str, int, int], str] = {
    **{
        ("cow_igo", state, "CSTO", 1992, 2001): _CST
        for state in ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB")
    },
    ("cow_igo", "UZB", "CSTO", 2002, 2005): (
        "Uzbekistan did not renew the Collective Security Treaty in 1999 and was restored "
        "to membership by the CSTO on 2006-06-23 (memberships.yaml, cited); COW IGO v3 codes "
        "it a member from the CSTO's founding in 2002."
    ),
    ("cow_igo", "UKR", "CIS", 1993, 2014): (
        "Ukraine signed and ratified the 1991 founding Agreement but never ratified the "
        "1993 CIS Charter. We code it as a founding participant until it ended "
        "participation in 2018 (see the record's note); COW IGO v3 codes full membership "
        "only for 1991-1992."
    ),
    ("cow_igo", "GEO", "CIS", 1993, 1994): (
        "Georgia joined the CIS in December 1993 (memberships.yaml, cited); COW IGO v3 "
        "starts its membership in 1995."
    ),
    ("cow_igo", "GEO", "CIS", 2008, 2009): (
        "Georgia's withdrawal, voted on 2008-08-14, took legal effect on 2009-08-18 "
        "(memberships.yaml, cited); COW IGO v3 ends its membership in 2007."
    ),
}


def default_cow_codes() -> dict[str, int]:
    """ISO3 to COW state code, from ``allegiance.states.states()``."""
    table = states().dropna(subset=["cow"])
    return {str(iso3): int(cow) for iso3, cow in zip(table["iso3"], table["cow"], strict=True)}


def member_years(spells: list[Membership], years: tuple[int, int]) -> set[int]:
    """Years within ``years`` in which a member (or suspended) spell covers any day."""
    out: set[int] = set()
    for m in spells:
        if m.status not in MEMBER_STATUSES:
            continue
        last = m.end.end.year if m.end is not None else years[1]
        out.update(range(max(m.start.start.year, years[0]), min(last, years[1]) + 1))
    return out


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _explain(source: str, state: str, org: str, year: int) -> str:
    for (src, st, og, first, last), reason in KNOWN_DIFFERENCES.items():
        if (src, st, og) == (source, state, org) and first <= year <= last:
            return reason
    return ""


def _compare(
    source: str,
    state: str,
    org: str,
    ours: set[int],
    theirs: set[int],
    years: tuple[int, int],
    spells: list[Membership],
    report_theirs_only: bool = True,
) -> list[dict]:
    """Rows for the years that differ, beyond one year at a spell end.

    With ``report_theirs_only`` False, years in ``theirs`` but not in ``ours`` are not
    differences (an ATOP pledge without membership).
    """
    window = range(years[0], years[1] + 1)
    mismatched = [y for y in window if (y in ours) != (y in theirs)]
    if not report_theirs_only:
        mismatched = [y for y in mismatched if y in ours]
    rows = []
    for run in _runs(mismatched):
        if len(run) == 1:
            continue  # one year off at a spell end: see the module docstring
        for year in run:
            near = _nearest(spells, year)
            rows.append(
                {
                    "source": source,
                    "state": state,
                    "org": org,
                    "year": year,
                    "ours": year in ours,
                    "theirs": year in theirs,
                    "explanation": _explain(source, state, org, year),
                    "file": near.file if near else "",
                    "line": near.line if near else 0,
                    "citation": near.citations[0].one_line() if near else "",
                }
            )
    return rows


def _nearest(spells: list[Membership], year: int) -> Membership | None:
    """Our spell closest to ``year``, to point a reader at the record to check."""
    if not spells:
        return None

    def distance(m: Membership) -> int:
        last = m.end.end.year if m.end is not None else 10_000
        return (
            0
            if m.start.start.year <= year <= last
            else min(abs(year - m.start.start.year), abs(year - last))
        )

    return min(spells, key=distance)


def _spells_by_pair(kb: KnowledgeBase) -> dict[tuple[str, str], list[Membership]]:
    out: dict[tuple[str, str], list[Membership]] = {}
    for m in kb.memberships:
        out.setdefault((m.state, m.org), []).append(m)
    return out


def cow_igo_differences(
    kb: KnowledgeBase,
    spells: pd.DataFrame | str | Path,
    years: tuple[int, int] = COW_IGO_YEARS,
    scope: str = "auto",
) -> pd.DataFrame:
    """Year-level differences between our memberships and COW IGO v3.

    Parameters
    ----------
    kb : KnowledgeBase
    spells : DataFrame or path
        The COW IGO v3 membership spells, as returned by :func:`read_cow_igo_spells`, or
        the path of ``cow_igo_v3_membership_spells.csv``.
    years : (int, int)
        First and last year compared, inclusive.
    scope : {"auto", "listed", "all"}
        ``"listed"`` compares the states our knowledge base lists in the organization
        (with any status), since it does not aim to list every member of bodies such as
        the Non-Aligned Movement; ``"all"`` also reports COW members we do not list at
        all; ``"auto"`` uses ``"all"`` for the organizations in :data:`COMPLETE` and
        ``"listed"`` for the others.

    Returns
    -------
    pandas.DataFrame
        One row per state, organization and year that differ, beyond the one-year
        tolerance at spell ends: ``source, state, org, year, ours, theirs, explanation,
        file, line, citation`` (``file``/``line``/``citation`` of our nearest spell).
    """
    if scope not in ("auto", "listed", "all"):
        raise ValueError(f"scope must be 'auto', 'listed' or 'all', got {scope!r}")
    cow = spells if isinstance(spells, pd.DataFrame) else read_cow_igo_spells(spells)
    pairs = _spells_by_pair(kb)
    rows: list[dict] = []
    for org in kb.organizations:
        if org.cow_igo_id is None:
            continue
        theirs_frame = cow[cow["igoID"] == org.cow_igo_id]
        theirs: dict[str, set[int]] = {}
        for state, beg, end in theirs_frame[["stateID", "Beg", "End"]].itertuples(index=False):
            span = range(max(beg, years[0]), min(end, years[1]) + 1)
            theirs.setdefault(state, set()).update(span)
        states = {s for (s, o) in pairs if o == org.id}
        if scope == "all" or (scope == "auto" and org.id in COMPLETE):
            states |= {s for s, ys in theirs.items() if ys}
        for state in sorted(states):
            ours_spells = pairs.get((state, org.id), [])
            rows += _compare(
                "cow_igo",
                state,
                org.id,
                member_years(ours_spells, years),
                theirs.get(state, set()),
                years,
                ours_spells,
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def atop_differences(
    kb: KnowledgeBase,
    atop: pd.DataFrame | str | Path,
    cow_codes: Mapping[str, int] | None = None,
    years: tuple[int, int] = ATOP_YEARS,
) -> pd.DataFrame:
    """Member-years of defence alliances without an ATOP defence pledge with the leader.

    Parameters
    ----------
    kb : KnowledgeBase
    atop : DataFrame or path
        ATOP defence pledges as returned by :func:`read_atop_defence`, or the path of
        ``atop_v5_1_alliances_directed_dyad_year.parquet``.
    cow_codes : mapping of str to int, optional
        ISO3 code to COW state code (e.g. ``{"ARM": 371, "RUS": 365}``) for every member
        of a compared alliance. Default: the ``cow`` column of
        ``allegiance.states.states()``.
    years : (int, int)
        First and last year compared, inclusive.

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`cow_igo_differences`; ``ours`` is always True (a
        member-year) and ``theirs`` False (no pledge with the leading state).

    Raises
    ------
    ValueError
        If a member of a compared alliance has no COW code in ``cow_codes``.
    """
    if cow_codes is None:
        cow_codes = default_cow_codes()
    pledges = atop if isinstance(atop, pd.DataFrame) else read_atop_defence(atop)
    pledged = set(pledges[["ccode1", "ccode2", "year"]].itertuples(index=False, name=None))
    pairs = _spells_by_pair(kb)
    rows: list[dict] = []
    for org in kb.organizations:
        if org.kind != "defence_alliance" or org.led_by not in POLE_COW:
            continue
        leader = POLE_COW[org.led_by]
        for (state, oid), spells in sorted(pairs.items()):
            if oid != org.id or state == org.led_by:
                continue
            ours = member_years(spells, years)
            code = cow_codes.get(state)
            if code is None and ours:
                raise ValueError(
                    f"{spells[0].file}:{spells[0].line}: state: no COW code known for "
                    f"{state!r}; add it to cow_codes"
                )
            theirs = {y for y in ours if (leader, code, y) in pledged}
            rows += _compare(
                "atop", state, org.id, ours, theirs, years, spells, report_theirs_only=False
            )
    return pd.DataFrame(rows, columns=COLUMNS)
