"""CAMEO event codes, Goldstein scores, quad classes, PLOVER types and country codes.

One reader of the CAMEO lookup tables (GDELT's ``CAMEO.eventcodes.txt`` and
``CAMEO.goldsteinscale.txt``, the icews package's ``cameo_codes_icews_pkg.csv``), and the
small fixed tables every event reader shares:

- **Quad classes** (verbal/material x cooperation/conflict) by CAMEO root code, in the
  convention of the ICEWS data and of PLOVER: roots 01-05 verbal cooperation, 06-08
  material cooperation, 09-13 verbal conflict, 14-20 material conflict. GDELT 1.0's own
  ``QuadClass`` field puts root 09 (investigate) in material cooperation and root 14
  (protest) in verbal conflict; allegiance re-derives the quad from the code so that every
  dataset is counted the same way (docs/events.md).
- **PLOVER** event types and their quad class (PLOVER manual, Open Event Data Alliance),
  and the CAMEO-to-PLOVER mapping of the Open Event Data Alliance's
  ``CAMEO2PLOVER-2021.txt`` (GitHub openeventdata/PLOVER), so that POLECAT (PLOVER-coded)
  and GDELT/ICEWS (CAMEO-coded) events meet in the same quad classes.
- **Country codes**: CAMEO actor country codes are ISO 3166 alpha-3 with a few exceptions
  (GDELT's ``CAMEO.country.txt`` writes ``ROM`` for Romania, ``TMP`` for East Timor and
  ``MTN`` for Montenegro). :func:`country_spells` turns every code into the state it meant
  on each date with :mod:`allegiance.states` (``RUS`` before 1991-12-24 is the USSR).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from allegiance import states
from allegiance.sources._io import read_csv
from allegiance.sources.base import SourceError

QUAD_NAMES = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}

#: PLOVER event types and their quad class, as the PLOVER manual heads each category.
#: POLECAT writes DEMAND as REQUEST.
PLOVER_QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "DEMAND": 3, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip

#: CAMEO root code -> PLOVER type (CAMEO2PLOVER-2021.txt). Roots 01 and 02 (statements,
#: appeals) have no PLOVER category: PLOVER does not code comments.
_PLOVER_BY_ROOT = {
    "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
    "08": "CONCEDE", "09": "ACCUSE", "10": "DEMAND", "11": "ACCUSE", "12": "REJECT",
    "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE",
    "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}  # fmt: skip
#: Codes that CAMEO2PLOVER-2021.txt maps away from their root's type: YIELD (08) splits
#: into CONCEDE (verbal) and RETREAT (material); a few coercive codes move between
#: SANCTION, COERCE and ASSAULT.
_PLOVER_BY_CODE = {
    "0813": "RETREAT", "0814": "RETREAT", "084": "RETREAT", "0841": "RETREAT",
    "0842": "RETREAT", "085": "RETREAT", "086": "RETREAT", "0861": "RETREAT",
    "0862": "RETREAT", "0863": "RETREAT", "087": "RETREAT", "0871": "RETREAT",
    "0872": "RETREAT", "0873": "RETREAT", "0874": "RETREAT",
    "163": "COERCE", "1712": "ASSAULT", "175": "ASSAULT", "191": "COERCE", "192": "COERCE",
}  # fmt: skip

#: GDELT's CAMEO.country.txt codes that are not the ISO3 code of the state.
COUNTRY_ALIASES = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE"}

#: Open ends of date spells (``last_day`` is exclusive).
FIRST_DAY = date(1800, 1, 1)
LAST_DAY = date(2262, 1, 1)

EVENT_CODE_COLUMNS = ["cameo_code", "name", "root_code", "quad_class", "goldstein", "plover_type"]


def quad_of_root(root: str) -> int:
    """The quad class (1-4) of a CAMEO root code ``"01"`` ... ``"20"``.

    Examples
    --------
    >>> quad_of_root("04"), quad_of_root("09"), quad_of_root("14")
    (1, 3, 4)
    """
    number = int(root)
    if not 1 <= number <= 20:
        raise ValueError(f"CAMEO root codes run from 01 to 20, not {root!r}")
    return 1 if number <= 5 else 2 if number <= 8 else 3 if number <= 13 else 4


def plover_type(cameo_code: str) -> str | None:
    """The PLOVER type of a CAMEO code (``None`` for statements and appeals, roots 01-02).

    Examples
    --------
    >>> plover_type("042"), plover_type("0871"), plover_type("010")
    ('CONSULT', 'RETREAT', None)
    """
    return _PLOVER_BY_CODE.get(cameo_code, _PLOVER_BY_ROOT.get(cameo_code[:2]))


def read_event_codes(folder: Path) -> pd.DataFrame:
    """The CAMEO event codes of GDELT's lookup tables with their Goldstein score.

    Parameters
    ----------
    folder : Path
        The mirror's ``events`` folder (``CAMEO.eventcodes.txt``, ``CAMEO.goldsteinscale.txt``).

    Returns
    -------
    pandas.DataFrame
        ``cameo_code, name, root_code, quad_class, goldstein, plover_type``, one row per
        code, codes as strings (``"010"`` and ``"10"`` differ).
    """
    folder = Path(folder)
    codes = read_csv(folder / "CAMEO.eventcodes.txt", ["CAMEOEVENTCODE", "EVENTDESCRIPTION"],
                     sep="\t")  # fmt: skip
    scores = read_csv(folder / "CAMEO.goldsteinscale.txt", ["CAMEOEVENTCODE", "GOLDSTEINSCALE"],
                      sep="\t")  # fmt: skip
    frame = codes.merge(scores, on="CAMEOEVENTCODE", how="left", validate="one_to_one")
    missing = frame.loc[frame["GOLDSTEINSCALE"].isna(), "CAMEOEVENTCODE"].tolist()
    if missing:
        raise SourceError(
            f"{folder / 'CAMEO.goldsteinscale.txt'}: no Goldstein score for codes {missing}"
        )
    bad = frame.loc[~frame["CAMEOEVENTCODE"].str.fullmatch(r"\d{2,4}"), "CAMEOEVENTCODE"]
    if len(bad):
        raise SourceError(f"{folder / 'CAMEO.eventcodes.txt'}: malformed codes {bad.tolist()}")
    out = pd.DataFrame(
        {
            "cameo_code": frame["CAMEOEVENTCODE"],
            "name": frame["EVENTDESCRIPTION"],
            "root_code": frame["CAMEOEVENTCODE"].str[:2],
            "goldstein": pd.to_numeric(frame["GOLDSTEINSCALE"]).astype(float),
        }
    )
    out["quad_class"] = out["root_code"].map(quad_of_root).astype("int8")
    out["plover_type"] = out["cameo_code"].map(plover_type)
    return out[EVENT_CODE_COLUMNS].reset_index(drop=True)


def plover_types() -> pd.DataFrame:
    """PLOVER event types with their quad class: ``plover_type, quad_class``."""
    return pd.DataFrame(
        {"plover_type": list(PLOVER_QUAD), "quad_class": list(PLOVER_QUAD.values())}
    ).astype({"quad_class": "int8"})


@cache
def _country_spells() -> pd.DataFrame:
    table = states.states()
    spells = states.membership()
    # Resolution by COW code can change only where some membership spell starts or ends.
    days = sorted({FIRST_DAY, *spells["admitted"].dt.date, *spells["left"].dropna().dt.date})
    rows = []
    for iso3, cow in zip(table["iso3"], table["cow"], strict=True):
        if pd.isna(cow):
            rows.append((iso3, FIRST_DAY, LAST_DAY, iso3))
            continue
        meant = states.resolve_cow([int(cow)] * len(days), pd.Series(days)).tolist()
        start = 0
        for i in range(1, len(days) + 1):
            if i == len(days) or meant[i] != meant[start]:
                end = days[i] if i < len(days) else LAST_DAY
                rows.append((iso3, days[start], end, meant[start]))
                start = i
    frame = pd.DataFrame(rows, columns=["code", "first_day", "last_day", "state"])
    aliases = [
        frame[frame["code"] == iso3].assign(code=alias) for alias, iso3 in COUNTRY_ALIASES.items()
    ]
    return pd.concat([frame, *aliases], ignore_index=True)


def country_spells() -> pd.DataFrame:
    """Which state each CAMEO country code means on each date.

    Returns
    -------
    pandas.DataFrame
        ``code, first_day, last_day, state``: ``code`` meant ``state`` on days
        ``first_day <= day < last_day``. Codes are resolved through the states table by
        their Correlates of War code on each date, so ``RUS`` is the USSR (``SUN``) before
        1991-12-24 and ``SRB`` is Yugoslavia before 1992-09-22 and Serbia and Montenegro
        from 2000 to 2006. Regional codes (``EUR``, ``WST``, ``AFR`` ...) and territories
        that are not in the states table have no row: they are not states.

    Examples
    --------
    >>> s = country_spells()
    >>> s[(s["code"] == "RUS")][["first_day", "state"]].values.tolist()[:2]
    [[datetime.date(1800, 1, 1), 'SUN'], [datetime.date(1991, 12, 24), 'RUS']]
    """
    return _country_spells().copy()
