"""allegiance fetch --events: GDELT's master file lists, MD5 checks, resuming, offline."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import time
from datetime import date

import pytest

from allegiance.sources.fetch import FetchError
from allegiance.sources.gdelt_fetch import (
    fetch_events,
    parse_masterfilelist,
    parse_md5sums,
    select,
)

PAYLOAD = b"PK-not-really-a-zip-but-bytes-to-check\n" * 5000


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@pytest.fixture
def server(tmp_path):
    """A GDELT-like server on 127.0.0.1 that honours Range requests; logs (path, range)."""
    files: dict[str, bytes] = {}
    log: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            log.append((self.path, self.headers.get("Range")))
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            start = 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                if start >= len(body):
                    self.send_error(416)
                    return
                self.send_response(206)
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            self.wfile.write(body[start:])

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", files, log
    httpd.shutdown()
    httpd.server_close()


def test_parse_gdelt1_md5sums():
    text = (
        "f6fcb7e955e35f93c9dae427c07b545d  GDELT.MASTERREDUCEDV2.1979-2013.zip\n"
        "7fb1b6ff781aea3d441abf512dc5e0f9  1979.zip\n"
        "0123456789abcdef0123456789abcdef  201302.zip\n"
        "00000000000000000000000000000000  20130401.export.CSV.zip\n"
        "11111111111111111111111111111111  20130401.gkg.csv.zip\n"
    )
    files = parse_md5sums(text)
    assert [f.name for f in files] == ["1979.zip", "201302.zip", "20130401.export.CSV.zip"]
    feb = files[1]
    assert (feb.first_day, feb.last_day) == (date(2013, 2, 1), date(2013, 2, 28))
    assert feb.url == "http://data.gdeltproject.org/events/201302.zip"
    chosen = select(files, date(2013, 2, 15), date(2013, 4, 1))
    assert [f.name for f in chosen] == ["201302.zip", "20130401.export.CSV.zip"]


def test_parse_gdelt2_masterfilelist_keeps_event_exports():
    text = (
        "150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/"
        "20150218230000.export.CSV.zip\n"
        "318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/"
        "20150218230000.mentions.CSV.zip\n"
    )
    (only,) = parse_masterfilelist(text)
    assert only.name == "20150218230000.export.CSV.zip" and only.size == 150383
    assert only.first_day == date(2015, 2, 18)


def _gdelt2(files, base):
    files["/20150301000000.export.CSV.zip"] = PAYLOAD
    files["/20150302000000.export.CSV.zip"] = PAYLOAD[::-1]
    files["/masterfilelist.txt"] = "".join(
        f"{len(files[p])} {md5(files[p])} {base}{p}\n" for p in sorted(files)
        if p.endswith(".zip")
    ).encode()  # fmt: skip
    return f"{base}/masterfilelist.txt"


def test_fetch_checks_md5_and_skips_what_it_has(server, tmp_path):
    base, files, log = server
    master = _gdelt2(files, base)
    got = fetch_events("gdelt2", date(2015, 3, 1), date(2015, 3, 1), dest=tmp_path,
                       progress=False, master_url=master)  # fmt: skip
    assert [p.name for p in got] == ["20150301000000.export.CSV.zip"]
    assert got[0].read_bytes() == PAYLOAD
    log.clear()
    fetch_events("gdelt2", date(2015, 3, 1), date(2015, 3, 1), dest=tmp_path, progress=False,
                 master_url=master)  # fmt: skip
    assert [p for p, _ in log] == ["/masterfilelist.txt"]  # the file was not fetched again


def test_an_interrupted_download_resumes_with_a_range_request(server, tmp_path):
    base, files, log = server
    master = _gdelt2(files, base)
    part = tmp_path / "20150301000000.export.CSV.zip.part"
    part.write_bytes(PAYLOAD[:1000])
    (got,) = fetch_events("gdelt2", date(2015, 3, 1), date(2015, 3, 1), dest=tmp_path,
                          progress=False, master_url=master)  # fmt: skip
    assert got.read_bytes() == PAYLOAD and not part.exists()
    assert ("/20150301000000.export.CSV.zip", "bytes=1000-") in log


def test_a_wrong_md5_deletes_the_download(server, tmp_path):
    base, files, _ = server
    master = _gdelt2(files, base)
    files["/20150302000000.export.CSV.zip"] = b"changed upstream"
    with pytest.raises(FetchError, match="does not match the MD5"):
        fetch_events("gdelt2", date(2015, 3, 2), date(2015, 3, 2), dest=tmp_path,
                     progress=False, master_url=master)  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_fails_fast_and_names_from(tmp_path):
    started = time.perf_counter()
    with pytest.raises(FetchError, match="--from"):
        fetch_events("gdelt1", date(2013, 4, 1), date(2013, 4, 2), dest=tmp_path,
                     progress=False, master_url=f"http://127.0.0.1:{_closed_port()}/md5sums")  # fmt: skip
    assert time.perf_counter() - started < 3


def test_cli_fetch_events_offline_has_no_traceback(cli, tmp_path, monkeypatch):
    import allegiance.sources.gdelt_fetch as gf

    monkeypatch.setitem(gf.MASTER_LISTS, "gdelt1", f"http://127.0.0.1:{_closed_port()}/md5sums")
    result = cli("fetch", "--events", "gdelt1", "--since", "2013-04-01", "--until", "2013-04-02",
                 "--dest", tmp_path)  # fmt: skip
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "allegiance events build --from DIR" in text and "Traceback" not in text
    bad = cli("fetch", "--events", "gdelt1", "--since", "2013-14-01", "--until", "2013-04-02")
    assert bad.exit_code == 2 and "is not a date" in bad.output
