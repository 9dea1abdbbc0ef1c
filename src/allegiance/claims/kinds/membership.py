"""``membership``: a state's status in an organization on a date, or when it joined or left."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from allegiance.claims.kinds.base import (
    Context,
    Params,
    When,
    date_check,
    fuzzy,
    register,
    states_of,
)
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable
from allegiance.kb import query
from allegiance.kb.models import MEMBER_STATUSES

#: ``status: none`` in a claim: the state holds no status in the organization.
NONE = "none"


class MembershipParams(Params):
    state: str | None = None
    states: list[str] | None = None
    scope: str | list[str] | None = None
    org: str | list[str]
    status: str | list[str] | None = None
    on: date | None = None
    between: tuple[date, date] | None = None
    joined: When | None = None
    left: When | None = None


def _status_on(kb, state: str, org: str, on: date) -> tuple[str, pd.DataFrame]:
    rows = query.memberships(kb, state=state, org=org, on=on)
    return (rows["status"].iloc[0] if len(rows) else NONE), rows


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


@register("membership", MembershipParams)
def evaluate(p: MembershipParams, ctx: Context) -> Verdict:
    """A state's status in an organization on a date, between dates, or its entry or exit."""
    orgs = [p.org] if isinstance(p.org, str) else p.org
    on = p.on or ctx.on
    states = states_of(p.state, p.states, p.scope, on)
    wanted = None if p.status is None else ([p.status] if isinstance(p.status, str) else p.status)
    ev, checks, corrections = Evidence(), [], []
    for org in orgs:
        if ctx.kb.organization(org) is None:
            checks.append(
                Check(
                    f"membership of {org}",
                    None,
                    f"{org} is not an organization of the knowledge base",
                )
            )
            continue
        for state in states:
            spells = query.memberships(ctx.kb, state=state, org=org)
            ev.add_rows(
                f"{state} in {org}",
                spells[
                    [
                        "state",
                        "org",
                        "status",
                        "start",
                        "end",
                        "citation",
                        "citation_url",
                        "file",
                        "line",
                    ]
                ],
            )
            if wanted is not None and p.between is None:
                status, _ = _status_on(ctx.kb, state, org, on)
                ev.figures[f"{state} {org} status on {on}"] = status
                checks.append(
                    Check(
                        f"{state} is {' or '.join(wanted)} of {org} on {on}",
                        status in wanted,
                        f"status on {on}: {status}",
                    )
                )
            if p.between is not None and wanted is not None:
                d0, d1 = p.between
                inside = spells[
                    (spells["first_day"] <= pd.Timestamp(d1))
                    & (spells["last_day"].isna() | (spells["last_day"] >= pd.Timestamp(d0)))
                ]
                bad = inside[~inside["status"].isin(wanted)]
                covered = (
                    _status_on(ctx.kb, state, org, d0)[0] in wanted
                    and _status_on(ctx.kb, state, org, d1)[0] in wanted
                )
                checks.append(
                    Check(
                        f"{state} is {' or '.join(wanted)} of {org} from {d0} to {d1}",
                        covered and bad.empty,
                        ", ".join(
                            f"{r.status} {r.start}–{r.end or ''}" for r in inside.itertuples()
                        ),
                    )
                )
            for change, claimed in (("joined", p.joined), ("left", p.left)):
                if claimed is None:
                    continue
                claimed_date = fuzzy(claimed)
                member = spells[spells["status"].isin(MEMBER_STATUSES)]
                if change == "joined":
                    found = member.sort_values("first_day").head(1)
                    dates = [fuzzy(s) for s in found["start"]]
                else:
                    found = _exits(spells)
                    dates = [fuzzy(s) for s in found["end"]]
                what = f"{state} {change} {org} in {claimed}"
                if not dates:
                    checks.append(
                        Check(
                            what,
                            None if change == "joined" else False,
                            "the knowledge base records no "
                            + ("entry" if change == "joined" else "exit"),
                        )
                    )
                    continue
                results = [date_check(claimed_date, d) for d in dates]
                ok = True if True in results else (None if None in results else False)
                right = ", ".join(str(d) for d in dates)
                checks.append(Check(what, ok, f"{change} {right}"))
                if ok is False:
                    cite = found["citation"].iloc[0]
                    corrections.append(
                        f"{state} {change} {org} in {right}, not {claimed} (source: {cite})"
                    )
    if not checks:
        return not_checkable(
            f"membership in {', '.join(orgs)}", "the claim asks nothing the schema can test"
        )
    return from_checks(checks, ev, corrections)
