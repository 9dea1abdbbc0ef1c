"""Natural Earth Admin-0 country boundaries (GeoJSON, optionally gzipped), keyed by ISO3.

Features are keyed on ``ADM0_A3``, not ``ISO_A3``: in Natural Earth 4.x ``ISO_A3`` is
``-99`` for France, Norway, Kosovo and a few de-facto units. Where Natural Earth's own
``ADM0_A3`` differs from the ISO 3166 code of the same unit (South Sudan ``SDS``,
Palestine ``PSX``, Western Sahara ``SAH``, Aland ``ALD``, Kosovo ``KOS``), the key is the
ISO code (Kosovo: the user-assigned ``XKX``). Units with no ISO code (Northern Cyprus
``CYN``, Somaliland ``SOL``, Siachen Glacier ``KAS``, and in 1:50m some Australian
dependencies) keep their ``ADM0_A3``.

Each returned feature also gets ``"id"`` set to its key, so that plotly's default
``featureidkey="id"`` matches ISO3 locations. No third-party dependency: json + gzip.
Borders follow Natural Earth's de-facto conventions (check Crimea, Kosovo,
Abkhazia/South Ossetia, Northern Cyprus before publishing a map).
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

from allegiance.sources.base import SourceError

#: Natural Earth ADM0_A3 codes that differ from the ISO3 code the project uses.
ADM0_TO_ISO3 = {"SDS": "SSD", "PSX": "PSE", "SAH": "ESH", "ALD": "ALA", "KOS": "XKX"}

_KEY = "ADM0_A3"


def read(path: str | Path) -> dict[str, dict]:
    """Read a Natural Earth Admin-0 countries GeoJSON into ``{iso3: feature}``.

    Parameters
    ----------
    path
        ``ne_110m_admin_0_countries.geojson.gz`` (or 50m; plain ``.geojson`` also works).

    Returns
    -------
    dict
        One GeoJSON Feature per key, in file order, with ``feature["id"]`` = the key.

    Raises
    ------
    SourceError
        The file is missing, truncated, not JSON, not a FeatureCollection, or a feature
        lacks ``properties.ADM0_A3`` or repeats a key.

    Examples
    --------
    >>> world = read("ne_110m_admin_0_countries.geojson.gz")  # doctest: +SKIP
    >>> caucasus = features_for(world, ["ARM", "AZE", "GEO"])  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise SourceError(f"{path.name}: cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path.name}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path.name}: not a GeoJSON FeatureCollection")

    features: dict[str, dict] = {}
    for number, feature in enumerate(data.get("features", [])):
        code = (feature.get("properties") or {}).get(_KEY)
        if not isinstance(code, str) or len(code) != 3:
            raise SourceError(f"{path.name}: feature {number}: {_KEY}: missing or not 3 letters")
        key = ADM0_TO_ISO3.get(code, code)
        if key in features:
            raise SourceError(f"{path.name}: feature {number}: {_KEY}: repeats {key!r}")
        features[key] = {**feature, "id": key}
    return features


def features_for(features: dict[str, dict], iso3_list, *, strict: bool = False) -> dict:
    """A GeoJSON FeatureCollection of the given states, in the order given.

    Parameters
    ----------
    features
        The result of :func:`read`.
    iso3_list
        ISO3 codes. Codes with no feature (microstates at 1:110m, historical states) are
        left out, unless ``strict`` is true, in which case they raise ``KeyError``.
    """
    codes = list(dict.fromkeys(iso3_list))
    absent = [c for c in codes if c not in features]
    if strict and absent:
        raise KeyError(f"no Natural Earth feature for {', '.join(map(str, absent))}")
    return {"type": "FeatureCollection", "features": [features[c] for c in codes if c in features]}
