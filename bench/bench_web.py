"""Load benchmark of ``allegiance serve`` on loopback.

Usage::

    .venv/bin/python bench/bench_web.py [--store PATH/allegiance.duckdb] [--clients 50]
                                        [--seconds 30] [--no-browser]

Starts ``allegiance serve`` on a free port of 127.0.0.1 (the real command, one uvicorn
process) and prints:

* start-up: seconds from launching the command to the first answer, and how long the
  background warm-up (the whole influence panel, ideal points, claims ledger) takes;
* the heaviest uncached query: the whole-panel index of one pole
  (``/api/v1/index?pole=P&limit=10000``), each pole and page asked once;
* a state page fully rendered in headless Chromium (load event and the three charts
  drawn), first visit and again;
* load: ``--clients`` concurrent keep-alive connections for ``--seconds`` over a mix of
  map data, state pages, resolution pages and API queries (every URL asked once before, so
  this is the cached regime): p50/p95/p99 latency, throughput, errors, and the server's
  resident memory (current and peak).

The load comes from two client processes of raw asyncio HTTP/1.1 (lighter than an HTTP
library, so that the clients take as little of the two cores as possible).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, store_db  # noqa: E402

POLES = ["RUS", "USA", "CHN", "TUR", "EU"]
STATES = ["ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "TJK", "TKM", "UKR", "UZB", "DEU", "FRA", "POL", "HUN", "SRB", "IND", "BRA", "ZAF", "EGY", "IRN", "TUR", "CHN", "USA", "RUS", "MNG", "SYR", "VNM", "NGA", "MEX", "JPN", "KOR", "ISR", "SAU"]  # fmt: skip
SYMBOLS = [f"A/RES/ES-11/{n}" for n in range(1, 8)] + ["A/RES/68/262", "A/RES/73/263"]
#: (weight, kind, URL maker): what a newsroom's readers and scripts would ask.
MIX = [
    (20, "map data", lambda r: f"/api/v1/sphere?pole={r.choice(POLES)}&year={r.randint(1992, 2024)}"),
    (4, "map shapes", lambda r: "/api/v1/map/shapes"),
    (14, "state page", lambda r: f"/state/{r.choice(STATES)}"),
    (8, "index of a state", lambda r: f"/api/v1/index?state={r.choice(STATES)}&limit=10000"),
    (8, "alignment", lambda r: f"/api/v1/alignment?state={r.choice(STATES)}"),
    (6, "ideal points", lambda r: f"/api/v1/ideal-points?state={r.choice(STATES)}"),
    (6, "drift", lambda r: f"/api/v1/drift?state={r.choice(STATES)}"),
    (6, "channels", lambda r: f"/api/v1/channels?state={r.choice(STATES)}"),
    (6, "votes", lambda r: f"/api/v1/votes?symbol={r.choice(SYMBOLS)}"),
    (5, "resolution page", lambda r: f"/resolution/{r.choice(SYMBOLS)}"),
    (4, "map page", lambda r: "/"),
    (4, "roll calls", lambda r: f"/api/v1/roll-calls?since={r.randint(1992, 2024)}&limit=100"),
    (5, "static", lambda r: r.choice(["/static/app.css", "/static/map.js", "/static/chart.js"])),
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def rss_mib(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process (VmRSS, VmHWM)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            key, value = line.split(":")
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


# -- the load: raw HTTP/1.1 keep-alive connections ----------------------------------------------
async def _request(reader, writer, path: str) -> int:
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(port: int, seed: int, until: float, out: list) -> None:
    rng = random.Random(seed)
    weights = [w for w, _, _ in MIX]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < until:
        _, kind, make = rng.choices(MIX, weights)[0]
        path = make(rng)
        start = time.perf_counter()
        try:
            status = await _request(reader, writer, path)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            out.append((kind, time.perf_counter() - start, f"error {type(exc).__name__}"))
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        out.append((kind, time.perf_counter() - start, status))
    writer.close()


def _load_process(port: int, clients: int, seconds: float, seed: int, start_at: float, queue):
    async def main():
        await asyncio.sleep(max(0.0, start_at - time.time()))
        until = time.perf_counter() + seconds
        out: list = []
        await asyncio.gather(*(_client(port, seed * 1000 + i, until, out) for i in range(clients)))
        return out

    queue.put(asyncio.run(main()))


def load(port: int, clients: int, seconds: float, processes: int = 2) -> list:
    queue: mp.Queue = mp.Queue()
    start_at = time.time() + 1.0
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    procs = [mp.Process(target=_load_process, args=(port, n, seconds, i + 1, start_at, queue))
             for i, n in enumerate(per)]  # fmt: skip
    for p in procs:
        p.start()
    results = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    return results


def every_url() -> list[str]:
    """Every URL the mix can ask for (to fill the caches before the measured run)."""
    years = range(1992, 2025)
    urls = [f"/api/v1/sphere?pole={p}&year={y}" for p in POLES for y in years]
    urls += ["/api/v1/map/shapes", "/", "/static/app.css", "/static/map.js", "/static/chart.js"]
    for s in STATES:
        urls += [f"/state/{s}", f"/api/v1/index?state={s}&limit=10000",
                 f"/api/v1/alignment?state={s}", f"/api/v1/ideal-points?state={s}",
                 f"/api/v1/drift?state={s}", f"/api/v1/channels?state={s}"]  # fmt: skip
    for sym in SYMBOLS:
        urls += [f"/api/v1/votes?symbol={sym}", f"/resolution/{sym}"]
    urls += [f"/api/v1/roll-calls?since={y}&limit=100" for y in years]
    return urls


# -- the browser -----------------------------------------------------------------------------------
def page_times(base: str, states: list[str]) -> list[tuple[str, float, float]]:
    """(state, seconds to the load event, seconds until the charts are drawn) per visit."""
    from playwright.sync_api import sync_playwright

    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        for state in states:
            page = browser.new_page()  # a new page: nothing in the browser's cache
            start = time.perf_counter()
            page.goto(f"{base}/state/{state}", wait_until="load")
            loaded = time.perf_counter() - start
            page.wait_for_selector("body[data-charts=drawn]", timeout=120_000)
            out.append((state, loaded, time.perf_counter() - start))
            page.close()
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    db = args.store or store_db()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "allegiance.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        while True:
            try:
                status, body = get(base + "/api/v1/status", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
        print(f"start-up: {time.perf_counter() - started:.2f} s to the first answer (target < 3 s)")
        if not args.no_browser:
            # A state page before the warm-up has reached it: computed on demand.
            for state, loaded, drawn in page_times(base, ["BRA"]):
                print(f"state page {state} during the warm-up (uncached): load event "
                      f"{loaded:.2f} s, charts drawn {drawn:.2f} s")  # fmt: skip
        while json.loads(get(base + "/api/v1/status")[1])["warm"] in ("computing", "ready"):
            time.sleep(0.5)
        status = json.loads(get(base + "/api/v1/status")[1])
        print(
            f"warm-up in the background: ready (panel, post-Soviet states, ledger) after "
            f"{status['warm_seconds']} s, {status['warm']} (every state) after "
            f"{status['warm_all_seconds']} s; server RSS {rss_mib(server.pid)[0]:.0f} MiB"
        )

        heavy = []
        for pole in POLES:
            for offset in (0, 1):
                start = time.perf_counter()
                code, _ = get(f"{base}/api/v1/index?pole={pole}&limit=10000&offset={offset}")
                heavy.append(time.perf_counter() - start)
                assert code == 200, code
        print(f"whole-panel index of one pole, uncached (n={len(heavy)}): "
              f"p50 {pct(heavy, 50) * 1000:.0f} ms, p95 {pct(heavy, 95) * 1000:.0f} ms, "
              f"max {max(heavy) * 1000:.0f} ms (target p95 < 1 s)")  # fmt: skip

        if not args.no_browser:
            visits = page_times(base, ["IND", "ARM", "KAZ", "UKR", "EST", "LVA", "IND"])
            for state, loaded, drawn in visits:
                print(f"state page {state}: load event {loaded:.2f} s, charts drawn {drawn:.2f} s")
            print(
                f"state page fully rendered after the warm-up: max "
                f"{max(d for _, _, d in visits):.2f} s (target < 1.5 s; a state's first visit "
                "renders its page, the second comes from memory)"
            )

        start = time.perf_counter()
        bad = [u for u in every_url() if get(base + u)[0] != 200]
        print(f"filled the caches with {len(every_url())} URLs in "
              f"{time.perf_counter() - start:.1f} s; not 200: {bad[:5]}")  # fmt: skip
        results = load(port, args.clients, args.seconds)
        rss, peak = rss_mib(server.pid)
        lat = [t for _, t, s in results if s == 200]
        errors = [s for _, _, s in results if s != 200]
        print(f"load: {args.clients} clients, {args.seconds:.0f} s, {len(results)} requests, "
              f"{len(results) / args.seconds:.0f} req/s, errors {len(errors)}"
              f"{' ' + str(sorted(set(map(str, errors)))[:5]) if errors else ''}")  # fmt: skip
        print(
            f"latency (ms): p50 {pct(lat, 50) * 1000:.1f}, p95 {pct(lat, 95) * 1000:.1f}, "
            f"p99 {pct(lat, 99) * 1000:.1f}, max {max(lat) * 1000:.1f} (target p95 < 100)"
        )
        for kind in dict.fromkeys(k for _, k, _ in MIX):
            ts = [t for k, t, s in results if k == kind and s == 200]
            if ts:
                print(
                    f"  {kind:18s} n={len(ts):6d} p50 {pct(ts, 50) * 1000:7.1f} "
                    f"p95 {pct(ts, 95) * 1000:7.1f} p99 {pct(ts, 99) * 1000:7.1f}"
                )
        print(f"server memory: RSS {rss:.0f} MiB now, peak {peak:.0f} MiB (target < 1.5 GB)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
