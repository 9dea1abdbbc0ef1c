"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright.

One server (uvicorn on 127.0.0.1) and one browser for the module. Every request the
pages make is watched: any that leaves 127.0.0.1 fails the test, and so does any console
error or uncaught exception.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from web_support import LiveServer, web_app

pytestmark = pytest.mark.store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a root user on a machine without network: no sandbox, no background traffic.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def server(store_path):
    app = web_app(store_path)
    app.state.service.panel()  # computed once before the pages ask for it
    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium (as .ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records console errors and blocks (and records) any request to
    another host than the test server."""
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
          if m.type == "error" else None)  # fmt: skip
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def guard(route):
        url = route.request.url
        if url.startswith(server.url + "/") or url.startswith("data:"):
            return route.continue_()
        problems.append(f"external request: {url}")
        return route.abort()

    context.route("**/*", guard)
    pg.problems = problems
    pg.base = server.url
    yield pg
    context.close()
    assert not problems, problems


def statuses(pg) -> dict[str, str]:
    return pg.eval_on_selector_all(
        "#map path.state",
        "ps => Object.fromEntries(ps.map(p => [p.dataset.iso3, p.dataset.status]))",
    )


def test_map_has_one_shape_per_state_and_the_slider_recolours_it(page, store):
    page.goto(page.base + "/?pole=RUS&year=2022")
    page.wait_for_selector("#map[data-state=ready][data-year='2022']")
    shapes = store.boundaries()
    iso3 = page.eval_on_selector_all("#map path.state", "ps => ps.map(p => p.dataset.iso3)")
    # Every Natural Earth shape of the store but Antarctica, each state once.
    assert sorted(iso3) == sorted(s for s in shapes["iso3"] if s != "ATA")
    in_2022 = statuses(page)
    assert in_2022["BLR"] == "in sphere" and in_2022["RUS"] == "pole"
    assert in_2022["EST"] == "outside"
    fill = page.eval_on_selector("#map path[data-iso3=BLR]", "p => getComputedStyle(p).fill")
    assert fill == "rgb(213, 94, 0)"  # Russia's colour
    page.fill("#year", "1995")  # a range input: sets the value and fires input
    page.wait_for_selector("#map[data-state=ready][data-year='1995']")
    in_1995 = statuses(page)
    assert in_1995 != in_2022
    assert page.text_content("#year-label") == "1995"
    assert "year=1995" in page.get_attribute("#map-csv", "href")


def test_clicking_a_state_opens_its_page_with_charts(page):
    page.goto(page.base + "/?pole=RUS&year=2022")
    page.wait_for_selector("#map[data-state=ready]")
    page.click("#map path[data-iso3=KAZ]", force=True)
    page.wait_for_url("**/state/KAZ")
    page.wait_for_selector("body[data-charts=drawn]", timeout=60_000)
    assert page.text_content("h1").startswith("Kazakhstan")
    assert page.eval_on_selector_all("figure.chart[data-drawn] svg", "s => s.length") == 3
    lines = page.eval_on_selector_all("#chart-index g.series", "g => g.map(x => x.dataset.series)")
    assert sorted(lines) == ["CHN", "EU", "RUS", "TUR", "USA"]
    assert "Vote data: United Nations" in page.text_content("footer")


def test_resolution_page_shows_es_11_1_as_141_5_35(page):
    page.goto(page.base + "/resolution/A/RES/ES-11/1")
    page.wait_for_selector("#map[data-state=ready]")
    assert "141–5–35" in page.text_content("#tally-line")
    votes = page.eval_on_selector_all(
        "#map path.state", "ps => Object.fromEntries(ps.map(p => [p.dataset.iso3, p.dataset.vote]))"
    )
    assert votes["RUS"] == "no" and votes["BLR"] == "no"
    assert votes["ARM"] == "abstain" and votes["UKR"] == "yes"


def test_csv_download_matches_the_api(page):
    page.goto(page.base + "/resolution/A/RES/ES-11/1")
    with page.expect_download() as download:
        page.click("#regions-table >> xpath=preceding::a[contains(@class,'csv')][1]")
    text = download.value.path().read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body)))
    api = page.request.get(page.base + "/api/v1/votes/by-region?symbol=A/RES/ES-11/1").json()
    assert [{k: str(v) for k, v in r.items()} for r in api["data"]] == rows
    assert any(line.startswith("# [unxml]") for line in text.splitlines())
