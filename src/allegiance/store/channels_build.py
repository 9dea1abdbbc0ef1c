"""Loading the non-vote channels (trade, arms, opinion, boundaries) into the store."""

from __future__ import annotations

from pathlib import Path


def write_channels(con, mirror: Path) -> None:
    """Write the channel tables; a source missing from the mirror is skipped."""
