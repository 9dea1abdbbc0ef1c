"""Channels of influence, the index, spheres and drift: pure parts on hand-made frames, the
rest on the store built from the real mirror."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import allegiance as al
from allegiance.analysis.influence import api
from allegiance.analysis.influence import drift as drift_
from allegiance.analysis.influence import index as index_
from allegiance.analysis.influence import sphere as sphere_
from allegiance.analysis.influence import weights as weights_
from allegiance.analysis.influence.channels import registry, trade

POLES = ["RUS", "USA", "CHN", "TUR", "EU"]


# -- pure computations ----------------------------------------------------------------------
def _scores(rows):
    return pd.DataFrame(rows, columns=["state", "pole", "year", "channel", "score"])


def test_combine_reweights_missing_channels_instead_of_reading_zero():
    scores = _scores([
        ("AAA", "P", 2000, "a", 0.8), ("AAA", "P", 2000, "b", 0.2),
        ("AAA", "P", 2001, "a", 0.8),  # b missing in 2001
    ])  # fmt: skip
    out = index_.combine(scores, {"a": 3.0, "b": 1.0}, min_channels=2).set_index("year")
    assert out.loc[2000, "index"] == pytest.approx((3 * 0.8 + 1 * 0.2) / 4)
    # With b missing, the index is a's score, not (3 * 0.8 + 1 * 0) / 4.
    assert out.loc[2001, "index"] == pytest.approx(0.8)
    assert out.loc[2001, "missing"] == "b" and bool(out.loc[2001, "reweighted"])
    assert bool(out.loc[2001, "thin"]) and not bool(out.loc[2000, "thin"])
    # Contributions add up to the index.
    contrib = out[["contrib_a", "contrib_b"]].fillna(0).sum(axis=1)
    assert np.allclose(contrib, out["index"])


def test_band_is_the_range_of_leave_one_out_and_channel_bands():
    scores = _scores([("AAA", "P", 2000, "a", 0.9), ("AAA", "P", 2000, "b", 0.1)])
    out = index_.combine(scores, {"a": 1.0, "b": 1.0}).iloc[0]
    assert (out["lower"], out["upper"]) == pytest.approx((0.1, 0.9))
    banded = scores.assign(score_lower=[0.7, np.nan], score_upper=[1.0, np.nan])
    single = index_.combine(banded[banded["channel"] == "a"], {"a": 1.0, "b": 1.0}).iloc[0]
    assert (single["lower"], single["index"], single["upper"]) == pytest.approx((0.7, 0.9, 1.0))


def test_decomposition_of_a_change_adds_up():
    scores = _scores([
        ("AAA", "P", 2000, "a", 0.5), ("AAA", "P", 2000, "b", 0.5),
        ("AAA", "P", 2005, "a", 0.9), ("AAA", "P", 2005, "b", 0.1), ("AAA", "P", 2005, "c", 1.0),
    ])  # fmt: skip
    idx = index_.combine(scores, {"a": 1.0, "b": 1.0, "c": 2.0})
    parts = index_.decompose_change(idx, "AAA", "P", 2000, 2005).set_index("channel")
    assert parts.drop("total")["change"].sum() == pytest.approx(parts.loc["total", "change"])
    assert parts.loc["c", "from"] == 0 and parts.loc["c", "to"] == pytest.approx(0.5)


def test_sphere_needs_the_top_index_a_threshold_a_margin_and_evidence():
    idx = pd.DataFrame({
        "state": ["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"], "pole": ["P", "Q"] * 5,
        "year": 2000, "index": [0.7, 0.3, 0.45, 0.43, 0.3, 0.2, 0.7, 0.3, 0.3, 0.2],
        "lower": 0.0, "upper": 1.0, "n_channels": 4, "channels": "x", "imputed": "",
        # D's leader rests on two channels only; no pole of E has three with an economic one.
        "evidence": ["a,b,trade"] * 6 + ["a,b", "a,b,trade", "a,b,c", "a,b,c"],
        "n_evidence": [3] * 6 + [2, 3, 3, 3],
        "economic": [True] * 8 + [False, False],
    })  # fmt: skip
    got = sphere_.membership(idx, "P", 2000, threshold=0.4, margin=0.05).set_index("state")
    assert got.loc["A", "status"] == "in sphere" and got.loc["A", "sphere"] == "P"
    assert got.loc["B", "status"] == "contested"  # leads by 0.02 only
    assert got.loc["C", "status"] == "outside"  # below the threshold: in no sphere
    assert got.loc["D", "status"] == "insufficient data"  # 0.7, but on two channels
    assert got.loc["E", "status"] == "insufficient data"  # nothing economic anywhere
    other = sphere_.membership(idx, "Q", 2000, threshold=0.4, margin=0.05).set_index("state")
    assert other.loc["A", "status"] == "outside"
    lead = sphere_.leaders(idx, 0.4, 0.05).set_index("state")["assignment"]
    assert lead.to_dict() == {"A": "in sphere", "B": "contested", "C": "no sphere",
                              "D": "insufficient data", "E": "insufficient data"}  # fmt: skip


def test_trend_test_and_classification():
    years = np.arange(2000, 2011)
    rising = 0.1 + 0.02 * (years - 2000) + np.where(years % 2, 0.003, -0.003)
    fit = drift_.trend(years, rising)
    assert fit["slope"] == pytest.approx(0.02, abs=1e-3) and fit["p"] < 0.001
    assert drift_.classify(fit["slope"], fit["p"], fit["n"], "RUS") == "moving towards RUS"
    noise = np.where(years % 2, 0.01, -0.01)
    flat = drift_.trend(years, noise)
    assert drift_.classify(flat["slope"], flat["p"], flat["n"], "RUS") == "stable"
    assert drift_.classify(-0.02, 0.001, 11, "EU") == "moving away from EU"
    assert drift_.classify(0.02, 0.001, 3, "EU") == "insufficient data"


def test_drift_channel_slopes_add_up_to_the_gap_slope():
    rows = []
    for y in range(2000, 2010):
        rows += [("S", "P", y, "a", 0.3 + 0.03 * (y - 2000)), ("S", "P", y, "b", 0.5),
                 ("S", "Q", y, "a", 0.6), ("S", "Q", y, "b", 0.6 - 0.01 * (y - 2000))]  # fmt: skip
    idx = index_.combine(_scores(rows), {"a": 1.0, "b": 1.0})
    summary, parts = drift_.drift(idx, ["P"])
    assert summary.loc[0, "trend"] == "moving towards P"
    assert parts["slope"].sum() == pytest.approx(summary.loc[0, "slope"])


def test_weights_override_from_dict_and_file(tmp_path):
    names = list(registry())
    default = weights_.resolve(names)
    # Every channel weighs something except events, off until coverage allows (docs/events.md).
    assert set(default) == set(names) and default["events"] == 0.0
    assert all(w > 0 for name, w in default.items() if name != "events")
    assert weights_.resolve(names, {"votes": 0.9})["votes"] == 0.9
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"trade": 0.0}))
    assert weights_.resolve(names, str(path))["trade"] == 0.0
    with pytest.raises(ValueError, match="unknown channel"):
        weights_.resolve(names, {"tv": 1})
    with pytest.raises(ValueError, match="0 or more"):
        weights_.resolve(names, {"votes": -1})


def test_registry_finds_one_module_per_channel():
    assert {"votes", "institutions", "military", "trade", "arms", "opinion"} <= set(registry())


# -- the store tables -------------------------------------------------------------------------
def test_channel_tables_keep_missing_as_null_and_log_rejections(store, mirror):
    from allegiance.sources import cow_trade

    counts = store.sql(
        "SELECT source, count(*) FILTER (WHERE exports_usd IS NULL) AS nulls, "
        "count(*) FILTER (WHERE isnan(exports_usd)) AS nans FROM trade_flows GROUP BY 1"
    ).set_index("source")
    assert counts.loc["cow_trade", "nulls"] > 0  # COW's missing flows stay missing
    assert counts["nans"].sum() == 0
    read = cow_trade.read(mirror / "trade/cow_dyadic_trade_v4_1870_2014.parquet")
    logged = store.sql("SELECT count(*) AS n FROM rejections WHERE source = 'cow_trade'")["n"].iloc[
        0
    ]
    assert logged == len(read.rejected)
    src = store.sql("SELECT * FROM sources WHERE source IN ('sipri', 'armstat', 'natural_earth')")
    assert (
        len(src) == 3 and src["roll_calls"].isna().all() and src["citation"].str.len().gt(10).all()
    )
    geo = store.sql("SELECT iso3, geojson FROM boundaries WHERE iso3 = 'ARM'")
    assert json.loads(geo["geojson"].iloc[0])["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_a_source_missing_from_the_mirror_is_skipped(tmp_path, mirror):
    import duckdb

    from allegiance.store.channels_build import write_channels

    part = tmp_path / "mirror"
    (part / "arms").mkdir(parents=True)
    (part / "arms" / "sipri_tiv_by_supplier_recipient_year_1995_2024.csv").symlink_to(
        mirror / "arms" / "sipri_tiv_by_supplier_recipient_year_1995_2024.csv"
    )
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute(
        "CREATE TABLE rejections (source VARCHAR, file VARCHAR, record VARCHAR, field VARCHAR, reason VARCHAR)"
    )
    con.execute(
        "CREATE TABLE sources (source VARCHAR, citation VARCHAR, files VARCHAR[], roll_calls INTEGER, vote_rows INTEGER, rejected INTEGER)"
    )
    skipped = write_channels(con, part)
    assert "cow_trade" in skipped and "sipri" not in skipped
    assert con.execute("SELECT count(*) FROM arms_transfers").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM trade_flows").fetchone()[0] == 0


# -- hand-checkable figures (data SOURCES.md) -----------------------------------------------
def test_russia_share_of_armenia_trade_2024_from_armstat(store):
    got = al.trade_share(store, "ARM", "RUS", 2024, 2024)
    row = got[got["preferred"]].iloc[0]
    assert row["source"] == "armstat"
    assert round(row["share"], 3) == 0.411  # Armstat 2024, exports + imports by origin: 41.1%
    assert row["total_usd"] == pytest.approx(30.2e9, rel=0.01)


def test_russia_share_of_kazakhstan_arms_imports_2015_2024(store):
    got = al.arms_share(store, "KAZ", "RUS", 2015, 2024).iloc[0]
    assert got["share"] == pytest.approx(0.90, abs=0.005)  # SIPRI: Russia 90%
    early = al.arms_share(store, "KAZ", "RUS", 1995, 2014).iloc[0]
    assert early["share"] == pytest.approx(0.77, abs=0.005)


def test_kazakhstan_mirror_imports_and_cow_shares(store):
    imports = al.trade_share(store, "KAZ", "RUS", 2021, 2021, flow="imports").iloc[0]
    assert imports["source"] == "comtrade" and "mirror" in imports["flow_used"]
    assert imports["share"] == pytest.approx(0.384, abs=0.005)
    cow = al.trade_share(store, "KAZ", "CHN", 2014, 2014).iloc[0]
    assert cow["source"] == "cow_trade" and cow["share"] == pytest.approx(0.219, abs=0.0015)


def test_overlapping_trade_sources_agree_within_the_tolerance(store):
    flows = trade.annual_flows(store, None, range(2007, 2022))
    flows = flows[flows["reporter"] == "ARM"]
    for flow, other in (("total", "cow_trade"), ("exports", "comtrade")):
        shares = trade.pole_shares(flows, POLES, flow)
        table = shares.pivot_table(index=["pole", "year"], columns="source", values="share")
        both = table[["armstat", other]].dropna()
        assert len(both) >= 5
        assert (both["armstat"] - both[other]).abs().max() <= trade.TOLERANCE
    # Where they overlap, Armstat wins.
    assert set(al.trade_share(store, "ARM", "RUS", 2007, 2014).query("preferred")["source"]) == {
        "armstat"
    }


def test_eu_trade_share_sums_the_members_of_the_year(store):
    eu = al.trade_share(store, "ARM", "EU", 2024, 2024).iloc[0]
    deu = al.trade_share(store, "ARM", "DEU", 2024, 2024).iloc[0]
    gbr = al.trade_share(store, "ARM", "GBR", 2024, 2024).iloc[0]
    assert eu["share"] == pytest.approx(0.075, abs=0.001)  # SOURCES.md: EU27 7.5%
    assert eu["value_usd"] > deu["value_usd"]
    # The United Kingdom left on 31 January 2020: not in the EU of 2024, in the EU of 2014.
    eu14 = al.trade_share(store, "ARM", "EU", 2014, 2014).query("preferred").iloc[0]
    gbr14 = al.trade_share(store, "ARM", "GBR", 2014, 2014).query("source == 'armstat'").iloc[0]
    assert gbr["value_usd"] > 0 and gbr14["value_usd"] > 0
    members14 = al.trade_share(store, "ARM", "DEU", 2014, 2014).query("source == 'armstat'").iloc[0]
    assert eu14["value_usd"] >= members14["value_usd"] + gbr14["value_usd"]


# -- channels and the index on real data ----------------------------------------------------
@pytest.fixture(scope="module")
def arm_profile(store):
    return al.profile(store, "ARM", 2024)


def test_profile_shows_every_channel_with_inputs_and_sources(arm_profile):
    ch = arm_profile["channels"]
    for pole in POLES:
        got = set(ch[ch["pole"] == pole]["channel"])
        assert {"votes", "institutions", "military", "trade", "arms"} <= got
    assert ch["inputs"].str.len().gt(0).all() and ch["sources"].str.len().gt(0).all()
    assert ch["score"].between(0, 1).all()
    rus = ch[(ch["pole"] == "RUS")].set_index("channel")
    assert (
        "CSTO" in rus.loc["institutions", "inputs"]
        and "suspended" in rus.loc["institutions", "inputs"]
    )
    assert "Gyumri" in rus.loc["military", "inputs"]
    assert rus.loc["trade", "score"] == pytest.approx(0.411, abs=0.0005)


def test_index_is_weighted_mean_of_available_channels(arm_profile):
    idx = arm_profile["index"].set_index("pole")
    ch = arm_profile["channels"]
    w = weights_.resolve(list(registry()))
    for pole in POLES:
        s = ch[ch["pole"] == pole].set_index("channel")["score"]
        expect = sum(w[c] * v for c, v in s.items()) / sum(w[c] for c in s.index)
        assert idx.loc[pole, "index"] == pytest.approx(expect)
        assert idx.loc[pole, "lower"] <= idx.loc[pole, "index"] <= idx.loc[pole, "upper"]
    assert "opinion" in idx.loc["RUS", "missing"] and bool(idx.loc["RUS", "reweighted"])
    assert idx["index"].idxmax() == "RUS"


def test_opinion_channel_uses_the_survey_year_only(store):
    ch = al.channel_scores(store, "ARM", None, years=[2010, 2011], channels=["opinion"])
    assert set(ch["year"]) == {2011}
    rus = ch[ch["pole"] == "RUS"].iloc[0]
    assert rus["score"] == pytest.approx(0.84, abs=0.01)  # 81% with DK, renormalised


def test_military_channel_is_missing_outside_the_knowledge_base_coverage(store):
    ch = al.channel_scores(store, ["ARM", "FRA"], ["RUS"], years=[2012], channels=["military"])
    assert set(ch["state"]) == {"ARM"}
    gone = al.channel_scores(
        store, "AZE", ["RUS"], years=[2012, 2013], channels=["military"]
    ).set_index("year")
    assert (
        gone.loc[2012, "score"] > 0 and gone.loc[2013, "score"] == 0
    )  # Gabala radar closed Dec 2012


def test_weights_override_changes_the_index(store):
    base = al.influence(store, "ARM", "RUS", years=[2024]).iloc[0]
    votes_only = al.influence(
        store, "ARM", "RUS", years=[2024], weights={c: 0 for c in registry() if c != "votes"}
    ).iloc[0]
    assert votes_only["channels"] == "votes"
    assert votes_only["index"] != pytest.approx(base["index"])


def test_full_index_is_deterministic_and_covers_the_poles(store):
    years = range(2010, 2013)
    a = al.influence(store, None, None, years=years)
    api._MEMO.clear()  # recompute, not a cached copy
    store._cache.clear()
    b = al.influence(store, None, None, years=years)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["pole"]) == set(POLES)
    assert a["index"].between(0, 1).all()
    assert not ((a["state"] == "RUS") & (a["pole"] == "RUS")).any()


def test_sphere_and_drift_on_real_data(store):
    sph = al.sphere(store, "RUS", 2024)
    status = sph.set_index("state")["status"]
    assert status["BLR"] == "in sphere"
    assert status["POL"] != "in sphere"
    assert "RUS" not in status.index and "CHN" not in status.index
    assert set(status) <= {"in sphere", "contested", "insufficient data", "outside"}
    d = al.drift(store, "ARM", 2014, 2024).set_index("pole")
    assert set(d.index) == set(POLES)
    slopes = d[[c for c in d.columns if c.startswith("slope_")]].sum(axis=1)
    assert np.allclose(slopes, d["slope"])
    assert d["trend"].str.match(r"^(moving towards|moving away from|stable|insufficient)").all()


def test_influence_change_decomposes_a_change_between_years(store):
    parts = al.influence_change(store, "ARM", "RUS", 2014, 2024).set_index("channel")
    assert parts.drop("total")["change"].sum() == pytest.approx(parts.loc["total", "change"])


# -- the CLI -----------------------------------------------------------------------------------
def test_cli_profile_sphere_drift(cli, store_path):
    env = {"ALLEGIANCE_DB": str(store_path), "COLUMNS": "200"}
    prof = cli(*["profile", "ARM", "--year", "2024", "--format", "json"], env=env)
    assert prof.exit_code == 0, prof.output
    rows = json.loads(prof.stdout)["rows"]
    trade_rus = [r for r in rows if r["pole"] == "RUS" and r["channel"] == "trade"][0]
    assert "Armstat" in trade_rus["sources"] and trade_rus["score"] == pytest.approx(
        0.411, abs=5e-4
    )
    table = cli(*["profile", "ARM", "--year", "2024"], env=env)
    assert table.exit_code == 0 and "inputs:" in table.output and "sources:" in table.output
    sph = cli(*["sphere", "RUS", "--year", "2024", "--format", "csv"], env=env)
    assert sph.exit_code == 0 and "BLR" in sph.stdout
    dr = cli(*["drift", "ARM", "--from", "2014", "--to", "2024", "--format", "csv"], env=env)
    assert dr.exit_code == 0
    frame = pd.read_csv(pd.io.common.StringIO(dr.stdout))
    assert set(frame["pole"]) == set(POLES) and "slope_trade" in frame.columns
    bad = cli(*["drift", "ARM", "--from", "2024", "--to", "2014"], env=env)
    assert bad.exit_code != 0


def test_cli_weights_file_changes_the_index(cli, store_path, tmp_path):

    path = tmp_path / "weights.toml"
    path.write_text(
        "votes = 1.0\ninstitutions = 0\ntrade = 0\narms = 0\nmilitary = 0\nopinion = 0\n"
    )
    env = {"ALLEGIANCE_DB": str(store_path)}
    args = ["profile", "ARM", "--year", "2024", "--format", "json"]
    default = json.loads(cli(*args, env=env).stdout)["rows"]
    votes_only = json.loads(cli(*[*args, "--weights", str(path)], env=env).stdout)["rows"]

    def index(rows):
        return {r["pole"]: r["score"] for r in rows if r["channel"] == "INDEX"}

    votes = {r["pole"]: r["score"] for r in votes_only if r["channel"] == "votes"}
    assert index(votes_only) == pytest.approx(votes)
    assert index(default) != pytest.approx(index(votes_only))


def test_votes_channel_degrades_to_kappa_when_ideal_points_fail(store, monkeypatch):
    from allegiance.analysis.influence.channels import votes

    def broken(*args, **kwargs):
        raise RuntimeError("no convergence")

    monkeypatch.setattr(votes, "ideal_points", broken)
    bare = votes.score(store, ["ARM"], ["RUS", "USA"], [2024]).set_index("pole")
    assert bare["coverage_note"].str.startswith("kappa only (ideal points failed").all()
    kappa = votes.agreement_table(store, ["RUS"], [2024]).set_index("state")
    assert bare.loc["RUS", "score"] == pytest.approx(max(kappa.loc["ARM", "agreement"], 0.0))
    monkeypatch.undo()
    full = votes.score(store, ["ARM"], ["RUS"], [2024]).iloc[0]
    assert full["coverage_note"].startswith("kappa and ideal-point proximity")
    assert 0 <= full["score"] <= 1


def test_unknown_codes_are_refused_with_a_useful_message(store):
    with pytest.raises(ValueError, match="unknown state 'XXX'"):
        al.influence(store, "XXX", None, years=[2024])
    with pytest.raises(ValueError, match="unknown pole 'FOO'"):
        al.sphere(store, "FOO", 2024)
