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
    return pd.DataFrame(
        {
            "id": results["id"],
            "kind": results["kind"],
            "verdict": results["verdict"],
            "evidence": [one_line(v, width) for v in results["evidence"]],
        }
    )


def to_json(results: pd.DataFrame) -> str:
    """The document, the tally and every claim with its full evidence, as JSON."""
    payload = {
        "document": results.attrs.get("document"),
        "tally": dict(zip(*tally(results).to_dict(orient="list").values(), strict=True)),
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
.allegiance-claims th,.allegiance-claims td{border:1px solid #d0d7de;padding:3px 6px;
  vertical-align:top;text-align:left}
.allegiance-claims .verdict{color:#fff;border-radius:3px;padding:1px 6px;white-space:nowrap;
  font-weight:600}
.allegiance-claims blockquote{margin:.3em 0 .6em 0;padding-left:.8em;
  border-left:3px solid #d0d7de;color:#57606a}
.allegiance-claims section{margin:1.5em 0;border-top:1px solid #d0d7de}
.allegiance-claims .small{font-size:12px;color:#57606a}
</style>
"""


def _badge(verdict: str) -> str:
    colour = _COLOURS.get(verdict, "#6e7781")
    return f'<span class="verdict" style="background:{colour}">{escape(verdict)}</span>'


def _frame_html(frame: pd.DataFrame) -> str:
    shown = frame.head(MAX_HTML_ROWS).drop(columns=[c for c in ("file", "line") if c in frame])
    more = (
        f'<p class="small">{len(frame) - MAX_HTML_ROWS} more rows in the JSON output.</p>'
        if len(frame) > MAX_HTML_ROWS
        else ""
    )
    return shown.to_html(index=False, escape=True, na_rep="", border=0) + more


def _items(title: str, items: list[str], tag: str = "ul") -> str:
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<h4>{escape(title)}</h4><{tag}>{lis}</{tag}>" if items else ""


def _citation(c: dict) -> str:
    link = ""
    if c.get("url") and c["url"] not in c["text"]:
        link = f' <a href="{escape(c["url"])}">link</a>'
    quote = f'<br><q class="small">{escape(c["quote"])}</q>' if c.get("quote") else ""
    return f"<li>{escape(c['text'])}{link}{quote}</li>"


def _checks(v: Verdict) -> str:
    """Each tested part of the claim, with the sources that back the fact it was tested on."""
    if not v.checks:
        return ""
    items = []
    for c in v.checks:
        mark = {True: "holds", False: "does not hold", None: "not checkable"}[c.ok]
        colour = {True: _COLOURS[SUPPORTED], False: _COLOURS[CONTRADICTED], None: "#6e7781"}[c.ok]
        detail = f" — {escape(c.detail)}" if c.detail else ""
        backing = ""
        if c.sources:
            backing = '<ul class="small">' + "".join(_citation(s) for s in c.sources) + "</ul>"
        items.append(f'<li>{escape(c.what)}: <b style="color:{colour}">{mark}</b>{detail}'
                     f"{backing}</li>")  # fmt: skip
    return "<h4>Checks and the sources behind each</h4><ul>" + "".join(items) + "</ul>"


def _evidence_section(row: pd.Series) -> str:
    v: Verdict = row["evidence"]
    parts = [
        f'<section id="claim-{escape(row["id"])}">',
        f"<h3>{escape(row['id'])} {_badge(v.verdict)} "
        f'<span class="small">{escape(row["kind"])}</span></h3>',
        f"<blockquote>{escape(row['text'])}</blockquote>",
        _checks(v),
        _items("Corrections", v.corrections),
    ]
    if len(v.scopes) > 1:
        scopes = pd.DataFrame(
            {
                "scope": [s.scope for s in v.scopes],
                "verdict": [s.verdict for s in v.scopes],
                "states": [len(s.members) for s in v.scopes],
                "detail": [s.detail for s in v.scopes],
            }
        )
        parts.append("<h4>How the verdict depends on the scope</h4>" + _frame_html(scopes))
    parts += [_items("Missing data", v.missing), _items("Source notes", v.caveats)]
    if v.evidence.figures:
        figures = pd.DataFrame(
            {
                "figure": list(v.evidence.figures),
                "value": [str(x) for x in v.evidence.figures.values()],
            }
        )
        parts.append("<h4>Figures</h4>" + _frame_html(figures))
    for name, frame in v.evidence.rows.items():
        if len(frame):
            title = (
                "Votes: what each state did and what the claim says"
                if name.endswith("votes")
                else f"Rows: {name}"
            )
            parts.append(f"<h4>{escape(title)}</h4>" + _frame_html(frame))
    if v.evidence.citations:
        items = "".join(_citation(c) for c in v.evidence.citations)
        parts.append(f"<h4>Sources</h4><ol>{items}</ol>")
    parts.append('<p class="small"><a href="#claims-ledger">back to the ledger</a></p></section>')
    return "\n".join(parts)


def ledger_html(results: pd.DataFrame, evidence: bool = True) -> str:
    """A self-contained HTML fragment: the ledger of claims and verdicts, each linking to
    its full-evidence section (``#claim-<id>``), followed by those sections."""
    doc = results.attrs.get("document") or {}
    head = ""
    if doc:
        title = escape(str(doc.get("title", "")))
        if doc.get("url"):
            title = f'<a href="{escape(str(doc["url"]))}">{title}</a>'
        read = ""
        if doc.get("read_at"):
            read = f' Read at <a href="{escape(str(doc["read_at"]))}">a copy</a>.'
        head = (
            f"<p>Claims of <em>{title}</em>, "
            f"{escape(str(doc.get('author', '')))} ({escape(str(doc.get('publisher', '')))}, "
            f"{escape(str(doc.get('date', '')))}).{read}</p>"
        )
    counts = " · ".join(f"{_badge(r.verdict)} {r.claims}" for r in tally(results).itertuples())
    rows = "".join(
        f'<tr><td><a href="#claim-{escape(r["id"])}">{escape(r["id"])}</a></td>'
        f"<td>{escape(r['text'])}</td><td>{_badge(r['verdict'])}</td>"
        f"<td>{escape(one_line(r['evidence']))}</td></tr>"
        for _, r in results.iterrows()
    )
    ledger = (
        f'<table id="claims-ledger"><thead><tr><th>claim</th><th>the document says</th>'
        f"<th>verdict</th><th>evidence</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    sections = "\n".join(_evidence_section(r) for _, r in results.iterrows()) if evidence else ""
    return f'<div class="allegiance-claims">{_STYLE}{head}<p>{counts}</p>{ledger}{sections}</div>'


def to_html(results: pd.DataFrame) -> str:
    """A complete HTML page of :func:`ledger_html`."""
    title = escape(str((results.attrs.get("document") or {}).get("title", "Claims")))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{ledger_html(results)}</body></html>\n"
    )
