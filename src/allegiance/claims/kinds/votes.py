"""``votes``: how states voted on one or more roll calls: relative to a pole, as cast
(yes, no, abstain, absent), how many did, and the recorded tally and date."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from allegiance.claims.coverage import store_end
from allegiance.claims.kinds.base import (
    Context,
    Issue,
    Params,
    Resolutions,
    Scope,
    States,
    Voter,
    When,
    by_reading,
    date_check,
    fuzzy,
    register,
)
from allegiance.claims.refs import Ref
from allegiance.claims.scopes import states_in
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable
from allegiance.kb.models import FuzzyDate

#: What a state did on a roll call, as the store records it (``absent``: a member that
#: did not vote; a state that was not a member has no row).
Cast = Literal["yes", "no", "abstain", "absent"]
Count = Annotated[int, Field(ge=0)]


class Expect(BaseModel):
    """What the claim says about the states selected: those that sided with the pole, or
    (with ``cast``) those that cast that vote."""

    model_config = ConfigDict(extra="forbid")

    only: States | None = None
    includes: States | None = None
    excludes: States | None = None
    at_most: Count | None = None
    at_least: Count | None = None
    exactly: Count | None = None

    def empty(self) -> bool:
        return all(v is None for v in self.model_dump().values())


class VotesParams(Params):
    resolutions: Resolutions | None = None
    issue: Issue | None = None
    since: When | None = None
    until: When | None = None
    resolutions_only: bool = True
    pole: Voter = "RUS"
    side: Literal["with", "against"] = "with"
    cast: Annotated[Cast | list[Cast] | dict[str, Cast] | None, Ref("state_keys")] = None
    mode: Literal["any", "majority", "all"] = "majority"
    scope: Scope | None = None
    states: States | None = None
    expect: Expect | None = None
    tally: tuple[Count, Count, Count] | None = None
    tally_change: dict[Literal["yes", "no", "abstain"], int | Literal["up", "down"]] | None = None
    date: When | None = None

    def too_loose(self):
        out = []
        if not self.resolutions and self.issue is None and self.since is None:
            out.append((("resolutions",), "name the resolutions, or select roll calls with "
                        "issue and since/until"))  # fmt: skip
        asserted = (self.expect, self.tally, self.tally_change, self.cast, self.date)
        if all(a is None for a in asserted):
            out.append((("expect",), "say what the claim expects: expect, cast, tally, "
                        "tally_change or date"))  # fmt: skip
        if self.tally_change is not None and len(self.resolutions or []) != 2:
            out.append((("tally_change",), "a tally_change compares two resolutions: name "
                        "exactly two in resolutions, the earlier first"))  # fmt: skip
        if self.expect is not None and self.expect.empty():
            out.append((("expect",), "expect is empty: give only, includes, excludes, "
                        "at_most, at_least or exactly"))  # fmt: skip
        for name in ("tally", "date"):
            if getattr(self, name) is not None and len(self.resolutions or []) != 1:
                out.append(((name,), f"a {name} belongs to one resolution: name exactly one "
                            "in resolutions"))  # fmt: skip
        whose = self.states or self.scope
        if (self.expect is not None or isinstance(self.cast, (str, list))) and not whose:
            out.append((("states",), "whose votes: give states or scope"))
        return out


def _roll_calls(p: VotesParams, ctx: Context) -> pd.DataFrame:
    store = ctx.store
    if p.resolutions:
        rows = [store.roll_call(s) for s in p.resolutions]
        return pd.DataFrame(rows).reset_index(drop=True)
    return store.roll_calls(
        issue=p.issue,
        since=p.since,
        until=p.until or ctx.on,
        kind="resolution" if p.resolutions_only else None,
    )


def _casts(p: VotesParams) -> set[str] | None:
    if p.cast is None or isinstance(p.cast, dict):
        return None
    return {p.cast} if isinstance(p.cast, str) else set(p.cast)


def _by_mode(mode: str, k: int, n: int) -> bool:
    return {"any": k > 0, "all": n > 0 and k == n, "majority": n > 0 and k > n / 2}[mode]


def _sided(p: VotesParams, table: pd.DataFrame, pole: pd.Series) -> pd.DataFrame:
    """Per state (rows of ``table``): roll calls where it and the pole cast a vote, how
    many it sided with (or against) the pole on, and whether that meets ``mode``."""
    cast = {"yes", "no", "abstain"}
    rows = []
    for state, own in table.iterrows():
        both = own.isin(cast) & pole.reindex(own.index).isin(cast)
        if p.side == "with":
            sided = both & (own == pole.reindex(own.index))
        else:
            yes_no = own.isin({"yes", "no"}) & pole.reindex(own.index).isin({"yes", "no"})
            sided = both & yes_no & (own != pole.reindex(own.index))
        n, k = int(both.sum()), int(sided.sum())
        rows.append({"state": state, "n": n, "k": k, "selected": _by_mode(p.mode, k, n)})
    return pd.DataFrame(rows, columns=["state", "n", "k", "selected"])


def _cast_counts(p: VotesParams, table: pd.DataFrame, casts: set[str]) -> pd.DataFrame:
    """Per state: roll calls it was a member for, how many it cast one of ``casts`` on."""
    rows = []
    for state, own in table.iterrows():
        n = int(own.notna().sum())
        k = int(own.isin(casts).sum())
        rows.append({"state": state, "n": n, "k": k, "selected": _by_mode(p.mode, k, n)})
    return pd.DataFrame(rows, columns=["state", "n", "k", "selected"])


def _votes_of(table: pd.DataFrame, state: str) -> str:
    """A state's votes in words: ``abstain`` or ``yes on 2, abstain on 1``."""
    if state not in table.index:
        return "not a member"
    counts = table.loc[state].dropna().value_counts()
    if counts.empty:
        return "not a member"
    if len(counts) == 1 and len(table.columns) == 1:
        return str(counts.index[0])
    return ", ".join(f"{v} on {n}" for v, n in counts.items())


def _listing(states: list[str], most: int = 15) -> str:
    """States for a summary line: all of them, or how many and the first few (the evidence
    rows list every one)."""
    if not states:
        return "none"
    if len(states) <= most:
        return ", ".join(states)
    return f"{len(states)} states ({', '.join(states[:10])}, …)"


def _verb(p: VotesParams, casts: set[str] | None) -> str:
    if casts is not None:
        return "cast " + " or ".join(sorted(casts))
    return f"voted {p.side} {p.pole}"


def _expect_checks(p, e: Expect, selected: list[str], table, verb: str, sources) -> list[Check]:
    pole = ""
    if _casts(p) is None and p.pole in table.index:
        pole = f" ({p.pole}: {_votes_of(table, p.pole)})"

    def actual(states):
        return "; ".join(f"{s}: {_votes_of(table, s)}" for s in states) + pole

    chosen = _listing(selected)
    checks = []
    if e.only is not None:
        checks.append(Check(f"only {', '.join(e.only) or 'none'} {verb}", sorted(selected) ==
                            sorted(e.only), f"{verb}: {chosen}", sources))  # fmt: skip
    if e.includes:
        missing = [s for s in e.includes if s not in selected]
        detail = actual(e.includes)
        checks.append(Check(f"{', '.join(e.includes)} {verb}", not missing, detail, sources))
    if e.excludes:
        hit = sorted(set(e.excludes) & set(selected))
        checks.append(Check(f"none of {', '.join(e.excludes)} {verb}", not hit,
                            actual(e.excludes), sources))  # fmt: skip
    n = len(selected)
    for name, test in (("at_most", n.__le__), ("at_least", n.__ge__), ("exactly", n.__eq__)):
        bound = getattr(e, name)
        if bound is not None:
            words = name.replace("_", " ")
            checks.append(Check(f"{words} {bound} {verb}", test(bound), f"{n}: {chosen}", sources))
    return checks


def _citations(ctx: Context, rc: pd.DataFrame) -> list[dict]:
    from allegiance.store.store import UN_ATTRIBUTION

    known = ctx.store.citations().set_index("source")["citation"]
    out = []
    for symbol, source in zip(rc["symbol"], rc["source"], strict=True):
        out.append({"text": f"{symbol}: {known.get(source, source)}", "url": None, "quote": None})
    out.append({"text": UN_ATTRIBUTION, "url": None, "quote": None})
    return out


def _tally(p: VotesParams, rc: pd.Series, table: pd.DataFrame, sources) -> tuple[Check, list]:
    claimed = "–".join(map(str, p.tally))
    recorded = "–".join(str(int(rc[k])) for k in ("yes", "no", "abstain"))
    counted = table.iloc[:, 0].value_counts()
    detail = f"recorded {recorded}; counted votes: " + ", ".join(
        f"{int(counted.get(v, 0))} {v}" for v in ("yes", "no", "abstain", "absent")
    )
    ok = claimed == recorded
    fix = [] if ok else [f"{rc['symbol']}: the vote was {recorded}, not {claimed} "
                         f"(source: {sources[0]['text']})"]  # fmt: skip
    return Check(f"{rc['symbol']} tally {claimed} (yes–no–abstain)", ok, detail, sources), fix


def _tally_change(p: VotesParams, rc: pd.DataFrame, sources) -> tuple[list[Check], list]:
    """The change of each count of the recorded tally from the first resolution to the
    second: a number claimed exactly, or a direction (``up``, ``down``)."""
    first, second = rc.iloc[0], rc.iloc[1]
    checks, fixes = [], []
    for count, claimed in p.tally_change.items():
        a, b = int(first[count]), int(second[count])
        change = b - a
        if isinstance(claimed, str):
            ok = change > 0 if claimed == "up" else change < 0
            label = f"{count} votes {claimed}"
        else:
            ok = change == claimed
            label = f"{count} votes {claimed:+d}"
        detail = f"{count}: {a} on {first['symbol']} → {b} on {second['symbol']} ({change:+d})"
        checks.append(Check(f"{label} from {first['symbol']} to {second['symbol']}", ok, detail,
                            sources))  # fmt: skip
        if not ok and not isinstance(claimed, str):
            fixes.append(f"{count} votes changed by {change:+d} ({a} → {b}), not {claimed:+d}")
    return checks, fixes


def _date(p: VotesParams, rc: pd.Series, sources) -> tuple[Check, list]:
    actual = pd.Timestamp(rc["date"]).date()
    ok = date_check(fuzzy(p.date), FuzzyDate.parse(actual))
    fix = [] if ok is not False else [f"{rc['symbol']} was voted on {actual}, not {p.date}"]
    return Check(f"{rc['symbol']} voted on {p.date}", ok, f"voted {actual}", sources), fix


@register("votes", VotesParams)
def evaluate(p: VotesParams, ctx: Context) -> Verdict:
    """How states voted on roll calls, under each reading of the scope; tallies and dates."""
    what = "votes" + (f" relative to {p.pole}" if p.expect and p.cast is None else "")
    if ctx.store is None:
        return not_checkable(what, f"no vote store: {ctx.store_error}")
    from allegiance.errors import UnknownRollCallError

    end = store_end(ctx, "roll_calls")
    for name in ("since", "until"):
        value = getattr(p, name)
        if value is not None and end is not None and fuzzy(value).start > end.last:
            return from_checks([end.check(f"votes {name} {value}")], Evidence())
    try:
        rc = _roll_calls(p, ctx)
    except UnknownRollCallError as exc:
        return not_checkable(what, f"{exc} (a resolution adopted without a vote has none)")
    if rc.empty:
        return not_checkable(what, "no roll call in the store matches the selection")
    labels = [str(s or i) for s, i in zip(rc["symbol"], rc["id"], strict=True)]
    columns = {
        label: ctx.store.votes(int(i)).set_index("state")["vote"]
        for label, i in zip(labels, rc["id"], strict=True)
    }
    table = pd.DataFrame(columns)  # states x roll calls; NaN: not a member then
    sources = _citations(ctx, rc)
    common, fixes = [], []
    if p.tally is not None:
        check, fix = _tally(p, rc.iloc[0], table, sources[:1])
        common.append(check)
        fixes += fix
    if p.tally_change is not None:
        found, fix = _tally_change(p, rc, sources[:2])
        common += found
        fixes += fix
    if p.date is not None:
        check, fix = _date(p, rc.iloc[0], sources[:1])
        common.append(check)
        fixes += fix
    day = pd.Timestamp(rc["date"].max()).date()
    casts = _casts(p)
    side_based = p.expect is not None and casts is None
    if side_based:
        table = _seat_votes(p, table, rc, labels)
    if side_based and (p.pole not in table.index or table.loc[p.pole].isna().all()):
        return not_checkable(what, f"{p.pole} has no recorded vote on these roll calls")
    names = ctx.store.state_names()

    def one(reading):
        listed = list(p.states or [])
        if isinstance(p.cast, dict):
            listed += [s for s in p.cast if s not in listed]
        members = states_in(listed, reading, day, ctx.kb) if (listed or reading) else []
        if side_based:
            members = [m for m in members if m != p.pole]
        checks, corrections = list(common), list(fixes)
        selected: list[str] = []
        verb = _verb(p, casts)
        if casts is not None or side_based:
            inside = table.reindex(members)
            if casts:
                counts = _cast_counts(p, inside, casts)
            else:
                counts = _sided(p, inside, table.loc[p.pole])
            selected = sorted(counts.loc[counts["selected"], "state"])
            if p.expect is not None:
                checks += _expect_checks(p, p.expect, selected, table, verb, sources)
            else:  # ``cast`` alone: every state in scope cast it
                others = [m for m in members if m not in selected]
                detail = "; ".join(f"{s}: {_votes_of(table, s)}" for s in others[:15])
                detail += f"; and {len(others) - 15} more" if len(others) > 15 else ""
                checks.append(Check(f"all {len(members)} states {verb}", not others,
                                    detail or f"all {len(members)} did", sources))  # fmt: skip
        if isinstance(p.cast, dict):
            for state, vote in p.cast.items():
                own = table.loc[state].dropna() if state in table.index else pd.Series()
                if own.empty:
                    checks.append(Check(f"{state} cast {vote}", None,
                                        f"{state} was not a UN member then", sources))  # fmt: skip
                    continue
                ok = _by_mode(p.mode, int((own == vote).sum()), len(own))
                actual = _votes_of(table, state)
                checks.append(Check(f"{state} cast {vote}", ok, f"voted {actual}", sources))
                if not ok:
                    corrections.append(f"{state} voted {actual}, not {vote} ({', '.join(labels)})")
        ev = _evidence(p, table, members, selected, casts, side_based, names)
        ev.figures.update(roll_calls=len(rc), states_in_scope=len(members), mode=p.mode,
                          selected=selected)  # fmt: skip
        v = from_checks(checks, ev, corrections)
        detail = f"{verb}: {_listing(selected)} (of {len(members)} states)"
        if members and (casts is not None or side_based):
            v.summary = f"{detail} — {v.summary}"
        return v, members, detail

    return by_reading(p.scope, one, label="listed states" if p.states else "")


def _seat_votes(p: VotesParams, table: pd.DataFrame, rc: pd.DataFrame, labels) -> pd.DataFrame:
    """The pole's row as the votes of whoever held its seat on each roll call's date (the
    USSR's seat before Russia's, ``allegiance.poles``)."""
    from allegiance.poles import is_pole, pole

    if not is_pole(p.pole) or not pole(p.pole).seats:
        return table
    seat = pole(p.pole)
    row = {}
    for label, day in zip(labels, rc["date"], strict=True):
        holder = seat.seat_on(pd.Timestamp(day).date()) or p.pole
        row[label] = table.at[holder, label] if holder in table.index else None
    seat_row = pd.DataFrame([row], index=[p.pole], columns=table.columns)
    return pd.concat([table.drop(index=p.pole, errors="ignore"), seat_row])


def _evidence(p, table, members, selected, casts, side_based, names) -> Evidence:
    """Each state's actual votes next to what the claim says it did."""
    ev = Evidence()
    shown = [*members]
    if side_based and p.pole not in shown:
        shown.append(p.pole)
    frame = table.reindex(shown).reset_index(names="state")
    frame.insert(1, "name", frame["state"].map(lambda s: names.get(s, s)))
    says = []
    for state in frame["state"]:
        if isinstance(p.cast, dict) and state in p.cast:
            says.append(p.cast[state])
        elif side_based and state == p.pole:
            says.append("(the pole)")
        elif p.expect is not None and p.expect.only is not None:
            says.append(_verb(p, casts) if state in p.expect.only else "not: " + _verb(p, casts))
        elif p.expect is not None and state in (p.expect.includes or []):
            says.append(_verb(p, casts))
        elif p.expect is not None and state in (p.expect.excludes or []):
            says.append("not: " + _verb(p, casts))
        elif casts is not None and p.expect is None:
            says.append(_verb(p, casts))
        else:
            says.append("")
    frame["the claim says"] = says
    frame["selected"] = frame["state"].isin(selected)
    # The states the claim names or that were selected first: they decide the verdict.
    named = set(p.cast) if isinstance(p.cast, dict) else set()
    if p.expect is not None:
        named |= set(p.expect.only or []) | set(p.expect.includes or [])
        named |= set(p.expect.excludes or [])
    rest = ~(frame["selected"] | frame["state"].isin(named | {p.pole}))
    frame = frame.assign(_rest=rest).sort_values(["_rest", "state"]).drop(columns="_rest")
    ev.add_rows("votes", frame)
    return ev
