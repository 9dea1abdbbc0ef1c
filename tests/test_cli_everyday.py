"""The everyday commands of issue 16: listing roll calls, looking up a resolution of the
early sessions by its symbol, the dates of the official record, ``--version``,
``--region``/``--states`` on ``sphere`` and ``matrix``, and output that starts at a
state's admission to the UN."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import allegiance as al
from allegiance._version import __version__


@pytest.fixture(scope="module")
def env(store_path):
    return {"ALLEGIANCE_DB": str(store_path), "COLUMNS": "120"}


def _json(cli, env, *args):
    result = cli(*args, "--format", "json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- roll-calls ------------------------------------------------------------------------------


def test_roll_calls_on_ukraine_since_2022(cli, env):
    rows = _json(cli, env, "roll-calls", "--since", "2022", "--issue", "ukraine")["rows"]
    by_symbol = {r["symbol"]: r for r in rows}
    # A/RES/ES-11/1, 2 March 2022: 141 in favour, 5 against, 35 abstentions; ES-11/4,
    # 12 October 2022: 143-5-35.
    first = by_symbol["A/RES/ES-11/1"]
    assert first["date"].startswith("2022-03-02")
    assert (first["yes"], first["no"], first["abstain"]) == (141, 5, 35)
    assert (by_symbol["A/RES/ES-11/4"]["yes"], by_symbol["A/RES/ES-11/4"]["no"]) == (143, 5)
    assert min(r["date"] for r in rows) >= "2022-01-01"
    # The issue (data/issues.toml): the 11th emergency special session, or Ukraine, Crimea
    # or Sevastopol in the title.
    assert all(r["symbol"].startswith("A/RES/ES-11/")
               or any(w in r["title"].lower() for w in ("ukrain", "crimea", "sevastopol"))
               for r in rows)  # fmt: skip


def test_roll_calls_filters(cli, env):
    session = _json(cli, env, "roll-calls", "--session", "26", "--search", "china")["rows"]
    assert {r["session"] for r in session} == {26}
    assert all("CHINA" in r["title"].upper() for r in session)
    important = _json(cli, env, "roll-calls", "--since", "2015", "--until", "2015",
                      "--important")["rows"]  # fmt: skip
    assert important and all(r["important"] for r in important)
    amendments = _json(cli, env, "roll-calls", "--session", "26", "--kind", "amendment")["rows"]
    assert amendments and {r["kind"] for r in amendments} == {"amendment"}
    table = cli("roll-calls", "--since", "2022-03", "--until", "2022-03-31", "--issue", "ukraine",
                env=env)  # fmt: skip
    assert "A/RES/ES-11/1" in table.stdout and "141-5-35" in table.stdout
    none = _json(cli, env, "roll-calls", "--search", "no such words at all")["rows"]
    assert none == []


def test_roll_calls_from_python(store):
    frame = al.roll_calls(store, since=2022, issue="ukraine")
    assert frame.attrs["sources"] and "United Nations" in frame.attrs["attribution"]
    assert frame.iloc[0]["symbol"] == "A/RES/ES-11/1"


# -- early symbols and official dates --------------------------------------------------------


def test_2758_is_found_by_its_symbol_and_dated_25_october_1971(cli, env, store):
    """A/RES/2758 (XXVI) restored the rights of the People's Republic of China on 25 October
    1971, by 76 votes to 35 with 17 abstentions; Voeten's file dates it 7 October."""
    for spelling in ("A/RES/2758(XXVI)", "2758(XXVI)", "A/RES/2758 (XXVI)", "a/res/2758(xxvi)"):
        result = cli("votes", spelling, "--states", "USA,ALB,GBR", "--format", "json", env=env)
        assert result.exit_code == 0, (spelling, result.output)
        payload = json.loads(result.stdout)
        assert payload["title"].startswith("A/RES/2758(XXVI) (25 October 1971)")
        # The United States voted no; Albania, the sponsor, and the United Kingdom yes.
        assert {r["state"]: r["vote"] for r in payload["rows"]} == {
            "USA": "no", "ALB": "yes", "GBR": "yes",
        }  # fmt: skip
    rc = store.roll_call("A/RES/2758(XXVI)")
    assert rc["date"] == pd.Timestamp("1971-10-25")
    assert (rc["yes"], rc["no"], rc["abstain"]) == (76, 35, 17)
    # All seven votes of that meeting on the representation of China are dated that day.
    china = store.roll_calls(session=26, search="china representation")
    assert (china["date"] == pd.Timestamp("1971-10-25")).sum() == 7


def test_a_symbol_without_its_session_suggests_the_full_one(cli, env):
    result = cli("votes", "A/RES/2758", env=env)
    assert result.exit_code == 2 and "A/RES/2758(XXVI)" in result.stderr


def test_every_correction_names_its_rule_and_evidence(store):
    corrections = store.corrections()
    assert set(corrections["field"]) == {"date", "symbol"}
    assert set(corrections["rule"]) <= {"number", "tally", "number, near tally", "same meeting"}
    assert corrections["evidence"].str.contains("digitallibrary.un.org/record/").all()
    row = corrections[(corrections["symbol"] == "A/RES/2758(XXVI)")
                      & (corrections["field"] == "date")]  # fmt: skip
    assert set(row["before"]) == {"1971-10-07"} and set(row["after"]) == {"1971-10-25"}
    # Other landmarks: A/RES/3379(XXX) of 10 November 1975 and A/RES/3236(XXIX) of
    # 22 November 1974, dated 1 and 4 November in Voeten's file.
    for symbol, day in [("A/RES/3379(XXX)", "1975-11-10"), ("A/RES/3236(XXIX)", "1974-11-22")]:
        assert store.roll_call(symbol)["date"] == pd.Timestamp(day)
    # Each early symbol names one roll call; 612 of sessions 1-30 have one.
    rc = store.roll_calls(kind="resolution")
    early = rc[rc["session"] <= 30]
    assert not early["symbol"].dropna().duplicated().any()
    assert early["symbol"].notna().sum() >= 600


def test_corrections_are_listed_by_the_cli_and_in_the_docs(cli, env, store):
    from conftest import ROOT

    listed = _json(cli, env, "info", "--corrections")["rows"]
    assert len(listed) == len(store.corrections())
    doc = (ROOT / "docs" / "corrections.md").read_text()
    ids = {int(line.split("|")[1]) for line in doc.splitlines()
           if line.startswith("| ") and line.split("|")[1].strip().isdigit()}  # fmt: skip
    assert ids == set(store.corrections()["roll_call_id"])


# -- --version, --region/--states on sphere and matrix --------------------------------------


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"allegiance {__version__}"


def test_sphere_region_and_states(cli, env):
    region = _json(cli, env, "sphere", "RUS", "--year", "2024", "--region", "south-caucasus")
    assert {r["state"] for r in region["rows"]} == {"ARM", "AZE", "GEO"}
    states = _json(cli, env, "sphere", "RUS", "--year", "2024", "--states", "belarus,kaz")
    assert {r["state"] for r in states["rows"]} == {"BLR", "KAZ"}


def test_matrix_region_and_states(cli, env):
    result = cli("matrix", "--year", "2022", "--states", "ARM,Azerbaijan,geo", env=env)
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout)).set_index("state")
    assert list(frame.index) == ["ARM", "AZE", "GEO"] == list(frame.columns)
    assert (frame.to_numpy().diagonal() == 1).all()
    region = cli("matrix", "--year", "2022", "--region", "baltic", env=env)
    assert pd.read_csv(pd.io.common.StringIO(region.stdout))["state"].tolist() == [
        "EST", "LTU", "LVA",
    ]  # fmt: skip


# -- output starts at a state's admission ----------------------------------------------------


def test_output_starts_at_admission(cli, env):
    # Kazakhstan was admitted to the UN on 2 March 1992.
    align = _json(cli, env, "align", "KAZ")["rows"]
    assert min(r["year"] for r in align) == 1992
    agree = _json(cli, env, "agree", "KAZ", "RUS", "--until", "1995")["rows"]
    assert [r["year"] for r in agree] == [1992, 1993, 1994, 1995]
    cohesion = _json(cli, env, "cohesion", "--states", "KAZ,UZB", "--until", "1995")["rows"]
    assert min(r["year"] for r in cohesion) == 1992


def test_a_state_that_held_no_seat_is_named_not_dropped(cli, env):
    result = cli("votes", "A/RES/2758(XXVI)", "--states", "KAZ,USA", "--format", "csv", env=env)
    assert result.stdout.splitlines() == ["state,name,vote", "USA,United States,no"]
    assert "not UN members on 25 October 1971: KAZ" in result.stderr
