"""One web app per test process, shared by the tests/test_web_*.py modules (its results
are kept in memory, so the whole influence panel is computed once per run)."""

from __future__ import annotations

import functools
import socket
import threading
import time
from pathlib import Path


@functools.cache
def web_app(store_path: Path):
    from allegiance.web import create_app

    # No warm-up: the tests ask for what they need, and the shared store's fit is cached.
    return create_app(store_path, warm=False)


class LiveServer:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app):
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
