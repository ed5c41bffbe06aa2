"""The desk's HTTP server: uvicorn on a socket we bind, with connection deadlines.

uvicorn times out an idle keep-alive connection only after a response; a
connection that sends nothing, or sends a request head one byte at a time
(slowloris), or stalls in a body nobody reads any more (after an early 503),
would be held for ever. :class:`DeskProtocol` closes any connection on which
no application call is running for ``header_timeout`` seconds without a whole
request head arriving. Stalled bodies that the app is reading are the app's
business (:func:`normalize.server.app.read_json` has its own deadline).

When a response ends the connection while the client is still sending a body
that will never be read (a 503 or 413 to a client that said
``Connection: close``), closing at once would make the system answer the
unread bytes with a reset, and the client could lose the response. So the
connection is half-closed instead and the rest of the body is read and
dropped for at most ``LINGER`` seconds ("lingering close").

The protocol is uvicorn's httptools one where httptools is installed (the
``desk`` extra installs it: its C parser makes a request ~5-10% cheaper in CPU
than h11's pure-Python one, ``scripts/bench_desk.py``), else its h11 one; the
deadlines above are written against both (:class:`DeskProtocol` holds them,
and each subclass says how its protocol tells that a request body is still
arriving).

The socket is bound here, not by uvicorn, so ``--port 0`` can print the port
the system picked before serving.
"""
from __future__ import annotations

import asyncio
import functools
import importlib.util
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import DEFAULT_READ_TIMEOUT

#: Seconds an idle keep-alive connection is kept after a response.
KEEP_ALIVE_TIMEOUT = 5
#: Most seconds spent draining an unread body after the response, before closing.
LINGER = 2.0


#: The largest first write of a response held back to go out with the next (a head).
HELD_MAX = 16 * 1024


class _LingeringTransport:
    """The connection's transport, whose ``close()`` half-closes while a request body is
    unread, and which sends a response's head with the start of its body.

    uvicorn writes a response's head and its body in two calls, and each is a send of its
    own: over loopback the sender's CPU also carries the segment through the receiving
    side. The first write of a response (up to :data:`HELD_MAX` bytes) is held until the
    next write, the end of the response (:meth:`flush`), or a close.
    """

    def __init__(self, transport: asyncio.Transport, protocol: DeskProtocol) -> None:
        self._transport = transport
        self._protocol = protocol
        self.lingering = False
        self._held = b""
        #: No write of the response being served has been made yet.
        self._first = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held:
            data, self._held = self._held + bytes(data), b""
        elif self._protocol._serving():
            if self._first and len(data) <= HELD_MAX and not self._transport.is_closing():
                self._held, self._first = bytes(data), False
                return
            self._first = False
        self._transport.write(data)

    def flush(self) -> None:
        """Send what :meth:`write` holds (a response ends: the next one's first write
        may be held)."""
        self._first = True
        if self._held:
            data, self._held = self._held, b""
            self._transport.write(data)

    def get_write_buffer_size(self) -> int:
        return len(self._held) + self._transport.get_write_buffer_size()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._held = b""
        self._transport.abort()

    def is_closing(self) -> bool:
        return self.lingering or self._transport.is_closing()

    def close(self) -> None:
        self.flush()
        if self.lingering or self._transport.is_closing():
            return
        if self._protocol.body_unread() and self._transport.can_write_eof():
            self.lingering = True
            self._transport.write_eof()  # the response is flushed first, then FIN
            self._transport.resume_reading()
            self._protocol.loop.call_later(LINGER, self.abort_lingering)
        else:
            self._transport.close()

    def abort_lingering(self) -> None:
        """Stop draining: close for good."""
        if not self._transport.is_closing():
            self._transport.close()


class DeskProtocol(asyncio.Protocol):
    """A uvicorn HTTP protocol (a subclass names which) with a deadline on connections
    where no request is being served, and a lingering close.

    The deadline starts when the connection opens or a response ends and is
    not reset by incoming bytes, so trickling a request head does not extend it.
    """

    header_timeout: float = DEFAULT_READ_TIMEOUT
    # Set by the uvicorn protocol under this one (declared for the type checker).
    cycle: Any
    transport: Any
    loop: asyncio.AbstractEventLoop

    def body_unread(self) -> bool:
        """Whether the client is still sending the body of the request being answered."""
        raise NotImplementedError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._transport_proxy: _LingeringTransport | None = None

    def _serving(self) -> bool:
        """True while the app handles a request on this connection."""
        return self.cycle is not None and not self.cycle.response_complete

    def _update_deadline(self) -> None:
        if self._transport_proxy is not None and self._transport_proxy.lingering:
            return
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
        self._transport_proxy = _LingeringTransport(transport, self)
        super().connection_made(self._transport_proxy)  # type: ignore[arg-type]
        self._update_deadline()

    def data_received(self, data: bytes) -> None:
        if self._transport_proxy is not None and self._transport_proxy.lingering:
            return  # the rest of a body nobody reads
        super().data_received(data)
        self._update_deadline()

    def eof_received(self) -> None:
        if self._transport_proxy is not None and self._transport_proxy.lingering:
            self._transport_proxy.abort_lingering()  # the client has sent everything
        super().eof_received()

    def on_response_complete(self) -> None:
        if self._transport_proxy is not None:
            self._transport_proxy.flush()
        super().on_response_complete()  # type: ignore[misc]  # (the uvicorn protocol's)
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
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((bare, port))
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    return sock


class DeskH11Protocol(DeskProtocol, H11Protocol):
    """The desk's deadlines on uvicorn's h11 protocol (pure Python)."""

    def body_unread(self) -> bool:
        return self.conn.their_state is h11.SEND_BODY


@functools.cache
def _httptools_protocol() -> type[DeskProtocol] | None:
    """The desk's deadlines on uvicorn's httptools protocol, or None without httptools."""
    if importlib.util.find_spec("httptools") is None:
        return None
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class DeskHttpToolsProtocol(DeskProtocol, HttpToolsProtocol):
        """The desk's deadlines on uvicorn's httptools protocol (a C parser)."""

        def body_unread(self) -> bool:
            # more_body turns False once the parser has seen the whole request.
            return self.cycle is not None and self.cycle.more_body

    return DeskHttpToolsProtocol


#: ``make_server``'s ``http`` choices.
HTTP_IMPLEMENTATIONS = ("auto", "httptools", "h11")


def protocol_class(http: str = "auto") -> type[DeskProtocol]:
    """The desk's protocol class for ``http``: ``"httptools"``, ``"h11"`` or ``"auto"``
    (httptools where it is installed). Raises ValueError for httptools without it."""
    if http not in HTTP_IMPLEMENTATIONS:
        raise ValueError(f"unknown HTTP implementation {http!r} (one of {', '.join(HTTP_IMPLEMENTATIONS)})")
    if http == "h11":
        return DeskH11Protocol
    fast = _httptools_protocol()
    if fast is None:
        if http == "httptools":
            raise ValueError("httptools is not installed (pip install 'mtnorm[desk]')")
        return DeskH11Protocol
    return fast


def make_server(app: Any, *, host: str, port: int, log_level: str = "info",
                read_timeout: float = DEFAULT_READ_TIMEOUT,
                keep_alive: int = KEEP_ALIVE_TIMEOUT, http: str = "auto") -> uvicorn.Server:
    """A uvicorn server for ``app`` with the desk's timeouts; run it with ``.run(sockets=[sock])``.
    ``http``: which HTTP implementation (:func:`protocol_class`)."""
    base = protocol_class(http)
    protocol = type(base.__name__, (base,), {"header_timeout": float(read_timeout)})
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, server_header=False,
                            timeout_graceful_shutdown=5, timeout_keep_alive=keep_alive,
                            http=protocol)
    return uvicorn.Server(config)
