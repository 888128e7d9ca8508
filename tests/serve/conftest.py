"""`pipeline serve` started as users start it, in a subprocess, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
FLORES = ROOT / "tests" / "data" / "flores-sample" / "guj_Gujr.txt"
KEY = "k-3f9a2c"


def models_file(tiny_models: Path, folder: Path, backend: str, name: str = "models.yaml") -> Path:
    """The tiny models' routing file with every model on `backend` and absolute model folders."""
    text = (tiny_models.parent / name).read_text(encoding="utf-8")
    text = text.replace("source: ./", f"source: {tiny_models.parent}/").replace(
        "backend: transformers", f"backend: {backend}"
    )
    path = folder / f"{Path(name).stem}-{backend}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def flores(start: int, count: int) -> list[str]:
    return FLORES.read_text(encoding="utf-8").splitlines()[start : start + count]


class Server:
    """A running `pipeline serve`; `log` is everything it wrote so far (its access log included)."""

    def __init__(self, args: list, cwd: Path, timeout: float = 180):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--port", "0", *map(str, args)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.url: str | None = None
        ready = threading.Event()

        def read():
            for line in self.proc.stdout:
                self.lines.append(line)
                if line.startswith("pipeline serve: http://"):
                    self.url = line.split()[2].rstrip("/")
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(timeout) or self.url is None:
            self.stop()
            raise AssertionError("the server did not start:\n" + self.log)
        self.client = httpx.Client(base_url=self.url, timeout=60)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def post(self, body=None, **kwargs) -> httpx.Response:
        return (
            self.client.post("/translate", json=body, **kwargs)
            if body is not None
            else self.client.post("/translate", **kwargs)
        )

    def stats(self) -> dict:
        return self.client.get("/health").json()

    def stop(self, sig=signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def keyed_server(tiny_models, tmp_path_factory):
    """One server for the tests that only send requests (clients, keys, the access log): the tiny
    models on transformers, at most 20 texts a request, and a keys file as a Windows editor saves
    it (a byte-order mark, CRLF) holding KEY and "second-key". A test that reads `log` reads from
    `len(log)` taken before its requests, so no other test's lines can answer for it."""
    folder = tmp_path_factory.mktemp("serve-keyed")
    (folder / "keys.txt").write_bytes(f"\ufeff{KEY}\r\nsecond-key\r\n".encode())
    server = Server(
        ["--models", models_file(tiny_models, folder, "transformers"), "--api-keys", "keys.txt", "--max-texts", "20"],
        cwd=folder,
    )
    server.folder = folder
    yield server
    assert server.stop() == 0, server.log
    assert "Traceback" not in server.log, server.log


@pytest.fixture
def start_server():
    """start_server(args, cwd) -> Server; every server started is stopped after the test."""
    started: list[Server] = []

    def start(args: list, cwd: Path) -> Server:
        server = Server(args, cwd)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def one_sentence_lines(lines: list[str]) -> list[str]:
    """The lines the segmenter keeps whole: each is one catalogue message as it stands."""
    from pipeline.ingest import read_document
    from pipeline.segment.splitter import segment_document

    kept = []
    for line in lines:
        segments = list(segment_document(read_document(Path("line.txt"), "line", line.encode("utf-8"))))
        if len(segments) == 1 and segments[0].text == line:
            kept.append(line)
    return kept
