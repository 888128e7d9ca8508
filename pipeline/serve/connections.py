"""Connections on an open network: each request must arrive whole in time, idle ones are closed.

uvicorn closes a connection that stays idle after an answer (`keep_alive`), but one that sends
nothing at all, or a request a byte at a time, it would hold forever, and its own concurrency
limit counts such connections: a few hundred sockets that send nothing would lock every client
out. Here a client has `read_timeout` seconds, from connecting or from its previous answer, to
send a whole request (head and body); past it the connection is closed. No limit counts
connections: the work limit (`--max-requests`) counts translations in progress only.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# The client owes a request (its head, or the rest of its body).
_AWAITED = (h11.IDLE, h11.SEND_BODY)


@dataclass(frozen=True)
class Connections:
    read_timeout: float = 20.0  # seconds a client has to send a whole request
    keep_alive: float = 5.0  # seconds an idle connection is kept open after an answer


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request to arrive whole. The deadline
    starts when the server begins to wait for a request and is not moved by the bytes that
    trickle in, so a slow sender cannot keep a connection by sending a byte now and then."""

    read_timeout: float = Connections.read_timeout

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.request_deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def _watch(self) -> None:
        """Start the deadline when the server begins to wait for a request; stop it once the
        request is in (or the connection is over)."""
        awaited = self.conn.their_state in _AWAITED and not self.transport.is_closing()
        if awaited and self.request_deadline is None:
            self.request_deadline = self.loop.call_later(self.read_timeout, self._too_slow)
        elif not awaited:
            self._stop_deadline()

    def _stop_deadline(self) -> None:
        if self.request_deadline is not None:
            self.request_deadline.cancel()
            self.request_deadline = None

    def _too_slow(self) -> None:
        self.request_deadline = None
        if not self.transport.is_closing():
            self.transport.close()  # an application still reading the body sees the client leave


def protocol(connections: Connections) -> type[TimedH11Protocol]:
    """The protocol class for uvicorn's `http` setting, with these connection settings."""
    return type("ServeProtocol", (TimedH11Protocol,), {"read_timeout": connections.read_timeout})
