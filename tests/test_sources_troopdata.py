"""The troopdata reader: US troops by host, with places that are not states rejected."""

from __future__ import annotations

import pandas as pd
import pytest

from allegiance.sources import troopdata
from allegiance.sources.base import SourceError

COLUMNS = ["ccode", "iso3c", "countryname", "year", "quarter", "source", "troops_ad", "troops_all"]


def _write(tmp_path, rows):
    path = tmp_path / "troops.parquet"
    pd.DataFrame(rows, columns=COLUMNS).to_parquet(path)
    return path


def test_hosts_resolve_from_cow_codes_and_non_states_are_counted(tmp_path):
    path = _write(tmp_path, [
        (255, "DEU", "Germany", 2024, 2, "June 2024", 34894, 36376.0),
        (365, "RUS", "Russia", 1990, 2, "Kane 2006", 20, 20.0),  # the USSR before 1992
        (972, "TON", "Tonga", 2020, 2, None, 0, 0.0),  # COW code unknown: ISO3 used
        (1008, None, "Guam", 2024, 2, "June 2024", 6000, 6100.0),
        (340, "SRB", "Serbia", 2020, 2, "June 2020", 12, 13.0),
        (345, None, "Serbia", 2020, 2, None, 10, None),  # same host and quarter, other count
        (2, "USA", "United States", 2024, 2, "June 2024", -5, None),
    ])  # fmt: skip
    read = troopdata.read(path)
    f = read.frame.set_index(["host", "year"])
    assert f.loc[("DEU", 2024), "troops_active_duty"] == 34894
    assert f.loc[("SUN", 1990), "troops_active_duty"] == 20
    assert f.loc[("TON", 2020), "troops_active_duty"] == 0
    assert f.loc[("SRB", 2020), "report"] == "June 2020"  # the reported row is kept
    reasons = {r.record: f"{r.field}: {r.reason}" for r in read.rejected}
    assert reasons["row 4"] == "ccode: not a state: 'Guam' (COW code 1008)"
    assert reasons["row 6"].startswith("host, year, quarter: repeats row 5 with different")
    assert reasons["row 7"] == "troops_ad: negative: '-5'"
    assert len(read.frame) == 4 and len(read.rejected) == 3


def test_missing_column_or_file_is_a_source_error(tmp_path):
    path = tmp_path / "troops.parquet"
    pd.DataFrame({"ccode": [2], "year": [2020]}).to_parquet(path)
    with pytest.raises(SourceError, match="missing column"):
        troopdata.read(path)
    with pytest.raises(SourceError, match="file not found"):
        troopdata.read(tmp_path / "none.parquet")
