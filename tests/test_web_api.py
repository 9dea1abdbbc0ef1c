"""The JSON API and the pages through the real app (httpx TestClient) on the real store.

Expected values are published facts (A/RES/ES-11/1 was adopted 141-5-35; Belarus voted
no, Armenia and Kazakhstan abstained) or the library's own answer to the same question
(the web must show what the Python API gives).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from web_support import web_app

import allegiance as al

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def client(store_path):
    from fastapi.testclient import TestClient

    with TestClient(web_app(store_path)) as c:
        yield c


def csv_rows(text: str) -> tuple[list[str], list[dict]]:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return comments, list(csv.DictReader(io.StringIO(body)))


# -- votes --------------------------------------------------------------------------------------
def test_votes_on_es_11_1_give_the_official_and_counted_tally(client):
    r = client.get("/api/v1/votes", params={"symbol": "A/RES/ES-11/1", "limit": 1000})
    assert r.status_code == 200
    page = r.json()
    about = page["about"]
    assert (about["yes"], about["no"], about["abstain"]) == (141, 5, 35)
    assert about["counted"]["yes"] == 141 and about["counted"]["no"] == 5
    assert about["counted"]["abstain"] == 35
    vote = {row["state"]: row["vote"] for row in page["data"]}
    assert vote["BLR"] == "no" and vote["RUS"] == "no"
    assert vote["ARM"] == "abstain" and vote["KAZ"] == "abstain"
    assert vote["UKR"] == "yes" and vote["EST"] == "yes"
    assert page["total"] == len(page["data"]) == 193
    assert "United Nations" in page["attribution"]


def test_votes_accept_short_spellings(client):
    r = client.get("/api/v1/votes", params={"symbol": "ES-11/1", "limit": 1})
    assert r.status_code == 200 and r.json()["about"]["symbol"] == "A/RES/ES-11/1"


def test_votes_by_region_adds_up_to_the_tally(client):
    r = client.get("/api/v1/votes/by-region", params={"symbol": "A/RES/ES-11/1"})
    rows = {row["region"]: row for row in r.json()["data"]}
    assert (rows["all"]["yes"], rows["all"]["no"], rows["all"]["abstain"]) == (141, 5, 35)
    # In Europe only Russia and Belarus voted no.
    assert rows["Europe"]["no"] == 2


def test_unknown_resolution_is_404_naming_the_closest_symbol(client):
    r = client.get("/api/v1/votes", params={"symbol": "A/RES/ES-11/99"})
    assert r.status_code == 404
    hint = re.search(r"did you mean '([^']+)'", r.json()["detail"])
    assert hint, r.json()
    assert client.get("/api/v1/votes", params={"symbol": hint.group(1)}).status_code == 200


def test_roll_calls_search_and_pages(client):
    r = client.get("/api/v1/roll-calls", params={"search": "ukraine", "since": "2022"})
    symbols = [row["symbol"] for row in r.json()["data"]]
    assert "A/RES/ES-11/1" in symbols and "A/RES/ES-11/4" in symbols
    first = client.get("/api/v1/roll-calls", params={"since": 2000, "limit": 10}).json()
    second = client.get("/api/v1/roll-calls", params={"since": 2000, "limit": 10,
                                                       "offset": 10}).json()  # fmt: skip
    assert first["total"] == second["total"] > 20
    assert [r["id"] for r in first["data"]] + [r["id"] for r in second["data"]] == [
        r["id"] for r in client.get("/api/v1/roll-calls", params={"since": 2000,
                                                                   "limit": 20}).json()["data"]
    ]  # fmt: skip


# -- alignment --------------------------------------------------------------------------------
def test_alignment_and_agreement_match_the_python_api(client, store):
    rows = client.get("/api/v1/alignment", params={"state": "Armenia"}).json()["data"]
    expected = al.alignment(store, "ARM")
    assert [r["year"] for r in rows] == expected["year"].tolist()
    assert [r["closest"] for r in rows] == expected["closest"].tolist()
    got = client.get("/api/v1/agreement", params={"state": "ARM", "partner": "RUS",
                                                   "measure": "kappa", "since": 2014}).json()  # fmt: skip
    kappa = al.agreement(store, "ARM", "RUS", measure="kappa", since=2014)
    assert [r["agreement"] for r in got["data"]] == pytest.approx(kappa["agreement"].tolist())


def test_ideal_points_of_a_state(client):
    rows = client.get("/api/v1/ideal-points", params={"state": "ARM"}).json()["data"]
    assert rows and {r["state"] for r in rows} == {"ARM"}
    assert all(r["estimate"] is not None for r in rows)


# -- influence -----------------------------------------------------------------------------------
def test_sphere_is_the_python_apis_sphere(client, store):
    page = client.get("/api/v1/sphere", params={"pole": "RUS", "year": 2022}).json()
    status = {r["state"]: r["status"] for r in page["data"]}
    expected = al.sphere(store, "RUS", 2022)
    assert status == dict(zip(expected["state"], expected["status"], strict=True))
    # Belarus is in Russia's sphere; no Baltic state is.
    assert status["BLR"] == "in sphere"
    assert all(status[s] != "in sphere" for s in ("EST", "LVA", "LTU"))
    assert "RUS" not in status  # a pole is the centre of its sphere, not a member
    assert page["sources"] and page["citation"]


def test_whole_panel_of_a_pole_pages_through_every_row(client, store):
    first = client.get("/api/v1/index", params={"pole": "RUS", "limit": 5000}).json()
    total = first["total"]
    assert total > 5000
    rest = client.get("/api/v1/index", params={"pole": "RUS", "limit": 5000,
                                               "offset": 5000}).json()  # fmt: skip
    assert len(first["data"]) + len(rest["data"]) == total
    assert {r["pole"] for r in first["data"] + rest["data"]} == {"RUS"}
    arm = client.get("/api/v1/index", params={"state": "ARM", "pole": "RUS"}).json()["data"]
    expected = al.influence(store, "ARM", "RUS")
    assert [r["index"] for r in arm] == pytest.approx(expected["index"].tolist())


def test_drift_is_the_python_apis_drift(client, store):
    rows = client.get("/api/v1/drift", params={"state": "EST"}).json()["data"]
    expected = al.drift(store, "EST")
    assert [r["trend"] for r in rows] == expected["trend"].tolist()
    assert [r["slope"] for r in rows] == pytest.approx(expected["slope"].tolist())


def test_channels_and_profile(client):
    rows = client.get("/api/v1/channels", params={"state": "KAZ", "year": 2022}).json()["data"]
    assert {r["channel"] for r in rows} >= {"votes", "arms", "institutions"}
    profile = client.get("/api/v1/profile", params={"state": "KAZ", "year": 2022}).json()
    assert {r["pole"] for r in profile["index"]["data"]} == {"RUS", "USA", "CHN", "TUR", "EU"}


# -- knowledge base -------------------------------------------------------------------------
def test_knowledge_base_routes_carry_citations(client):
    orgs = client.get("/api/v1/memberships", params={"state": "ARM"}).json()
    assert "CSTO" in {r["org"] for r in orgs["data"]}
    assert all(r["citation"] for r in orgs["data"])
    hosts = client.get("/api/v1/presence", params={"host": "ARM"}).json()["data"]
    assert "RUS" in {r["sender"] for r in hosts}  # the 102nd base at Gyumri
    events = client.get("/api/v1/events", params={"state": "ARM"}).json()["data"]
    assert "second_karabakh_war" in {r["id"] for r in events}
    timeline = client.get("/api/v1/timeline", params={"state": "ARM"}).json()
    assert timeline["total"] > 10 and timeline["sources"] == ["kb"]


# -- claims -----------------------------------------------------------------------------------
def test_claims_that_mention_a_state(client):
    rows = client.get("/api/v1/claims", params={"state": "KAZ"}).json()["data"]
    assert "kazakhstan-against-annexation" in {r["id"] for r in rows}
    everything = client.get("/api/v1/claims").json()["total"]
    assert 0 < len(rows) < everything


def test_coverage_tables(client):
    decades = client.get("/api/v1/coverage", params={"part": "decades"}).json()["data"]
    assert {r["decade"] for r in decades} >= {1990, 2020}
    assert client.get("/api/v1/coverage", params={"part": "nope"}).status_code == 422


def test_claims_ledger_and_one_claim(client):
    ledger = client.get("/api/v1/claims").json()["data"]
    ids = {r["id"] for r in ledger}
    assert "un-vote-third-anniversary" in ids
    one = client.get("/api/v1/claims/kuzio-2025-03-10/un-vote-third-anniversary").json()
    assert one["verdict"] in ("supported", "partly supported", "contradicted", "not checkable")
    assert one["checks"] and one["citations"]


def test_unknown_claim_is_404_with_the_closest_id(client):
    r = client.get("/api/v1/claims/kuzio-2025-03-10/un-vote-third-aniversary")
    assert r.status_code == 404 and "un-vote-third-anniversary" in r.json()["detail"]
    r = client.get("/api/v1/claims/kuzio-2025/un-vote-third-anniversary")
    assert r.status_code == 404 and "kuzio-2025-03-10" in r.json()["detail"]


UPLOAD = b"""
document: {title: A test, author: Tester, publisher: None, date: 2022-03-03}
claims:
  - id: belarus-alone
    text: In the post-Soviet space only Belarus voted with Russia on A/RES/ES-11/1.
    kind: votes
    check:
      resolutions: [A/RES/ES-11/1]
      pole: RUS
      scope: post-soviet
      expect: {only: [BLR]}
  - id: armenia-with-russia
    text: Armenia voted with Russia on A/RES/ES-11/1.
    kind: votes
    check:
      resolutions: [A/RES/ES-11/1]
      pole: RUS
      states: [ARM]
      expect: {only: [ARM]}
"""


def test_uploaded_claims_are_checked_and_not_kept(client, store_path, tmp_path):
    before = sorted(p.name for p in store_path.parent.iterdir())
    r = client.post("/api/v1/claims/check", files={"file": ("mine.yaml", UPLOAD)})
    assert r.status_code == 200, r.text
    verdict = {c["id"]: c["verdict"] for c in r.json()["claims"]}
    # Belarus was the only post-Soviet state to vote no with Russia; Armenia abstained.
    assert verdict == {"belarus-alone": "supported", "armenia-with-russia": "contradicted"}
    assert sorted(p.name for p in store_path.parent.iterdir()) == before
    page = client.post("/claims/check", files={"file": ("mine.yaml", UPLOAD)})
    assert page.status_code == 200 and "belarus-alone" in page.text


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"claims: [", 422, "not valid YAML"),
        (b"a: &x [1, 2]\nb: *x\n", 422, "anchors and aliases"),
        (b"document: {title: t, author: a, publisher: p, date: 2022-01-01}\nclaims:\n  - {id: a, text: t, kind: nope, check: {}}\n",
         422, "unknown kind"),
        (b"x" * (300 * 1024), 413, "larger than 256 KiB"),
        (b"   \n", 422, "empty"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_reason(client, content, status, words):
    r = client.post("/api/v1/claims/check", files={"file": ("bad.yaml", content)})
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    assert "/tmp" not in r.json()["detail"]  # the temporary path is not shown


# -- errors, headers, caching --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/v1/alignment?state=Armenai", 404, "Armenia (ARM)"),
        ("/api/v1/drift?state=XYZ", 404, "unknown state"),
        ("/api/v1/sphere?pole=NATO", 422, "Input should be"),
        ("/api/v1/sphere?pole=RUS&year=1800", 422, "greater than or equal"),
        ("/api/v1/sphere?pole=RUS&year=1960", 404, "1992"),
        ("/api/v1/index?limit=0", 422, "greater than or equal"),
        ("/api/v1/index?limit=100000", 422, "less than or equal"),
        ("/api/v1/agreement?state=ARM&partner=RUS&measure=cosine", 422, "voeten"),
        ("/api/v1/roll-calls?since=last-year", 422, "String should match"),
        ("/api/v1/votes", 422, "Field required"),
        ("/api/v1/memberships?org=NOTANORG", 404, "NOTANORG"),
    ],
)
def test_bad_input_is_a_clear_4xx(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert words in str(r.json()["detail"])


def test_security_headers_and_no_external_source(client):
    for url in ("/", "/api/v1/status", "/static/map.js"):
        h = client.get(url).headers
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "http" not in csp and "unsafe-inline" not in csp


def test_etag_from_the_build_and_not_modified(client, store):
    r = client.get("/api/v1/sphere", params={"pole": "USA", "year": 2020})
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = client.get("/api/v1/sphere", params={"pole": "USA", "year": 2020},
                       headers={"If-None-Match": etag})  # fmt: skip
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/status").json()["build_id"] == store.build_id


def test_openapi_lists_every_route(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for route in ("/api/v1/votes", "/api/v1/roll-calls", "/api/v1/agreement", "/api/v1/alignment",
                  "/api/v1/ideal-points", "/api/v1/index", "/api/v1/sphere", "/api/v1/drift",
                  "/api/v1/profile", "/api/v1/memberships", "/api/v1/presence", "/api/v1/events",
                  "/api/v1/claims/check", "/api/v1/sources"):  # fmt: skip
        assert route in paths
    assert "Page_SphereStanding_" in schema["components"]["schemas"]


def test_csv_has_the_rows_and_the_citations(client):
    text = client.get("/api/v1/votes", params={"symbol": "A/RES/ES-11/1", "format": "csv"}).text
    comments, rows = csv_rows(text)
    assert len(rows) == 193 and rows[0].keys() == {"state", "name", "vote"}
    assert any("[unxml]" in c for c in comments)
    assert "# yes: 141" in comments and "# no: 5" in comments and "# abstain: 35" in comments
    assert any("non-commercial use with attribution" in c for c in comments)


# -- pages -------------------------------------------------------------------------------------------
def test_pages_render_with_real_data(client):
    home = client.get("/")
    assert home.status_code == 200 and 'id="map"' in home.text
    arm = client.get("/state/ARM")
    assert arm.status_code == 200 and "Armenia" in arm.text and "Gyumri" in arm.text
    assert "Vote data: United Nations" in arm.text  # the UN attribution
    es11 = client.get("/resolution/A/RES/ES-11/1")
    assert es11.status_code == 200 and "141–5–35" in es11.text
    assert "Vote data: United Nations" in es11.text
    for url in ("/claims", "/sources", "/resolutions?search=ukraine",
                "/claims/kuzio-2025-03-10/un-vote-third-anniversary"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert "hdl:1902.1/12379" in client.get("/sources").text


def test_state_names_redirect_and_unknown_pages_are_404(client):
    r = client.get("/state/Armenia", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/state/ARM"
    assert client.get("/state/?q=kazakhstan", follow_redirects=False).headers["location"] == (
        "/state/KAZ"
    )
    missing = client.get("/state/Armenai")
    assert missing.status_code == 404 and "Armenia (ARM)" in missing.text
    assert client.get("/resolution/A/RES/ES-11/99").status_code == 404
    short = client.get("/resolution/ES-11/1", follow_redirects=False)
    assert short.status_code == 307 and short.headers["location"] == "/resolution/A/RES/ES-11/1"
    assert client.get("/no/such/page").status_code == 404


def test_static_assets_load_nothing_from_elsewhere(client):
    from pathlib import Path

    import allegiance.web

    folder = Path(allegiance.web.__file__).parent
    for path in [*folder.glob("static/*"), *folder.glob("templates/*.html")]:
        text = path.read_text(encoding="utf-8")
        # Links to citations are allowed in templates (they come from the data); no
        # script, style sheet, font or image is fetched from another host.
        assert not re.search(r"""(src|href)=["']https?://""", text), path
        assert "@import" not in text and "url(http" not in text, path


def test_serve_refuses_a_missing_store_in_one_line(cli, tmp_path):
    result = cli("serve", "--db", tmp_path / "none.duckdb", "--port", "8999")
    assert result.exit_code == 2
    assert "no store at" in result.output and "Traceback" not in result.output
    result = cli("serve", "--claims", tmp_path / "nowhere")
    assert result.exit_code == 2 and "not a folder" in result.output
