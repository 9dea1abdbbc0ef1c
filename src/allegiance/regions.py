"""Named groups of states, as functions of date.

Fixed groups (the post-Soviet successor states and their sub-groups) and UN M49 geoscheme
regions are computed from ``data/states.csv`` and restricted to the states that held a UN
seat on the date. Groups defined by an organisation's membership (the EU, NATO, the CIS)
are not written here: their members live in the knowledge base, which registers a lookup
with :func:`register_org_region`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

__all__ = ["REGIONS", "register_org_region", "region_members"]

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

# Hook for organisation-based regions ("eu", "nato", ...). The knowledge base registers a
# function (organisation name, date) -> ISO3 codes; no membership list is written here.
OrgMembers = Callable[[str, date], list[str]]
_ORG_REGIONS: dict[str, tuple[OrgMembers, str]] = {}


def register_org_region(name: str, members: OrgMembers, description: str) -> None:
    """Make an organisation's membership available as a region.

    Parameters
    ----------
    name : str
        The region name, e.g. ``"eu"``.
    members : callable
        ``members(name, on)`` returns the ISO3 codes of the members on date ``on``.
    description : str
        One line for ``REGIONS``.
    """
    _ORG_REGIONS[name] = (members, description)
    REGIONS[name] = description


def _as_date(on) -> date:
    if on is None:
        return date.today()
    if isinstance(on, date):
        return on
    return date.fromisoformat(str(on)[:10])


def region_members(name: str, on=None) -> list[str]:
    """The ISO3 codes of a named region's states on a date, sorted.

    Parameters
    ----------
    name : str
        One of ``REGIONS``.
    on : date or str, optional
        The date (default today). Fixed groups return only states that existed as UN
        members then ("post-soviet" is empty before 17 September 1991); M49 regions return
        the UN members of the region on that date (the USSR in 1980, Russia in 2000).
        The post-Soviet groups list the states independent on the date, UN members or not
        (none before 6 September 1991; Georgia before its admission in July 1992).

    Raises
    ------
    ValueError
        For an unknown region, listing the valid names.

    Examples
    --------
    >>> region_members("south-caucasus", "2000-01-01")
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
    if key in _M49:
        from allegiance.states import members_on, states  # pandas: only for M49 regions

        members = members_on(day)
        table = states()
        in_region = table.loc[table["region"].isin(_M49[key]), "iso3"]
        return sorted(code for code in in_region if code in members)
    if key in _ORG_REGIONS:
        return sorted(_ORG_REGIONS[key][0](key, day))
    valid = ", ".join(sorted(REGIONS))
    raise ValueError(f"unknown region {name!r}; valid names: {valid}")
