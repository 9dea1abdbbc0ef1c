"""No traceback reaches a user: the trials of issue 16 that ended in a traceback, a poor
message or a quiet wrong answer, each run again through the command line and the Python
API. An expected failure is one line on stderr, ``error: ...`` with its remedy, exit code
2; the Python API raises the typed error with the same message."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

import allegiance as al
from allegiance.errors import (
    AllegianceError,
    BadDateError,
    BadInputError,
    NoDataError,
    NotAStoreError,
    UnknownStateError,
)


def refused(result, *words: str) -> str:
    """The result of an expected failure: exit 2, one line ``error: ...``, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0].removeprefix("error: ")


@pytest.fixture(scope="module")
def db(store_path):
    return ["--db", str(store_path)]


# -- periods with no votes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        # --from/--to are the hidden old names of --since/--until.
        (["agree", "ARM", "RUS", "--from", "2020", "--to", "2010"], ["after until"]),
        (["align", "ARM", "--since", "2020", "--until", "2010"], ["after until"]),
        (["agree", "ARM", "RUS", "--from", "2030"], ["no roll calls", "1946..2026"]),
        (["matrix", "--year", "1964"], ["1964", "1946..2026"]),
        (["sphere", "RUS", "--year", "2030"], ["2030", "1992..2026"]),
        (["profile", "ARM", "--year", "1800"], ["1800"]),
        (["drift", "ARM", "--from", "2030"], ["2030"]),
    ],
)
def test_a_period_with_no_votes_is_one_line(cli, db, args, words):
    refused(cli(*args, *db), *words)


def test_the_python_api_raises_the_same_typed_errors(cli, store, db):
    # The 19th session (1964) held no recorded vote (SOURCES.md of the UN votes).
    cases = [
        (lambda: al.agreement(store, "ARM", "RUS", since=2030), NoDataError,
         ["agree", "ARM", "RUS", "--since", "2030"]),
        (lambda: al.matrix(store, 1964), NoDataError, ["matrix", "--year", "1964"]),
        (lambda: al.sphere(store, "RUS", 2030), NoDataError, ["sphere", "RUS", "--year", "2030"]),
        (lambda: al.profile(store, "ARM", 1800), NoDataError, ["profile", "ARM", "--year", "1800"]),
        (lambda: al.agreement(store, "ARM", "RUS", since=2020, until=2010), BadDateError,
         ["agree", "ARM", "RUS", "--since", "2020", "--until", "2010"]),
        (lambda: al.votes(store, "ES-11/1", states=["XXX"]), UnknownStateError,
         ["votes", "ES-11/1", "--states", "XXX"]),
    ]  # fmt: skip
    for call, kind, args in cases:
        with pytest.raises(kind) as raised:
            call()
        assert not isinstance(raised.value, (IndexError, KeyError)) or isinstance(
            raised.value, AllegianceError
        )
        assert refused(cli(*args, *db)) == str(raised.value)


def test_a_map_of_too_few_states_is_a_typed_error(store):
    with pytest.raises(NoDataError, match="at least 3 states"):
        al.matrix_map(store, 2020, states=["ARM", "AZE"])


# -- files: --out, --db, claims ------------------------------------------------------------


def test_out_infers_the_format_and_refuses_what_it_cannot_write(cli, db, tmp_path):
    out = tmp_path / "x.csv"
    done = cli("agree", "ARM", "RUS", "--since", "2020", "--until", "2021", "--out", out, *db)
    assert done.exit_code == 0, done.output
    assert out.read_text().splitlines()[0] == "state,partner,year,agreement,n,sparse"
    assert "wrote 2 rows" in done.stderr
    refused(cli("agree", "ARM", "RUS", "--out", tmp_path, *db), "is a folder")
    refused(cli("agree", "ARM", "RUS", "--format", "json", "--out", tmp_path / "kaz.xlsx", *db),
            ".xlsx", ".csv, .json or .parquet")  # fmt: skip
    refused(cli("agree", "ARM", "RUS", "--format", "json", "--out", tmp_path / "kaz.csv", *db),
            "does not match")  # fmt: skip
    assert not (tmp_path / "kaz.xlsx").exists() and not (tmp_path / "kaz.csv").exists()
    (tmp_path / "file").write_text("")
    refused(cli("agree", "ARM", "RUS", "--out", tmp_path / "file" / "x.csv", *db), "is a file")


def test_db_that_is_not_a_store(cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    refused(cli("agree", "ARM", "RUS", "--db", text), str(text), "not an allegiance store")
    refused(cli("info", "--db", tmp_path), "folder")
    refused(cli("votes", "ES-11/1", "--db", tmp_path / "missing.duckdb"), "allegiance build")
    with pytest.raises(NotAStoreError):
        al.open(text)


def test_an_impossible_date_in_a_claims_file(cli, db, tmp_path):
    example = ROOT / "examples" / "claims" / "kuzio-2025-03-10.yaml"
    claims = tmp_path / "claims.yaml"
    claims.write_text(example.read_text().replace("  date: 2025-03-10", "  date: 2025-02-30"))
    refused(cli("check", claims, *db), "claims.yaml:8", "2025-02-30", "day is out of range")
    claims.write_text("document: [unclosed\n")
    refused(cli("check", claims, *db), "claims.yaml:2", "not valid YAML")


def test_options_are_checked_before_any_work(cli, tmp_path):
    """Each bad option fails although the store does not even exist: it is checked first
    (`check` and `report` used to check them after 5-28 s of work)."""
    none = ["--db", tmp_path / "missing.duckdb"]
    claims = tmp_path / "c.yaml"
    claims.write_text("document: {}\n")
    refused(cli("check", claims, "--out", tmp_path / "c.json", *none), "--format json or html")
    refused(cli("check", claims, "--format", "json", "--out", tmp_path, *none), "folder")
    refused(cli("report", "--out", tmp_path / "r.pdf", *none), ".html")
    refused(cli("report", "--claims", tmp_path / "nope.yaml", *none), "nope.yaml")
    refused(cli("ideal", "--states", "XXX", *none), "XXX", "Kosovo (XKX)")
    refused(cli("ideal", "--since", "2022-13", *none), "2022-13")
    refused(cli("sphere", "RUS", "--region", "atlantis", *none), "atlantis", "post-soviet")
    refused(cli("sphere", "RUS", "--threshold", "2", *none), "--threshold")
    refused(cli("align", "ARM", "--poles", "RUS,XXX", *none), "XXX", "RUS, USA")
    refused(cli("agree", "ARM", "RUS", "--issue", "zzz", *none), "zzz", "ukraine")
    refused(cli("roll-calls", "--session", "0", *none), "--session")
    refused(cli("drift", "ARM", "--since", "2020", "--until", "2014", *none), "before")
    refused(cli("matrix", "--year", "abc", *none), "abc")
    refused(cli("cohesion", *none), "--region", "--states")


def test_a_broken_knowledge_base_is_one_line_in_every_command(cli, db, tmp_path, monkeypatch):
    """A knowledge-base schema error used to be a traceback in every command but `kb check`."""
    from allegiance import kb as kb_
    from allegiance.kb.load import KBError, load_kb

    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "organizations.yaml").write_text("- id: CSTO\n  name: 5\n  founded: yes\n")
    with pytest.raises(KBError) as broken:
        load_kb(folder, strict=True)
    assert isinstance(broken.value, AllegianceError)

    def default():
        raise broken.value

    monkeypatch.setattr(kb_, "default", default)
    for args in (["kb", "ARM"], ["members", "CSTO"], ["timeline", "ARM"],
                 ["cohesion", "--region", "eu", *db]):  # fmt: skip
        message = refused(cli(*args), "knowledge base")
        assert "kb check" in message or len(broken.value.problems) <= 2


def test_usage_errors_are_one_line_with_the_help_to_read(cli):
    message = refused(cli("agree", "ARM"), "partner")
    assert "allegiance agree --help" in message
    refused(cli("align", "ARM", "--bogus"), "--bogus", "allegiance align --help")
    refused(cli("agree", "ARM", "RUS", "--measure", "foo"), "foo")


def test_an_unexpected_error_is_one_line_and_a_log(cli, db, tmp_path, monkeypatch):
    from allegiance.analysis import votes as votes_module

    def boom(*_args, **_kwargs):
        raise RuntimeError("something broke\nover two lines")

    monkeypatch.setattr(votes_module, "vote_rows", boom)
    monkeypatch.setenv("ALLEGIANCE_HOME", str(tmp_path))
    result = cli("votes", "ES-11/1", *db)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unexpected error: RuntimeError")
    logs = list((tmp_path / "logs").glob("error-*.log"))
    assert len(logs) == 1 and "Traceback" in logs[0].read_text()
    assert str(logs[0]) in lines[0]


# -- states: one resolver everywhere -------------------------------------------------------


def test_states_option_reads_codes_in_any_case_and_names(cli, db):
    def voted(*states):
        result = cli("votes", "ES-11/1", "--states", ",".join(states), "--format", "json", *db)
        assert result.exit_code == 0, result.output
        return {r["state"]: r["vote"] for r in json.loads(result.stdout)["rows"]}

    # A/RES/ES-11/1 (2 March 2022): Armenia abstained, Russia voted no, Türkiye yes.
    assert voted("arm", "rus") == {"ARM": "abstain", "RUS": "no"}
    assert voted("Armenia") == {"ARM": "abstain"}
    assert voted("Türkiye") == voted("Turkey") == voted("tur") == {"TUR": "yes"}
    assert voted("Russia", "USA", "UK") == {"RUS": "no", "USA": "yes", "GBR": "yes"}


def test_unknown_states_are_named_with_the_closest_matches(cli, db):
    message = refused(cli("votes", "ES-11/1", "--states", "ARM,XXX,Grogia", *db))
    assert "'XXX'" in message and "'Grogia'" in message and "Georgia (GEO)" in message
    refused(cli("agree", "Armenai", "RUS", *db), "Armenia (ARM)")
    refused(cli("cohesion", "--states", ",", *db), "--states")
    refused(cli("matrix", "--year", "2020", "--states", "Rusia", *db), "Russia (RUS)")


def test_names_are_accepted_wherever_codes_are(cli, db):
    by_code = cli("agree", "ARM", "RUS", "--since", "2020", "--until", "2021", "--format", "csv",
                  *db)  # fmt: skip
    by_name = cli("agree", "Armenia", "Russia", "--since", "2020", "--until", "2021", "--format",
                  "csv", *db)  # fmt: skip
    assert by_code.exit_code == by_name.exit_code == 0 and by_code.stdout == by_name.stdout
    align = cli("align", "Türkiye", "--since", "2022", "--until", "2022", "--format", "csv", *db)
    assert align.exit_code == 0 and align.stdout.splitlines()[1].startswith("TUR,2022,")
    prof = cli("profile", "Armenia", "--year", "2024", "--format", "json", *db)
    assert prof.exit_code == 0 and "Influence profile of ARM" in json.loads(prof.stdout)["title"]
    drift = cli("drift", "armenia", "--since", "2014", "--until", "2024", "--format", "csv", *db)
    assert drift.exit_code == 0 and drift.stdout.splitlines()[1].startswith("ARM,")
    kb = cli("kb", "Turkey", "--format", "json")
    assert kb.exit_code == 0 and json.loads(kb.stdout)["state"] == "TUR"


def test_a_name_means_the_state_of_its_day(cli, db):
    # "China" before 25 October 1971 is the Republic of China; "Russia" in 1989 the USSR.
    china = cli("agree", "China", "USA", "--since", "1960", "--until", "1965", "--format", "csv",
                *db)  # fmt: skip
    assert china.stdout.splitlines()[1].startswith("TWN,USA,1960,")
    kb = cli("kb", "Yemen", "--on", "1980", "--format", "json")
    assert json.loads(kb.stdout)["state"] == "YAR"
    # A name that resolves to a pole's code is that pole: Russia continues the USSR's seat.
    assert (cli("agree", "Russia", "USA", "--since", "1990", "--until", "1993", "--format", "csv",
                *db).stdout  # fmt: skip
            == cli("agree", "RUS", "USA", "--since", "1990", "--until", "1993", "--format", "csv",
                   *db).stdout)  # fmt: skip


def test_ideal_refuses_an_unknown_state_before_fitting(cli, store_path, tmp_path):
    import shutil

    own = tmp_path / "s.duckdb"
    shutil.copy(store_path, own)
    refused(cli("ideal", "--states", "XXX", "--db", own), "XXX")
    # Nothing was fitted: no cache was written beside the store.
    assert not (tmp_path / "s.duckdb.cache").exists()


def test_states_before_their_admission_are_insufficient_data(cli, db):
    refused(cli("profile", "KAZ", "--year", "1980", *db), "insufficient data", "1992-03-02")
    refused(cli("sphere", "RUS", "--year", "1985", "--states", "KAZ,POL", *db), "KAZ")
    refused(cli("drift", "KAZ", "--since", "1980", "--until", "1995", *db), "--since 1992")
    refused(cli("matrix", "--year", "1985", "--states", "KAZ", *db), "KAZ")


def test_bad_input_errors_are_value_errors():
    with pytest.raises(ValueError):
        al.resolve_state("Atlantis")
    assert issubclass(UnknownStateError, BadInputError)
