"""``opinion``: what a survey found in a country and year ("81% of Armenians named Russia
their country's biggest friend", "most Georgians support joining NATO").

Two sources of answers: a survey question of the store's ``opinion`` table (the Caucasus
Barometer and any survey loaded the same way: one row per answer with its weighted
share) named by ``question`` with the ``answers`` that count; or the Pew Global Attitudes
favourability of a pole (``of: RUS``, ``view: favorable``) from the store's Pew table.
Shares are of all respondents asked, don't-knows and refusals included, as the surveys
publish them, unless ``exclude_dont_know`` is set.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from allegiance.claims.coverage import store_end, year_end
from allegiance.claims.kinds import series
from allegiance.claims.kinds.base import (
    Context,
    Params,
    Partner,
    Question,
    State,
    Unavailable,
    register,
)
from allegiance.claims.verdict import Check, Evidence, Verdict, from_checks, not_checkable

#: Registry keys of the surveys in the opinion table, by survey name.
SURVEY_SOURCES = {"Caucasus Barometer": "caucasus_barometer", "Pew": "pew"}


class OpinionParams(Params):
    state: State
    year: int
    question: Question | None = None
    answers: list[str | int] | None = None
    of: Partner | None = None
    view: Literal["favorable", "unfavorable"] = "favorable"
    share: float | None = None
    tolerance: float = 0.015
    above: float | None = None
    below: float | None = None
    most: bool = False
    exclude_dont_know: bool = False

    def too_loose(self):
        out = []
        if (self.question is None) == (self.of is None):
            out.append((("question",), "give a survey question (with answers) or of (the "
                        "pole whose favourability), one of them"))  # fmt: skip
        if self.question is not None and not self.answers:
            out.append((("answers",), "which answers count: give answers (labels or codes)"))
        claims = [self.share, self.above, self.below]
        if all(c is None for c in claims) and not self.most:
            out.append((("share",), "say what the claim asserts: share, above, below or most"))
        if self.most and self.question is None:
            out.append((("most",), "most compares the answers of a question"))
        return out


def _answers(p: OpinionParams, ctx: Context) -> tuple[pd.DataFrame, str]:
    rows = ctx.store.opinion(p.question)
    rows = rows[(rows["state"] == p.state) & (rows["year"].astype(int) == p.year)]
    if rows.empty:
        waves = ctx.store.opinion(p.question)
        waves = waves.groupby("state")["year"].unique()
        listed = "; ".join(f"{s}: {', '.join(map(str, sorted(y)))}" for s, y in waves.items())
        raise Unavailable(f"no answers to {p.question} in {p.state} in {p.year} (waves: {listed})")
    return rows.reset_index(drop=True), str(rows["survey"].iloc[0])


def _pew(p: OpinionParams, ctx: Context) -> pd.DataFrame:
    accessor = getattr(ctx.store, "opinion_pew", None)
    if accessor is None:
        raise Unavailable(
            "this store has no Pew Global Attitudes table (views of the USA, China, Russia "
            "and the EU by country and year); build it with the Pew data to check this"
        )
    rows = accessor(state=p.state, target=p.of, since=p.year, until=p.year)
    if rows.empty:
        raise Unavailable(f"Pew asked no one in {p.state} about {p.of} in {p.year}")
    return rows


def _cite(ev: Evidence, survey: str) -> list[dict]:
    key = SURVEY_SOURCES.get(survey, next((v for k, v in SURVEY_SOURCES.items()
                                           if k.lower() in survey.lower()), None))  # fmt: skip
    frame = pd.DataFrame()
    frame.attrs["sources"] = [key] if key else []
    return series.cite(ev, frame)


def _judge(p: OpinionParams, value: float, label: str, sources) -> list[Check]:
    checks = []
    if p.share is not None:
        ok = abs(value - p.share) <= p.tolerance
        checks.append(Check(f"{label} = {p.share:.0%} (± {p.tolerance:.1%})", ok,
                            f"{value:.1%}", sources))  # fmt: skip
    if p.above is not None:
        checks.append(Check(f"{label} above {p.above:.0%}", value > p.above, f"{value:.1%}",
                            sources))  # fmt: skip
    if p.below is not None:
        checks.append(Check(f"{label} below {p.below:.0%}", value < p.below, f"{value:.1%}",
                            sources))  # fmt: skip
    return checks


@register("opinion", OpinionParams)
def evaluate(p: OpinionParams, ctx: Context) -> Verdict:
    """What a survey found in a country and year: a share of answers, or the most common."""
    what = f"opinion in {p.state} in {p.year}"
    if ctx.store is None:
        return not_checkable(what, f"no store: {ctx.store_error}")
    ev, checks, corrections = Evidence(), [], []
    try:
        if p.of is not None:
            rows = _pew(p, ctx)
            survey = "Pew"
            ev.add_rows("survey", rows)
            value = float(rows[p.view].iloc[0])
            label = f"{p.view} view of {p.of} in {p.state}, {p.year}"
            sources = _cite(ev, survey)
            checks += _judge(p, value, label, sources)
            ev.figures[label] = round(value, 4)
            return from_checks(checks, ev, corrections)
        end = store_end(ctx, "opinion")
        if end is not None and p.year > year_end(end):
            return from_checks([end.check(what)], ev)
        rows, survey = _answers(p, ctx)
    except Unavailable as exc:
        return from_checks([Check(what, None, str(exc))], ev)
    sources = _cite(ev, survey)
    labels = rows["value_label"].astype(str).str.strip().str.casefold()
    picked = pd.Series(False, index=rows.index)
    unknown = []
    for answer in p.answers:
        hit = (
            rows["code"] == answer if isinstance(answer, int) else labels == str(answer).casefold()
        )
        if not hit.any():
            unknown.append(str(answer))
        picked |= hit
    ev.add_rows(f"{p.question} {p.state} {p.year}",
                rows[["state", "year", "variable", "variable_label", "code", "value_label",
                      "share", "n_unweighted", "n_country_total", "survey"]])  # fmt: skip
    if unknown:
        known = ", ".join(f"{c}: {v}" for c, v in zip(rows["code"], rows["value_label"],
                                                         strict=True))  # fmt: skip
        return from_checks([Check(what, None, f"no answer {', '.join(unknown)} to "
                                  f"{p.question}; answers: {known}")], ev)  # fmt: skip
    base = rows.loc[rows["code"] >= 0, "share"].sum() if p.exclude_dont_know else 1.0
    value = float(rows.loc[picked, "share"].sum() / base)
    question = str(rows["variable_label"].iloc[0])
    answers = " or ".join(map(str, p.answers))
    label = f"{answers} ({question}) in {p.state}, {p.year}"
    ev.figures[label] = round(value, 4)
    checks += _judge(p, value, label, sources)
    if p.most:
        others = rows[~picked & (rows["code"] >= 0)]
        top = others.sort_values("share").iloc[-1] if len(others) else None
        ok = top is None or value > float(top["share"]) / base
        runner = "" if top is None else f"; next: {top['value_label']} {top['share'] / base:.1%}"
        checks.append(Check(f"{answers} the most common answer", ok, f"{value:.1%}{runner}",
                            sources))  # fmt: skip
    for c in checks:
        if c.ok is False and p.share is not None and c.what.startswith(answers):
            corrections.append(f"{label}: {value:.1%}, not {p.share:.0%} ({survey})")
    return from_checks(checks, ev, corrections)
