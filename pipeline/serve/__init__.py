"""`pipeline serve`: Gujarati machine translation over HTTP, speaking LibreTranslate's API.

Weblate (its LibreTranslate machinery), browser tools and `libretranslatepy` ask it for
translations while people edit. Every text goes the one path `pipeline run` takes (`texts`), so
a sentence served is the sentence `run` writes into the catalogue, and the two share the work
directory's translation memory. Requests arriving together share model calls (`batching`); the
application is Starlette (`app`), served by uvicorn.

Modules: `app` (routes and answers), `service` (models, memory, batcher held for the server's
life), `texts` (the one path), `batching`, `languages` (codes and pairs), `fields` (a request's
fields from its query and body), `limits` (request checks), `auth` (API keys), `cors` (which web
pages may call it), `connections` (deadlines for slow and idle clients), `logs` (keys redacted).
"""

from __future__ import annotations

import logging.config
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.serve.connections import Connections, protocol
from pipeline.serve.logs import log_config
from pipeline.serve.service import ServeSettings, Service


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 5000


def bind(listen: Listen) -> socket.socket:
    """A socket bound to the address (not yet listening: clients are refused, not left waiting,
    until the models are loaded), or a PipelineError saying why it cannot be. With SO_REUSEADDR
    (a restart need not wait for the last connections' TIME_WAIT) two servers may both bind one
    port; the second to `start_listening` is the one refused."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            listen.host, listen.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
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


def start_listening(sock: socket.socket, listen: Listen) -> None:
    """Take the bound address for this server, or a PipelineError naming it (another server,
    started at the same time, took it first)."""
    try:
        sock.listen(2048)
    except OSError as exc:
        raise PipelineError(f"cannot listen on {listen.host}:{listen.port}: {exc.strerror or exc}") from None


def serve(
    models: Path,
    workdir: Path,
    listen: Listen = Listen(),
    settings: ServeSettings = ServeSettings(),
    glossary: Path | None = None,
) -> int:
    """Run the server until SIGTERM or SIGINT, then let the requests in flight finish; returns 0."""
    import uvicorn

    from pipeline.serve.app import create_app

    config = load_config(models).with_glossary(glossary)
    sock = bind(listen)
    logging.config.dictConfig(log_config())
    try:
        service = Service(config, workdir, settings, log=lambda line: print(line, file=sys.stderr, flush=True))
    except BaseException:
        sock.close()
        raise
    try:
        start_listening(sock, listen)  # ready: from here clients wait for uvicorn's first accept
    except PipelineError:
        service.close()
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    codes = ", ".join(t.code for t in service.targets)
    print(
        f"pipeline serve: http://{_url_host(host)}:{port}/ translates gu into {codes}"
        + (" (API key required)" if settings.api_keys else ""),
        file=sys.stderr,
        flush=True,
    )
    connections = settings.connections
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(service),
            lifespan="on",
            log_config=None,
            log_level="info",
            server_header=False,
            timeout_graceful_shutdown=settings.batching.deadline + 30,
            # No limit_concurrency: uvicorn's counts open connections, idle ones included, so a few
            # hundred silent sockets would lock every client out. The work limit is the service's
            # (--max-requests); connections are bounded in time instead.
            http=protocol(connections),
            timeout_keep_alive=connections.keep_alive,
        )
    )
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


__all__ = ["Connections", "Listen", "ServeSettings", "bind", "serve", "start_listening"]
