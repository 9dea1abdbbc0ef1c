"""Tables you can read: every command's table fits 80 and 120 columns, key columns are
never cut, numbers are rounded to what they mean, ``--wide`` shows every column, and text
is never read as markup (issue 16, "Output you can use")."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from allegiance.cli import output

# Commands that print a table, each with a few seconds of work at most on the real store.
TABLES = [
    ["agree", "ARM", "RUS", "--since", "2018"],
    ["align", "KAZ", "--since", "2018"],
    ["cohesion", "--region", "south-caucasus", "--since", "2018"],
    ["matrix", "--year", "2020", "--region", "south-caucasus", "--format", "table"],
    ["matrix", "--year", "2020", "--map", "--region", "post-soviet", "--format", "table"],
    ["votes", "ES-11/1", "--region", "post-soviet"],
    ["roll-calls", "--since", "2022", "--issue", "ukraine"],
    ["sphere", "RUS", "--year", "2024", "--region", "post-soviet"],
    ["drift", "ARM", "--since", "2014", "--until", "2024"],
    ["profile", "ARM", "--year", "2024"],
    ["info"],
    ["info", "--corrections"],
    ["kb", "ARM"],
    ["members", "CSTO"],
    ["timeline", "ARM", "--since", "2020"],
]


@pytest.fixture(scope="module")
def printed(cli, store_path):
    """Each table printed at 80 and 120 columns: {(width, command): result}."""
    out = {}
    for width in (80, 120):
        env = {"ALLEGIANCE_DB": str(store_path), "COLUMNS": str(width)}
        for args in TABLES:
            out[width, " ".join(args)] = cli(*args, env=env)
    return out


@pytest.mark.parametrize("width", [80, 120])
def test_every_table_fits_the_terminal(printed, width):
    for (w, command), result in printed.items():
        if w != width:
            continue
        assert result.exit_code == 0, (command, result.output)
        lines = result.stdout.splitlines()
        assert lines, command
        too_long = [line for line in lines if len(line.rstrip()) > width]
        assert not too_long, (command, too_long[:2])
        # No column squeezed to nothing: rich's empty boxes or headers cut to "…".
        assert "┃ … ┃" not in result.stdout and "│ … │" not in result.stdout, command


def _rows(stdout: str, first: str) -> list[list[str]]:
    """The rows of a table whose header line starts with ``first``, split on 2+ spaces."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    rule = lines[start + 1]
    assert set(rule) == {"─"}, rule
    rows = []
    for line in lines[start + 2 :]:
        if len(line) != len(rule):  # a table's rows are as wide as its rule; notes are not
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_drift_shows_numbers_not_ellipses(printed):
    result = printed[80, "drift ARM --since 2014 --until 2024"]
    assert "0.…" not in result.stdout and "…" not in result.stdout
    rows = _rows(result.stdout, "pole")
    assert [r[0] for r in rows] == ["RUS", "USA", "CHN", "TUR", "EU"]
    # The trend per year, signed with three decimals; p with two.
    assert all(re.fullmatch(r"[+-]\d\.\d{3}", r[5]) for r in rows)
    assert all(r[7] in {"stable", "moving towards", "moving away from"} or
               r[7].startswith("insufficient") for r in rows)  # fmt: skip


def test_sphere_keeps_its_key_columns_whole(printed):
    for width in (80, 120):
        result = printed[width, "sphere RUS --year 2024 --region post-soviet"]
        header = result.stdout.splitlines()[1].split()
        assert header[:4] == ["state", "status", "index", "band"]
        rows = _rows(result.stdout, "state")
        states = {r[0] for r in rows}
        # The post-Soviet states but Russia, the pole itself.
        assert {"ARM", "BLR", "KAZ", "UKR", "EST"} <= states and "RUS" not in states
        assert all(r[1] in {"in sphere", "contested", "outside"} for r in rows)
        assert all(re.fullmatch(r"\d\.\d\d", r[2]) for r in rows)


def test_matrix_table_is_whole_or_refused(cli, store_path):
    env = {"ALLEGIANCE_DB": str(store_path), "COLUMNS": "80"}
    small = cli("matrix", "--year", "2020", "--region", "south-caucasus", "--format", "table",
                env=env)  # fmt: skip
    rows = _rows(small.stdout, "state")
    assert [r[0] for r in rows] == ["ARM", "AZE", "GEO"]
    assert all(r[i + 1] == "1.00" for i, r in enumerate(rows))  # a state agrees with itself
    big = cli("matrix", "--year", "2020", "--format", "table", env=env)
    assert big.exit_code == 2 and "--region or --states" in big.stderr
    wide = cli("matrix", "--year", "2020", "--region", "central-asia", "--format", "table",
               "--wide", env=env)  # fmt: skip
    assert wide.exit_code == 0 and "UZB" in wide.stdout.splitlines()[1]


def test_wide_shows_every_column(cli, store_path):
    env = {"ALLEGIANCE_DB": str(store_path), "COLUMNS": "80"}
    narrow = cli("drift", "ARM", "--since", "2014", "--until", "2024", env=env)
    wide = cli("drift", "ARM", "--since", "2014", "--until", "2024", "--wide", env=env)
    assert "not shown for lack of room" in narrow.stdout
    header = wide.stdout.splitlines()[1].split()
    for column in ("slope_votes", "slope_trade", "slope_arms", "gap_first", "se", "t", "state"):
        assert column in header
    assert "not shown" not in wide.stdout


def test_roll_calls_keep_ids_symbols_and_tallies(printed):
    result = printed[80, "roll-calls --since 2022 --issue ukraine"]
    rows = _rows(result.stdout, "id")
    first = rows[0]
    # A/RES/ES-11/1 of 2 March 2022 was adopted 141-5-35.
    assert first[1:3] == ["2022-03-02", "A/RES/ES-11/1"] and first[-1] == "141-5-35"
    assert all(re.fullmatch(r"A/RES/[\w/-]+", r[2]) for r in rows)


def test_check_keeps_claim_ids_whole(cli, store_path):
    from conftest import ROOT

    example = ROOT / "examples" / "claims" / "kuzio-2025-03-10.yaml"
    env = {"ALLEGIANCE_DB": str(store_path), "COLUMNS": "80"}
    result = cli("check", example, env=env)
    assert result.exit_code == 0, result.output
    ids = {r[0] for r in _rows(result.stdout, "id")}
    for claim in ("un-vote-third-anniversary", "central-asia-annexation-vote",
                  "recognition-abkhazia-south-ossetia"):  # fmt: skip
        assert claim in ids


def test_info_prints_citations_whole_and_not_as_markup(printed, cli, store, store_path):
    info = printed[80, "info"]
    assert len(info.stdout.splitlines()) < 80  # the citations used to wrap over ~50 lines each
    full = cli("info", "--citations", env={"ALLEGIANCE_DB": str(store_path), "COLUMNS": "80"})
    text = " ".join(full.stdout.split())
    for source, citation in store.citations().itertuples(index=False):
        assert f"{source}: {' '.join(citation.split())}" in text


def test_text_is_never_read_as_markup(capsys):
    citation = "Caucasus Barometer [year] [country/regional dataset] [bold]x[/bold]"
    frame = pd.DataFrame({"source": ["cb"], "citation": [citation]})
    output.configure_consoles()
    output.emit(frame, title="[red]Sources[/red]", attribution=citation)
    printed = " ".join(capsys.readouterr().out.split())
    assert "[year] [country/regional dataset] [bold]x[/bold]" in printed
    assert "[red]Sources[/red]" in printed


def test_numbers_are_rounded_to_what_they_mean(printed):
    agree = _rows(printed[80, "agree ARM RUS --since 2018"].stdout, "year")
    assert all(re.fullmatch(r"\d\.\d\d", r[1]) for r in agree)
    align = _rows(printed[80, "align KAZ --since 2018"].stdout, "year")
    assert all(re.fullmatch(r"\d\.\d\d", v) for r in align for v in r[1:6])


def test_fit_cuts_text_keeps_keys_and_says_what_it_left_out():
    frame = pd.DataFrame(
        {
            "state": ["ARM", "AZE"],
            "title": ["A very long title " * 8, "short"],
            "n": [1, 22],
            "extra": ["x" * 60, "y"],
        }
    )
    view = [output.Col("state"), output.Col("title", kind="text"), output.Col("n"),
            output.Col("extra", kind="text", level=2)]  # fmt: skip
    columns = [output._build(c, list(frame[c.name]), "{:.3f}", False) for c in view]
    kept, dropped = output._fit(columns, 40)
    assert [c.spec.name for c in kept] == ["state", "title", "n"] and dropped == ["extra"]
    assert sum(c.width for c in kept) + 3 * (len(kept) - 1) <= 40
    assert kept[0].width == len("state")


def test_progress_is_shown_only_on_a_terminal(monkeypatch):
    shown = []

    class Terminal:
        is_terminal = True

        def status(self, message):
            shown.append(str(message))
            import contextlib

            return contextlib.nullcontext()

    with output.working("computing"):
        pass
    assert shown == []  # tests do not run on a terminal
    monkeypatch.setattr(output, "err", Terminal())
    with output.working("computing the index"):
        pass
    assert shown == ["computing the index"]
