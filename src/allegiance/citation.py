"""One type for a citation, whether of a dataset in the source registry or of a document
behind a knowledge-base record, with its plain-text and BibTeX forms."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """What to cite for one source.

    Parameters
    ----------
    text : str
        The citation as a reader would write it in a bibliography.
    url : str, optional
    key : str, optional
        The source id (``"sipri"``, ``"unxml"``, ``"kb"``) or a record's id.
    title : str, optional
        The dataset's or document's title.
    licence : str, optional
        The terms of use, for datasets.

    Examples
    --------
    >>> c = Citation("SIPRI (2026).", key="sipri", title="SIPRI Arms Transfers Database")
    >>> c.to_text()
    'SIPRI (2026).'
    >>> print(c.to_bibtex().splitlines()[0])
    @misc{sipri,
    """

    text: str
    url: str | None = None
    key: str = ""
    title: str = ""
    licence: str | None = None

    def to_text(self) -> str:
        return self.text

    def to_bibtex(self) -> str:
        """A ``@misc`` entry: the title, the full citation as a note, and the URL if any."""
        key = re.sub(r"[^A-Za-z0-9_:-]+", "_", self.key or self.title or self.text[:40])
        fields = [("title", "{" + _tex(self.title or self.text) + "}"), ("note", _tex(self.text))]
        if self.url:
            fields.append(("howpublished", "\\url{" + self.url + "}"))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{key},\n{body}\n}}"


def _tex(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text)
