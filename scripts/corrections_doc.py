"""Write the list of corrections of docs/corrections.md from a built store.

Usage: ``python scripts/corrections_doc.py [STORE]`` (default: the store of
``$ALLEGIANCE_HOME``). It replaces everything after the ``<!-- list -->`` marker.
"""

from __future__ import annotations

import sys
from pathlib import Path

from allegiance.store.store import Store

DOC = Path(__file__).resolve().parents[1] / "docs" / "corrections.md"
MARK = "<!-- list -->"


def rows(store: Store) -> list[str]:
    """One line per roll call: id, symbol, the date before and after, rule and record."""
    frame = store.corrections()
    out = [
        "| roll call | symbol | date in the source | official date | rule | record |",
        "|---|---|---|---|---|---|",
    ]
    for rid, group in frame.groupby("roll_call_id", sort=True):
        date = group[group["field"] == "date"]
        first = group.iloc[0]
        symbol = first["symbol"] if (group["field"] == "symbol").any() else f"({first['symbol']})"
        before = date["before"].iat[0] if len(date) else "same"
        after = date["after"].iat[0] if len(date) else "same"
        record = first["evidence"].split("record ")[1].split(" ")[0]
        out.append(f"| {rid} | {symbol} | {before} | {after} | {first['rule']} | {record} |")
    return out


def main() -> None:
    with Store(sys.argv[1] if len(sys.argv) > 1 else None) as store:
        lines = rows(store)
        info = store.build_info()
    head = DOC.read_text(encoding="utf-8").split(MARK)[0]
    when = f"Generated from a store built on {info.get('built_at', '?')[:10]}."
    DOC.write_text(head + MARK + "\n\n" + when + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
