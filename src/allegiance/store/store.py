"""The store: one DuckDB file, opened read-only, answering in pandas DataFrames.

The store holds data and gives access to it; it computes nothing. Measures, alignment,
ideal points, the knowledge base and the influence index live in :mod:`allegiance.analysis`
and :mod:`allegiance.analysis.influence`, as plain functions that take a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb

from allegiance import paths
from allegiance._lazy import lazy
from allegiance.dates import parse_date
from allegiance.errors import NotAStoreError, StoreMissingError, UnknownRollCallError
from allegiance.issues import issue_filter
from allegiance.sources.symbols import normalise
from allegiance.vote import Vote

np = lazy("numpy")
pd = lazy("pandas")

__all__ = ["UN_ATTRIBUTION", "Store", "StoreMissingError", "UnknownRollCallError", "open"]

#: Attribution required by the UN's terms for outputs drawn from its voting records.
UN_ATTRIBUTION = (
    "Vote data: United Nations (UN Digital Library voting records; UN DGACM resolution "
    "extracts), non-commercial use with attribution; Voeten, Harvard Dataverse "
    "hdl:1902.1/12379."
)

#: Tables every store has; a file without them is not a store.
_REQUIRED_TABLES = ("roll_calls", "votes", "sources", "build_info")


#: The last day each table covers, per source (:meth:`Store.coverage_ends`): monthly rows
#: through the end of their month, yearly rows through 31 December of their year.
_MONTH_END = (
    "max(CASE WHEN month IS NULL THEN make_date(year, 12, 31) "
    "ELSE last_day(make_date(year, month, 1)) END)"
)
_COVERAGE_ENDS = {
    "roll_calls": "SELECT 'roll_calls' AS table_name, source, max(date)::DATE AS last "
    "FROM roll_calls GROUP BY source",
    "trade_flows": f"SELECT 'trade_flows', source, {_MONTH_END} FROM trade_flows GROUP BY source",
    "arms_transfers": "SELECT 'arms_transfers', source, make_date(max(year), 12, 31) "
    "FROM arms_transfers GROUP BY source",
    "opinion": "SELECT 'opinion', survey, make_date(max(year), 12, 31) FROM opinion "
    "GROUP BY survey",
    "energy_flows": f"SELECT 'energy_flows', source, {_MONTH_END} FROM energy_flows "
    "GROUP BY source",
    "opinion_pew": "SELECT 'opinion_pew', 'pew', make_date(max(year), 12, 31) FROM opinion_pew",
}


#: The records whose titles are the UN's own (store.record_titles), in order of preference:
#: the UN Digital Library file, the UN's extracts, the Digital Library scrapes.
RECORD_SOURCES = ("undl", "unxml", "undl_scrape", "kaggle")


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
    >>> store.votes("A/RES/ES-11/1", states=["ARM", "RUS"])      # doctest: +SKIP
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else paths.default_db()
        if not self.path.exists():
            raise StoreMissingError(
                f"no store at {self.path}; build one with `allegiance build --from DIR` "
                "(or `allegiance fetch` then `allegiance build`)"
            )
        if self.path.is_dir():
            raise NotAStoreError(f"{self.path} is a folder, not a store file")
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
            tables = {r[0] for r in self._con.execute("SHOW TABLES").fetchall()}
        except duckdb.Error as exc:
            raise NotAStoreError(
                f"{self.path} is not an allegiance store ({str(exc).splitlines()[0]}); "
                "build one with `allegiance build --from DIR --db PATH`"
            ) from None
        missing = [t for t in _REQUIRED_TABLES if t not in tables]
        if missing:
            self._con.close()
            raise NotAStoreError(
                f"{self.path} is not an allegiance store (no table {', '.join(missing)})"
            )
        self.tables = frozenset(tables)
        self._cache: dict = {}

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- raw access ---------------------------------------------------------------------
    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only SQL query on the store (parameters with ``?``)."""
        return self._con.execute(query, params or []).df()

    def records(self, query: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
        """Run a read-only SQL query; the column names and the rows as tuples (no pandas)."""
        cursor = self._con.execute(query, params or [])
        return [d[0] for d in cursor.description], cursor.fetchall()

    # -- provenance ----------------------------------------------------------------------
    def build_info(self) -> dict[str, str]:
        """When and from what the store was built (``built_at``, ``build_id``, ``mirror``...)."""
        if "build_info" not in self._cache:
            _, rows = self.records("SELECT key, value FROM build_info")
            self._cache["build_info"] = dict(rows)
        return dict(self._cache["build_info"])

    @property
    def build_id(self) -> str:
        """An id that changes with every build; keys the cache of derived results."""
        info = self.build_info()
        return info.get("build_id") or info.get("built_at", "unknown")

    @property
    def cache_dir(self) -> Path:
        """The folder beside the store where derived results (ideal-point fits) are kept."""
        return self.path.with_name(self.path.name + ".cache")

    def sources(self) -> pd.DataFrame:
        """Every source the store was built from: ``source, citation`` and what was read."""
        return self.sql("SELECT * FROM sources ORDER BY source")

    def citations(self) -> pd.DataFrame:
        """The citation of every source the store was built from: ``source, citation``."""
        return self.sql("SELECT source, citation FROM sources ORDER BY source")

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
            "changes": self.build_changes(),
            "rejections": self.sql(
                "SELECT source, field, count(*) AS rows FROM rejections GROUP BY ALL "
                "ORDER BY source, field"
            ),
        }

    def cast_votes_by_decade(self) -> pd.DataFrame:
        """``decade, cast_votes``: votes cast (yes, no, abstain) per decade."""
        return self.sql(
            "SELECT r.year // 10 * 10 AS decade, count(*) AS cast_votes FROM votes v "
            "JOIN roll_calls r ON r.id = v.roll_call_id WHERE v.vote IN (?, ?, ?) "
            "GROUP BY 1 ORDER BY 1",
            [int(Vote.YES), int(Vote.ABSTAIN), int(Vote.NO)],
        )

    def build_changes(self) -> pd.DataFrame:
        """How the last build changed coverage from the store it replaced.

        One row per group (a session's roll calls, a source's rows in a year) whose count
        changed: ``table_name, source, unit, period, before, after, change,
        beyond_tolerance``. Empty when nothing changed, when there was no previous store,
        or when the store was built before builds compared coverage; ``build_info``
        (``compared_with``, ``previous_built_at``, ``shrink_allowed``) tells which.
        """
        exists = self.sql(
            "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'build_changes'"
        )["n"].iat[0]
        if not exists:
            return pd.DataFrame(
                columns=["table_name", "source", "unit", "period", "before", "after", "change",
                         "beyond_tolerance"]
            )  # fmt: skip
        return self.sql(
            "SELECT * FROM build_changes ORDER BY beyond_tolerance DESC, table_name, source, period"
        )

    def conflicts(self) -> pd.DataFrame:
        """Every disagreement between sources on a vote both record."""
        return self.sql(
            "SELECT r.symbol, r.date, c.state, c.source, a.label AS vote, c.other_source, "
            "b.label AS other_vote FROM conflicts c JOIN roll_calls r ON r.id = c.roll_call_id "
            "LEFT JOIN vote_codes a ON a.code = c.vote LEFT JOIN vote_codes b ON b.code = "
            "c.other_vote ORDER BY r.date, c.state"
        )

    def corrections(self) -> pd.DataFrame:
        """Symbols and dates of early roll calls taken from the official record.

        Columns ``roll_call_id, symbol, field, before, after, rule, evidence``, one row per
        changed field (see docs/corrections.md). Empty for stores built before the
        corrections were kept.
        """
        if "corrections" not in self.tables:
            columns = ["roll_call_id", "symbol", "field", "before", "after", "rule", "evidence"]
            return pd.DataFrame(columns=columns)
        return self.sql("SELECT * FROM corrections ORDER BY roll_call_id, field")

    def rejections(self) -> pd.DataFrame:
        """Every row a reader or the build rejected or merged: ``source, file, record,
        field, reason`` (the record is where in the file, e.g. ``line 12``)."""
        return self.sql("SELECT * FROM rejections ORDER BY source, file, record")

    def tally_checks(self, disagreeing_only: bool = True) -> pd.DataFrame:
        """Official tallies against the counted votes (by default only where they differ)."""
        where = "WHERE NOT t.agrees" if disagreeing_only else ""
        return self.sql(
            "SELECT r.symbol, r.date, t.* FROM tally_checks t JOIN roll_calls r "
            f"ON r.id = t.roll_call_id {where} ORDER BY r.date"
        )

    # -- states ----------------------------------------------------------------------------
    def states(self) -> pd.DataFrame:
        """The states table the store was built with (``iso3, name, ...``)."""
        return self.sql("SELECT * FROM states ORDER BY iso3")

    def state_names(self) -> dict[str, str]:
        """ISO3 code to the state's short name."""
        if "state_names" not in self._cache:
            _, rows = self.records("SELECT iso3, name FROM states")
            self._cache["state_names"] = dict(rows)
        return dict(self._cache["state_names"])

    # -- roll calls and votes ----------------------------------------------------------------
    def roll_calls(
        self,
        symbol: str | None = None,
        session: int | None = None,
        since: int | str | date | None = None,
        until: int | str | date | None = None,
        issue: str | None = None,
        kind: str | Iterable[str] | None = None,
        important: bool | None = None,
        search: str | None = None,
    ) -> pd.DataFrame:
        """Roll calls, one row each, filtered by any of the arguments.

        ``since``/``until`` take a year, a year-month or a date (inclusive). ``issue`` is an
        issue code of ``data/issues.toml`` (``me``, ``nu``, ``di``, ``hr``, ``co``, ``ec``,
        ``ukraine``). ``search`` matches words of the title or symbol (case-insensitive).
        """
        where, params = self._roll_call_filter(
            symbol, session, since, until, issue, kind, important, search
        )
        return self.sql(
            f"SELECT id, session, date, year, symbol, title, kind, issues, important, yes, no, "
            f"abstain, source FROM roll_calls {where} ORDER BY date, id",
            params,
        )

    def record_titles(self, sources: Iterable[str] = RECORD_SOURCES) -> pd.DataFrame:
        """The title each official record gives a roll call: ``roll_call_id, source, title``.

        ``sources`` are the records asked for, in order of preference; the first that has a
        title for a roll call is kept. The default, the UN's own records and the UN Digital
        Library scrapes, gives UN titles for early resolutions, where Voeten's release has
        only a summary written for each vote.
        """
        sources = list(sources)
        if not sources:
            return pd.DataFrame(columns=["roll_call_id", "source", "title"])
        marks = ", ".join("?" for _ in sources)
        order = " ".join(f"WHEN ? THEN {i}" for i in range(len(sources)))
        return self.sql(
            f"SELECT roll_call_id, source, title FROM roll_call_sources "
            f"WHERE title IS NOT NULL AND source IN ({marks}) "
            f"QUALIFY row_number() OVER (PARTITION BY roll_call_id "
            f"ORDER BY CASE source {order} END, source_id) = 1 ORDER BY roll_call_id",
            sources + sources,
        )

    def roll_call(self, symbol_or_id: str | int) -> pd.Series:
        """One roll call by symbol (any common spelling) or id."""
        record = self.roll_call_record(symbol_or_id)
        record["date"] = pd.Timestamp(record["date"])
        return pd.Series(record)

    def roll_call_record(self, symbol_or_id: str | int) -> dict:
        """One roll call as a plain dict (no pandas)."""
        if isinstance(symbol_or_id, int) or str(symbol_or_id).strip().isdigit():
            query, params = "SELECT * FROM roll_calls WHERE id = ?", [int(symbol_or_id)]
        else:
            symbol = normalise(symbol_or_id) or str(symbol_or_id).strip().upper()
            query = "SELECT * FROM roll_calls WHERE symbol = ? AND kind = 'resolution' ORDER BY id"
            params = [symbol]
        columns, rows = self.records(query, params)
        if not rows:
            raise UnknownRollCallError(
                f"no recorded vote on {symbol_or_id!r} in the store{self._near(symbol_or_id)}; "
                "check the symbol (e.g. A/RES/ES-11/1, A/RES/2758(XXVI)) or list them with "
                "`allegiance roll-calls --search WORDS`"
            )
        return dict(zip(columns, rows[-1], strict=True))

    def _near(self, text) -> str:
        """``; did you mean ...`` for a symbol written without its session or part."""
        bare = str(text).strip().upper().removeprefix("A/RES/").split("(")[0].rstrip(".")
        if not bare or bare.isdigit() is False and "/" not in bare:
            return ""
        _, rows = self.records(
            "SELECT DISTINCT symbol FROM roll_calls WHERE kind = 'resolution' AND "
            "(starts_with(symbol, ?) OR starts_with(symbol, ?)) ORDER BY symbol LIMIT 4",
            [f"A/RES/{bare}(", f"A/RES/{bare}"],
        )
        found = [r[0] for r in rows if r[0] != str(text).strip().upper()]
        return f" (did you mean {', '.join(found)}?)" if found else ""

    def vote_rows(self, symbol: str | int, states: Iterable[str] | None = None):
        """How each state voted on one roll call, as plain rows: ``(about, columns, rows)``.

        ``about`` holds the roll call's id, symbol, date, title, source, tally and the
        attribution; ``rows`` are ``(state, name, vote)``, states that were members only.
        """
        rc = self.roll_call_record(symbol)
        columns, rows = self.records(
            "SELECT v.state, s.name, c.label AS vote FROM votes v "
            "JOIN states s ON s.iso3 = v.state JOIN vote_codes c ON c.code = v.vote "
            "WHERE v.roll_call_id = ? AND v.vote <> ? ORDER BY s.name",
            [int(rc["id"]), int(Vote.NOT_MEMBER)],
        )
        if states is not None:
            wanted = set(states)
            rows = [row for row in rows if row[0] in wanted]
        about = {
            "id": rc["id"],
            "symbol": rc["symbol"],
            "date": rc["date"],
            "title": rc["title"],
            "source": rc["source"],
            "yes": rc["yes"],
            "no": rc["no"],
            "abstain": rc["abstain"],
            "attribution": UN_ATTRIBUTION,
        }
        return about, columns, rows

    def votes(self, symbol: str | int, states: Iterable[str] | None = None) -> pd.DataFrame:
        """How each state voted on one roll call: columns ``state, name, vote``."""
        about, columns, rows = self.vote_rows(symbol, states=states)
        frame = pd.DataFrame(rows, columns=columns)
        frame.attrs.update(about, date=pd.Timestamp(about["date"]))
        frame.attrs["sources"] = [about["source"]]
        return frame

    def vote_array(self, roll_call_ids) -> tuple[np.ndarray, list[str]]:
        """Votes as an int8 array (roll calls x states) in the order of ``roll_call_ids``."""
        states_ = self.state_codes()
        ids = np.asarray(roll_call_ids, dtype=np.int64)
        if "votes" not in self._cache:
            self._cache["votes"] = self._con.execute(
                "SELECT roll_call_id, state, vote FROM votes ORDER BY roll_call_id, state"
            ).fetchnumpy()
        v = self._cache["votes"]
        max_id = max(int(v["roll_call_id"].max()) if len(v["roll_call_id"]) else 0,
                     int(ids.max()) if len(ids) else 0) + 1  # fmt: skip
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
        """Every state that has a row in the votes table, sorted."""
        if "state_codes" not in self._cache:
            _, rows = self.records("SELECT DISTINCT state FROM votes ORDER BY state")
            self._cache["state_codes"] = [r[0] for r in rows]
        return list(self._cache["state_codes"])

    def vote_years(self) -> tuple[int, int]:
        """The first and last calendar year with a roll call."""
        _, rows = self.records("SELECT min(year), max(year) FROM roll_calls")
        return int(rows[0][0]), int(rows[0][1])

    # -- other channels -----------------------------------------------------------------------
    def annual_trade_flows(self, since: int | None = None, until: int | None = None):
        """Annual goods trade by source, reporter and partner, in USD.

        Columns ``source, reporter, year, partner, exports_usd, imports_usd``. For
        ``comtrade``, whose extract has exports only, each reporter's imports are its
        partners' reported exports to it (mirror imports). Missing flows stay missing.
        """
        key = ("annual_trade_flows", since, until)
        if key not in self._cache:
            where, params = ["reporter IS NOT NULL"], []
            if since is not None:
                where.append("year >= ?")
                params.append(int(since))
            if until is not None:
                where.append("year <= ?")
                params.append(int(until))
            # SQL sum skips NULLs and is NULL when every value is NULL.
            self._cache[key] = self.sql(
                "WITH f AS (SELECT source, reporter, year, partner, exports_usd, imports_usd "
                "FROM trade_flows UNION ALL SELECT source, partner, year, reporter, NULL, "
                "exports_usd FROM trade_flows WHERE source = 'comtrade' AND partner IS NOT NULL) "
                "SELECT source, reporter, year, partner, sum(exports_usd) AS exports_usd, "
                f"sum(imports_usd) AS imports_usd FROM f WHERE {' AND '.join(where)} GROUP BY ALL "
                "ORDER BY source, reporter, year, partner NULLS LAST",
                params,
            )
        return self._cache[key].copy()

    def arms_transfers(self) -> pd.DataFrame:
        """``supplier, recipient, year, tiv`` of every delivery row (SIPRI TIV, millions)."""
        if "arms_transfers" not in self._cache:
            self._cache["arms_transfers"] = self.sql(
                "SELECT supplier, recipient, year, tiv FROM arms_transfers "
                "WHERE recipient IS NOT NULL ORDER BY recipient, year, supplier NULLS LAST"
            )
        return self._cache["arms_transfers"].copy()

    def arms_years(self) -> tuple[int, int] | None:
        """The first and last delivery year of the arms transfers (None if there are none)."""
        _, rows = self.records("SELECT min(year), max(year) FROM arms_transfers")
        return None if rows[0][0] is None else (int(rows[0][0]), int(rows[0][1]))

    def us_troops(self) -> pd.DataFrame:
        """US military personnel by host and report (troopdata): ``host, year, quarter,
        report, troops_active_duty, troops_all``; empty if the store has none."""
        if "us_troops" not in self._cache:
            tables = set(self.sql("SELECT table_name FROM information_schema.tables")["table_name"])
            self._cache["us_troops"] = (
                self.sql(
                    "SELECT host, year, quarter, report, troops_active_duty, troops_all "
                    "FROM us_troops ORDER BY host, year, quarter"
                )
                if "us_troops" in tables
                else pd.DataFrame(
                    columns=[
                        "host",
                        "year",
                        "quarter",
                        "report",
                        "troops_active_duty",
                        "troops_all",
                    ]
                )  # fmt: skip
            )
        return self._cache["us_troops"].copy()

    def opinion(self, variable: str | None = None) -> pd.DataFrame:
        """Survey answers: ``state, year, variable, code, value_label, share, survey, ...``."""
        if variable is None:
            return self.sql("SELECT * FROM opinion ORDER BY state, year, variable, code")
        return self.sql(
            "SELECT * FROM opinion WHERE variable = ? ORDER BY state, year, code", [variable]
        )

    def coverage_ends(self) -> pd.DataFrame:
        """The last day each source covers: ``table_name, source, last`` (a date).

        Roll calls by their date; monthly trade rows through the end of their month;
        yearly rows (trade, arms deliveries, survey waves) through 31 December of their
        year. For the opinion table ``source`` is the survey's name. Tables absent from
        this build are left out. Used to tell a claim about a date after the data from a
        claim the data contradict.
        """
        parts = [query for table, query in _COVERAGE_ENDS.items() if table in self.tables]
        if not parts:
            return pd.DataFrame(columns=["table_name", "source", "last"])
        return self.sql(" UNION ALL ".join(parts) + " ORDER BY 1, 2")

    def boundaries(self) -> pd.DataFrame:
        """Natural Earth country shapes: ``iso3, name, geojson`` (GeoJSON Feature text)."""
        return self.sql("SELECT iso3, name, geojson FROM boundaries ORDER BY iso3")

    # -- energy flows and Pew opinion (docs/schema.md) -----------------------------------
    def energy_flows(self, exporter=None, importer=None, since=None, until=None, fuel=None,
                     source=None) -> pd.DataFrame:  # fmt: skip
        """Rows of ``energy_flows``; each filter is a code, a list of codes, or None (all).

        ``since``/``until`` are inclusive years. Sum only within one ``source`` and
        ``series``, and leave out ``aggregate`` rows and rows ``part_of`` another fuel.
        """
        where, params = _where(dict(exporter=exporter, importer=importer, fuel=fuel,
                                    source=source), since, until)  # fmt: skip
        return self.sql(f"SELECT * FROM energy_flows {where} ORDER BY source, series, year, "
                        "month, fuel, exporter_name, importer_name", params)  # fmt: skip

    def opinion_pew(self, state=None, target=None, since=None, until=None) -> pd.DataFrame:
        """Rows of ``opinion_pew`` (Pew favourability), filtered like :meth:`energy_flows`."""
        where, params = _where(dict(state=state, target=target), since, until)
        return self.sql(f"SELECT * FROM opinion_pew {where} ORDER BY state, year, target", params)

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
    def _roll_call_filter(symbol, session, since, until, issue, kind, important, search):
        clauses, params = [], []
        if symbol is not None:
            clauses.append("symbol = ?")
            params.append(normalise(symbol) or symbol)
        if session is not None:
            clauses.append("session = ?")
            params.append(int(session))
        if since is not None:
            clauses.append("date >= ?")
            params.append(parse_date(since, what="since"))
        if until is not None:
            clauses.append("date <= ?")
            params.append(parse_date(until, end=True, what="until"))
        if issue is not None:
            clause, more = issue_filter(issue)
            clauses.append(clause)
            params.extend(more)
        if kind is not None:
            kinds = [kind] if isinstance(kind, str) else list(kind)
            clauses.append(f"kind IN ({', '.join('?' for _ in kinds)})")
            params.extend(kinds)
        if important is not None:
            clauses.append("important = ?")
            params.append(bool(important))
        if search is not None:
            for word in str(search).split():
                clauses.append("(contains(lower(title), ?) OR contains(lower(symbol), ?))")
                params.extend([word.lower(), word.lower()])
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _where(codes: dict, since, until) -> tuple[str, list]:
    """A WHERE clause: each column IN its codes (a code or a list; None = all), and
    ``year`` between ``since`` and ``until`` (inclusive; None = open)."""
    clauses, params = [], []
    for column, value in codes.items():
        if value is not None:
            values = [value] if isinstance(value, str) else list(value)
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params += values
    for op, year in ((">=", since), ("<=", until)):
        if year is not None:
            clauses.append(f"year {op} ?")
            params.append(int(year))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def open(path: Path | str | None = None) -> Store:  # noqa: A001 - the public name users expect
    """Open the store (default ``$ALLEGIANCE_HOME/allegiance.duckdb``)."""
    return Store(path)
