"""Store methods of one capability, attached to ``Store`` by ``attach``."""

from __future__ import annotations


def attach(store_class) -> None:
    """Add this module's methods to ``Store``."""
