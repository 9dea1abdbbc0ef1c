"""What a store covers, and how a new build changes it.

Coverage is counted by the same SQL in the previous store and in the new one, so the two
always compare like with like:

- roll calls per regular session (``roll_calls``);
- rows per source and year of each channel table (rows per source where a table has no
  year), as :data:`allegiance.store.channels_build.TABLES` declares.

A build refuses to replace a store when a group (a session, or a source's year) loses
more than :data:`TOLERANCE` of its rows, unless asked to (``allow_shrink``). The figure
is explained in docs/reliability.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

#: Largest share of a group's rows a build may lose without ``--allow-shrink``. Revisions
#: of the pinned releases move a few rows (a roll call re-dated into the next session, a
#: SIPRI delivery re-dated); a damaged or truncated input loses a session or a year.
TOLERANCE = 0.05

COLUMNS = ["table_name", "source", "unit", "period", "rows"]
CHANGE_COLUMNS = [
    "table_name",
    "source",
    "unit",
    "period",
    "before",
    "after",
    "change",
    "beyond_tolerance",
]


class NotAStoreError(Exception):
    """A file that cannot be read as an allegiance store (or is locked by a writer)."""


def coverage(con) -> pd.DataFrame:
    """Rows per group of the store open on ``con``: :data:`COLUMNS`."""
    from allegiance.store.channels_build import TABLES

    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    parts = [
        "SELECT 'roll_calls' AS table_name, 'all' AS source, 'session' AS unit, "
        "CAST(session AS INTEGER) AS period, count(*) AS rows FROM roll_calls GROUP BY ALL"
    ]
    for table, rules in TABLES.items():
        if table not in present:
            continue
        source, year = rules.coverage
        if year is None:
            parts.append(
                f"SELECT '{table}', CAST({source} AS VARCHAR), 'all', CAST(NULL AS INTEGER), "
                f"count(*) FROM {table} GROUP BY ALL"
            )
        else:
            parts.append(
                f"SELECT '{table}', CAST({source} AS VARCHAR), 'year', CAST({year} AS INTEGER), "
                f"count(*) FROM {table} GROUP BY ALL"
            )
    frame = con.execute(" UNION ALL ".join(parts)).df()
    frame.columns = COLUMNS
    frame["rows"] = frame["rows"].astype("int64")
    return frame


def previous(db: Path) -> tuple[pd.DataFrame | None, str | None]:
    """The coverage of the store at ``db`` and when it was built; ``(None, None)`` if absent.

    Raises
    ------
    NotAStoreError
        ``db`` exists but is not a readable allegiance store.
    """
    db = Path(db)
    if not db.exists():
        return None, None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise NotAStoreError(f"{db}: cannot be opened as a store ({_first_line(exc)})") from exc
    try:
        built = con.execute("SELECT value FROM build_info WHERE key = 'built_at'").fetchone()
        return coverage(con), (built[0] if built else None)
    except duckdb.Error as exc:
        raise NotAStoreError(f"{db}: not an allegiance store ({_first_line(exc)})") from exc
    finally:
        con.close()


def compare(before: pd.DataFrame | None, after: pd.DataFrame) -> pd.DataFrame:
    """Every group whose row count changed: :data:`CHANGE_COLUMNS`, shrinks first.

    ``beyond_tolerance`` marks a group that lost more than :data:`TOLERANCE` of its rows
    (a group that vanished lost all of them).
    """
    if before is None:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    keys = ["table_name", "source", "unit", "period"]
    both = before.merge(after, on=keys, how="outer", suffixes=("_before", "_after"))
    both["before"] = both["rows_before"].fillna(0).astype("int64")
    both["after"] = both["rows_after"].fillna(0).astype("int64")
    both["change"] = both["after"] - both["before"]
    both["beyond_tolerance"] = (-both["change"]) > TOLERANCE * both["before"]
    changed = both[both["change"] != 0].copy()
    changed["period"] = changed["period"].astype("Int64")
    changed = changed.sort_values(
        ["beyond_tolerance", "table_name", "source", "period"],
        ascending=[False, True, True, True],
        ignore_index=True,
    )
    return changed[CHANGE_COLUMNS]


def describe(changes: pd.DataFrame) -> str:
    """One line per group beyond the tolerance, e.g. ``roll_calls, session 78: 87 -> 2``."""
    lines = []
    for row in changes[changes["beyond_tolerance"]].itertuples(index=False):
        where = row.table_name if row.source == "all" else f"{row.table_name} from {row.source}"
        when = f", {row.unit} {row.period}" if row.unit != "all" else ""
        lost = -row.change / row.before if row.before else 0.0
        lines.append(f"{where}{when}: {row.before} -> {row.after} rows (-{lost:.0%})")
    return "\n".join(lines)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
