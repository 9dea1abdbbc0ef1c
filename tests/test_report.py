"""The report: one self-contained HTML file with every section, and failures that show."""

from __future__ import annotations

import re

import pytest

import allegiance as al
from allegiance.analysis.regions import region as region_members
from allegiance.report import render
from allegiance.report.render import ORDER, ReportIncomplete, render_report
from allegiance.report.sections import alignment, es11
from allegiance.store.store import UN_ATTRIBUTION

POST_SOVIET = region_members("post-soviet", "2022-03-02")


@pytest.fixture(scope="module")
def report_html(store, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert render_report(store, out) == out
    return out.read_text(encoding="utf-8")


def sections_of(html: str) -> dict[str, str]:
    """The HTML of each top-level section, by its anchor."""
    starts = list(re.finditer(r'<section id="([^"]+)" class="section-(\w+)">', html))
    ends = [m.start() for m in starts[1:]] + [html.index("</main>")]
    return {m.group(1): html[m.start() : end] for m, end in zip(starts, ends, strict=True)}


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def test_report_is_self_contained(report_html):
    assert "<script src" not in report_html.lower()
    assert not re.search(r"<link\b", report_html, flags=re.I)
    assert not re.search(r"""\bsrc=["']?\s*(https?:)?//""", report_html, flags=re.I)
    assert "url(http" not in report_html
    # Every external address is a link to a cited source: an <a> element, nothing loaded.
    for m in re.finditer(r"""\bhref=["']?https?://""", report_html):
        tag_start = report_html.rindex("<", 0, m.start())
        assert report_html[tag_start : tag_start + 3] == "<a ", report_html[tag_start : m.end()]
    assert len(svgs(report_html)) >= 3


def test_every_section_has_its_heading_in_order(report_html):
    headings = re.findall(r"<h2>\d+\. (.*?)</h2>", report_html)
    assert headings == [module.TITLE for _, module, _ in ORDER]
    toc = re.search(r"<nav.*?</nav>", report_html, flags=re.S).group(0)
    for _, module, _ in ORDER:
        assert module.TITLE in toc


def test_no_section_failed(report_html):
    statuses = re.findall(r'<section id="[^"]+" class="section-(\w+)">', report_html)
    assert len(statuses) == len(ORDER)
    assert "failed" not in statuses
    assert 'class="error-box"' not in report_html


def test_header_shows_store_provenance(store, report_html):
    build = dict(store.info()["build"].itertuples(index=False))
    header = report_html[: report_html.index("<main>")]
    assert build["built_at"] in header
    assert build["mirror"] in header


def _cell(html: str, state: str, symbol: str) -> str:
    m = re.search(rf'class="vote vote-(\w+)" data-state="{state}" data-symbol="{symbol}"', html)
    assert m, f"no cell for {state} on {symbol}"
    return m.group(1)


def test_es11_grid_shows_each_state_as_the_store_records_it(store, report_html):
    grid_html = sections_of(report_html)["es11"]
    recorded = al.votes(store, "A/RES/ES-11/1", region="post-soviet").set_index("state")["vote"]
    for state in ("BLR", "RUS", "UKR"):
        assert _cell(grid_html, state, "A/RES/ES-11/1") == recorded[state]
    assert [_cell(grid_html, s, "A/RES/ES-11/1") for s in ("BLR", "RUS", "UKR")] == [
        "no",
        "no",
        "yes",
    ]
    resolutions = store.roll_calls(kind="resolution")
    symbols = resolutions.loc[resolutions["symbol"].str.startswith(es11.PREFIX, na=False)]
    for symbol in symbols["symbol"].unique():
        for state in POST_SOVIET:
            _cell(grid_html, state, symbol)
    latest = symbols.iloc[-1]
    assert f"{latest.yes}–{latest.no}–{latest.abstain}" in grid_html


def test_alignment_chart_has_fifteen_panels_and_one_legend(report_html):
    section = sections_of(report_html)["alignment"]
    (chart,) = svgs(section)
    panels = re.findall(r'id="panel-([A-Z]{3})"', chart)
    assert sorted(panels) == sorted(POST_SOVIET) and len(panels) == 15
    assert chart.count(">European Union<") == 1


def test_alignment_section_draws_the_frames_of_the_store(store):
    built = alignment.section(store, since=2020)
    assert built.data["panels"] == POST_SOVIET
    ukraine = built.data["frames"]["UKR"]
    expected = al.alignment(store, "UKR", since=2020)
    assert ukraine["USA"].tolist() == pytest.approx(expected["USA"].tolist(), nan_ok=True)


def test_ideal_points_are_drawn_for_every_state(store, report_html):
    section = sections_of(report_html)["ideal_points"]
    (chart,) = svgs(section)
    assert sorted(re.findall(r'id="panel-([A-Z]{3})"', chart)) == sorted(POST_SOVIET)


def test_timelines_cite_the_knowledge_base(report_html):
    from allegiance import kb as knowledge
    from allegiance.kb.query import timeline

    section = sections_of(report_html)["timelines"]
    for state in POST_SOVIET:
        assert f'id="timeline-{state}"' in section
    urls = timeline(knowledge.default(), "ARM")["citation_url"].dropna()
    assert len(urls)
    for url in urls:
        assert f'href="{url.replace("&", "&amp;")}"' in section


def test_sources_list_every_attribution(store, report_html):
    import html

    section = html.unescape(re.sub(r"<[^>]+>", "", sections_of(report_html)["sources"]))
    assert UN_ATTRIBUTION in section
    for needle in ("Made with Natural Earth", "SIPRI", "Correlates of War", "Caucasus"):
        assert needle in section
    for citation in store.citations()["citation"]:
        assert citation in section


def test_a_failing_section_shows_an_error_box_and_fails_the_render(store, tmp_path, monkeypatch):
    def broken(store, **kw):
        raise RuntimeError("the grid broke")

    monkeypatch.setattr(es11, "section", broken)
    out = tmp_path / "partial.html"
    with pytest.raises(ReportIncomplete) as caught:
        render_report(store, out, only=["coverage", "es11"])
    assert [s.title for s in caught.value.failed] == [es11.TITLE]
    html = out.read_text(encoding="utf-8")
    parts = sections_of(html)
    assert "error-box" in parts["es11"]
    assert "RuntimeError: the grid broke" in html
    assert "section-ok" in html and "<table" in parts["coverage"]
    assert render_report(store, out, only=["es11"], allow_partial=True) == out


def test_cli_exits_non_zero_when_a_section_fails(cli, store_path, tmp_path, monkeypatch):

    def broken(store, options, used):
        raise ValueError("no data")

    monkeypatch.setattr(render, "ORDER", [("es11", es11, broken)])
    out = tmp_path / "r.html"
    args = ["report", "--db", str(store_path), "--out", str(out)]
    failed = cli(*args)
    assert failed.exit_code != 0
    assert out.exists() and "ValueError: no data" in out.read_text(encoding="utf-8")
    assert cli(*[*args, "--allow-partial"]).exit_code == 0


def test_spheres_map_the_five_years(store, report_html):
    section = sections_of(report_html)["spheres"]
    latest = int(al.sphere(store, "RUS")["year"].iloc[0])
    maps = re.findall(r'id="map-(\d{4})"', section)
    assert [int(y) for y in maps] == sorted({1995, 2005, 2014, 2022, latest})
    assert "Natural Earth" in section and "de-facto" in section
    assert sorted(re.findall(r'id="panel-([A-Z]{3})"', section)) == sorted(
        region_members("post-soviet")
    )


def test_claims_ledger_links_each_claim_to_its_evidence(report_html):
    from allegiance.claims.model import load_claims
    from allegiance.report.sections.claims import DEFAULT_CLAIMS

    section = sections_of(report_html)["claims"]
    parsed, _ = load_claims(DEFAULT_CLAIMS)
    for claim in parsed.claims:
        assert f'href="#claim-{claim.id}"' in section
        assert f'id="claim-{claim.id}"' in section


def test_sphere_size_counts_each_state_once_per_year_without_the_pole():
    import pandas as pd

    from allegiance.report.sections.spheres import SIZE_COLUMNS, sphere_size

    leaders = pd.DataFrame({
        "state": ["ARM", "GEO", "KAZ", "RUS", "UKR"] * 2,
        "year": [2000] * 5 + [2001] * 5,
        "sphere": ["RUS", None, None, "CHN", "RUS", "RUS", "EU", None, "CHN", None],
        "assignment": ["in sphere", "contested", "no sphere", "in sphere", "in sphere",
                       "in sphere", "in sphere", "insufficient data", "in sphere", "contested"],
    })  # fmt: skip
    size = sphere_size(leaders, ["ARM", "GEO", "KAZ", "RUS"]).set_index("year")
    assert list(size.columns) == list(SIZE_COLUMNS)
    # in Russia's sphere, contested, in another pole's sphere, in no sphere, insufficient data
    assert size.loc[2000].tolist() == [1, 1, 0, 1, 0]
    assert size.loc[2001].tolist() == [1, 0, 1, 0, 1]
