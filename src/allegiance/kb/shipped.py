"""The knowledge base shipped with the package, loaded once, and the resolvers of what a
user types into an organization id or an actor code.

:func:`default` reads ``allegiance/kb/data`` through a cache in ``$ALLEGIANCE_HOME/cache``
(see :func:`allegiance.kb.load.load_kb`), so that a command starts in a fraction of a
second; the cache is keyed by the files' SHA-256, so an edit to a file is seen at the next
start.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import TYPE_CHECKING

from allegiance import paths
from allegiance.errors import UnknownOrganizationError

if TYPE_CHECKING:
    from allegiance.kb.load import KnowledgeBase

__all__ = ["UnknownOrganizationError", "default", "require_actor", "require_org"]


@lru_cache(maxsize=1)
def default() -> KnowledgeBase:
    """The knowledge base shipped with the package (``allegiance/kb/data``), loaded once.

    Loaded strictly: an empty or missing file, or a reference to an unknown organization,
    state or territory, raises :class:`allegiance.kb.load.KBError` naming file and line,
    instead of letting the records concerned drop silently out of every answer.
    """
    from allegiance.kb.load import load_kb

    return load_kb(cache=paths.home() / "cache", strict=True)


def require_org(text: str, kb: KnowledgeBase | None = None) -> str:
    """The id of the organization ``text`` names: its id in any case, or its name.

    Parameters
    ----------
    text : str
        ``"CSTO"``, ``"csto"`` or ``"Non-Aligned Movement"``.
    kb : KnowledgeBase, optional
        Default: :func:`default`.

    Raises
    ------
    UnknownOrganizationError
        With the closest ids and names as suggestions.

    Examples
    --------
    >>> require_org("non-aligned movement")  # doctest: +SKIP
    'NAM'
    """
    kb = kb if kb is not None else default()
    wanted = " ".join(str(text).split()).casefold()
    options: dict[str, str] = {}
    for org in kb.organizations:
        options.setdefault(org.id.casefold(), org.id)
        options.setdefault(org.name.casefold(), org.id)
        # "Organization of Turkic States (... until 2021)": the name before its history.
        options.setdefault(org.name.split(" (")[0].casefold(), org.id)
    if wanted in options:
        return options[wanted]
    close = difflib.get_close_matches(wanted, list(options), n=6, cutoff=0.5)
    names = {o.id: o.name.split(" (")[0] for o in kb.organizations}
    hints = list(dict.fromkeys(f"{options[m]} ({names[options[m]]})" for m in close))[:3]
    hint = f"did you mean {', '.join(hints)}? " if hints else ""
    known = ", ".join(sorted(names))
    raise UnknownOrganizationError(f"unknown organization {text!r}; {hint}known ids: {known}")


def is_org(text: str, kb: KnowledgeBase | None = None) -> bool:
    """Whether ``text`` names an organization of the knowledge base (id or name)."""
    try:
        require_org(text, kb)
    except UnknownOrganizationError:
        return False
    return True


def require_actor(text: str, on=None) -> str:
    """The code of a state (ISO3 code or name, read on ``on``; see
    ``allegiance.states.resolve_state``) or EU.

    The European Union acts in the knowledge base as a party to agreements and a member of
    other bodies, under the code ``"EU"``.

    Raises
    ------
    allegiance.errors.UnknownStateError
        With the closest codes and names as suggestions.
    """
    from allegiance.kb.check import EXTRA_ACTORS
    from allegiance.states import require_state

    code = str(text).strip()
    if code.upper() in EXTRA_ACTORS:
        return code.upper()
    return require_state(code, on=on)
