"""Every file allegiance reads: where it comes from, its pinned hash, and its terms.

The registry is data: ``registry.toml`` beside this module, read by ``allegiance fetch``,
``allegiance build`` (the citation of each source it loads) and ``al.cite()``. This module
only loads and checks it.

Each ``[[files]]`` key is laid out like the mirror (``unga/unxml_garesolutions/74.json.gz``,
``geo/ne_110m_admin_0_countries.geojson.gz``, ...): the path that ``allegiance fetch``
writes under :func:`allegiance.paths.cache_dir`. A file is in one of three states:

``pinned``
    It has an upstream URL at a fixed commit and the sha256 of the bytes that URL serves.
    ``fetch`` downloads it, checks the hash and applies the entry's ``transform``.
``unpinned``
    The upstream URL is known, but the mirror keeps a converted copy (``.rda`` turned into
    CSV or parquet, columns dropped), so the upstream bytes are not in hand and no hash
    can be pinned. ``fetch`` refuses to download unverified bytes; copy the file from a
    mirror and run ``allegiance build --from DIR``.
``manual``
    No direct file URL is known (UN Digital Library, Harvard Dataverse). ``manual`` says
    where to download it and where to put it.

Hashes were computed from the mirror described in each folder's ``SOURCES.md``: the
mirror file itself when it is the original blob, or its decompressed bytes when the mirror
keeps a gzip copy that decompresses to the original blob byte for byte. ``basis`` says
which. They have not been checked against the network (it is closed where the registry
was written); a mismatch makes ``fetch`` fail safely and delete the download.

``[derived]`` lists mirror files made from other files when the mirror was assembled; no
download reproduces them. :func:`not_reproducible` lists every file a fetch cannot make.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from allegiance.citation import Citation
from allegiance.errors import BadInputError

#: How the downloaded bytes become the file kept in the mirror.
#: ``copy``: kept as downloaded (possibly under another name);
#: ``gzip``: gzip-compressed (the mirror keeps ``<name>.gz``);
#: ``gzip-strip-bom``: a leading UTF-8 byte-order mark is dropped, then gzip-compressed.
TRANSFORMS = ("copy", "gzip", "gzip-strip-bom")


@dataclass(frozen=True)
class Source:
    """One dataset: who publishes it, how to cite it and on what terms."""

    key: str
    title: str
    citation: str
    licence: str
    provenance: str
    url: str | None = None

    def as_citation(self) -> Citation:
        return Citation(
            self.citation, url=self.url, key=self.key, title=self.title, licence=self.licence
        )


@dataclass(frozen=True)
class Entry:
    """One file in the mirror layout and how to obtain it."""

    name: str  # path in the mirror layout
    source: str  # key of SOURCES
    url: str | None = None  # pinned upstream URL (raw file at a full commit sha)
    sha256: str | None = None  # of the bytes the URL serves, before the transform
    transform: str = "copy"
    basis: str = ""  # where the pin comes from
    manual: str | None = None  # how to get the file by hand when it cannot be fetched
    note: str = ""
    #: mirror files that are converted copies of this one; fetch cannot make them, so the
    #: readers must accept this file in their place.
    stands_for: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.transform not in TRANSFORMS:
            raise ValueError(f"{self.name}: unknown transform {self.transform!r}")
        if self.sha256 is not None and self.url is None:
            raise ValueError(f"{self.name}: a pinned hash needs a URL")

    @property
    def status(self) -> str:
        """``pinned``, ``unpinned`` or ``manual``."""
        if self.manual is not None:
            return "manual"
        return "pinned" if self.sha256 else "unpinned"


class RegistryError(BadInputError):
    """``registry.toml`` is malformed; the message names the entry and field."""


@cache
def _load() -> tuple[dict[str, Source], dict[str, Entry], dict[str, str]]:
    text = resources.files("allegiance.sources").joinpath("registry.toml").read_text("utf-8")
    data = tomllib.loads(text)
    sources = {}
    for key, fields in data.get("sources", {}).items():
        try:
            sources[key] = Source(key=key, **fields)
        except TypeError as exc:
            raise RegistryError(f"registry.toml [sources.{key}]: {exc}") from None
    entries = {}
    for i, fields in enumerate(data.get("files", [])):
        fields = dict(fields)
        fields["stands_for"] = tuple(fields.get("stands_for", ()))
        try:
            entry = Entry(**fields)
        except TypeError as exc:
            raise RegistryError(f"registry.toml [[files]] #{i + 1}: {exc}") from None
        if entry.source not in sources:
            raise RegistryError(f"registry.toml {entry.name}: unknown source {entry.source!r}")
        entries[entry.name] = entry
    return sources, entries, dict(data.get("derived", {}))


SOURCES: dict[str, Source] = _load()[0]
REGISTRY: dict[str, Entry] = _load()[1]
#: Mirror files made from other files when the mirror was assembled, with how.
DERIVED: dict[str, str] = _load()[2]


def source(key: str) -> Source:
    """The registry entry of one source id (``"sipri"``), or an error listing the known ids."""
    try:
        return SOURCES[key]
    except KeyError:
        raise RegistryError(
            f"unknown source {key!r}; known sources: {', '.join(sorted(SOURCES))}"
        ) from None


def pinned() -> list[Entry]:
    """The entries ``allegiance fetch`` downloads by default."""
    return [e for e in REGISTRY.values() if e.status == "pinned"]


def not_reproducible() -> dict[str, str]:
    """Mirror files that ``allegiance fetch`` cannot produce, with the reason for each."""
    out: dict[str, str] = {}
    for e in REGISTRY.values():
        if e.status == "manual":
            out[e.name] = str(e.manual)
        elif e.status == "unpinned":
            out[e.name] = f"no pinned hash: {e.note}"
        for converted in e.stands_for:
            out[converted] = f"converted copy of {e.name}; fetch stores that file instead"
    out.update(DERIVED)
    return out
