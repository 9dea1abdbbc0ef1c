"""The results of a check as a table, JSON, or HTML (a ledger of verdicts with the full
evidence of each claim under an anchor ``#claim-<id>``)."""

from __future__ import annotations

import json
from html import escape

import pandas as pd

from allegiance.claims.verdict import CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED, Verdict

#: How many rows of each evidence table the HTML shows (the JSON has them all).
MAX_HTML_ROWS = 40

_COLOURS = {
    SUPPORTED: "#1a7f37",
    PARTLY: "#9a6700",
    CONTRADICTED: "#cf222e",
    NOT_CHECKABLE: "#6e7781",
}


def one_line(v: Verdict, width: int = 220) -> str:
    """The evidence in one line: the correction if the claim has one wrong, else the summary."""
    if v.corrections:
        text = "; ".join(v.corrections)
    elif v.verdict == NOT_CHECKABLE and v.missing:
        text = "missing: " + "; ".join(dict.fromkeys(v.missing))
    else:
        text = v.summary
    return text if len(text) <= width else text[: width - 1] + "…"


def tally(results: pd.DataFrame) -> pd.DataFrame:
    """How many claims got each verdict."""
    counts = results["verdict"].value_counts()
    order = [SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE]
    return pd.DataFrame({"verdict": order, "claims": [int(counts.get(k, 0)) for k in order]})


def table(results: pd.DataFrame, width: int = 160) -> pd.DataFrame:
    """One row per claim for a terminal: id, kind, verdict and one-line evidence."""
    return pd.DataFrame({
        "id": results["id"],
        "kind": results["kind"],
        "verdict": results["verdict"],
        "evidence": [one_line(v, width) for v in results["evidence"]],
    })  # fmt: skip


def to_json(results: pd.DataFrame) -> str:
    """The document, the tally and every claim with its full evidence, as JSON."""
    payload = {
        "document": results.attrs.get("document"),
        "tally": dict(zip(*tally(results).to_dict(orient="list").values())),
        "claims": [
            {"id": r["id"], "kind": r["kind"], "text": r["text"], **r["evidence"].to_dict()}
            for _, r in results.iterrows()
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n"


_STYLE = """
<style>
.allegiance-claims{font-family:system-ui,sans-serif;font-size:14px;line-height:1.4}
.allegiance-claims table{border-collapse:collapse;margin:.5em 0}
.allegiance-claims th,.allegiance-claims td{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top;text-align:left}
.allegiance-claims .verdict{color:#fff;border-radius:3px;padding:1px 6px;white-space:nowrap;font-weight:600}
.allegiance-claims blockquote{margin:.3em 0 .6em 0;padding-left:.8em;border-left:3px solid #d0d7de;color:#57606a}
.allegiance-claims section{margin:1.5em 0;border-top:1px solid #d0d7de}
.allegiance-claims .small{font-size:12px;color:#57606a}
</style>
"""


def _badge(verdict: str) -> str:
    return f'<span class="verdict" style="background:{_COLOURS.get(verdict, "#6e7781")}">{escape(verdict)}</span>'


def _frame_html(frame: pd.DataFrame) -> str:
    shown = frame.head(MAX_HTML_ROWS).drop(columns=[c for c in ("file", "line") if c in frame])
    more = (
        f'<p class="small">{len(frame) - MAX_HTML_ROWS} more rows in the JSON output.</p>'
        if len(frame) > MAX_HTML_ROWS
        else ""
    )
    return shown.to_html(index=False, escape=True, na_rep="", border=0) + more


def _evidence_section(row: pd.Series) -> str:
    v: Verdict = row["evidence"]
    parts = [f'<section id="claim-{escape(row["id"])}">',
             f'<h3>{escape(row["id"])} {_badge(v.verdict)} <span class="small">{escape(row["kind"])}</span></h3>',
             f"<blockquote>{escape(row['text'])}</blockquote>",
             "<h4>Checks</h4><ul>" + "".join(f"<li>{escape(c.line())}</li>" for c in v.checks) + "</ul>"]  # fmt: skip
    if v.corrections:
        parts.append(
            "<h4>Corrections</h4><ul>"
            + "".join(f"<li>{escape(c)}</li>" for c in v.corrections)
            + "</ul>"
        )
    if len(v.scopes) > 1:
        scopes = pd.DataFrame([{"scope": s.scope, "verdict": s.verdict, "states": len(s.members), "detail": s.detail}
                               for s in v.scopes])  # fmt: skip
        parts.append("<h4>How the verdict depends on the scope</h4>" + _frame_html(scopes))
    if v.missing:
        parts.append(
            "<h4>Missing data</h4><ul>"
            + "".join(f"<li>{escape(m)}</li>" for m in v.missing)
            + "</ul>"
        )
    if v.caveats:
        parts.append(
            "<h4>Source notes</h4><ul>"
            + "".join(f"<li>{escape(c)}</li>" for c in v.caveats)
            + "</ul>"
        )
    if v.evidence.figures:
        figures = pd.DataFrame({"figure": list(v.evidence.figures),
                                "value": [str(x) for x in v.evidence.figures.values()]})  # fmt: skip
        parts.append("<h4>Figures</h4>" + _frame_html(figures))
    for name, frame in v.evidence.rows.items():
        if len(frame):
            parts.append(f"<h4>Rows: {escape(name)}</h4>" + _frame_html(frame))
    if v.evidence.citations:
        items = "".join(
            f'<li>{escape(c["text"])}' + (f' <a href="{escape(c["url"])}">link</a>' if c.get("url") and c["url"] not in c["text"] else "") + "</li>"
            for c in v.evidence.citations
        )  # fmt: skip
        parts.append(f"<h4>Sources</h4><ol>{items}</ol>")
    parts.append('<p class="small"><a href="#claims-ledger">back to the ledger</a></p></section>')
    return "\n".join(parts)


def ledger_html(results: pd.DataFrame, evidence: bool = True) -> str:
    """A self-contained HTML fragment: the ledger of claims and verdicts, each linking to
    its full-evidence section (``#claim-<id>``), followed by those sections."""
    doc = results.attrs.get("document") or {}
    head = ""
    if doc:
        head = (f'<p>Claims of <em>{escape(str(doc.get("title", "")))}</em>, '
                f'{escape(str(doc.get("author", "")))} ({escape(str(doc.get("publisher", "")))}, '
                f'{escape(str(doc.get("date", "")))}).</p>')  # fmt: skip
    counts = " · ".join(f"{_badge(r.verdict)} {r.claims}" for r in tally(results).itertuples())
    rows = "".join(
        f'<tr><td><a href="#claim-{escape(r["id"])}">{escape(r["id"])}</a></td>'
        f"<td>{escape(r['text'])}</td><td>{_badge(r['verdict'])}</td>"
        f"<td>{escape(one_line(r['evidence']))}</td></tr>"
        for _, r in results.iterrows()
    )
    ledger = (f'<table id="claims-ledger"><thead><tr><th>claim</th><th>the document says</th>'
              f"<th>verdict</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>")  # fmt: skip
    sections = "\n".join(_evidence_section(r) for _, r in results.iterrows()) if evidence else ""
    return f'<div class="allegiance-claims">{_STYLE}{head}<p>{counts}</p>{ledger}{sections}</div>'


def to_html(results: pd.DataFrame) -> str:
    """A complete HTML page of :func:`ledger_html`."""
    title = escape(str((results.attrs.get("document") or {}).get("title", "Claims")))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body>{ledger_html(results)}</body></html>\n")  # fmt: skip
