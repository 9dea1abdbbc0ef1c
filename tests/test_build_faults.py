"""Fault injection: a damaged copy of the mirror never shrinks or replaces a good store.

Each trial links the untouched files of a small part of the mirror (the UN extracts,
SIPRI, Armstat, Comtrade, the Caucasus Barometer, Natural Earth) into a temporary folder,
writes one damaged file in place of its link, and builds over a copy of a store built once
from the undamaged files. A build either refuses, naming the file and the reason, and
leaves the previous store byte for byte as it was, or counts every row it did not take.
"""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import allegiance
from allegiance.cli.app import app
from allegiance.sources.base import SourceError
from allegiance.store.build import BuildError, ShrinkError, build, remove_leftovers
from allegiance.store.store import Store

UNXML = "unga/unxml_garesolutions"
SIPRI = "arms/sipri_tiv_by_supplier_recipient_year_1995_2024.csv"
ARMSTAT = "trade/armstat_armenia_trade_by_partner_monthly_2007_2024.csv.gz"
BAROMETER = "opinion/caucasus_barometer_foreign_policy_attitudes_2009_2011_2020.csv"
LINKED = [
    *(f"{UNXML}/{name}" for name in ("74", "75", "76", "77", "78", "79", "80", "ES-10", "ES-11")),
    SIPRI,
    ARMSTAT,
    BAROMETER,
    "trade/comtrade_exports_by_partner_2021.csv.gz",
    "geo/ne_110m_admin_0_countries.geojson.gz",
]


def _link_mirror(mirror: Path, folder: Path) -> Path:
    for rel in LINKED:
        name = rel if not rel.startswith(UNXML) else rel + ".json.gz"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(mirror / name)
    return folder


@pytest.fixture(scope="module")
def baseline(mirror, tmp_path_factory):
    """The linked mirror and a store built from it, once for the module."""
    root = tmp_path_factory.mktemp("faults")
    small = _link_mirror(mirror, root / "mirror")
    db = root / "allegiance.duckdb"
    build(small, db)
    return small, db


def _damaged(baseline, tmp_path: Path, files: dict) -> tuple[Path, Path]:
    """A linked mirror with ``files`` (relative name -> bytes, or None to remove) written in,
    and a copy of the baseline store to build over."""
    small, db = baseline
    folder = _link_mirror(small, tmp_path / "mirror")
    for rel, content in files.items():
        path = folder / rel
        path.unlink()
        if content is not None:
            path.write_bytes(content)
    target = tmp_path / "allegiance.duckdb"
    shutil.copyfile(db, target)
    return folder, target


def _text(baseline, rel: str) -> str:
    path = baseline[0] / rel
    data = path.read_bytes()
    return (gzip.decompress(data) if rel.endswith(".gz") else data).decode("utf-8")


def _refused(db: Path, before: bytes) -> None:
    assert db.read_bytes() == before, "a refused build changed the previous store"
    assert not list(db.parent.glob(f".{db.name}.building-*")), "temporary file left behind"


# --- inputs that must fail the build -----------------------------------------------------


def _first_lines(baseline, rel: str, n: int) -> bytes:
    return gzip.compress("".join(_text(baseline, rel).splitlines(keepends=True)[:n]).encode())


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda b: b"", "empty"),  # a 0-byte download
        (lambda b: gzip.compress(b""), "empty"),  # a compressed file of nothing
        (lambda b: (b[0] / f"{UNXML}/78.json.gz").read_bytes()[:30_000], "truncated or damaged"),
        (lambda b: _first_lines(b, f"{UNXML}/78.json.gz", 5), "fewer than the 40"),
    ],
    ids=["zero-bytes", "empty-gzip", "truncated-gzip", "five-records"],
)
def test_a_damaged_session_file_fails_the_build_and_keeps_the_store(
    baseline, tmp_path, damage, reason
):
    # The issue: a 0-byte or empty 78.json.gz built with exit 0, session 78 went from 87
    # roll calls to 2, and the good store was replaced.
    mirror, db = _damaged(baseline, tmp_path, {f"{UNXML}/78.json.gz": damage(baseline)})
    before = db.read_bytes()
    with pytest.raises(SourceError, match=rf"78\.json\.gz.*{reason}"):
        build(mirror, db)
    _refused(db, before)


SIPRI_HEADER = "supplier,recipient,year,tiv_delivered_musd,n_deal_rows,n_units_delivered\n"


@pytest.mark.parametrize(
    ("rel", "damage", "message"),
    [
        (SIPRI, lambda text: b"", r"sipri_tiv.*\.csv: empty file"),
        (SIPRI, lambda text: SIPRI_HEADER.encode(), r"sipri_tiv.*: 0 usable row\(s\), fewer than"),
        (
            SIPRI,
            lambda text: text.replace("tiv_delivered_musd", "tiv_musd", 1).encode(),
            r"sipri_tiv.*missing column\(s\) tiv_delivered_musd",
        ),
        (
            SIPRI,  # a file cut short after the rows of 2019: five years gone
            lambda text: "".join(
                line for line in text.splitlines(keepends=True) if ",202" not in line
            ).encode(),
            r"sipri_tiv.*no usable row for year\(s\) 2020-2024",
        ),
        (ARMSTAT, lambda text: gzip.compress(b""), r"armstat.*\.csv\.gz: empty file"),
        (BAROMETER, lambda text: b"\x00\xff" * 100, r"caucasus_barometer.*\.csv"),
    ],
    ids=["sipri-empty", "sipri-header-only", "sipri-column-renamed", "sipri-cut-short",
         "armstat-empty-gzip", "barometer-binary"],
)  # fmt: skip
def test_a_damaged_channel_file_fails_the_build_and_keeps_the_store(
    baseline, tmp_path, rel, damage, message
):
    mirror, db = _damaged(baseline, tmp_path, {rel: damage(_text(baseline, rel))})
    before = db.read_bytes()
    with pytest.raises(SourceError, match=message):
        build(mirror, db)
    _refused(db, before)


def test_a_file_that_is_not_a_store_is_not_replaced(baseline, tmp_path):
    mirror, _ = baseline
    db = tmp_path / "notes.duckdb"
    db.write_text("my notes, not a store\n")
    with pytest.raises(BuildError, match="notes.duckdb.*--allow-shrink"):
        build(mirror, db)
    assert db.read_text() == "my notes, not a store\n"


# --- a build that would shrink the store ---------------------------------------------------


def test_a_missing_session_file_is_refused_as_a_shrink_unless_allowed(baseline, tmp_path):
    # Without 78.json.gz the extracts still read, but session 78 keeps only 2 roll calls of
    # 87: ES-10/21 and ES-10/22, from the emergency session's own file.
    mirror, db = _damaged(baseline, tmp_path, {f"{UNXML}/78.json.gz": None})
    before = db.read_bytes()
    runner = CliRunner()
    args = ["build", "--from", str(mirror), "--db", str(db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "roll_calls, session 78: 87 -> 2 rows (-98%)" in result.output
    assert "--allow-shrink" in result.output and "previous store is unchanged" in result.output
    _refused(db, before)
    with pytest.raises(ShrinkError) as refused:
        build(mirror, db)
    row = refused.value.changes.iloc[0]
    assert (row["period"], row["before"], row["after"], row["beyond_tolerance"]) == (
        78,
        87,
        2,
        True,
    )
    _refused(db, before)

    report = build(mirror, db, allow_shrink=True)
    assert report.shrink_allowed
    with Store(db) as store:
        changes = store.build_changes()
        assert changes[["unit", "period", "before", "after"]].values.tolist() == [
            ["session", 78, 87, 2]
        ]
        assert dict(store.info()["build"].itertuples(index=False))["shrink_allowed"] == "yes"
    result = runner.invoke(app, ["info", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Coverage changed by the last build" in result.output
    assert "roll_calls, session 78" in result.output
    assert "allowed by --allow-shrink" in result.output


# --- bad values: counted rejections, never stored ---------------------------------------


def test_bad_values_are_counted_rejections_and_never_reach_the_store(baseline, tmp_path):
    sipri = _text(baseline, SIPRI)
    assert sipri.splitlines()[1] == "Albania,Burkina Faso,2011,1.2,1,12"
    russia_kaz = [line for line in sipri.splitlines(keepends=True) if line.startswith("Russia,Kaz")]
    assert len(russia_kaz) == 28
    lines = sipri.splitlines(keepends=True)
    lines[1] = "Albania,Burkina Faso,2011,lots,1,12\n"  # line 2
    lines.append("Russia,Kazakhstan,2020,-999,1,1\n")  # line 11605
    lines.append("Russia,Kazakhstan,twenty,5,1,1\n")  # line 11606
    lines.append("garbage without commas\n")  # line 11607
    lines += russia_kaz  # lines 11608-11635: every Russia-Kazakhstan row again
    armstat = _text(baseline, ARMSTAT).splitlines(keepends=True)
    assert armstat[1] == "Afghanistan,2024,2,0.0,0.26,0.0,2024-02-01\n"
    armstat[1] = "Afghanistan,2024,2,-5,0.26,0.0,2024-02-01\n"  # line 2
    armstat[2] = "Afghanistan,2024,3,0.0,n/a,0.0,2024-03-01\n"  # line 3
    barometer = _text(baseline, BAROMETER).splitlines(keepends=True)
    barometer[1] = barometer[1].replace(",0.00019080989295616746,", ",1.5,")  # line 2
    mirror, db = _damaged(
        baseline,
        tmp_path,
        {
            SIPRI: "".join(lines).encode(),
            ARMSTAT: gzip.compress("".join(armstat).encode()),
            BAROMETER: "".join(barometer).encode(),
        },
    )
    build(mirror, db)
    with Store(db) as store:
        rejected = store.rejections()
        got = {
            (r.source, r.record, r.field, r.reason)
            for r in rejected.itertuples(index=False)
            if r.source in {"sipri", "armstat", "caucasus_barometer"}
        }
        merged = {
            (r.record, r.reason)
            for r in rejected.itertuples(index=False)
            if r.source == "sipri" and "merged" in r.reason
        }
        share = store.sql(
            "SELECT sum(tiv) FILTER (WHERE supplier = 'RUS') / sum(tiv) AS share, "
            "sum(tiv) AS total, count(*) FILTER (WHERE isnan(tiv) OR tiv < 0) AS bad "
            "FROM arms_transfers WHERE recipient = 'KAZ' AND year BETWEEN 2015 AND 2024"
        ).iloc[0]
        arms_rows = store.sql("SELECT count(*) AS n FROM arms_transfers")["n"].iat[0]
    assert {
        ("sipri", "line 2", "tiv_delivered_musd", "not a number: 'lots'"),
        ("sipri", "line 11605", "tiv_delivered_musd", "negative: '-999'"),
        ("sipri", "line 11606", "year", "not a number: 'twenty'"),
        ("sipri", "line 11607", "supplier", "not a known state: 'garbage without commas'"),
        ("armstat", "line 2", "export", "negative: '-5'"),
        ("armstat", "line 3", "import_origin", "not a number: 'n/a'"),
        ("caucasus_barometer", "line 2", "weighted_share", "above 1: '1.5'"),
    } <= got
    # Each repeated Russia-Kazakhstan row is merged into the first, and counted.
    assert len(merged) == 28
    assert ("line 11608", "repeats line 6422 with the same values: merged") in merged
    # Kazakhstan's Russian share of arms received 2015-2024 stays what SIPRI's rows give,
    # 2466.7 / 2745.63 = 0.898 (the -999 row had moved it; duplicates had doubled totals).
    assert share["share"] == pytest.approx(2466.7 / 2745.63)
    assert share["total"] == pytest.approx(2745.63)
    assert share["bad"] == 0
    assert arms_rows == 11_603 - 1  # only the 'lots' row is lost
    result = CliRunner().invoke(app, ["info", "--rejections", "--format", "csv", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "sipri,sipri_tiv_by_supplier_recipient_year_1995_2024.csv,line 11605," in result.output


# --- killed builds ---------------------------------------------------------------------------


def test_a_build_killed_with_sigkill_leaves_the_store_usable_and_is_cleaned_up(baseline, tmp_path):
    mirror, db = _damaged(baseline, tmp_path, {})
    before = db.read_bytes()
    src = Path(allegiance.__file__).resolve().parents[1]
    code = f"from allegiance.store.build import build; build({str(mirror)!r}, {str(db)!r})"
    env = {**os.environ, "PYTHONPATH": str(src)}
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    leftover = db.with_name(f".{db.name}.building-{process.pid}")
    deadline = time.monotonic() + 120
    while not leftover.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert leftover.exists()
    assert db.read_bytes() == before
    with Store(db) as store:
        counts = store.votes("A/RES/ES-11/1")["vote"].value_counts()
        assert (counts["yes"], counts["no"], counts["abstain"]) == (141, 5, 35)
    report = build(mirror, db)
    assert leftover in report.removed_leftovers
    assert not leftover.exists()
    assert not list(db.parent.glob(f".{db.name}.building-*"))


def test_leftovers_of_a_build_still_running_are_kept(tmp_path):
    db = tmp_path / "allegiance.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    gone = int(dead.stdout)
    killed = [tmp_path / f".allegiance.duckdb.building-{gone}{end}" for end in ("", ".wal")]
    running = tmp_path / f".allegiance.duckdb.building-{os.getppid()}"  # our parent: alive
    other = tmp_path / f".other.duckdb.building-{gone}"
    for path in (*killed, running, other):
        path.write_bytes(b"partial")
    assert remove_leftovers(db) == sorted(killed)
    assert running.exists() and other.exists()
