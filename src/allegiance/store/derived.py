"""A cache of derived results (ideal-point fits) in a folder beside the store.

The store file itself is never written after a build. Results derived from it are kept
in ``<store>.cache/<build id>/`` as Parquet files, each written to a temporary name and
moved into place, so an open reader of the store never blocks a cache write, a killed
write leaves no half file, and a rebuilt store (a new build id) never sees results fitted
on the old one. Folders of older builds are removed when a new result is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from allegiance._lazy import lazy

pd = lazy("pandas")

__all__ = ["read", "write"]


def _folder(store) -> Path:
    return store.cache_dir / store.build_id


def _file(store, kind: str, key: str, part: str) -> Path:
    return _folder(store) / f"{kind}-{key}-{part}.parquet"


def read(store, kind: str, key: str, parts: tuple[str, ...]) -> dict[str, pd.DataFrame] | None:
    """The cached frames of one result, or None when any part is missing or unreadable."""
    out = {}
    for part in parts:
        path = _file(store, kind, key, part)
        if not path.is_file():
            return None
        try:
            out[part] = pd.read_parquet(path)
        except Exception:  # noqa: BLE001 - a damaged cache file is a cache miss, refitted
            return None
    return out


def write(store, kind: str, key: str, frames: dict[str, pd.DataFrame]) -> Path | None:
    """Write the frames of one result atomically; None (and no exception) if the folder
    cannot be written, since a cache that cannot be kept only costs a refit."""
    folder = _folder(store)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for part, frame in frames.items():
            target = _file(store, kind, key, part)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
            os.close(fd)
            try:
                frame.to_parquet(tmp, index=False)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except OSError:
        return None
    for old in store.cache_dir.iterdir():
        if old.is_dir() and old.name != store.build_id:
            shutil.rmtree(old, ignore_errors=True)
    return folder
