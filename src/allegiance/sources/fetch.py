"""Download the pinned releases in the registry into the fetch cache, verified.

Each file is downloaded to a temporary file next to its destination, its sha256 checked
against the registry, then transformed (e.g. gzip-compressed) and moved into place, so a
half-finished or wrong download never sits where a reader would find it. Files already
present with the right hash are not downloaded again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from allegiance import paths
from allegiance.errors import AllegianceError
from allegiance.sources.registry import REGISTRY, Entry

CHUNK = 1 << 16
BOM = b"\xef\xbb\xbf"
#: Seconds to wait for a connection or for the next block of data.
DEFAULT_TIMEOUT = 5.0
OFFLINE_REMEDY = (
    "If this machine is offline, copy a mirror of the source files from elsewhere and "
    "build from it with `allegiance build --from DIR`."
)


class FetchError(AllegianceError):
    """A file could not be fetched or failed verification; the message says what to do."""


def download_bars(progress: bool) -> Progress:
    """The progress display of a download: one bar per file, gone when it finishes."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        disable=not progress,
        transient=True,
    )


def why_failed(err: BaseException, timeout: float) -> str:
    """A connection failure in words: name resolution, refusal, time-out or the reason."""
    reason = getattr(err, "reason", err)
    if isinstance(reason, socket.gaierror):
        return "the host name could not be resolved"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    return str(reason)


def fetch(
    names: Iterable[str] | None = None,
    dest: Path | None = None,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    registry: Mapping[str, Entry] | None = None,
) -> list[Path]:
    """Download and verify registry files into the mirror layout.

    Parameters
    ----------
    names : iterable of str, optional
        Registry names (``"unga/unxml_garesolutions/74.json.gz"``) or folders
        (``"unga/unxml_garesolutions"``). By default every pinned entry.
    dest : Path, optional
        The mirror folder to fill; by default :func:`allegiance.paths.cache_dir`.
    progress : bool
        Show a Rich progress bar per download.
    timeout : float
        Seconds to wait for a connection or data before giving up. The first network
        failure aborts the whole fetch.
    registry : mapping, optional
        The entries to draw on; by default :data:`allegiance.sources.registry.REGISTRY`.

    Returns
    -------
    list of Path
        The files in place, in the order requested (already present ones included).

    Raises
    ------
    FetchError
        A download failed, the host cannot be reached, a hash does not match (the
        download is deleted), or a named entry cannot be fetched (unpinned or manual;
        the message says how to obtain it).

    Examples
    --------
    >>> from allegiance.sources.fetch import fetch
    >>> fetch(["unga/unxml_garesolutions/ES-11.json.gz"])  # doctest: +SKIP
    [PosixPath('/home/me/.local/share/allegiance/mirror/unga/unxml_garesolutions/ES-11.json.gz')]
    """
    registry = REGISTRY if registry is None else registry
    dest = Path(dest) if dest is not None else paths.cache_dir()
    entries = _select(registry, names)
    out: list[Path] = []
    with download_bars(progress) as bar:
        for entry in entries:
            target = dest / entry.name
            if entry.status != "pinned":
                if target.exists():  # placed by hand; nothing to verify against
                    out.append(target)
                    continue
                raise FetchError(_cannot_fetch(entry, dest))
            if target.exists() and mirror_digest(target, entry.transform) == entry.sha256:
                out.append(target)
                continue
            out.append(_download(entry, target, timeout, bar))
    return out


def mirror_digest(path: Path, transform: str) -> str:
    """The sha256 of the upstream bytes that the mirror file ``path`` was made from."""
    digest = hashlib.sha256()
    if transform == "gzip-strip-bom":
        digest.update(BOM)
    opener = open if transform == "copy" else gzip.open
    with opener(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _select(registry: Mapping[str, Entry], names: Iterable[str] | None) -> list[Entry]:
    if names is None:
        return [e for e in registry.values() if e.status == "pinned"]
    chosen: dict[str, Entry] = {}
    for name in names:
        key = name.strip("/")
        if key in registry:
            chosen[key] = registry[key]
            continue
        inside = {n: e for n, e in registry.items() if n.startswith(key + "/")}
        if not inside:
            raise FetchError(
                f"{name!r} is not in the registry. Known folders: "
                f"{', '.join(sorted({n.split('/')[0] for n in registry}))}."
            )
        # A folder means what can be fetched in it; unpinned and manual files are
        # reported by `not_reproducible`, not treated as errors.
        chosen.update({n: e for n, e in inside.items() if e.status == "pinned"})
    return list(chosen.values())


def _cannot_fetch(entry: Entry, dest: Path) -> str:
    target = dest / entry.name
    if entry.status == "manual":
        how = str(entry.manual).replace("<mirror>", str(dest))
        return f"{entry.name} must be obtained by hand: {how}"
    return (
        f"{entry.name} cannot be fetched: its upstream file ({entry.url}) has no pinned "
        f"hash, so a download could not be verified. {entry.note} Put the file at {target}."
    )


def _download(entry: Entry, target: Path, timeout: float, bar: Progress) -> Path:
    assert entry.url is not None and entry.sha256 is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as sink:
            got = _stream(entry, sink, timeout, bar)
        if got != entry.sha256:
            raise FetchError(
                f"{entry.name}: the download from {entry.url} does not match the pinned "
                f"hash (expected sha256 {entry.sha256}, got {got}); it was deleted. The file "
                "was corrupted in transit or changed upstream. Run `allegiance fetch` again; "
                "if it fails the same way, report it, and meanwhile build from a verified "
                "copy with `allegiance build --from DIR`."
            )
        _place(tmp, target, entry.transform)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _stream(entry: Entry, sink, timeout: float, bar: Progress) -> str:
    digest = hashlib.sha256()
    request = urllib.request.Request(entry.url, headers={"User-Agent": "allegiance-fetch"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            task = bar.add_task(entry.name, total=int(length) if length else None)
            while block := response.read(CHUNK):
                digest.update(block)
                sink.write(block)
                bar.advance(task, len(block))
            bar.remove_task(task)
    except urllib.error.HTTPError as err:
        raise FetchError(
            f"{entry.name}: {entry.url} answered HTTP {err.code} {err.reason}. The pinned "
            "file may have moved; obtain it by hand and build with `allegiance build --from "
            "DIR`."
        ) from err
    except (urllib.error.URLError, OSError) as err:
        raise FetchError(
            f"{entry.name}: cannot download {entry.url}: {why_failed(err, timeout)}. Stopped "
            f"at the first failure. {OFFLINE_REMEDY}"
        ) from err
    return digest.hexdigest()


def _place(tmp: Path, target: Path, transform: str) -> None:
    if transform == "copy":
        os.replace(tmp, target)
        return
    fd, packed_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".gz", dir=target.parent)
    packed = Path(packed_name)
    try:
        # mtime=0 and no file name in the header make the output reproducible.
        with (
            open(tmp, "rb") as src,
            os.fdopen(fd, "wb") as raw_out,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw_out, mtime=0) as out,
        ):
            if transform == "gzip-strip-bom":
                head = src.read(len(BOM))
                if head != BOM:
                    out.write(head)
            shutil.copyfileobj(src, out, CHUNK)
        os.replace(packed, target)
    finally:
        packed.unlink(missing_ok=True)
