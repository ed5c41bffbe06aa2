"""Browser tests of the copy desk: a real uvicorn server on 127.0.0.1 and headless Chromium.

Chromium is the system's (Debian: ``apt-get install chromium``), driven by the
``playwright`` Python package through ``executable_path``; Playwright never
downloads a browser here. ``MTNORM_CHROMIUM`` names another binary. Without
Chromium, Playwright, Starlette or uvicorn the tests are skipped with the reason.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("MTNORM_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def wait_until(page, predicate: str, timeout: float = 120.0) -> None:
    """Poll a JS predicate. (Playwright's wait_for_function evaluates strings, which the
    page's Content-Security-Policy forbids; page.evaluate is not affected by it.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(0.03)


@pytest.fixture(scope="session")
def desk_url():
    pytest.importorskip("starlette", reason="the desk needs starlette (pip install 'mtnorm[desk]')")
    uvicorn = pytest.importorskip("uvicorn", reason="the desk needs uvicorn (pip install 'mtnorm[desk]')")
    from normalize.server import create_app
    from normalize.server.app import loopback_hosts

    # The same app as `mtnorm serve` on loopback, with a long time limit: on a fresh
    # cache the first gazetteer entry builds an index per language.
    app = create_app(allowed_hosts=loopback_hosts(), warm=True, timeout=600)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="desk-uvicorn")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the desk server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(15)
    sock.close()


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: apt-get install chromium (or set MTNORM_CHROMIUM)")
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        except Exception as exc:  # a broken or incompatible browser: say so, don't fail the suite
            pytest.skip(f"Chromium at {path} did not start under Playwright: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser, desk_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=desk_url)
    except Exception:
        pass
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(desk_url + "/")
    wait_until(page, "() => document.querySelectorAll('#lang option').length > 1")
    yield page
    context.close()
    assert not errors, f"errors in the page: {errors}"
