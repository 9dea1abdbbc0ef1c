"""Download GDELT event files from GDELT's own master file lists, checking each MD5.

GDELT publishes, beside its files, the list of every file with its MD5:

- GDELT 1.0: ``http://data.gdeltproject.org/events/md5sums`` (``<md5>  <file name>`` per
  line; ``YYYY.zip`` for 1979-2005, ``YYYYMM.zip`` to March 2013, then
  ``YYYYMMDD.export.CSV.zip`` per day);
- GDELT 2.0: ``http://data.gdeltproject.org/gdeltv2/masterfilelist.txt`` (``<bytes> <md5>
  <url>`` per line; one ``YYYYMMDDHHMMSS.export.CSV.zip`` every 15 minutes from
  2015-02-18).

:func:`fetch_events` picks the files whose dates fall in ``[since, until]``, downloads each
to ``<name>.part`` and resumes an interrupted download with an HTTP range request. A
finished file whose MD5 differs from the list's is deleted and reported. Offline, the first
connection failure stops the fetch at once and names ``--from`` as the remedy.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.progress import Progress

from allegiance import paths
from allegiance.sources.fetch import DEFAULT_TIMEOUT, FetchError, download_bars, why_failed

CHUNK = 1 << 16
#: GDELT's master file lists.
MASTER_LISTS = {
    "gdelt1": "http://data.gdeltproject.org/events/md5sums",
    "gdelt2": "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt",
}
GDELT1_BASE = "http://data.gdeltproject.org/events/"
OFFLINE_REMEDY = (
    "If this machine is offline, copy the GDELT files from elsewhere and build from them "
    "with `allegiance events build --from DIR --out DIR`."
)


@dataclass(frozen=True)
class GdeltFile:
    """One event file in a master list and the days it covers."""

    name: str
    url: str
    md5: str
    first_day: date
    last_day: date
    size: int | None = None


def _span(name: str) -> tuple[date, date] | None:
    stem = name.split(".")[0]
    if not stem.isdigit():
        return None
    if len(stem) == 4:
        return date(int(stem), 1, 1), date(int(stem), 12, 31)
    if len(stem) == 6:
        y, m = int(stem[:4]), int(stem[4:])
        end = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), date.fromordinal(end.toordinal() - 1)
    if len(stem) in (8, 14):
        day = date(int(stem[:4]), int(stem[4:6]), int(stem[6:8]))
        return day, day
    return None


def parse_md5sums(text: str, base: str = GDELT1_BASE) -> list[GdeltFile]:
    """The GDELT 1.0 event files in ``md5sums`` (GKG and the reduced master file left out)."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 2 or not re.fullmatch(r"[0-9a-f]{32}", parts[0]):
            continue
        md5, name = parts
        span = _span(name)
        if span is None or not re.fullmatch(r"\d{4}\.zip|\d{6}\.zip|\d{8}\.export\.CSV\.zip",
                                            name):  # fmt: skip
            continue
        out.append(GdeltFile(name, base + name, md5, *span))
    return out


def parse_masterfilelist(text: str) -> list[GdeltFile]:
    """The GDELT 2.0 event export files in ``masterfilelist.txt`` (mentions and GKG left out)."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[2].endswith(".export.CSV.zip"):
            continue
        size, md5, url = parts
        name = url.rsplit("/", 1)[-1]
        span = _span(name)
        if span is None:
            continue
        out.append(GdeltFile(name, url, md5, *span, size=int(size) if size.isdigit() else None))
    return out


def select(files: list[GdeltFile], since: date, until: date) -> list[GdeltFile]:
    """Files covering any day of ``[since, until]``."""
    return [f for f in files if f.first_day <= until and f.last_day >= since]


def _open(url: str, timeout: float, start: int = 0):
    headers = {"User-Agent": "allegiance-fetch"}
    if start:
        headers["Range"] = f"bytes={start}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and start:  # nothing left to send: the part file is complete
            return None
        raise FetchError(f"{url} answered HTTP {err.code} {err.reason}.") from err
    except (urllib.error.URLError, OSError) as err:
        raise FetchError(
            f"cannot download {url}: {why_failed(err, timeout)}. Stopped at the first failure. "
            f"{OFFLINE_REMEDY}"
        ) from err


def master_list(version: str, timeout: float = DEFAULT_TIMEOUT, url: str | None = None):
    """The event files of GDELT ``gdelt1`` or ``gdelt2`` from its master file list."""
    if version not in MASTER_LISTS:
        raise FetchError(f"unknown GDELT version {version!r}; use gdelt1 or gdelt2")
    url = url or MASTER_LISTS[version]
    with _open(url, timeout) as response:
        text = response.read().decode("utf-8", "replace")
    if version == "gdelt1":
        return parse_md5sums(text, base=url.rsplit("/", 1)[0] + "/")
    return parse_masterfilelist(text)


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def download(item: GdeltFile, folder: Path, timeout: float, bar: Progress) -> Path:
    """Download one file (resuming a ``.part``), check its MD5, move it into place."""
    target = folder / item.name
    if target.exists() and md5_of(target) == item.md5:
        return target
    part = folder / (item.name + ".part")
    start = part.stat().st_size if part.exists() else 0
    response = _open(item.url, timeout, start)
    task = bar.add_task(item.name, total=item.size, completed=start)
    if response is not None:
        with response:
            resumed = start and response.status == 206
            with open(part, "ab" if resumed else "wb") as sink:
                if not resumed:
                    bar.update(task, completed=0)
                try:
                    while block := response.read(CHUNK):
                        sink.write(block)
                        bar.advance(task, len(block))
                except (OSError, urllib.error.URLError) as err:
                    raise FetchError(
                        f"{item.name}: the download from {item.url} stopped ({why_failed(err, timeout)}); "
                        f"{part.stat().st_size if part.exists() else 0} bytes are kept in "
                        f"{part}, and the next `allegiance fetch --events` resumes from there."
                    ) from err
    bar.remove_task(task)
    got = md5_of(part)
    if got != item.md5:
        part.unlink(missing_ok=True)
        raise FetchError(
            f"{item.name}: the download from {item.url} does not match the MD5 in GDELT's "
            f"master file list (expected {item.md5}, got {got}); it was deleted. Run the "
            "fetch again; if it fails the same way the file changed upstream."
        )
    part.replace(target)
    return target


def fetch_events(
    version: str,
    since: date,
    until: date,
    dest: Path | None = None,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    master_url: str | None = None,
) -> list[Path]:
    """Download the GDELT event files of ``version`` covering ``since`` to ``until``.

    Parameters
    ----------
    version : {"gdelt1", "gdelt2"}
    since, until : date
        Inclusive dates; every file covering a day of the window is fetched (a 1.0 monthly
        file covers its whole month).
    dest : Path, optional
        Folder for the files (default ``$ALLEGIANCE_HOME/mirror/events/<version>``).
    progress : bool
        Show a progress bar per file.
    timeout : float
        Seconds to wait for a connection or for data.
    master_url : str, optional
        Another master file list (a local mirror of GDELT, or a test server).

    Returns
    -------
    list of Path
        The files in place, verified.

    Raises
    ------
    FetchError
        Offline, an HTTP error, or an MD5 mismatch (the download is deleted).
    """
    if since > until:
        raise FetchError(f"--since {since} is after --until {until}")
    folder = Path(dest) if dest else paths.cache_dir() / "events" / version
    files = select(master_list(version, timeout, master_url), since, until)
    if not files:
        raise FetchError(f"GDELT's {version} master list has no event file from {since} to {until}")
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    with download_bars(progress) as bar:
        overall = bar.add_task(f"{version}: {len(files)} files", total=len(files))
        for item in files:
            out.append(download(item, folder, timeout, bar))
            bar.advance(overall)
    return out
