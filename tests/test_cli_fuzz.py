"""Property-based tests over the command line's arguments (issue 16, item 8b).

Whatever a user types for states, years, dates, formats and paths, the command line ends
with exit code 0 (it worked) or 2 (one line saying what was wrong), never a traceback and
never an unexpected error. The examples are few (about a minute in all) and run on the
session's store.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

#: Text a user may type: letters, digits, punctuation, spaces and a few accented or
#: non-Latin letters; no NUL (the shell cannot pass one).
_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc"),
    include_characters=string.printable.strip() + "ÜüİıÝçéñ–Ж",
)
TEXT = st.text(_ALPHABET, min_size=0, max_size=12)

STATES = st.one_of(
    st.sampled_from(["ARM", "rus", "Armenia", "Türkiye", "Turkey", "UK", "usa", "SUN", "EU",
                     "Russia", "China", "XXX", "", " ", "A", "Grogia", "KAZ", "TWN", "XKX"]),
    TEXT,
)  # fmt: skip
STATE_LISTS = st.lists(STATES, min_size=0, max_size=4).map(",".join)
YEARS = st.one_of(
    st.integers(min_value=1940, max_value=2031).map(str),
    st.integers(min_value=-10, max_value=99999).map(str),
    st.sampled_from(["1964", "2022-02", "2022-13", "2022-02-30", "abc", "", "2022-03-02"]),
    TEXT,
)
FORMATS = st.sampled_from(["table", "csv", "json", "parquet", "xml", "", "TABLE"])
EXTENSIONS = st.sampled_from([".csv", ".json", ".parquet", ".xlsx", "", ".CSV", "/"])

SLOW = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


def _ended_cleanly(result) -> None:
    assert "Traceback" not in result.output, result.output
    assert "unexpected error" not in result.output, result.output
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@SLOW
@given(
    command=st.sampled_from(["agree", "align"]),
    state=STATES,
    partner=STATES,
    since=st.one_of(st.none(), YEARS),
    until=st.one_of(st.none(), YEARS),
    fmt=FORMATS,
)
def test_alignment_commands_never_crash(cli, store_path, command, state, partner, since, until,
                                        fmt):  # fmt: skip
    args = [command, state] + ([partner] if command == "agree" else [])
    args += [] if since is None else ["--since", since]
    args += [] if until is None else ["--until", until]
    _ended_cleanly(cli(*args, "--format", fmt, "--db", store_path))


@SLOW
@given(
    command=st.sampled_from(["votes", "cohesion", "matrix", "roll-calls"]),
    states=STATE_LISTS,
    year=YEARS,
    symbol=st.one_of(
        st.sampled_from(
            [
                "ES-11/1",
                "A/RES/2758(XXVI)",
                "2758 (XXVI)",
                "A/RES/2758",
                "1",
                "0",
                "A/RES/ES-99/1",
                "-5",
            ]
        ),
        TEXT,
    ),
    extension=EXTENSIONS,
    fmt=FORMATS,
)
def test_state_list_and_year_commands_never_crash(cli, store_path, folder, command, states,
                                                  year, symbol, extension, fmt):  # fmt: skip
    out = folder / f"out{extension}"
    if command == "votes":
        args = ["votes", symbol, "--states", states]
    elif command == "cohesion":
        args = ["cohesion", "--states", states, "--since", year]
    elif command == "matrix":
        args = ["matrix", "--year", year, "--states", states]
    else:
        args = ["roll-calls", "--since", year, "--search", symbol]
    _ended_cleanly(cli(*args, "--format", fmt, "--out", out, "--db", store_path))


@SLOW
@given(
    command=st.sampled_from(["kb", "members", "timeline"]),
    who=st.one_of(STATES, st.sampled_from(["CSTO", "eu", "Non-Aligned Movement", "check"])),
    day=st.one_of(st.none(), YEARS),
    fmt=st.sampled_from(["table", "csv", "json", "yaml"]),
)
def test_knowledge_base_commands_never_crash(cli, command, who, day, fmt):
    option = "--since" if command == "timeline" else "--on"
    args = [command, who] + ([] if day is None else [option, day])
    result = cli(*args, "--format", fmt)
    if command == "kb" and who.strip().lower() == "check":
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
        return
    _ended_cleanly(result)


def test_paths_that_cannot_be_written_or_read(cli, store_path, folder):
    """Paths that are folders, files in the way, or missing files: refused before any work."""
    (folder / "a-file").write_text("")
    for out in (folder, folder / "a-file" / "x.csv", folder / "x.txt", folder / "x"):
        _ended_cleanly(cli("agree", "ARM", "RUS", "--out", out, "--db", store_path))
    for db in (folder, folder / "a-file", folder / "missing.duckdb"):
        result = cli("info", "--db", db)
        _ended_cleanly(result)
        assert result.exit_code == 2
    _ended_cleanly(cli("check", folder / "missing.yaml", "--db", store_path))
    _ended_cleanly(
        cli("report", "--claims", folder, "--out", folder / "r.html", "--db", store_path)
    )
