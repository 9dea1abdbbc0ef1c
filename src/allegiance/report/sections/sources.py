"""Sources and attribution: every citation the report used."""

from __future__ import annotations

from allegiance.report.section import Citation, Section, esc, link, linkify
from allegiance.store.store import UN_ATTRIBUTION

TITLE = "Sources and attribution"


def section(store, used: list[Citation] = ()) -> Section:
    """The store's sources, the UN attribution, and each citation the sections used."""
    store_citations = store.citations()
    data_items = "".join(
        f"<li><code>{esc(r.source)}</code>: {linkify(r.citation)}</li>"
        for r in store_citations.itertuples()
    )
    # A citation that names a store source ("comtrade") is that source, listed above.
    known = {UN_ATTRIBUTION, *store_citations["citation"], *store_citations["source"]}
    extra = [c for c in dict.fromkeys(used) if c.text not in known]
    extra_items = "".join(
        f"<li>{link(c.text, c.url) if c.url else linkify(c.text)}</li>" for c in extra
    )
    html = (
        f'<p class="attribution"><strong>{esc(UN_ATTRIBUTION)}</strong> The United Nations '
        "licenses its voting data for non-commercial use with attribution; this report "
        "credits it here and under each chart drawn from votes.</p>"
        "<p>Maps: <strong>Made with Natural Earth</strong> (public domain). Arms transfers: "
        "SIPRI. Trade: Correlates of War (COW). Public opinion: Caucasus Research Resource "
        "Centers (CRRC), Caucasus Barometer.</p>"
        f"<h3>Data sources in the store</h3><ol>{data_items}</ol>"
        f"<h3>Further sources cited in this report ({len(extra)})</h3>"
        "<p class=note>Chiefly the knowledge base: each fact carries its own source.</p>"
        f'<ol class="citations">{extra_items}</ol>'
    )
    citations = [Citation(c) for c in store_citations["citation"]] + extra
    return Section(TITLE, html, citations, data={"store": store_citations, "extra": extra})
