"""The desk's ASGI app: ``/api/*`` (JSON) and the review page at ``/``.

Design notes:

* Requests never touch the file system: texts come in the JSON body, the
  page's assets are read once from the package (``importlib.resources``) and
  served from memory by name, and ``path`` in a request is only a label.
* Checks and fixes run in a small thread pool with a time limit: past it the
  client gets 504 (the thread finishes in the background; its slot is freed
  only then). A short text (``inline_max`` characters with its source) whose
  options have been served once runs on the event loop instead: see
  :attr:`DeskConfig.inline_max`. A check or fix takes its slot *before* its
  body is read, so a saturated desk answers 503 (with ``Retry-After``)
  without reading a byte of it, and at most ``max_pending`` bodies, of at
  most ``body_budget`` bytes together, are ever held at once.
* Bodies are read up to ``max_body`` bytes (413 past it, before the JSON is
  parsed) within ``read_timeout`` seconds (408 past it); every error is
  ``{"error": "..."}`` with a 4xx/5xx status, quoting the client's input only
  as a short escaped excerpt. A request's options are a configuration
  file's (``lang`` ... ``severity``, ``accept``, ``reject``), resolved and
  validated by :mod:`normalize.checker` with the configuration's code and
  messages ("key 'severity' in the request: ..."), 400 when bad; the answer
  to a check is ``mtnorm check --format json``'s document, built by the same
  function (:func:`normalize.checker.json_report`).
* ``POST /api/check`` and ``/api/fix`` are answered before the router and the
  middleware (:class:`JobFastPath`), which do the same for them as for any
  route: the Host check, the security headers, the answers to errors.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import ipaddress
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from .. import __version__
from ..checker import (
    OPTION_KEYS,
    document,
    file_result,
    fix_report,
    get_linter,
    json_report,
    resolve_options,
)
from ..document import MAX_LINE_CHARS
from ..errors import DataError, MtnormError, UsageError
from ..fixer import fix_document
from ..linter import Options
from .jsonout import compact
from .memory import release_free_memory
from .openapi import openapi_spec

log = logging.getLogger("normalize.server")
T = TypeVar("T")
#: ``asyncio.timeout`` (Python 3.11+), or None.
_TIMEOUT = getattr(asyncio, "timeout", None)

DEFAULT_MAX_BODY = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
DEFAULT_THREADS = 2
DEFAULT_INLINE_MAX = 4096
#: Option sets remembered as served (past it, new ones always run in the pool).
MAX_SERVED_KINDS = 256
DEFAULT_READ_TIMEOUT = 20.0
#: Longest error message sent (client input is quoted in excerpts; this is the backstop).
MAX_ERROR_CHARS = 500

#: Static assets of the page: name -> media type. Nothing else is served.
STATIC_FILES = {
    "desk.css": "text/css; charset=utf-8",
    "desk.js": "text/javascript; charset=utf-8",
    "text.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

#: The page loads only its own assets and talks only to this server.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")

#: A check's fields: the text, its source and label, and a configuration file's options,
#: less ``glossary``: a request does not name files on the desk's machine.
_CHECK_FIELDS = {"text", "source", "path", *OPTION_KEYS} - {"glossary"}
_FIX_FIELDS = _CHECK_FIELDS | {"unsafe"}
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
_MAX_SELECTORS = 200
_MAX_SELECTOR_CHARS = 100
#: Entries of ``severity``, ``accept`` or ``reject`` in one request, and characters of each
#: (a term, a selector, a level): bounds what a request makes the desk validate and quote.
_MAX_TERMS = 1000
_MAX_TERM_CHARS = 200


@dataclass(frozen=True)
class DeskConfig:
    """Limits and settings of one desk app."""

    #: Largest request body accepted, in bytes (413 past it).
    max_body: int = DEFAULT_MAX_BODY
    #: Seconds a check or fix may take before the client gets 504.
    timeout: float = DEFAULT_TIMEOUT
    #: Seconds allowed for a request body to arrive (408 past it; the server
    #: gives the request head as long, see ``normalize.server.listener``).
    read_timeout: float = DEFAULT_READ_TIMEOUT
    #: Worker threads for checks and fixes.
    threads: int = DEFAULT_THREADS
    #: Jobs running or waiting at once before new ones get 503 (default: 8 per thread).
    max_pending: int | None = None
    #: Bytes of request bodies (by Content-Length; max_body when unknown) held at once
    #: before new checks and fixes get 503 (default: 4 * max_body). Bounds the memory
    #: that a burst of large uploads takes.
    body_budget: int | None = None
    #: Host header values accepted (None: any). ``mtnorm serve`` on loopback
    #: accepts only loopback names, which stops DNS-rebinding pages.
    allowed_hosts: tuple[str, ...] | None = None
    #: Load the linter and gazetteer in the background at start-up.
    warm: bool = False
    #: A check or fix of at most this many characters (text and source) whose options
    #: have been served before runs on the event loop, not in the pool; 0: none does.
    #: Its data is loaded, so it takes milliseconds (at most ~50 ms on adversarial
    #: text of up to 4,096 characters, measured), while the hop to a worker thread and back
    #: cost ~20% of the CPU of a 1.2 KB story's request. It is not under ``timeout``:
    #: it cannot be abandoned, and its time is too short to need it. The first request
    #: of each option set, which loads data, runs in the pool.
    inline_max: int = DEFAULT_INLINE_MAX


class ApiError(Exception):
    """An error answered as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """``{"error": message}``; a message is cut at MAX_ERROR_CHARS, whatever produced it."""
    if len(message) > MAX_ERROR_CHARS:
        message = message[:MAX_ERROR_CHARS - 1] + "…"
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def excerpt(value: object, limit: int = 40) -> str:
    """Client input quoted in an error message: escaped (``repr``) and at most ``limit`` characters."""
    text = value if isinstance(value, str) else str(value)
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _names(values: list[str], most: int = 5) -> str:
    """Quoted excerpts of the first ``most`` names, and how many more there are."""
    shown = ", ".join(excerpt(v) for v in values[:most])
    return shown + (f" and {len(values) - most} more" if len(values) > most else "")


# -- the job runner -------------------------------------------------------------

#: A check of a text this long (characters) is "large": it allocates ~50 bytes per character.
LARGE_TEXT = 256 * 1024


class Runner:
    """Runs blocking jobs in a thread pool, with a time limit and a queue limit.

    Large jobs run one at a time: under the GIL a second one would not finish
    sooner, it would only double the peak memory. When the runner falls idle
    after a large job, freed memory goes back to the system.
    """

    def __init__(self, threads: int, timeout: float, max_pending: int,
                 body_budget: int | None = None, inline_max: int = 0) -> None:
        self.threads = max(1, threads)
        self.pool = self._new_pool()
        self._closed = False
        self.timeout = timeout
        self.max_pending = max(1, max_pending)
        self.body_budget = body_budget
        self.pending = 0
        #: Bytes of bodies held by the pending jobs (as given to acquire).
        self.held = 0
        self._lock = threading.Lock()
        self._large = threading.Lock()
        self._trim = False
        self.inline_max = inline_max
        #: The kinds of job (see :meth:`inline`) that have run to the end in the pool.
        self._served: set[str] = set()

    def acquire(self, size: int = 0) -> None:
        """Take a slot for a job of ``size`` bytes of body, or raise 503 when
        ``max_pending`` are taken or the bodies held would pass ``body_budget``
        (one job is always let in when none is held)."""
        with self._lock:
            over_budget = (self.body_budget is not None and self.held > 0
                           and self.held + size > self.body_budget)
            if self.pending >= self.max_pending or over_budget:
                raise ApiError(503, f"the desk is busy ({self.pending} jobs running or waiting, "
                                    f"{self.held / 1e6:.1f} MB of text); try again shortly",
                               {"Retry-After": "2"})
            self.pending += 1
            self.held += size

    def release(self, size: int = 0) -> None:
        """Give back a slot taken with ``acquire(size)``."""
        with self._lock:
            self.pending -= 1
            self.held -= size
            trim = self._trim and self.pending == 0
            if trim:
                self._trim = False
        if trim:
            release_free_memory()

    def inline(self, kind: str, chars: int) -> bool:
        """Whether a job of ``chars`` characters runs on the event loop: small, and of a
        ``kind`` (its options) that has run in the pool before, so its data is loaded."""
        return chars <= self.inline_max and kind in self._served

    def served(self, kind: str) -> None:
        """Record that a job of ``kind`` ran to the end (see :meth:`inline`)."""
        if len(self._served) < MAX_SERVED_KINDS:
            self._served.add(kind)

    def run_inline(self, fn: Callable[..., T], *args: Any, reserved: int) -> T:
        """``fn(*args)`` on the caller's thread, giving back the slot taken with
        ``acquire(reserved)`` (see :meth:`inline`)."""
        try:
            return fn(*args)
        finally:
            self.release(reserved)

    def _one_large(self, fn: Callable[..., Any], *args: Any) -> Any:
        with self._large:
            self._trim = True
            return fn(*args)

    async def run(self, fn: Callable[..., Any], *args: Any, reserved: int | None = None,
                  large: bool = False) -> Any:
        """``fn(*args)`` in the pool. ``reserved``: the caller already holds a slot, taken
        with ``acquire(reserved)``; ``large``: a job that needs much memory (one at a time)."""
        size = 0 if reserved is None else reserved
        if reserved is None:
            self.acquire()
        try:
            future = (self.pool.submit(self._one_large, fn, *args) if large
                      else self.pool.submit(fn, *args))
        except RuntimeError:  # shutting down
            self.release(size)
            raise ApiError(503, "the desk is shutting down") from None
        future.add_done_callback(lambda _future: self.release(size))
        try:
            return await within(asyncio.wrap_future(future), self.timeout)
        except asyncio.TimeoutError:
            future.cancel()  # a job that has not started yet never will
            raise ApiError(504, f"the request took longer than {self.timeout:g} s and was "
                                "abandoned; try a shorter text or fewer rules") from None

    def _new_pool(self) -> concurrent.futures.ThreadPoolExecutor:
        return concurrent.futures.ThreadPoolExecutor(max_workers=self.threads,
                                                     thread_name_prefix="mtnorm-desk")

    def start(self) -> None:
        """A fresh pool after :meth:`shutdown` (an app can live through several lifespans)."""
        if self._closed:
            self.pool, self._closed = self._new_pool(), False

    def shutdown(self) -> None:
        self._closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)


# -- request parsing -------------------------------------------------------------

def _too_big(max_body: int) -> ApiError:
    return ApiError(413, f"request body is larger than {max_body:,} bytes "
                         f"(the desk's limit; see mtnorm serve --max-body)")


def header(scope: Mapping[str, Any], name: bytes) -> str | None:
    """The first value of the request header ``name`` (lower case, as ASGI gives names), or None."""
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


def expect_json(scope: Mapping[str, Any], max_body: int) -> int:
    """415 or 413 from the request head alone (nothing of the body is read); else the
    body's announced size (``max_body`` when it is not announced)."""
    ctype = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if ctype != "application/json" and not ctype.endswith("+json"):
        raise ApiError(415, "send the request as JSON (Content-Type: application/json)")
    length = header(scope, b"content-length")
    if length is not None:
        try:
            too_big = int(length) > max_body
        except ValueError:
            raise ApiError(400, "bad Content-Length header") from None
        if too_big:
            raise _too_big(max_body)
        return max(0, int(length))
    return max_body


async def within(awaitable: Awaitable[T], seconds: float) -> T:
    """``await awaitable``, or ``asyncio.TimeoutError`` past ``seconds``.

    On Python 3.11+ a deadline on the task that awaits (``asyncio.timeout``): no task of
    its own per await, as ``asyncio.wait_for`` makes for a coroutine; with the waiter
    future, the timer and the loop turns it takes, that was ~35% of the desk's own
    handling of a small check (instructions counted). Older versions: ``wait_for``.
    """
    if _TIMEOUT is None:
        return await asyncio.wait_for(awaitable, seconds)
    async with _TIMEOUT(seconds):
        return await awaitable


async def _chunks(receive: Receive, max_body: int) -> bytearray:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        if len(body) + len(chunk) > max_body:
            raise _too_big(max_body)
        body += chunk
        if not message.get("more_body", False):
            return body


async def read_body(receive: Receive, max_body: int, read_timeout: float) -> bytearray:
    """The body, at most ``max_body`` bytes (413), all arrived within ``read_timeout`` s (408)."""
    try:
        return await within(_chunks(receive, max_body), read_timeout)
    except asyncio.TimeoutError:
        raise ApiError(408, f"the request body did not arrive within {read_timeout:g} s",
                       {"Connection": "close"}) from None


async def read_json(receive: Receive, max_body: int,
                    read_timeout: float = DEFAULT_READ_TIMEOUT) -> dict[str, Any]:
    """The request's JSON object (see :func:`read_body` for the limits), from a request
    whose head the caller has checked (:func:`expect_json`)."""
    body = await read_body(receive, max_body, read_timeout)
    try:
        text = body.decode("utf-8")
        del body  # one copy of a 2 MB body at a time
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"request body is not valid UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise ApiError(400, "request body is nested too deeply to be a desk request") from None
    except ValueError as exc:
        raise ApiError(400, f"request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    return data


def _text_field(data: dict[str, Any], name: str, required: bool) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"'{name}' is required (a string)")
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(400, f"'{name}' is not valid Unicode: lone surrogate at offset {exc.start}") from None
    if "\x00" in value:
        raise ApiError(400, f"'{name}' contains NUL characters: binary data, not text")
    if len(value) > MAX_LINE_CHARS and max(map(len, value.split("\n"))) > MAX_LINE_CHARS:
        raise ApiError(400, f"'{name}' has a line longer than {MAX_LINE_CHARS:,} characters; "
                            "is this really prose?")
    return value


def _lang_field(data: dict[str, Any], name: str, default: str | None) -> str | None:
    value = data.get(name, default)
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not _LANG_TAG.fullmatch(value):
        raise ApiError(400, f"'{name}' must be a language code such as 'en' or 'fr-CH'")
    return value


def _selectors(data: dict[str, Any], name: str) -> tuple[str, ...]:
    """``select``/``ignore``: a list of strings or one comma-separated string (as on the CLI)."""
    value = data.get(name)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ApiError(400, f"'{name}' must be a list of rule ids, groups or categories "
                            "(or one comma-separated string)")
    if sum(map(len, items)) > _MAX_SELECTORS * (_MAX_SELECTOR_CHARS + 1):
        raise ApiError(400, f"'{name}' is too long to be a list of rules")
    out = tuple(v.strip() for item in items for v in item.split(",") if v.strip())
    if len(out) > _MAX_SELECTORS:
        raise ApiError(400, f"'{name}' has more than {_MAX_SELECTORS} entries")
    long = [v for v in out if len(v) > _MAX_SELECTOR_CHARS]
    if long:
        raise ApiError(400, f"'{name}' entries are rule ids, groups or categories of at most "
                            f"{_MAX_SELECTOR_CHARS} characters, not {excerpt(long[0])}")
    return out


def _bounded(data: dict[str, Any], name: str) -> Any:
    """``severity``/``accept``/``reject`` as sent, once its size is checked: at most
    ``_MAX_TERMS`` entries of strings of at most ``_MAX_TERM_CHARS`` characters (types and
    names are the configuration validator's to judge, with its messages)."""
    value = data.get(name)
    if isinstance(value, dict):
        parts = [p for item in value.items() for p in item]
    elif isinstance(value, list):
        parts = value
    else:
        return value  # None, or a wrong type the validator names
    if len(value) > _MAX_TERMS:
        raise ApiError(400, f"'{name}' has more than {_MAX_TERMS} entries")
    for part in parts:
        if isinstance(part, (dict, list)):
            raise ApiError(400, f"'{name}' holds strings, not nested arrays or objects")
        if isinstance(part, str) and len(part) > _MAX_TERM_CHARS:
            raise ApiError(400, f"'{name}' entries are at most {_MAX_TERM_CHARS} characters, "
                                f"not {excerpt(part)}")
    return value


@dataclass(frozen=True)
class Job:
    """A parsed check or fix request. ``given`` holds its options as sent (some of
    :data:`normalize.checker.OPTION_KEYS`); they are resolved in the worker."""

    text: str
    given: dict[str, Any]
    source: str | None
    path: str
    unsafe: bool = False

    def options(self) -> Options:
        """The request's options, validated as a configuration's (UsageError: 400)."""
        return resolve_options(self.given, where="the request")

    def kind(self, fix: bool) -> str:
        """What decides the data a check or fix of this job loads: the endpoint, the
        options as sent, and whether it has a source."""
        # repr, not a JSON dump (~3x the cost): the same options always give the same
        # text; options given in another order only make another kind.
        return repr((fix, self.source is not None, sorted(self.given.items())))

    def chars(self) -> int:
        """Characters of text (and source) to check."""
        return len(self.text) + len(self.source or "")


def parse_job(data: dict[str, Any], fix: bool) -> Job:
    """A check (or fix) request's fields checked for shape and size; its options are
    validated when the job runs (:meth:`Job.options`), off the event loop."""
    allowed = _FIX_FIELDS if fix else _CHECK_FIELDS
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ApiError(400, f"unknown field(s) {_names(unknown)} "
                            f"(allowed: {', '.join(sorted(allowed))})")
    text = _text_field(data, "text", required=True)
    source = _text_field(data, "source", required=False)
    lang = _lang_field(data, "lang", None)
    source_lang = _lang_field(data, "source_lang", None)
    style = data.get("style")
    if style == "":
        style = None
    if style is not None and (not isinstance(style, str) or len(style) > 100):
        raise ApiError(400, "'style' must be a style name such as 'ap' (see GET /api/styles)")
    path = data.get("path", "<text>")
    if not isinstance(path, str) or len(path) > 255:
        raise ApiError(400, "'path' must be a short string (a label; nothing is read or written)")
    unsafe = data.get("unsafe", False)
    if not isinstance(unsafe, bool):
        raise ApiError(400, "'unsafe' must be true or false")
    given = {"lang": lang, "style": style, "source_lang": source_lang,
             "select": list(_selectors(data, "select")) or None,
             "ignore": list(_selectors(data, "ignore")) or None,
             **{name: _bounded(data, name) for name in ("severity", "accept", "reject")}}
    return Job(text=str(text), given={k: v for k, v in given.items() if v is not None},
               source=source, path=path, unsafe=unsafe)


# -- the work (runs in the pool) ---------------------------------------------------

def run_check(job: Job) -> dict[str, Any]:
    """The ``--format json`` document for one text (the CLI's serialiser)."""
    options = job.options()
    findings = get_linter(options).check(document(job.text, options, path=job.path,
                                                  source=job.source))
    return json_report([file_result(job.path, options, findings)])


def run_fix(job: Job) -> dict[str, Any]:
    """The fixed text, the plan of applied edits and the findings that remain."""
    options = job.options()
    result = fix_document(get_linter(options), document(job.text, options, path=job.path,
                                                        source=job.source), unsafe=job.unsafe)
    return fix_report(job.path, options, result)


def render_json(fn: Callable[[Job], dict[str, Any]], job: Job) -> bytes:
    """``fn(job)`` as JSON bytes, rendered in the worker so its objects never reach the event loop.

    Renders what Starlette's JSONResponse would (:func:`normalize.server.jsonout.compact`).
    """
    return compact(fn(job))


def rules_rows() -> list[dict[str, Any]]:
    """What ``mtnorm rules --format json`` prints."""
    from ..registry import rule_table

    return rule_table()


@functools.lru_cache(maxsize=1)
def styles_doc() -> dict[str, Any]:
    from ..languages import known_languages
    from ..places import style_lang
    from ..styles import available_styles, default_style_name, load_style

    styles = []
    for name in available_styles():
        lang = name[len("default-"):] if name.startswith("default-") else style_lang(name)
        try:
            style = load_style(name, lang)
        except MtnormError:
            continue
        styles.append({"name": name, "lang": style.lang, "description": style.description,
                       "inherits": style.chain[1] if len(style.chain) > 1 else None,
                       "default": name == default_style_name(style.lang)})
    return {"styles": styles, "languages": known_languages()}


class PlaceNames:
    """Name key -> places, built once from the gazetteer's names.

    ``Gazetteer.lookup`` compares every name each time (seconds); the desk
    answers hover cards, so it indexes the names once. Same answers, same order.
    """

    def __init__(self) -> None:
        self._index: dict[str, list[tuple[str, str]]] | None = None
        self._lock = threading.Lock()

    def _built(self) -> dict[str, list[tuple[str, str]]]:
        with self._lock:
            if self._index is None:
                from ..gazetteer import get_gazetteer
                from ..gazetteer.store import name_key

                index: dict[str, list[tuple[str, str]]] = {}
                for entry in get_gazetteer().all_names():
                    index.setdefault(name_key(entry.text), []).append((entry.lang, entry.place))
                self._index = index
            return self._index

    def lookup(self, name: str, lang: str | None) -> list[str]:
        from ..gazetteer.store import name_key

        ids: dict[str, None] = {}
        for entry_lang, place in self._built().get(name_key(name), ()):
            if lang is None or entry_lang in (lang, "und"):
                ids.setdefault(place, None)
        return list(ids)


def gazetteer_doc(names: PlaceNames, name: str | None, place_id: str | None,
                  lang: str | None) -> dict[str, Any]:
    from ..gazetteer import get_gazetteer
    from ..places import place_entry

    if place_id is not None:
        gaz = get_gazetteer()
        known = place_id in gaz.places or bool(gaz.names_by_lang(place_id))
        entries = [place_entry(place_id)] if known else []
        return {"query": {"id": place_id, "lang": lang}, "entries": entries}
    return {"query": {"name": name, "lang": lang},
            "entries": [place_entry(p) for p in names.lookup(str(name), lang)]}


def warm_up(names: PlaceNames) -> None:
    """Load what the first requests would otherwise wait for (index files, rules, names)."""
    try:
        run_check(Job(text="Kiev, [ad_1] a The", given={"lang": "en"}, source=None,
                      path="<warm-up>"))
        styles_doc()
        from ..places import place_entry
        for place in names.lookup("Kyiv", "en"):  # builds each style language's name index
            place_entry(place)
    except Exception:  # pragma: no cover - only a speed-up
        log.exception("warm-up failed")


# -- the app --------------------------------------------------------------------------

#: Headers every response gets (the page also gets a strict CSP).
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store"))


def secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with those of :data:`SECURITY_HEADERS` that it does not set added."""
    names = {k.lower() for k, _ in headers}
    return headers + [(k, v) for k, v in SECURITY_HEADERS if k not in names]


def secured_send(send: Send) -> Send:
    """``send`` adding :data:`SECURITY_HEADERS` to the response's head."""
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": secured(list(message.get("headers", [])))}
        await send(message)

    return send_with_headers


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, secured_send(send))


def host_refusal(scope: Mapping[str, Any], allowed: set[str]) -> JSONResponse | None:
    """The 400 answer to a request whose Host header names none of ``allowed`` (any
    port), or None.

    A page on another site whose name an attacker points at 127.0.0.1 (DNS
    rebinding) sends its own name as Host, so it is refused.
    """
    if "*" in allowed:
        return None
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").strip()
    if host.startswith("["):
        name = host[1:host.find("]")] if "]" in host else host
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name.lower() in allowed:
        return None
    return error_response(400, f"unexpected Host header {excerpt(host, 80)}; open "
                               "the desk at the address mtnorm serve printed")


def _allowed(hosts: tuple[str, ...]) -> set[str]:
    return {h.strip("[]").lower() for h in hosts}


class HostCheck:
    """Answers 400 unless the Host header names one of ``allowed`` (:func:`host_refusal`)."""

    def __init__(self, app: Any, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = _allowed(allowed)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            response = host_refusal(scope, self.allowed)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def handled_error(exc: Exception) -> JSONResponse | None:
    """The answer to an error a request's handling raised on purpose, or None for any
    other (an internal error: 500, with nothing of it told)."""
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.message, exc.headers)
    if isinstance(exc, UsageError):
        return error_response(400, str(exc))
    if isinstance(exc, MtnormError):
        log.error("data error: %s", exc)
        return error_response(500, str(exc))
    return None


class JobEndpoint:
    """``POST /api/check`` or ``/api/fix``: a plain ASGI app (no request or response
    objects), raising :class:`ApiError` and the like for the app's handlers."""

    def __init__(self, runner: Runner, config: DeskConfig, fix: bool) -> None:
        self.runner, self.config, self.fix = runner, config, fix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runner, config, fix = self.runner, self.config, self.fix
        size = expect_json(scope, config.max_body)
        runner.acquire(size)  # before the body: a saturated desk reads (and holds) none of it
        try:
            job = parse_job(await read_json(receive, config.max_body, config.read_timeout), fix=fix)
        except BaseException:
            runner.release(size)
            raise
        work = run_fix if fix else run_check
        kind, chars = job.kind(fix), job.chars()
        if runner.inline(kind, chars):
            body = runner.run_inline(render_json, work, job, reserved=size)
        else:
            body = await runner.run(render_json, work, job, reserved=size, large=chars >= LARGE_TEXT)
            runner.served(kind)
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode("latin-1")),
                                (b"content-type", b"application/json"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


class JobFastPath:
    """Serves ``POST /api/check`` and ``/api/fix`` before the rest of the app.

    The desk's busiest requests skip the router, the middleware and the exception
    handlers, ~70-80 µs of a ~1 ms check of a short story (in one process). What those
    do for a job is done here the same way: the Host check (:func:`host_refusal`), the
    security headers, and the answers to errors (:func:`handled_error`); an internal
    error goes on to the app's outermost handler, as from a route. Any other request,
    and a job under a ``root_path``, goes through the app's routes.
    """

    def __init__(self, app: Any, jobs: dict[str, JobEndpoint], allowed: tuple[str, ...] | None) -> None:
        self.app, self.jobs = app, jobs
        self.allowed = None if allowed is None else _allowed(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = (self.jobs.get(scope["path"])
                    if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path")
                    else None)
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        response = None if self.allowed is None else host_refusal(scope, self.allowed)
        if response is None:
            try:
                await endpoint(scope, receive, send)
                return
            except Exception as exc:
                response = handled_error(exc)
                if response is None:
                    raise
        await response(scope, receive, secured_send(send))


def _read_static(name: str) -> bytes:
    return resources.files("normalize.server").joinpath("static", name).read_bytes()


def loopback_hosts() -> tuple[str, ...]:
    return ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(config: DeskConfig | None = None, **overrides: Any) -> Starlette:
    """The desk app. ``create_app(max_body=..., timeout=...)`` overrides single settings."""
    config = config or DeskConfig()
    if overrides:
        config = DeskConfig(**{**config.__dict__, **overrides})
    runner = Runner(config.threads, config.timeout,
                    config.max_pending if config.max_pending is not None else 8 * max(1, config.threads),
                    config.body_budget if config.body_budget is not None else 4 * config.max_body,
                    inline_max=config.inline_max)
    names = PlaceNames()
    page = _read_static("index.html")
    assets = {name: _read_static(name) for name in STATIC_FILES}
    spec = openapi_spec(config.max_body)

    async def index(request: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "DENY"})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in assets:
            raise ApiError(404, f"no such asset: {name}")
        return Response(assets[name], media_type=STATIC_FILES[name])

    jobs = {"/api/check": JobEndpoint(runner, config, fix=False),
            "/api/fix": JobEndpoint(runner, config, fix=True)}

    async def styles(request: Request) -> Response:
        return JSONResponse(await runner.run(styles_doc))

    async def rules(request: Request) -> Response:
        categories = _categories()
        return JSONResponse({"version": __version__, "categories": categories,
                             "rules": await runner.run(rules_rows)})

    async def gazetteer(request: Request) -> Response:
        params = request.query_params
        unknown = sorted(set(params) - {"name", "lang", "id"})
        if unknown:
            raise ApiError(400, f"unknown parameter(s) {_names(unknown)} "
                                "(allowed: id, lang, name)")
        name, place_id = params.get("name"), params.get("id")
        lang = params.get("lang") or None
        if not name and not place_id:
            raise ApiError(400, "give a place 'name' (and optionally 'lang'), or a place 'id'")
        if (name and len(name) > 200) or (place_id and len(place_id) > 200):
            raise ApiError(400, "'name' and 'id' are at most 200 characters")
        if lang is not None and not _LANG_TAG.fullmatch(lang):
            raise ApiError(400, "'lang' must be a language code such as 'en'")
        return JSONResponse(await runner.run(gazetteer_doc, names, name, place_id, lang))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "pending": runner.pending,
                             "limits": {"max_body": config.max_body, "timeout": config.timeout,
                                        "read_timeout": config.read_timeout,
                                        "body_budget": runner.body_budget}})

    async def openapi(request: Request) -> Response:
        return JSONResponse(spec)

    async def handled(request: Request, exc: Exception) -> Response:
        response = handled_error(exc)
        assert response is not None  # registered for the errors it answers
        return response

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "not found", 405: "method not allowed"}
        return error_response(exc.status_code, messages.get(exc.status_code, str(exc.detail)),
                              getattr(exc, "headers", None))

    async def server_error(request: Request, exc: Exception) -> Response:
        return error_response(500, "internal error (the server log has the details)")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        runner.start()
        if config.warm:  # a daemon thread: never holds up Ctrl-C
            threading.Thread(target=warm_up, args=(names,), name="mtnorm-desk-warm-up",
                             daemon=True).start()
        try:
            yield
        finally:
            runner.shutdown()

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/api/check", jobs["/api/check"], methods=["POST"]),
        Route("/api/fix", jobs["/api/fix"], methods=["POST"]),
        Route("/api/styles", styles, methods=["GET"]),
        Route("/api/rules", rules, methods=["GET"]),
        Route("/api/gazetteer", gazetteer, methods=["GET"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    hosts = None if config.allowed_hosts is None else tuple(config.allowed_hosts)
    middleware = [Middleware(JobFastPath, jobs=jobs, allowed=hosts), Middleware(SecurityHeaders)]
    if hosts is not None:
        middleware.append(Middleware(HostCheck, allowed=hosts))
    # Each handler takes its own exception class, which starlette's type (a handler of
    # any Exception) cannot say.
    handlers: Mapping[Any, Callable[..., Any]] = {
        ApiError: handled, UsageError: handled, DataError: handled, MtnormError: handled,
        HTTPException: http_error, Exception: server_error,
    }
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers=handlers)
    app.state.config = config
    app.state.runner = runner
    return app


def _categories() -> list[str]:
    from ..findings import Category

    return [c.value for c in Category]
