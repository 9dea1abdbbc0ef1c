"""The knowledge base: schema, dates, consistency checks and queries, on small fixtures."""

from __future__ import annotations

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from allegiance.kb import query
from allegiance.kb.check import check_kb, url_problem
from allegiance.kb.load import KBError, load_kb
from allegiance.kb.models import FuzzyDate, in_force

GOOD = Path(__file__).parent / "fixtures" / "kb" / "good"
STATES = {"ARM", "AZE", "GEO", "NLD", "RUS", "UKR", "UZB", "VUT"}

CITE = '[{title: T, publisher: P, date: "2020", url: "https://example.org/a"}]'


@pytest.fixture
def kb():
    return load_kb(GOOD)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the good fixture."""
    dest = tmp_path / "kb"
    shutil.copytree(GOOD, dest)
    return dest


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(KBError) as info:
        load_kb(folder)
    return [str(p) for p in info.value.problems]


# --- FuzzyDate ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02-22", "day", date(2024, 2, 22), date(2024, 2, 22)),
        (1991, "year", date(1991, 1, 1), date(1991, 12, 31)),
    ],
)
def test_fuzzy_date_spans_the_days_it_can_mean(text, precision, start, end):
    d = FuzzyDate.parse(text)
    assert (d.precision, d.start, d.end) == (precision, start, end)
    assert str(d) == str(text)


@pytest.mark.parametrize("text", ["2023-02-29", "2024-13", "2024-00", "24", "2024/01", "", None])
def test_fuzzy_date_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        FuzzyDate.parse(text)


def test_fuzzy_dates_sort_by_first_day_then_narrower_first():
    texts = ["2024-01-15", "2024", "2023-12-31", "2024-01"]
    assert [str(d) for d in sorted(FuzzyDate.parse(t) for t in texts)] == [
        "2023-12-31",
        "2024-01",
        "2024",
        "2024-01-15",
    ]


def test_in_force_counts_from_first_possible_day_through_last_possible_day():
    start, end = FuzzyDate.parse("2024-02"), FuzzyDate.parse("2025")
    assert not in_force(start, end, date(2024, 1, 31))
    assert in_force(start, end, date(2024, 2, 1))
    assert in_force(start, end, date(2025, 12, 31))
    assert not in_force(start, end, date(2026, 1, 1))
    assert in_force(start, None, date(2100, 1, 1))


# --- loading ----------------------------------------------------------------------------


def test_good_fixture_loads_with_file_and_line(kb):
    assert kb.missing_files == []
    assert len(kb.memberships) == 6
    suspended = next(m for m in kb.memberships if m.status == "suspended")
    assert (suspended.file, suspended.line) == ("memberships.yaml", 15)
    frame = kb.memberships_frame()
    row = frame[frame["status"] == "suspended"].iloc[0]
    assert row["citation_url"] == "https://www.reuters.com/world/armenia-csto/"
    assert "Reuters" in row["citation"] and "Armenia freezes" in row["citation"]
    assert (row["file"], row["line"]) == ("memberships.yaml", 15)
    assert pd.isna(row["last_day"])


def test_unquoted_dates_are_read_as_written(folder):
    write(
        folder,
        "offices.yaml",
        f"""
        - id: x
          agency: A
          sender: RUS
          host: AZE
          city: Baku
          name: House
          opened: 2007-05-01
          citations: {CITE}
        """,
    )
    office = load_kb(folder).offices[0]
    assert office.opened.precision == "day" and str(office.opened) == "2007-05-01"


def test_every_frame_has_its_columns_even_when_empty(tmp_path):
    kb = load_kb(tmp_path)
    assert sorted(kb.missing_files) == sorted(
        [
            "organizations.yaml",
            "memberships.yaml",
            "military_presence.yaml",
            "territories.yaml",
            "offices.yaml",
            "agreements.yaml",
            "events.yaml",
        ]
    )
    assert {"state", "org", "status", "citation", "file", "line"} <= set(kb.memberships_frame())
    assert query.memberships(kb, org="CSTO", on="2020-01-01").empty
    with pytest.raises(
        ValueError, match="unknown organization 'CSTO'; organizations.yaml has: none"
    ):
        query.members(kb, "CSTO")


MEMBERSHIP = """
- state: ARM
  org: CSTO
  status: member
  start: "2002-10-07"
  citations:
    - title: Charter
      publisher: CSTO
      date: "2002"
      url: https://example.org/charter
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("status: member", "status: ally", "memberships.yaml:3: status: Input should be"),
        ("status: member", "status: member\n  colour: red", "memberships.yaml:4: colour: unknown"),
        ('start: "2002-10-07"', 'start: "2002-10-32"', "memberships.yaml:4: start: not a real"),
        ('start: "2002-10-07"', 'start: "October 2002"', "memberships.yaml:4: start: expected"),
        ("  org: CSTO\n", "", "memberships.yaml:1: org: required field is missing"),
        (
            "      url: https://example.org/charter\n",
            "",
            "memberships.yaml:6: citations[0]: a citation needs a url or a symbol",
        ),
        (
            '      date: "2002"',
            '      date: "2002"\n      pages: 3',
            "memberships.yaml:9: citations[0].pages: unknown field",
        ),
    ],
)
def test_a_bad_record_is_reported_with_file_line_and_field(folder, old, new, expected):
    text = MEMBERSHIP.replace(old, new)
    assert text != MEMBERSHIP
    write(folder, "memberships.yaml", text)
    problems = problems_of(folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_a_record_without_citations_is_rejected(folder):
    write(folder, "memberships.yaml", MEMBERSHIP.split("  citations:")[0] + "  citations: []\n")
    assert problems_of(folder) == [
        "memberships.yaml:5: citations: List should have at least 1 item after validation, not 0"
    ]


def test_presence_without_consent_must_cite_what_establishes_it(folder):
    path = folder / "military_presence.yaml"
    text = path.read_text()
    path.write_text(text.split("  consent_citations:")[0])
    problems = problems_of(folder)
    assert len(problems) == 1, problems
    assert (
        problems[0].startswith("military_presence.yaml:12: ") and "consent_citations" in problems[0]
    )
    path.write_text(text.replace("  consent: true\n", ""))
    assert problems_of(folder)[0].startswith("military_presence.yaml:1: consent: required field")


def test_a_wrong_type_is_reported(folder):
    path = folder / "military_presence.yaml"
    path.write_text(path.read_text().replace("size: 3000", "size: about 3000"))
    assert problems_of(folder)[0].startswith("military_presence.yaml:7: size: ")


def test_all_problems_in_all_files_are_reported_at_once(folder):
    write(folder, "memberships.yaml", MEMBERSHIP.replace("member", "ally") + MEMBERSHIP)
    write(folder, "offices.yaml", "- id: x\n  agency: A\n")
    problems = problems_of(folder)
    assert problems[0].startswith("memberships.yaml:3: status:")
    missing = [p for p in problems if p.startswith("offices.yaml:1: ")]
    assert len(missing) == 6 and all(p.endswith("required field is missing") for p in missing)
    with pytest.raises(KBError, match=r"^7 problem\(s\) in the knowledge base"):
        load_kb(folder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("state: ARM\n", "memberships.yaml:1: the file must be a YAML list"),
        ("- state: [ARM\n", "memberships.yaml:2: not valid YAML"),
        ("- just a string\n", "memberships.yaml: record 1 is not a mapping"),
        (
            MEMBERSHIP.replace("status: member", "status: member\n  status: observer"),
            "memberships.yaml:4: status: key repeated in the same record",
        ),
    ],
)
def test_a_file_that_is_not_a_list_of_records_is_reported(folder, text, expected):
    write(folder, "memberships.yaml", text)
    problems = problems_of(folder)
    assert problems[0].startswith(expected), problems


# --- consistency checks -----------------------------------------------------------------


def test_good_fixture_passes_every_check(kb):
    assert check_kb(kb, state_codes=STATES) == []


def test_without_a_state_table_codes_are_checked_for_shape(kb, monkeypatch):
    monkeypatch.setattr("allegiance.kb.check.default_state_codes", lambda: None)
    with pytest.warns(UserWarning, match="no table of state codes"):
        assert check_kb(kb) == []


def check_with(folder: Path, name: str, old: str, new: str) -> list[str]:
    path = folder / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return [str(p) for p in check_kb(load_kb(folder), state_codes=STATES)]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        # Armenia's suspended spell now starts a day before its member spell ends.
        (
            "memberships.yaml",
            'status: suspended\n  start: "2024-02-22"',
            'status: suspended\n  start: "2024-02-21"',
            "memberships.yaml:18: start: ARM in CSTO: spell from 2024-02-21 overlaps the spell "
            "2002-10-07 to 2024-02-22 at line 8",
        ),
        (
            "memberships.yaml",
            'end: "2024-02-22"',
            'end: "2001-01-01"',
            "memberships.yaml:12: end: 2001-01-01 is before start 2002-10-07",
        ),
        (
            "memberships.yaml",
            "- state: RUS",
            "- state: XXX",
            "memberships.yaml:26: state: unknown actor 'XXX'",
        ),
        (
            "memberships.yaml",
            "org: GUAM",
            "org: GUUAM",
            "memberships.yaml:41: org: unknown organization 'GUUAM'",
        ),
        (
            "military_presence.yaml",
            "territory: abkhazia",
            "territory: abkhasia",
            "military_presence.yaml:18: territory: unknown territory 'abkhasia'",
        ),
        (
            "military_presence.yaml",
            "host: GEO",
            "host: RUS",
            "military_presence.yaml:14: host: RUS but territory 'abkhazia' belongs de jure to GEO",
        ),
        (
            "military_presence.yaml",
            "host: ARM",
            "host: ARN",
            "military_presence.yaml:3: host: unknown state code 'ARN'",
        ),
        (
            "territories.yaml",
            "{state: VUT,",
            "{state: VAN,",
            "territories.yaml:10: recognised_by[1].state: unknown state code 'VAN'",
        ),
        (
            "events.yaml",
            "actors: [ARM, CSTO]",
            "actors: [ARM, CTSO]",
            "events.yaml:13: actors[1]: unknown actor 'CTSO'",
        ),
        (
            "offices.yaml",
            'url: "https://interfax.com/newsroom/top-stories/"',
            'url: "interfax.com/newsroom"',
            "offices.yaml:11: citations[0].url: URL must start with http:// or https://",
        ),
        (
            "events.yaml",
            "https://www.onderzoeksraad.nl/en/page/3546/",
            "https://www.onderzoeksraad.nl/en/page 3546/",
            "events.yaml:9: citations[0].url: URL contains whitespace",
        ),
        (
            "events.yaml",
            "- id: arm-csto-freeze",
            "- id: mh17",
            "events.yaml:10: id: duplicate id 'mh17' (first at line 1)",
        ),
        # CST (1992) precedes the CSTO: a CSTO spell from 1994 is allowed, one from 1991 not.
        (
            "memberships.yaml",
            'org: CSTO\n  status: member\n  start: "2002-10-07"\n  citations',
            'org: CSTO\n  status: member\n  start: "1991"\n  citations',
            "memberships.yaml:29: start: 1991 is before CSTO was founded (counting its "
            "predecessors): 1992-05-15",
        ),
    ],
)
def test_each_inconsistency_is_reported_where_it_is(folder, name, old, new, expected):
    problems = check_with(folder, name, old, new)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_spell_before_the_founding_is_fine_if_a_predecessor_existed(folder):
    problems = check_with(
        folder,
        "memberships.yaml",
        'org: CSTO\n  status: member\n  start: "2002-10-07"\n  citations',
        'org: CSTO\n  status: member\n  start: "1993"\n  citations',
    )
    assert problems == []


def test_coarse_dates_overlap_only_when_certain(folder):
    # UZB member "2006-08" to "2012"; an observer spell from "2012-06" may follow it.
    extra = """
- state: UZB
  org: CSTO
  status: observer
  start: "2012-06"
  citations:
    - {title: T, publisher: P, date: "2012", url: "https://example.org/b"}
"""
    path = folder / "memberships.yaml"
    path.write_text(path.read_text() + extra)
    assert check_kb(load_kb(folder), state_codes=STATES) == []
    path.write_text(path.read_text().replace('start: "2012-06"', 'start: "2011-06"'))
    problems = [str(p) for p in check_kb(load_kb(folder), state_codes=STATES)]
    assert problems == [
        "memberships.yaml:50: start: UZB in CSTO: spell from 2011-06 overlaps the spell "
        "2006-08 to 2012 at line 32"
    ]


def test_missing_files_are_reported_by_the_check(folder):
    (folder / "events.yaml").unlink()
    problems = check_kb(load_kb(folder), state_codes=STATES)
    assert [str(p) for p in problems] == ["events.yaml: file not found"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.un.org/en/ga/", True),
        ("http://en.kremlin.ru/events/president/news/1", True),
        ("ftp://example.org/x", False),
        ("https://localhost/x", False),
        ("https:/www.un.org", False),
        (" https://www.un.org", False),
    ],
)
def test_url_problem(url, ok):
    assert (url_problem(url) is None) is ok


# --- queries ----------------------------------------------------------------------------


def test_a_suspended_member_is_listed_as_suspended(kb):
    before = query.members(kb, "CSTO", "2024-01-01")
    after = query.members(kb, "CSTO", "2024-06-01")
    assert dict(zip(before["state"], before["status"], strict=True)) == {
        "ARM": "member",
        "RUS": "member",
    }
    assert dict(zip(after["state"], after["status"], strict=True)) == {
        "ARM": "suspended",
        "RUS": "member",
    }
    assert after["citation_url"].notna().all()


def test_on_a_transition_day_the_later_spell_wins(kb):
    row = query.memberships(kb, state="ARM", org="CSTO", on="2024-02-22")
    assert list(row["status"]) == ["suspended"]


def test_a_coarse_end_counts_through_its_last_day(kb):
    assert query.org_members_on(kb, "CSTO", "2012-12-31") == ["ARM", "RUS", "UZB"]
    assert query.org_members_on(kb, "CSTO", date(2013, 1, 1)) == ["ARM", "RUS"]
    assert query.org_members_on(kb, "CSTO", "2006-07-31") == ["ARM", "RUS"]
    assert query.org_members_on(kb, "CSTO", "2006-08") == ["ARM", "RUS", "UZB"]


def test_an_unknown_organization_is_an_error(kb):
    with pytest.raises(ValueError, match="unknown organization 'CTSO'.*CST, CSTO, GUAM"):
        query.org_members_on(kb, "CTSO", "2020-01-01")


def test_member_spells_join_many_dates(kb):
    votes = pd.DataFrame(
        {
            "state": ["UZB", "UZB", "ARM", "GEO"],
            "date": pd.to_datetime(["2005-01-01", "2010-01-01", "2025-01-01", "2010-01-01"]),
        }
    )
    pairs = votes.merge(query.member_spells(kb, "CSTO"), on="state")
    inside = pairs[
        (pairs["first_day"] <= pairs["date"])
        & (pairs["last_day"].isna() | (pairs["date"] <= pairs["last_day"]))
    ]
    assert sorted(zip(inside["state"], inside["status"], strict=True)) == [
        ("ARM", "suspended"),
        ("UZB", "member"),
    ]


def test_memberships_of_a_state_keep_every_spell(kb):
    assert list(query.memberships(kb, state="ARM")["org"]) == ["CST", "CSTO", "CSTO"]


def test_presence_offices_and_agreements_on_a_date(kb):
    assert list(query.presence(kb, host="GEO", on="2009-01-31")["id"]) == []
    assert list(query.presence(kb, host="GEO", on="2009-02-01")["id"]) == ["rus-geo-abkhazia"]
    assert list(query.presence(kb, sender="RUS")["host"]) == ["ARM", "GEO"]
    assert list(query.offices(kb, host="AZE", on="2025-02-28")["id"]) == ["rs-baku"]
    assert query.offices(kb, host="AZE", on="2025-03-01").empty
    # In force from "2011-04", not from the signature in 2010.
    assert query.agreements(kb, party="ARM", on="2010-12-31").empty
    assert list(query.agreements(kb, party="RUS", on="2011-04-01")["id"]) == ["arm-rus-base-2010"]


def test_territory_recognition_on_a_date(kb):
    on_2012 = query.territories(kb, state="RUS", on="2012-01-01")
    on_2014 = query.territories(kb, state="GEO", on="2014-01-01")
    assert on_2012["recognised_by"].tolist() == ["RUS,VUT"]
    assert on_2014["recognised_by"].tolist() == ["RUS"]
    assert query.territories(kb, state="AZE").empty


def test_events_by_actor_kind_and_dates(kb):
    assert list(query.events(kb, actor="NLD")["id"]) == ["mh17"]
    assert list(query.events(kb, actor="CSTO", kind="withdrawal")["id"]) == ["arm-csto-freeze"]
    assert list(query.events(kb, since="2015")["id"]) == ["arm-csto-freeze"]
    assert list(query.events(kb, until="2015")["id"]) == ["mh17"]


def test_profile_gathers_one_states_ties(kb):
    p = query.profile(kb, "ARM", "2020-01-01")
    assert set(p) == {
        "memberships",
        "forces_hosted",
        "forces_abroad",
        "offices",
        "agreements",
        "territories",
    }
    assert list(p["memberships"]["org"]) == ["CSTO"]
    assert list(p["forces_hosted"]["sender"]) == ["RUS"]
    assert p["forces_abroad"].empty and p["offices"].empty and p["territories"].empty
    assert list(query.profile(kb, "AZE", "2020-01-01")["offices"]["id"]) == ["rs-baku"]


def test_timeline_is_sorted_and_cited(kb):
    t = query.timeline(kb, "ARM")
    assert list(t.columns[:4]) == ["date", "day", "kind", "what"]
    assert t["day"].is_monotonic_increasing
    assert t.iloc[0]["date"] == "1994-04-20"
    assert t["citation"].str.len().gt(0).all()
    assert "becomes suspended member of Collective Security Treaty Organization (CSTO)" in set(
        t["what"]
    )
    later = query.timeline(kb, "ARM", since="2011-04-15")
    # "2011-04" may fall after 15 April, so it stays.
    assert list(later["date"]) == ["2011-04", "2024-02-22", "2024-02-22", "2024-02-22"]


def test_organizations_are_regions_on_the_date(kb):
    from allegiance.analysis.regions import region

    assert region("csto", "2024-06-01", kb) == ["ARM", "RUS"]
    assert region("CSTO", "2012-06-30", kb) == ["ARM", "RUS", "UZB"]
    assert region("guam", "2000-01-01", kb) == ["GEO"]
    with pytest.raises(ValueError, match="unknown region 'csot'"):
        region("csot", "2000-01-01", kb)
