"""Named groups of states, as functions of date.

Fixed groups (the post-Soviet successor states and their sub-groups), ``world`` and the UN
M49 geoscheme regions are computed from ``data/states.csv`` and restricted to the states
that held a UN seat on the date. Groups defined by an organization's membership (the EU,
NATO, the CIS, ...) are the organization's members on the date, from the knowledge base.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from allegiance.dates import parse_date
from allegiance.errors import BadInputError

if TYPE_CHECKING:
    from allegiance.kb.load import KnowledgeBase

__all__ = ["REGIONS", "UnknownRegionError", "region", "region_names"]


class UnknownRegionError(BadInputError):
    """A region that is neither a fixed group, an M49 region nor an organization."""


# The 15 Union republics that became independent States in 1991.
_POST_SOVIET = tuple("ARM AZE BLR EST GEO KAZ KGZ LTU LVA MDA RUS TJK TKM UKR UZB".split())  # noqa: SIM905
_FIXED: dict[str, tuple[str, ...]] = {
    "post-soviet": _POST_SOVIET,
    "central-asia": ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    "south-caucasus": ("ARM", "AZE", "GEO"),
    "baltic": ("EST", "LTU", "LVA"),
    "eastern-europe-post-soviet": ("BLR", "MDA", "UKR"),
}
# Independence as the COW State System Membership List v2016 dates it: the Baltic states
# 1991-09-06, the other twelve 1991-12-26 (codes/cow_states2016.csv). Before, they were the USSR.
_BALTIC_FROM = date(1991, 9, 6)
_OTHERS_FROM = date(1991, 12, 26)
# Names of UN M49 regions (the ``region`` column of states.csv) offered as groups.
_M49: dict[str, tuple[str, ...]] = {
    "europe": ("Europe",),
    "asia": ("Asia",),
    "africa": ("Africa",),
    "americas": ("Americas",),
    "oceania": ("Oceania",),
    "eurasia": ("Europe", "Asia"),
}

REGIONS: dict[str, str] = {
    "world": "Every UN member on the date.",
    "post-soviet": "The 15 successor states of the USSR, Baltic states included.",
    "central-asia": "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan.",
    "south-caucasus": "Armenia, Azerbaijan, Georgia.",
    "baltic": "Estonia, Latvia, Lithuania.",
    "eastern-europe-post-soviet": "Belarus, Moldova, Ukraine.",
    "europe": "UN M49 region Europe: UN members on the date.",
    "asia": "UN M49 region Asia: UN members on the date.",
    "africa": "UN M49 region Africa: UN members on the date.",
    "americas": "UN M49 region Americas: UN members on the date.",
    "oceania": "UN M49 region Oceania: UN members on the date.",
    "eurasia": "UN M49 regions Europe and Asia together: UN members on the date.",
}


def _as_date(on) -> date:
    return date.today() if on is None else parse_date(on, what="on")


def region(name: str, on=None, kb: KnowledgeBase | None = None) -> list[str]:
    """The ISO3 codes of a named region's states on a date, sorted.

    Parameters
    ----------
    name : str
        One of ``REGIONS``, or an organization of the knowledge base (``eu``, ``csto``,
        ``nato``, by id or name), whose members on the date (suspended ones included)
        are returned.
    on : date, str or int, optional
        The date (default today). Fixed groups return only states that existed as UN
        members then ("post-soviet" is empty before 17 September 1991); M49 regions return
        the UN members of the region on that date (the USSR in 1980, Russia in 2000).
        The post-Soviet groups list the states independent on the date, UN members or not
        (none before 6 September 1991; Georgia before its admission in July 1992).

    Raises
    ------
    UnknownRegionError
        For an unknown region, listing the valid names.

    Examples
    --------
    >>> region("south-caucasus", "2000-01-01")
    ['ARM', 'AZE', 'GEO']
    """
    day = _as_date(on)
    key = name.strip().lower()
    if key in _FIXED:
        baltic = _FIXED["baltic"]
        return sorted(
            code
            for code in _FIXED[key]
            if day >= (_BALTIC_FROM if code in baltic else _OTHERS_FROM)
        )
    if key == "world":
        from allegiance.states import members_on

        return sorted(members_on(day))
    if key in _M49:
        from allegiance.states import members_on, states  # pandas: only for M49 regions

        members = members_on(day)
        table = states()
        in_region = table.loc[table["region"].isin(_M49[key]), "iso3"]
        return sorted(code for code in in_region if code in members)
    from allegiance import kb as kb_

    kb = kb if kb is not None else kb_.default()
    if kb_.is_org(name, kb):
        return sorted(kb_.org_members_on(kb, kb_.require_org(name, kb), day))
    orgs = ", ".join(sorted(o.id.lower() for o in kb.organizations))
    raise UnknownRegionError(
        f"unknown region {name!r}; valid names: {', '.join(REGIONS)}, or an organization: {orgs}"
    )


def is_region(name: str, kb: KnowledgeBase | None = None) -> bool:
    """Whether ``name`` is a fixed group, an M49 region, ``world`` or an organization."""
    if str(name).strip().lower() in REGIONS:
        return True
    from allegiance import kb as kb_

    return kb_.is_org(name, kb if kb is not None else kb_.default())


def region_names(kb: KnowledgeBase | None = None) -> dict[str, str]:
    """Every region name with its description, organizations included."""
    from allegiance import kb as kb_

    kb = kb if kb is not None else kb_.default()
    out = dict(REGIONS)
    for org in kb.organizations:
        out.setdefault(org.id.lower(), f"Members of the {org.name} on the date (knowledge base).")
    return out
