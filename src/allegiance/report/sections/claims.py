"""The claims ledger: each claim of a document, its verdict and the evidence."""

from __future__ import annotations

from pathlib import Path

from allegiance import claims
from allegiance.claims import render
from allegiance.report.section import Citation, Section, esc

TITLE = "Claims ledger"
#: The showcase document: an opinion article of 10 March 2025 (examples/claims).
DEFAULT_CLAIMS = Path("examples/claims/kuzio-2025-03-10.yaml")


def section(store, claims_file: Path | str | None = None) -> Section:
    """Check each claim of ``claims_file`` against the store and list the verdicts."""
    path = Path(claims_file) if claims_file else DEFAULT_CLAIMS
    if not claims_file and not path.exists():
        # Run from elsewhere than the project folder: the checkout's copy of the example.
        path = Path(__file__).resolve().parents[4] / DEFAULT_CLAIMS
    if not path.exists():
        raise FileNotFoundError(
            f"claims file {path} not found; pass --claims FILE (default {DEFAULT_CLAIMS}, "
            "relative to the project folder)"
        )
    results = claims.check(path, store=store)
    html = (
        f"<p>Claims from <code>{esc(path.name)}</code>, each checked against the store and "
        "the knowledge base. A verdict is what the data show about the claim as stated, not "
        "a judgement of the document. Each claim links to its full evidence below the "
        "ledger.</p>" + render.ledger_html(results)
    )
    document = results.attrs.get("document") or {}
    citations = []
    if document:
        citations.append(
            Citation(
                f"{document.get('author', '')}, “{document.get('title', '')}”, "
                f"{document.get('publisher', '')}, {document.get('date', '')} (the claims' "
                "source; an opinion article, not a source of facts).",
                document.get("url"),
            )
        )
    for verdict in results["evidence"]:
        for c in getattr(getattr(verdict, "evidence", None), "citations", None) or []:
            citations.append(Citation(str(c.get("text", "")), c.get("url")))
    return Section(
        TITLE, html, list(dict.fromkeys(citations)), data={"results": results, "path": path}
    )
