"""Scopes: which states a claim is about, and its readings when the writer was vague.

One rule for every kind: a claim's ``scope`` is a list of *readings*. A single name is
one reading, unless it is one of the vague names below, which stand for several; a list
of names is one reading per name. Each reading is evaluated on its own and shown, and
:func:`allegiance.claims.verdict.across_scopes` combines them. A reading is ``world``, a
fixed region (``post-soviet``, ``central-asia``, ...), a UN M49 region (``europe``,
``asia``, ``eurasia``, ...) or an organization of the knowledge base (``csto``, ``eu``,
...), with its members on the date (:func:`allegiance.analysis.regions.region`).
"""

from __future__ import annotations

from datetime import date

#: The readings the system knows for scopes that writers leave vague. "Eurasia" may mean
#: the former Soviet Union (as in "Russia's sphere of influence in Eurasia"), the CIS, or
#: the UN members of the M49 regions Europe and Asia, together or apart.
VAGUE_SCOPES: dict[str, tuple[str, ...]] = {
    "eurasia": ("post-soviet", "cis", "eurasia", "europe", "asia"),
    "former soviet union": ("post-soviet", "cis"),
    "central asia": ("central-asia",),
    "south caucasus": ("south-caucasus",),
    "the west": ("eu", "nato"),
    "west": ("eu", "nato"),
}


def readings(scope: str | list[str] | None) -> list[str]:
    """The readings of a scope: each name of a list, a vague name expanded, or none."""
    if scope is None:
        return []
    names = scope if isinstance(scope, list) else [scope]
    out: list[str] = []
    for name in names:
        for reading in VAGUE_SCOPES.get(name.strip().lower(), (name,)):
            if reading not in out:
                out.append(reading)
    return out


def members(name: str, on: date, kb=None) -> list[str]:
    """The states of reading ``name`` on ``on`` (organizations from the knowledge base)."""
    from allegiance.analysis.regions import region

    return region(name, on=on, kb=kb)


def states_in(listed: list[str], reading: str | None, on: date, kb=None) -> list[str]:
    """The listed states, then the members of ``reading`` on ``on`` not already listed."""
    out = list(dict.fromkeys(listed))
    if reading is not None:
        out += [s for s in members(reading, on, kb) if s not in out]
    return out
