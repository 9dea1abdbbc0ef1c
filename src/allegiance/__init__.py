"""allegiance: geopolitical alignment and spheres of influence from open data."""

from __future__ import annotations

__version__ = "0.1.0"
