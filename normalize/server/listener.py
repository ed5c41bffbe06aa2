"""The desk's HTTP server: uvicorn on a socket we bind, with connection deadlines.

uvicorn times out an idle keep-alive connection only after a response; a
connection that sends nothing, or sends a request head one byte at a time
(slowloris), or stalls in a body nobody reads any more (after an early 503),
would be held for ever. :class:`DeskProtocol` closes any connection on which
no application call is running for ``header_timeout`` seconds without a whole
request head arriving. Stalled bodies that the app is reading are the app's
business (:func:`normalize.server.app.read_json` has its own deadline).

The socket is bound here, not by uvicorn, so ``--port 0`` can print the port
the system picked before serving.
"""
from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import DEFAULT_READ_TIMEOUT

#: Seconds an idle keep-alive connection is kept after a response.
KEEP_ALIVE_TIMEOUT = 5


class DeskProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on connections where no request is being served.

    The deadline starts when the connection opens or a response ends and is
    not reset by incoming bytes, so trickling a request head does not extend it.
    """

    header_timeout: float = DEFAULT_READ_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def _serving(self) -> bool:
        """True while the app handles a request on this connection."""
        return self.cycle is not None and not self.cycle.response_complete

    def _update_deadline(self) -> None:
        if self._serving():
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
        elif self._deadline is None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if not self._serving() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._update_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._update_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._update_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port). Raises OSError."""
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    return socket.create_server((bare, port), family=family, backlog=2048)


def make_server(app: Any, *, host: str, port: int, log_level: str = "info",
                read_timeout: float = DEFAULT_READ_TIMEOUT,
                keep_alive: int = KEEP_ALIVE_TIMEOUT) -> uvicorn.Server:
    """A uvicorn server for ``app`` with the desk's timeouts; run it with ``.run(sockets=[sock])``."""
    protocol = type("DeskProtocol", (DeskProtocol,), {"header_timeout": float(read_timeout)})
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=5, timeout_keep_alive=keep_alive,
                            http=protocol)
    return uvicorn.Server(config)
