"""allegiance fetch: verified downloads from a local server, and the registry's pins."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import re
import socket
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from allegiance.sources.fetch import FetchError, fetch, mirror_digest
from allegiance.sources.registry import (
    DERIVED,
    REGISTRY,
    SOURCES,
    Entry,
    not_reproducible,
    pinned,
)

PAYLOAD = b'{"symbol": "A/RES/99/1"}\n' * 200


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def server(tmp_path):
    """Serve ``tmp_path/srv`` on 127.0.0.1; yields (base URL, served folder, request log)."""
    root = tmp_path / "srv"
    root.mkdir()
    log: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            log.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root, log
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_good_download_is_verified_gzipped_and_placed(server, tmp_path):
    base, root, _ = server
    (root / "74.json").write_bytes(PAYLOAD)
    name = "unga/unxml_garesolutions/74.json.gz"
    reg = {name: Entry(name, "unxml", url=f"{base}/74.json", sha256=sha(PAYLOAD), transform="gzip")}
    dest = tmp_path / "mirror"
    out = fetch(dest=dest, progress=False, registry=reg)
    assert out == [dest / name]
    assert gzip.decompress(out[0].read_bytes()) == PAYLOAD
    assert mirror_digest(out[0], "gzip") == sha(PAYLOAD)
    assert leftovers(dest) == [dest / name]  # no temporary file left behind


def test_copy_under_another_name_and_file_url(tmp_path):
    src = tmp_path / "UN DATA.csv.zip"
    src.write_bytes(PAYLOAD)
    name = "unga/kaggle_un_data/UN_DATA.csv.zip"
    reg = {name: Entry(name, "kaggle", url=src.as_uri(), sha256=sha(PAYLOAD))}
    out = fetch(dest=tmp_path / "m", progress=True, registry=reg)
    assert out[0].read_bytes() == PAYLOAD


def test_bom_is_stripped_before_gzip(server, tmp_path):
    base, root, _ = server
    upstream = b"\xef\xbb\xbfcountry,year\nArmenia,2024\n"
    (root / "t.csv").write_bytes(upstream)
    name = "trade/t.csv.gz"
    reg = {
        name: Entry(
            name, "armstat", url=f"{base}/t.csv", sha256=sha(upstream), transform="gzip-strip-bom"
        )
    }
    (path,) = fetch(dest=tmp_path / "m", progress=False, registry=reg)
    assert gzip.decompress(path.read_bytes()) == upstream[3:]
    assert mirror_digest(path, "gzip-strip-bom") == sha(upstream)


def test_wrong_hash_deletes_download_and_explains(server, tmp_path):
    base, root, _ = server
    (root / "74.json").write_bytes(PAYLOAD)
    name = "unga/unxml_garesolutions/74.json.gz"
    wrong = "0" * 64
    reg = {name: Entry(name, "unxml", url=f"{base}/74.json", sha256=wrong, transform="gzip")}
    dest = tmp_path / "mirror"
    with pytest.raises(FetchError) as info:
        fetch(dest=dest, progress=False, registry=reg)
    message = str(info.value)
    assert name in message and wrong in message and sha(PAYLOAD) in message
    assert "deleted" in message and "--from" in message
    assert leftovers(dest) == []


def test_unreachable_host_fails_fast_and_names_build_from(tmp_path):
    port = closed_port()
    reg = {
        f"x/{i}.csv": Entry(
            f"x/{i}.csv", "unxml", url=f"http://127.0.0.1:{port}/{i}", sha256="0" * 64
        )
        for i in range(5)
    }
    start = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(dest=tmp_path / "m", progress=False, registry=reg, timeout=2)
    assert time.monotonic() - start < 3
    message = str(info.value)
    assert "allegiance build --from DIR" in message
    assert "x/0.csv" in message and "refused" in message  # the first failure aborts
    assert leftovers(tmp_path / "m") == []


def test_silent_server_times_out(tmp_path):
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        reg = {"x/a": Entry("x/a", "unxml", url=f"http://127.0.0.1:{port}/a", sha256="0" * 64)}
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"no answer within 0\.5 s.*--from"):
            fetch(dest=tmp_path / "m", progress=False, registry=reg, timeout=0.5)
        assert time.monotonic() - start < 2
    assert leftovers(tmp_path / "m") == []


def test_http_error_is_reported(server, tmp_path):
    base, _, _ = server
    reg = {"x/a.csv": Entry("x/a.csv", "unxml", url=f"{base}/missing.csv", sha256="0" * 64)}
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(dest=tmp_path / "m", progress=False, registry=reg)
    assert leftovers(tmp_path / "m") == []


def test_second_run_downloads_nothing(server, tmp_path):
    base, root, log = server
    (root / "a.json").write_bytes(PAYLOAD)
    name = "unga/unxml_garesolutions/a.json.gz"
    reg = {name: Entry(name, "unxml", url=f"{base}/a.json", sha256=sha(PAYLOAD), transform="gzip")}
    dest = tmp_path / "mirror"
    first = fetch(dest=dest, progress=False, registry=reg)
    stamp = first[0].stat().st_mtime_ns
    assert len(log) == 1
    second = fetch(dest=dest, progress=False, registry=reg)
    assert second == first and len(log) == 1
    assert first[0].stat().st_mtime_ns == stamp


def test_present_file_with_wrong_content_is_replaced(server, tmp_path):
    base, root, _ = server
    (root / "a.json").write_bytes(PAYLOAD)
    name = "a.json.gz"
    reg = {name: Entry(name, "unxml", url=f"{base}/a.json", sha256=sha(PAYLOAD), transform="gzip")}
    dest = tmp_path / "mirror"
    dest.mkdir()
    (dest / name).write_bytes(gzip.compress(b"stale"))
    (path,) = fetch(dest=dest, progress=False, registry=reg)
    assert gzip.decompress(path.read_bytes()) == PAYLOAD


def test_folder_names_select_pinned_entries_only(server, tmp_path):
    base, root, _ = server
    (root / "a").write_bytes(b"a")
    reg = {
        "f/a": Entry("f/a", "unxml", url=f"{base}/a", sha256=sha(b"a")),
        "f/b": Entry("f/b", "undl", manual="download it by hand into <mirror>/f/"),
        "g/c": Entry("g/c", "unxml", url=f"{base}/c", sha256=sha(b"c")),
    }
    out = fetch(["f"], dest=tmp_path / "m", progress=False, registry=reg)
    assert out == [tmp_path / "m" / "f" / "a"]


def test_manual_and_unknown_entries(tmp_path):
    dest = tmp_path / "m"
    reg = {
        "f/b": Entry("f/b", "undl", manual="download it by hand into <mirror>/f/"),
        "f/c": Entry("f/c", "cow_trade", url="https://example.org/c.rda", note="Converted."),
    }
    with pytest.raises(FetchError, match=re.escape(f"by hand into {dest}/f/")):
        fetch(["f/b"], dest=dest, progress=False, registry=reg)
    with pytest.raises(FetchError, match="no pinned hash"):
        fetch(["f/c"], dest=dest, progress=False, registry=reg)
    with pytest.raises(FetchError, match="not in the registry"):
        fetch(["nope/x"], dest=dest, progress=False, registry=reg)
    (dest / "f").mkdir(parents=True)
    (dest / "f" / "b").write_text("placed by hand")
    assert fetch(["f/b"], dest=dest, progress=False, registry=reg) == [dest / "f" / "b"]


def test_default_dest_is_the_cache(server, tmp_path, monkeypatch):
    base, root, _ = server
    (root / "a").write_bytes(b"a")
    monkeypatch.setenv("ALLEGIANCE_HOME", str(tmp_path / "home"))
    reg = {"f/a": Entry("f/a", "unxml", url=f"{base}/a", sha256=sha(b"a"))}
    assert fetch(progress=False, registry=reg) == [tmp_path / "home" / "mirror" / "f" / "a"]


# --- the real registry ------------------------------------------------------------------


@pytest.mark.parametrize("entry", pinned(), ids=lambda e: e.name)
def test_pinned_hash_matches_mirror(entry, mirror):
    path = mirror / entry.name
    assert path.is_file(), f"{entry.name} is pinned but missing from the mirror"
    assert mirror_digest(path, entry.transform) == entry.sha256


def test_registry_urls_are_pinned_to_full_commits():
    for entry in REGISTRY.values():
        assert entry.source in SOURCES
        if entry.url and "raw.githubusercontent.com" in entry.url:
            assert re.match(
                r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/[0-9a-f]{40}/", entry.url
            )
        if entry.status == "manual":
            assert entry.sha256 is None
    assert {e.status for e in REGISTRY.values()} == {"pinned", "unpinned", "manual"}


def test_every_product_mirror_file_is_accounted_for(mirror):
    """Each mirror data file is either fetched, or listed with why it cannot be."""
    listed = set(REGISTRY) | set(not_reproducible())
    # Documentation, samples and the mirror's own assembly script are not data we read.
    not_data = ("unga/docs/", "unga/samples/")
    seen = 0
    for path in mirror.rglob("*"):
        name = path.relative_to(mirror).as_posix()
        if not path.is_file() or path.name == "SOURCES.md" or path.suffix == ".py":
            continue
        if name.startswith(not_data):
            continue
        seen += 1
        assert name in listed, name
    assert seen > 60
    for name in [*DERIVED, *(n for e in REGISTRY.values() for n in e.stands_for)]:
        assert (mirror / name).is_file(), name


def test_data_sources_page_is_the_registry():
    """docs/data_sources.md lists what registry.toml says (scripts/sources_doc.py writes it)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "sources_doc.py"
    spec = importlib.util.spec_from_file_location("sources_doc", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.DOC.read_text(encoding="utf-8")
    assert page.split(module.MARK)[1] == "\n" + module.section()
    for key in SOURCES:
        assert f"(`{key}`)" in page
