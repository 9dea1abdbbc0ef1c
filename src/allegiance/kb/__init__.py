"""The knowledge base: cited facts about organizations, forces, offices and events.

Load it with :func:`load_kb`, check it with :func:`check_kb` and ask it questions with
the functions of :mod:`allegiance.kb.query`. The schema is in ``docs/knowledge.md``.
"""

from __future__ import annotations

from allegiance.kb.check import check_kb
from allegiance.kb.load import KBError, KnowledgeBase, Problem, load_kb
from allegiance.kb.models import CitedDocument, FuzzyDate, in_force
from allegiance.kb.query import (
    agreements,
    events,
    member_spells,
    members,
    memberships,
    offices,
    org_members_on,
    presence,
    profile,
    territories,
    timeline,
)
from allegiance.kb.shipped import default, is_org, require_actor, require_org

__all__ = [
    "default",
    "is_org",
    "require_actor",
    "require_org",
    "CitedDocument",
    "FuzzyDate",
    "KBError",
    "KnowledgeBase",
    "Problem",
    "agreements",
    "check_kb",
    "events",
    "in_force",
    "load_kb",
    "member_spells",
    "members",
    "memberships",
    "offices",
    "org_members_on",
    "presence",
    "profile",
    "territories",
    "timeline",
]
