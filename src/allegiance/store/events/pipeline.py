"""The event pipeline as Ibis expressions: written once, run by DuckDB or by Spark.

Nothing here touches an engine: every function takes Ibis tables and returns an Ibis
expression, so the same code compiles to DuckDB SQL or to Spark SQL (docs/events.md).

1. :func:`canonical` resolves actor countries to states on the event date, checks the
   event code (CAMEO or PLOVER) and derives root code, quad class, PLOVER type and
   Goldstein score; rows whose code is unknown go to :func:`rejected` instead.
2. Duplicates are flagged, not dropped: events of one dataset with the same date, source
   state, target state, event code and source document (GDELT's URL, ICEWS's and POLECAT's
   story id) are one event reported several times, and all but one are marked
   ``duplicate``. Rows without a document are never duplicates.
3. :func:`dyad_month` counts the non-duplicate state-to-state events per directed dyad and
   month by quad class, with Goldstein sums and means, unweighted and weighted by mentions,
   and the mean tone; :func:`dyad_year` rolls the months up; :func:`pole_shares` gives each
   pole's share of a state's cooperative and of its conflictual interactions.
"""

from __future__ import annotations

import ibis
from ibis import _

#: Event keys of the aggregates: a directed dyad ``state`` (source) -> ``partner`` (target).
DYAD_KEYS = ["dataset", "state", "partner", "year"]
#: Counts that add up across months (and the sums behind the means).
ADDITIVE = [
    "events", "verbal_cooperation", "material_cooperation", "verbal_conflict",
    "material_conflict", "cooperation", "conflict", "mentions", "cooperation_mentions",
    "conflict_mentions", "goldstein_n", "goldstein_sum", "goldstein_weight",
    "goldstein_weighted_sum", "tone_n", "tone_sum",
]  # fmt: skip

_STAGED = [
    "event_id", "date", "source_country", "target_country", "source_actor_type",
    "target_actor_type", "cameo_code", "plover_type", "goldstein", "num_mentions",
    "num_sources", "num_articles", "tone", "action_state", "source_url", "document",
    "is_root_event", "dataset", "file", "line",
]  # fmt: skip


def _day_key(date):
    """A date as the integer YYYYMMDD (compared with the spells' integer bounds)."""
    return date.year() * 10000 + date.month() * 100 + date.day()


def _resolved(staged, codes, countries, plover):
    """Staged rows with states, code attributes and a validity flag (before dedup)."""
    s = staged.select(*_STAGED).mutate(day_key=_day_key(_.date))
    src = countries.select(
        s_code=countries.code, s_from=countries.first_key, s_to=countries.last_key,
        source_actor_state=countries.state,
    )  # fmt: skip
    tgt = countries.select(
        t_code=countries.code, t_from=countries.first_key, t_to=countries.last_key,
        target_actor_state=countries.state,
    )  # fmt: skip
    e = s.left_join(
        src, [s.source_country == src.s_code, s.day_key >= src.s_from, s.day_key < src.s_to]
    ).select(s, src.source_actor_state)
    e = e.left_join(
        tgt, [e.target_country == tgt.t_code, e.day_key >= tgt.t_from, e.day_key < tgt.t_to]
    ).select(e, tgt.target_actor_state)
    c = codes.select(
        c_code=codes.cameo_code,
        root_code=codes.root_code,
        c_quad=codes.quad_class,
        c_goldstein=codes.goldstein,
        c_plover=codes.plover_type,
    )
    e = e.left_join(c, e.cameo_code == c.c_code).select(
        e, c.c_code, c.root_code, c.c_quad, c.c_goldstein, c.c_plover
    )
    p = plover.select(p_type=plover.plover_type, p_quad=plover.quad_class)
    e = e.left_join(p, e.plover_type == p.p_type).select(e, p.p_type, p.p_quad)
    known = ibis.cases(
        (e.cameo_code.notnull(), e.c_code.notnull()),
        (e.plover_type.notnull(), e.p_type.notnull()),
        else_=False,
    )
    return e.mutate(known=known)


def canonical(staged, codes, countries, plover):
    """The canonical event table, duplicates flagged.

    Parameters
    ----------
    staged : ibis.Table
        Rows of :data:`allegiance.sources.event_table.STAGED_SCHEMA`.
    codes : ibis.Table
        ``cameo_code, root_code, quad_class, goldstein, plover_type`` (CAMEO lookup).
    countries : ibis.Table
        ``code, first_key, last_key, state``: spells of country codes, bounds as YYYYMMDD
        integers, ``last_key`` exclusive.
    plover : ibis.Table
        ``plover_type, quad_class``.

    Returns
    -------
    ibis.Table
        ``event_id, date, year, month, year_month, source_actor_state, target_actor_state,
        source_actor_country, target_actor_country, source_actor_type, target_actor_type,
        cameo_code, root_code, plover_type, quad_class, goldstein, num_mentions,
        num_sources, num_articles, tone, action_state, source_url, document, is_root_event,
        duplicate, dataset, file, line``.
    """
    e = _resolved(staged, codes, countries, plover).filter(_.known)
    code = ibis.coalesce(e.cameo_code, e.plover_type)
    rank = ibis.row_number().over(
        group_by=[e.dataset, e.date, e.source_actor_state, e.target_actor_state, code,
                  e.document],
        order_by=[e.event_id, e.file, e.line],
    )  # fmt: skip
    # Only rows with a document can be duplicates; ranking just those spares the engine a
    # sort of every row (GDELT 1.0 files before April 2013 have no URL).
    e = (
        e.filter(e.document.notnull())
        .mutate(duplicate=rank > 0)
        .union(e.filter(e.document.isnull()).mutate(duplicate=ibis.literal(False)))
    )
    e = e.mutate(
        quad_class=ibis.coalesce(e.c_quad, e.p_quad).cast("int8"),
        plover_type=ibis.coalesce(e.plover_type, e.c_plover),
        goldstein=ibis.coalesce(e.goldstein, e.c_goldstein),
        year=e.date.year().cast("int32"),
        month=e.date.month().cast("int32"),
    )
    return e.select(
        "event_id", "date", "year", "month",
        year_month=e.date.strftime("%Y-%m"),
        source_actor_state=e.source_actor_state, target_actor_state=e.target_actor_state,
        source_actor_country=e.source_country, target_actor_country=e.target_country,
        source_actor_type=e.source_actor_type, target_actor_type=e.target_actor_type,
        cameo_code=e.cameo_code, root_code=e.root_code, plover_type=e.plover_type,
        quad_class=e.quad_class, goldstein=e.goldstein, num_mentions=e.num_mentions,
        num_sources=e.num_sources, num_articles=e.num_articles, tone=e.tone,
        action_state=e.action_state, source_url=e.source_url, document=e.document, is_root_event=e.is_root_event,
        duplicate=e.duplicate, dataset=e.dataset, file=e.file, line=e.line,
    )  # fmt: skip


def rejected(staged, codes, countries, plover):
    """Rows whose event code is missing or not in the CAMEO or PLOVER tables.

    Returns ``dataset, file, line, field, reason``.
    """
    e = _resolved(staged, codes, countries, plover).filter(~_.known)
    field = ibis.cases(
        (e.dataset == "icews", "CAMEO Code"),
        (e.dataset == "polecat", "Event Type"),
        else_="EventCode",
    )
    reason = ibis.cases(
        (e.cameo_code.notnull(), "unknown CAMEO event code '" + e.cameo_code + "'"),
        (e.plover_type.notnull(), "unknown PLOVER event type '" + e.plover_type + "'"),
        else_="missing event code",
    )
    return e.select("dataset", "file", "line", field=field, reason=reason)


def _summarize(events, keys):
    w = ibis.coalesce(events.num_mentions, 1).cast("int64")
    q = events.quad_class
    coop = (q <= 2).cast("int64")
    conf = (q >= 3).cast("int64")
    g = events.goldstein
    return events.group_by(keys).aggregate(
        events=events.count().cast("int64"),
        verbal_cooperation=events.count(where=q == 1).cast("int64"),
        material_cooperation=events.count(where=q == 2).cast("int64"),
        verbal_conflict=events.count(where=q == 3).cast("int64"),
        material_conflict=events.count(where=q == 4).cast("int64"),
        cooperation=events.count(where=q <= 2).cast("int64"),
        conflict=events.count(where=q >= 3).cast("int64"),
        mentions=_total(w),
        cooperation_mentions=_total(w * coop),
        conflict_mentions=_total(w * conf),
        goldstein_n=g.count().cast("int64"),
        goldstein_sum=g.sum(),
        goldstein_weight=_total(ibis.cases((g.notnull(), w), else_=0)),
        goldstein_weighted_sum=(g * w).sum(),
        tone_n=events.tone.count().cast("int64"),
        tone_sum=events.tone.sum(),
    )


def _total(values):
    """An integer sum as int64. DuckDB sums integers into 128 bits, which Parquet stores as
    doubles; a sum of doubles is exact for integers below 2**53."""
    return values.cast("float64").sum().cast("int64")


def _means(t):
    return t.mutate(
        goldstein_mean=t.goldstein_sum / t.goldstein_n.nullif(0),
        goldstein_weighted_mean=t.goldstein_weighted_sum / t.goldstein_weight.nullif(0),
        tone_mean=t.tone_sum / t.tone_n.nullif(0),
    )


def dyadic(events, root_only: bool = False):
    """Non-duplicate events between two different states (GDELT root events only if asked)."""
    keep = (
        ~events.duplicate
        & events.source_actor_state.notnull()
        & events.target_actor_state.notnull()
        & (events.source_actor_state != events.target_actor_state)
    )
    if root_only:
        keep = keep & events.is_root_event.fill_null(True)
    return events.filter(keep)


def dyad_month(events, root_only: bool = False):
    """Counts per directed dyad and month.

    Returns ``dataset, state, partner, year, month`` (``state`` is the source actor's
    state, ``partner`` the target's), the quad-class counts, ``cooperation`` and
    ``conflict``, ``mentions`` and the mention-weighted counts (rows without mention counts
    weigh 1), Goldstein ``*_n``/``*_sum``/``*_weight``/``*_weighted_sum`` and the means
    ``goldstein_mean``, ``goldstein_weighted_mean``, ``tone_mean``.
    """
    e = dyadic(events, root_only).select(
        "dataset", "year", "month", "quad_class", "goldstein", "num_mentions", "tone",
        state=_.source_actor_state, partner=_.target_actor_state,
    )  # fmt: skip
    return _means(_summarize(e, [*DYAD_KEYS, "month"]))


def dyad_year(months):
    """:func:`dyad_month` rolled up to years (sums of the sums; means recomputed)."""
    sums = {
        c: months[c].sum()
        if c in ("goldstein_sum", "goldstein_weighted_sum", "tone_sum")
        else _total(months[c])
        for c in ADDITIVE
    }
    return _means(months.group_by(DYAD_KEYS).aggregate(**sums))


def located(staged, codes, countries, plover):
    """Rows with a known event code, states resolved, before deduplication: what
    :func:`coverage` counts (it needs no ranking of duplicates, the costly step)."""
    e = _resolved(staged, codes, countries, plover).filter(_.known)
    return e.mutate(year=e.date.year().cast("int32"), month=e.date.month().cast("int32"))


def coverage(rows):
    """Per dataset, month and place (``action_state``, the state where events took place):
    events, days with events and events between two different states, counted before
    deduplication (rows of :func:`located`). A dataset whose events all took place in one
    state is an extract about that state (docs/events.md)."""
    dyadic = (
        rows.source_actor_state.notnull()
        & rows.target_actor_state.notnull()
        & (rows.source_actor_state != rows.target_actor_state)
    )
    # Per day first, then per month: a count of days is cheaper than a distinct count.
    daily = rows.group_by(["dataset", "year", "month", "date", "action_state"]).aggregate(
        events=rows.count().cast("int64"),
        state_events=rows.count(where=dyadic).cast("int64"),
    )
    return daily.group_by(["dataset", "year", "month", "action_state"]).aggregate(
        events=_total(daily.events),
        days=daily.count().cast("int64"),
        state_events=_total(daily.state_events),
    )


def pole_shares(years, poles):
    """Each pole's share of a state's cooperative and conflictual interactions per year.

    Interactions count both directions (the state as source or as target) with any other
    state. A state is not scored against a pole it belongs to.

    Parameters
    ----------
    years : ibis.Table
        :func:`dyad_year`.
    poles : ibis.Table
        ``pole, member``: the states that make up each pole (``RUS``: ``RUS`` and ``SUN``).

    Returns
    -------
    ibis.Table
        ``dataset, state, year, pole, cooperation, conflict, events, cooperation_total,
        conflict_total, events_total, cooperation_share, conflict_share``.
    """
    cols = ["cooperation", "conflict", "events"]
    out_ = years.select("dataset", "year", *cols, state=years.state, other=years.partner)
    in_ = years.select("dataset", "year", *cols, state=years.partner, other=years.state)
    both = out_.union(in_, distinct=False)
    totals = both.group_by(["dataset", "state", "year"]).aggregate(
        cooperation_total=_total(both.cooperation),
        conflict_total=_total(both.conflict),
        events_total=_total(both.events),
    )
    p = poles.select(pole=poles.pole, member=poles.member)
    with_pole = (
        both.join(p, both.other == p.member)
        .group_by(["dataset", "state", "year", "pole"])
        .aggregate(
            p_cooperation=_total(_.cooperation),
            p_conflict=_total(_.conflict),
            p_events=_total(_.events),
        )
    )
    pole_names = p.select("pole").distinct()
    grid = totals.cross_join(pole_names)
    own = p.select(o_pole=p.pole, o_member=p.member)
    grid = grid.left_join(own, [grid.pole == own.o_pole, grid.state == own.o_member]).filter(
        _.o_pole.isnull()
    )
    grid = grid.select(*totals.columns, "pole")
    g = grid.left_join(
        with_pole,
        [grid.dataset == with_pole.dataset, grid.state == with_pole.state,
         grid.year == with_pole.year, grid.pole == with_pole.pole],
    ).select(grid, with_pole.p_cooperation, with_pole.p_conflict, with_pole.p_events)  # fmt: skip
    cooperation = g.p_cooperation.fill_null(0)
    conflict = g.p_conflict.fill_null(0)
    return g.select(
        "dataset", "state", "year", "pole",
        cooperation=cooperation, conflict=conflict, events=g.p_events.fill_null(0),
        cooperation_total=g.cooperation_total, conflict_total=g.conflict_total,
        events_total=g.events_total,
        cooperation_share=cooperation / g.cooperation_total.nullif(0),
        conflict_share=conflict / g.conflict_total.nullif(0),
    )  # fmt: skip
