"""The kinds of claim, each a module that registers its evaluator in :data:`KINDS`.

Adding a claim of an existing kind needs only a new entry in a claims file. Adding a kind
is one module here: a parameter model and a function decorated with
``@register("name", Params)``.
"""

from __future__ import annotations

from allegiance.claims.kinds import (  # noqa: F401 - each module registers its kind
    compare,
    event,
    membership,
    opinion,
    presence,
    share,
    trend,
    votes,
)
from allegiance.claims.kinds.base import KINDS, VAGUE_SCOPES, Context, Kind, register

__all__ = ["KINDS", "VAGUE_SCOPES", "Context", "Kind", "register"]
