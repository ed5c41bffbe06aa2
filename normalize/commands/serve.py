"""``mtnorm serve``: the copy desk, an HTTP API and a review page for editors."""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import UsageError


def _size(value: str) -> int:
    """A byte count such as 2000000, 2M or 512k."""
    text = value.strip().lower().removesuffix("b")
    factor = 1
    if text[-1:] in ("k", "m", "g"):
        factor = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[text[-1]]
        text = text[:-1]
    try:
        size = int(float(text) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 2M, 512k, 1000000)") from None
    if size < 1024:
        raise argparse.ArgumentTypeError("the body limit must be at least 1k")
    return size


def _positive(kind, zero: bool = False):
    """A parser of numbers of ``kind`` above 0 (or 0 too, with ``zero``)."""
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if number < 0 or (number == 0 and not zero):
            raise argparse.ArgumentTypeError("must be 0 or more" if zero else "must be more than 0")
        return number
    return parse


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve", help="serve the copy desk: an HTTP API and a review page",
        description="Serve the copy desk: POST /api/check and /api/fix (the CLI's options and JSON "
                    "findings), GET /api/styles, /api/rules, /api/gazetteer, /openapi.json, and a "
                    "review page at / for editors. Needs the 'desk' extra "
                    "(pip install 'mtnorm[desk]').")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--max-body", type=_size, default="2M", metavar="SIZE",
                        help="largest request accepted, e.g. 2M or 512k (default: 2M); larger ones get 413")
    parser.add_argument("--timeout", type=_positive(float), default=30.0, metavar="SECONDS",
                        help="time allowed for one check or fix (default: 30); slower ones get 504")
    parser.add_argument("--read-timeout", type=_positive(float), default=20.0, metavar="SECONDS",
                        help="time allowed for a request's headers, and for its body, to arrive "
                             "(default: 20); idle connections are closed after 5 s")
    parser.add_argument("--threads", type=_positive(int), default=2,
                        help="worker threads for checks and fixes (default: 2)")
    parser.add_argument("--inline-max", type=_positive(int, zero=True), default=4096, metavar="CHARS",
                        help="texts of at most this many characters whose options were served "
                             "before are checked at once on the server's event loop, not by a "
                             "worker thread, and not under --timeout (default: 4096; 0: every "
                             "check in the workers)")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"],
                        help="server log level (default: info, which logs each request)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..server import MISSING_DEPS, create_app

    try:
        import uvicorn  # noqa: F401  (only: is the desk extra installed?)
    except ImportError:
        raise UsageError(MISSING_DEPS) from None
    from ..server.app import DeskConfig, is_loopback, loopback_hosts
    from ..server.listener import bind, make_server
    from ..server.memory import fix_mmap_threshold

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    loopback = is_loopback(args.host)
    if not loopback:
        print(f"mtnorm: warning: serving on {args.host}, not on loopback: anyone who can reach this "
              "machine can use the desk (there is no authentication); prefer --host 127.0.0.1 "
              "behind a proxy", file=sys.stderr)
    config = DeskConfig(max_body=args.max_body, timeout=args.timeout, threads=args.threads,
                        read_timeout=args.read_timeout, inline_max=args.inline_max,
                        allowed_hosts=loopback_hosts() if loopback else None, warm=True)
    app = create_app(config)
    # Bind first, so that --port 0 can say which port it got.
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UsageError(f"cannot listen on {args.host} port {args.port}: {reason}") from None
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"mtnorm: copy desk on http://{shown}:{port}/ (API: /openapi.json; Ctrl-C stops it)",
          file=sys.stderr, flush=True)
    fix_mmap_threshold()  # large bodies, texts and responses go back to the system when freed
    server = make_server(app, host=args.host, port=port, log_level=args.log_level,
                         read_timeout=args.read_timeout)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0
