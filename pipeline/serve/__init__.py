"""`pipeline serve`: Gujarati machine translation over HTTP, speaking LibreTranslate's API.

Weblate (its LibreTranslate machinery), browser tools and `libretranslatepy` ask it for
translations while people edit. Every text goes the one path `pipeline run` takes (`texts`), so
a sentence served is the sentence `run` writes into the catalogue, and the two share the work
directory's translation memory. Requests arriving together share model calls (`batching`); the
application is Starlette (`app`), served by uvicorn.

Modules: `app` (routes and answers), `service` (models, memory, batcher held for the server's
life), `texts` (the one path), `batching`, `languages` (codes and pairs), `fields` (a request's
fields from its query and body), `limits` (request checks), `auth` (API keys), `cors` (which web
pages may call it).
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.serve.auth import HideKeys
from pipeline.serve.service import ServeSettings, Service


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 5000


def bind(listen: Listen) -> socket.socket:
    """A socket bound to the address (not yet listening: clients are refused, not left waiting,
    until the models are loaded), or a PipelineError saying why it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(listen.host, listen.port, type=socket.SOCK_STREAM,
                                                              flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise PipelineError(f"--host {listen.host}: {exc}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise PipelineError(f"cannot listen on {listen.host}:{listen.port}: {exc.strerror or exc}") from None
    return sock


def serve(models: Path, workdir: Path, listen: Listen = Listen(), settings: ServeSettings = ServeSettings(),
          glossary: Path | None = None) -> int:
    """Run the server until SIGTERM or SIGINT, then let the requests in flight finish; returns 0."""
    import uvicorn

    from pipeline.serve.app import create_app

    config = load_config(models).with_glossary(glossary)
    sock = bind(listen)
    logging.basicConfig(format="%(levelname)s:     %(message)s", level=logging.INFO)
    try:
        service = Service(config, workdir, settings, log=lambda line: print(line, file=sys.stderr, flush=True))
    except BaseException:
        sock.close()
        raise
    sock.listen(2048)  # ready: from here clients wait for uvicorn's first accept, a moment away
    host, port = sock.getsockname()[:2]
    codes = ", ".join(t.code for t in service.targets)
    print(f"pipeline serve: http://{_url_host(host)}:{port}/ translates gu into {codes}"
          + (" (API key required)" if settings.api_keys else ""), file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(
        create_app(service), lifespan="on", log_level="info", server_header=False,
        timeout_graceful_shutdown=settings.batching.deadline + 30,
        # A backstop under the service's own limits: past it uvicorn answers 503 itself.
        limit_concurrency=4 * settings.limits.max_requests + 64))
    logging.getLogger("uvicorn.access").addFilter(HideKeys())  # after uvicorn has set its logging up
    # uvicorn re-raises the signal that stopped it once it has shut down gracefully; the
    # command then ends with status 0 instead of being killed by it.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


__all__ = ["Listen", "ServeSettings", "bind", "serve"]
