"""What a report section is: a title, its HTML, the citations it used, and its status."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from allegiance.citation import Citation

#: A section rendered, or one that raised (its place holds the error).
OK, FAILED = "ok", "failed"


@dataclass
class Section:
    """One section of the report.

    Parameters
    ----------
    title : str
        The heading, also used in the table of contents.
    html : str
        The body, already escaped.
    citations : list of Citation
        Every source the section drew on; the sources section lists them all.
    status : str
        ``ok`` or ``failed``.
    data : dict
        What the section computed (frames, the states of each panel), for tests and reuse.
    error : str, optional
        Why the section failed.
    key : str
        Its key in ``allegiance.report.render.ORDER`` (set when rendered); the page anchor.
    """

    title: str
    html: str
    citations: list[Citation] = field(default_factory=list)
    status: str = OK
    data: dict = field(default_factory=dict)
    error: str | None = None
    key: str = ""

    @property
    def anchor(self) -> str:
        """The id of the section in the page: its key in the report's order, else its title."""
        return self.key or re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


def failed(title: str, exc: BaseException) -> Section:
    """The error box shown in place of a section that raised."""
    message = f"{type(exc).__name__}: {exc}"
    body = (
        f'<div class="error-box" role="alert"><strong>The section “{esc(title)}” failed.</strong>'
        f"<pre>{esc(message)}</pre>The rest of the report was rendered; run "
        "<code>allegiance report</code> again after fixing the cause.</div>"
    )
    return Section(title, body, status=FAILED, error=message)


# -- small HTML helpers shared by the sections -------------------------------------------
def esc(value) -> str:
    return html.escape("" if value is None else str(value))


_URL = re.compile(r"https?://[^\s,;)]+")


def link(text: str, url: str | None) -> str:
    """A citation link (class ``cite``: the only kind of external address in the report)."""
    if not url:
        return esc(text)
    return f'<a class="cite" href="{esc(url)}">{esc(text)}</a>'


def linkify(text: str) -> str:
    """Escape ``text`` and turn the addresses in it into citation links."""
    out, last = [], 0
    for m in _URL.finditer(text or ""):
        url = m.group(0).rstrip(".")
        out.append(esc(text[last : m.start()]))
        out.append(link(url, url))
        last = m.start() + len(url)
    out.append(esc((text or "")[last:]))
    return "".join(out)


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "", numeric=()) -> str:
    """An HTML table; cells are HTML already (escape with :func:`esc`)."""
    numeric = set(numeric)
    heads = list(headers)
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(heads)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure(svg: str, caption: str, cls: str = "") -> str:
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="{cls}">{svg}{caption_html}</figure>'


def number(value) -> str:
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return "–"
