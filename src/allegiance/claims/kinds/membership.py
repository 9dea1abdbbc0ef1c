"""``membership``: a state's status in an organization on a date, or when it joined or left."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from allegiance.claims import citing
from allegiance.claims.coverage import kb_end
from allegiance.claims.kinds.base import (
    Context,
    Org,
    Params,
    Scope,
    State,
    States,
    Status,
    When,
    by_reading,
    date_check,
    fuzzy,
    one_or_many,
    register,
)
from allegiance.claims.scopes import states_in
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks
from allegiance.kb import query
from allegiance.kb.models import MEMBER_STATUSES

#: ``status: none`` in a claim: the state holds no status in the organization.
NONE = "none"
_COLUMNS = ["state", "org", "status", "start", "end", "citation", "citation_url", "file", "line"]


class MembershipParams(Params):
    state: State | None = None
    states: States | None = None
    scope: Scope | None = None
    org: Org
    status: Status | None = None
    on: When | None = None
    between: tuple[When, When] | None = None
    joined: When | None = None
    left: When | None = None

    def too_loose(self):
        out = []
        if not (self.state or self.states or self.scope):
            out.append((("state",), "whose membership: give state, states or scope"))
        if self.status is None and self.joined is None and self.left is None:
            out.append((("status",), "say what the claim asserts: status (on a date or "
                        "between dates), joined or left"))  # fmt: skip
        if self.between is not None and self.status is None:
            out.append((("between",), "between needs a status that held throughout"))
        return out


def _spell_on(spells: pd.DataFrame, day: date) -> pd.Series | None:
    """The spell in force on ``day`` (the later-starting one if two share the day)."""
    ts = pd.Timestamp(day)
    live = spells[
        (spells["first_day"] <= ts) & (spells["last_day"].isna() | (ts <= spells["last_day"]))
    ]
    return None if live.empty else live.sort_values("first_day").iloc[-1]


def _exits(spells: pd.DataFrame) -> pd.DataFrame:
    """Spells of membership that end without another membership spell following on."""
    member = spells[spells["status"].isin(MEMBER_STATUSES)].sort_values("first_day")
    ends = []
    for i, row in member.iterrows():
        if pd.isna(row["last_day"]):
            continue
        nxt = member[
            (member["first_day"] <= row["last_day"] + timedelta(days=1))
            & (member["first_day"] > row["first_day"])
        ]
        if nxt.empty:
            ends.append(i)
    return member.loc[ends]


def _backing(kb, row, day, words) -> list[dict]:
    record = citing.record_at(kb, row["file"], row["line"])
    return citing.backing(record, day, words)


def _status_check(ctx, state, org, wanted, day, spells) -> Check:
    spell = _spell_on(spells, day)
    status = NONE if spell is None else spell["status"]
    what = f"{state} is {' or '.join(wanted)} of {org} on {day}"
    if spell is None:
        # No status: backed by the spell that ended last before the day, if any.
        before = spells[spells["last_day"].notna() & (spells["last_day"] < pd.Timestamp(day))]
        sources = []
        if len(before):
            last = before.sort_values("last_day").iloc[-1]
            sources = _backing(ctx.kb, last, last["end"], citing.EXIT_WORDS)
        return Check(what, status in wanted, f"status on {day}: {NONE}", sources)
    sources = _backing(ctx.kb, spell, spell["start"], citing.STATUS_WORDS.get(status, ()))
    since = f" since {spell['start']}"
    return Check(what, status in wanted, f"status on {day}: {status}{since}", sources)


def _one_state(p, ctx, state, org, on, wanted, ev, corrections) -> list[Check]:
    spells = query.memberships(ctx.kb, state=state, org=org)
    ev.add_rows(f"{state} in {org}", spells[_COLUMNS])
    checks = []
    if wanted is not None and p.between is None:
        checks.append(_status_check(ctx, state, org, wanted, on, spells))
        ev.figures[f"{state} {org} status on {on}"] = checks[-1].detail.split(": ", 1)[-1]
    if p.between is not None:
        d0, d1 = fuzzy(p.between[0]).start, fuzzy(p.between[1]).end
        inside = spells[
            (spells["first_day"] <= pd.Timestamp(d1))
            & (spells["last_day"].isna() | (spells["last_day"] >= pd.Timestamp(d0)))
        ]
        first, last = _spell_on(spells, d0), _spell_on(spells, d1)
        covered = all(s is not None and s["status"] in wanted for s in (first, last))
        bad = inside[~inside["status"].isin(wanted)]
        sources = [c for _, r in inside.iterrows()
                   for c in _backing(ctx.kb, r, r["start"], citing.STATUS_WORDS.get(r["status"], ()))]  # fmt: skip
        checks.append(Check(
            f"{state} is {' or '.join(wanted)} of {org} from {d0} to {d1}",
            covered and bad.empty,
            ", ".join(f"{r.status} {r.start}–{r.end or ''}" for r in inside.itertuples()) or NONE,
            sources,
        ))  # fmt: skip
    for change, claimed in (("joined", p.joined), ("left", p.left)):
        if claimed is None:
            continue
        member = spells[spells["status"].isin(MEMBER_STATUSES)]
        if change == "joined":
            found = member.sort_values("first_day").head(1)
            dates, words, col = [fuzzy(s) for s in found["start"]], ("join", "member", "admit",
                                                                     "accession", "signed"), "start"  # fmt: skip
        else:
            found = _exits(spells)
            dates, words, col = [fuzzy(s) for s in found["end"]], citing.EXIT_WORDS, "end"
        what = f"{state} {change} {org} in {claimed}"
        if not dates:
            checks.append(Check(what, None if change == "joined" else False,
                                "the knowledge base records no "
                                + ("entry" if change == "joined" else "exit")))  # fmt: skip
            continue
        sources = [c for _, r in found.iterrows() for c in _backing(ctx.kb, r, r[col], words)]
        results = [date_check(fuzzy(claimed), d) for d in dates]
        ok = True if True in results else (None if None in results else False)
        right = ", ".join(str(d) for d in dates)
        checks.append(Check(what, ok, f"{change} {right}", sources))
        if ok is False:
            cite = sources[0]["text"] if sources else found["citation"].iloc[0]
            corrections.append(f"{state} {change} {org} in {right}, not {claimed} (source: {cite})")
    return checks


@register("membership", MembershipParams)
def evaluate(p: MembershipParams, ctx: Context) -> Verdict:
    """A state's status in an organization on a date, between dates, or its entry or exit."""
    orgs = one_or_many(p.org)
    on = fuzzy(p.on).start if p.on is not None else ctx.on
    wanted = None if p.status is None else one_or_many(p.status)
    end = kb_end(ctx, "memberships")
    asked = [on] if wanted is not None and p.between is None else []
    asked += [fuzzy(p.between[1]).end] if p.between else []
    asked += [fuzzy(d).start for d in (p.joined, p.left) if d is not None]
    late = [d for d in asked if d > end.last]
    listed = [s for s in [p.state, *(p.states or [])] if s]

    def one(reading):
        states = states_in(listed, reading, on, ctx.kb)
        if late:
            v = from_checks([end.check(f"membership in {', '.join(orgs)} on {max(late)}")],
                            Evidence())  # fmt: skip
            return v, states, end.reason()
        ev, checks, corrections = Evidence(), [], []
        for org in orgs:
            for state in states:
                checks += _one_state(p, ctx, state, org, on, wanted, ev, corrections)
        v = from_checks(checks, ev, corrections)
        held = sum(c.ok is True for c in checks)
        return v, states, f"{held} of {len(checks)} parts hold"

    return by_reading(p.scope, one)
