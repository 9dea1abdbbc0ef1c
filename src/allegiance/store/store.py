"""The store: one DuckDB file, opened read-only, answering in pandas DataFrames."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb

from allegiance import paths
from allegiance._lazy import lazy
from allegiance.sources.symbols import normalise
from allegiance.vote import Vote

np = lazy("numpy")
pd = lazy("pandas")

#: Attribution required by the UN's terms for outputs drawn from its voting records.
UN_ATTRIBUTION = (
    "Vote data: United Nations (UN Digital Library voting records; UN DGACM resolution "
    "extracts), non-commercial use with attribution; Voeten, Harvard Dataverse "
    "hdl:1902.1/12379."
)


class StoreMissingError(FileNotFoundError):
    """No store has been built yet at the given path."""


class UnknownRollCallError(KeyError):
    """No roll call has the given symbol or id."""

    def __str__(self) -> str:
        return str(self.args[0])


class Store:
    """A built allegiance store.

    Parameters
    ----------
    path : Path, optional
        The DuckDB file; defaults to ``$ALLEGIANCE_HOME/allegiance.duckdb``.

    Examples
    --------
    >>> import allegiance as al                                  # doctest: +SKIP
    >>> store = al.open()                                        # doctest: +SKIP
    >>> store.votes("A/RES/ES-11/1", region="south-caucasus")    # doctest: +SKIP
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else paths.default_db()
        if not self.path.exists():
            raise StoreMissingError(
                f"no store at {self.path}; build one with `allegiance build --from DIR` "
                "(or `allegiance fetch` then `allegiance build`)"
            )
        self._con = duckdb.connect(str(self.path), read_only=True)
        self._cache: dict = {}

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def writable(self):
        """A short read-write connection to the store file, for caching derived results.

        The read-only connection is closed meanwhile and reopened after.
        """
        self._con.close()
        try:
            con = duckdb.connect(str(self.path))
            try:
                yield con
            finally:
                con.close()
        finally:
            self._con = duckdb.connect(str(self.path), read_only=True)

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only SQL query on the store."""
        return self._con.execute(query, params or []).df()

    # -- roll calls and votes -------------------------------------------------------
    def roll_calls(
        self,
        symbol: str | None = None,
        session: int | None = None,
        since: int | str | date | None = None,
        until: int | str | date | None = None,
        issue: str | None = None,
        kind: str | Iterable[str] | None = None,
        important: bool | None = None,
    ) -> pd.DataFrame:
        """Roll calls, one row each, filtered by any of the arguments.

        ``since``/``until`` take a year (inclusive) or a date. ``issue`` is a dataverse
        issue code (me, nu, di, hr, co, ec) or ``ukraine``.
        """
        where, params = self._roll_call_filter(
            symbol, session, since, until, issue, kind, important
        )
        return self.sql(
            f"SELECT id, session, date, year, symbol, title, kind, issues, important, yes, no, "
            f"abstain, source FROM roll_calls {where} ORDER BY date, id",
            params,
        )

    def roll_call(self, symbol_or_id: str | int) -> pd.Series:
        """One roll call by symbol (any common spelling) or id."""
        record = self._roll_call_record(symbol_or_id)
        record["date"] = pd.Timestamp(record["date"])
        return pd.Series(record)

    def _roll_call_record(self, symbol_or_id: str | int) -> dict:
        if isinstance(symbol_or_id, int) or str(symbol_or_id).isdigit():
            query, params = "SELECT * FROM roll_calls WHERE id = ?", [int(symbol_or_id)]
        else:
            symbol = normalise(symbol_or_id) or str(symbol_or_id).strip().upper()
            query = "SELECT * FROM roll_calls WHERE symbol = ? AND kind = 'resolution' ORDER BY id"
            params = [symbol]
        columns, rows = self.records(query, params)
        if not rows:
            raise UnknownRollCallError(
                f"no recorded vote on {symbol_or_id!r} in the store; "
                "check the symbol (e.g. A/RES/ES-11/1) or run `allegiance info` for coverage"
            )
        return dict(zip(columns, rows[-1], strict=True))

    def records(self, query: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
        """Run a read-only SQL query; the column names and the rows as tuples (no pandas)."""
        cursor = self._con.execute(query, params or [])
        return [d[0] for d in cursor.description], cursor.fetchall()

    def vote_rows(self, symbol: str | int, region: str | None = None, states=None):
        """:meth:`votes` as plain rows: ``(about, columns, rows)``, where ``about`` holds the
        roll call's symbol, date, title, source and the attribution."""
        rc = self._roll_call_record(symbol)
        columns, rows = self.records(
            "SELECT v.state, s.name, c.label AS vote FROM votes v "
            "JOIN states s ON s.iso3 = v.state JOIN vote_codes c ON c.code = v.vote "
            "WHERE v.roll_call_id = ? AND v.vote <> ? ORDER BY s.name",
            [int(rc["id"]), int(Vote.NOT_MEMBER)],
        )
        if region is not None or states is not None:
            wanted = set(states or []) | set(self.region(region, rc["date"]) if region else [])
            rows = [row for row in rows if row[0] in wanted]
        about = {
            "symbol": rc["symbol"],
            "date": rc["date"],
            "title": rc["title"],
            "source": rc["source"],
            "attribution": UN_ATTRIBUTION,
        }
        return about, columns, rows

    def votes(self, symbol: str | int, region: str | None = None, states=None) -> pd.DataFrame:
        """How each state voted on one roll call: columns ``state, name, vote``."""
        about, columns, rows = self.vote_rows(symbol, region=region, states=states)
        frame = pd.DataFrame(rows, columns=columns)
        frame.attrs.update(about, date=pd.Timestamp(about["date"]))
        return frame

    def region(self, name: str, on=None) -> list[str]:
        """Members of a named region (``post-soviet``, ``eu``, ...) on a date.

        Organization regions (``eu``, ``nato``, ``csto``, ...) come from the knowledge
        base's memberships on that date.
        """
        from allegiance import knowledge, regions

        if name.strip().lower() not in regions.REGIONS:
            knowledge.ensure_regions()
        if isinstance(on, datetime):
            on = on.date()
        elif on is not None and not isinstance(on, date):
            on = date.fromisoformat(str(on)[:10])
        return regions.region_members(name, on=on)

    # -- arrays for the measures ---------------------------------------------------
    def vote_array(self, roll_call_ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Votes as an int8 array (roll calls x states) in the order of ``roll_call_ids``."""
        states_ = self.state_codes()
        ids = np.asarray(roll_call_ids, dtype=np.int64)
        if "votes" not in self._cache:
            v = self._con.execute(
                "SELECT roll_call_id, state, vote FROM votes ORDER BY roll_call_id, state"
            ).fetchnumpy()
            self._cache["votes"] = v
        v = self._cache["votes"]
        max_id = int(v["roll_call_id"].max()) + 1
        row_of = np.full(max_id, -1, dtype=np.int64)
        row_of[ids] = np.arange(len(ids))
        col_of = {s: i for i, s in enumerate(states_)}
        rows = row_of[v["roll_call_id"].astype(np.int64)]
        keep = rows >= 0
        cols = np.array([col_of[s] for s in v["state"][keep]]) if keep.any() else np.array([], int)
        out = np.zeros((len(ids), len(states_)), dtype=np.int8)
        out[rows[keep], cols] = v["vote"][keep]
        return out, states_

    def state_codes(self) -> list[str]:
        if "state_codes" not in self._cache:
            self._cache["state_codes"] = self.sql(
                "SELECT DISTINCT state FROM votes ORDER BY state"
            )["state"].tolist()
        return self._cache["state_codes"]

    # -- coverage and provenance --------------------------------------------------
    def info(self) -> dict[str, pd.DataFrame]:
        """Coverage of the store: per decade, per session, per source, and the checks."""
        return {
            "decades": self.sql(
                "SELECT year // 10 * 10 AS decade, count(*) AS roll_calls, "
                "count(DISTINCT session) AS sessions, min(date) AS first, max(date) AS last "
                "FROM roll_calls GROUP BY 1 ORDER BY 1"
            ),
            "sessions": self.sql(
                "SELECT session, count(*) AS roll_calls, min(date) AS first, max(date) AS last, "
                "string_agg(DISTINCT source, ',' ORDER BY source) AS sources "
                "FROM roll_calls GROUP BY 1 ORDER BY 1"
            ),
            "sources": self.sql(
                "SELECT s.source, s.roll_calls AS read, coalesce(k.kept, 0) AS kept, "
                "s.vote_rows, s.rejected, s.citation FROM sources s LEFT JOIN "
                "(SELECT source, count(*) AS kept FROM roll_calls GROUP BY 1) k USING (source) "
                "ORDER BY s.source"
            ),
            "checks": self.sql(
                "SELECT 'conflicting votes between sources' AS check, count(*) AS n FROM conflicts "
                "UNION ALL SELECT 'tallies that disagree with the counted votes', "
                "count(*) FILTER (WHERE NOT agrees) FROM tally_checks "
                "UNION ALL SELECT 'rejected rows', count(*) FROM rejections "
                "UNION ALL SELECT 'secondary roll calls not matched', count(*) FROM unmatched"
            ),
            "build": self.sql("SELECT * FROM build_info ORDER BY key"),
        }

    def conflicts(self) -> pd.DataFrame:
        """Every disagreement between sources on a vote both record."""
        return self.sql(
            "SELECT r.symbol, r.date, c.state, c.source, a.label AS vote, c.other_source, "
            "b.label AS other_vote FROM conflicts c JOIN roll_calls r ON r.id = c.roll_call_id "
            "LEFT JOIN vote_codes a ON a.code = c.vote LEFT JOIN vote_codes b ON b.code = "
            "c.other_vote ORDER BY r.date, c.state"
        )

    def rejections(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM rejections ORDER BY source, file, record")

    def tally_checks(self, disagreeing_only: bool = True) -> pd.DataFrame:
        where = "WHERE NOT t.agrees" if disagreeing_only else ""
        return self.sql(
            "SELECT r.symbol, r.date, t.* FROM tally_checks t JOIN roll_calls r "
            f"ON r.id = t.roll_call_id {where} ORDER BY r.date"
        )

    def citations(self) -> pd.DataFrame:
        """The citation of every source the store was built from."""
        return self.sql("SELECT source, citation FROM sources ORDER BY source")

    def event_counts(
        self,
        by: str = "month",
        state: str | None = None,
        partner: str | None = None,
        since: int | None = None,
        until: int | None = None,
        dataset: str | None = None,
    ) -> pd.DataFrame:
        """Event counts per directed dyad (``state`` the source, ``partner`` the target),
        per ``month`` or ``year``, as the event pipeline wrote them (docs/events.md).

        ``by="pole_shares"`` gives the per state-year pole shares, ``by="coverage"`` the
        events per dataset and month. ``since``/``until`` are inclusive years.
        """
        tables = {"month": "event_dyad_months", "year": "event_dyad_years",
                  "pole_shares": "event_pole_shares", "coverage": "event_coverage"}  # fmt: skip
        if by not in tables:
            raise ValueError(f"by must be one of {', '.join(tables)}, not {by!r}")
        clauses, params = [], []
        for column, value in (("state", state), ("partner", partner), ("dataset", dataset)):
            if value is not None and not (by in ("coverage",) and column != "dataset"):
                if by == "pole_shares" and column == "partner":
                    column = "pole"
                clauses.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            clauses.append("year >= ?")
            params.append(int(since))
        if until is not None:
            clauses.append("year <= ?")
            params.append(int(until))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        order = {"month": "dataset, state, partner, year, month",
                 "year": "dataset, state, partner, year",
                 "pole_shares": "dataset, state, year, pole",
                 "coverage": "dataset, year, month"}[by]  # fmt: skip
        return self.sql(f"SELECT * FROM {tables[by]} {where} ORDER BY {order}", params)

    # -- helpers --------------------------------------------------------------------
    @staticmethod
    def _roll_call_filter(symbol, session, since, until, issue, kind, important):
        clauses, params = [], []
        if symbol is not None:
            clauses.append("symbol = ?")
            params.append(normalise(symbol) or symbol)
        if session is not None:
            clauses.append("session = ?")
            params.append(int(session))
        if since is not None:
            clauses.append("date >= ?")
            params.append(_as_date(since, start=True))
        if until is not None:
            clauses.append("date <= ?")
            params.append(_as_date(until, start=False))
        if issue is not None:
            clauses.append(issue_clause(issue))
        if kind is not None:
            kinds = [kind] if isinstance(kind, str) else list(kind)
            clauses.append(f"kind IN ({', '.join('?' for _ in kinds)})")
            params.extend(kinds)
        if important is not None:
            clauses.append("important = ?")
            params.append(bool(important))
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


ISSUE_CODES = {
    "me": "the Palestinian conflict",
    "nu": "nuclear weapons and nuclear material",
    "di": "arms control and disarmament",
    "hr": "human rights",
    "co": "colonialism",
    "ec": "economic development",
    "ukraine": "Ukraine: the 11th emergency special session and resolutions on Ukraine",
}


def issue_clause(issue: str) -> str:
    """SQL for one issue: a dataverse code, or ``ukraine`` (ES-11 and titles on Ukraine)."""
    code = issue.strip().lower()
    if code not in ISSUE_CODES:
        raise ValueError(f"unknown issue {issue!r}; expected one of {', '.join(ISSUE_CODES)}")
    if code == "ukraine":
        return (
            "(symbol LIKE 'A/RES/ES-11/%' OR title ILIKE '%ukrain%' OR title ILIKE '%crimea%' "
            "OR title ILIKE '%sevastopol%')"
        )
    return f"list_contains(issues, '{code}')"


def _as_date(value, start: bool) -> date:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        year = int(value)
        return date(year, 1, 1) if start else date(year, 12, 31)
    return pd.Timestamp(value).date()


def open(path: Path | str | None = None) -> Store:  # noqa: A001 - the public name users expect
    """Open the store (default ``$ALLEGIANCE_HOME/allegiance.duckdb``)."""
    return Store(path)


def _attach_alignment() -> None:
    """Expose the alignment functions as ``Store`` methods (``store.agreement(...)``).

    The wrappers import :mod:`allegiance.alignment` when first called, so that opening a
    store does not import the measures.
    """

    def agreement(self, a, b, measure="voeten", **kw):
        return alignment.agreement(self, a, b, measure, **kw)

    def alignment_(self, state, poles=None, measure="voeten", **kw):
        return alignment.alignment(self, state, poles or alignment.POLES, measure, **kw)

    def cohesion(self, states=None, region=None, **kw):
        return alignment.cohesion(self, states=states, region=region, **kw)

    def matrix(self, year, measure="voeten", **kw):
        return alignment.matrix(self, year, measure, **kw)

    def matrix_map(self, year, measure="voeten", **kw):
        return alignment.matrix_map(self, year, measure, **kw)

    agreement.__doc__ = (
        "Agreement of two states per period; see :func:`allegiance.alignment.agreement`."
    )
    alignment_.__doc__ = (
        "A state's agreement with each pole; see :func:`allegiance.alignment.alignment`."
    )
    cohesion.__doc__ = "Cohesion of a bloc per period; see :func:`allegiance.alignment.cohesion`."
    matrix.__doc__ = "The state x state matrix of a year; see :func:`allegiance.alignment.matrix`."
    matrix_map.__doc__ = "A 2-D map of that matrix; see :func:`allegiance.alignment.matrix_map`."
    for fn in (agreement, cohesion, matrix, matrix_map):
        setattr(Store, fn.__name__, fn)
    Store.alignment = alignment_


alignment = lazy("allegiance.alignment")


def _attach_all() -> None:
    """Each capability adds its ``Store`` methods from its own module."""
    from allegiance.store import ideal_methods, influence_methods, kb_methods

    _attach_alignment()
    for module in (kb_methods, influence_methods, ideal_methods):
        module.attach(Store)


_attach_all()
