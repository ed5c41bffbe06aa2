"""The copy desk (``mtnorm serve``): HTTP API, limits, errors, and the page's text logic.

API tests use Starlette's TestClient (no socket). The page's offset and edit
logic (``normalize/server/static/text.js``) is run under Node.js, when it is
installed, against Python's own answers: hypothesis checks that any text goes
through the page unchanged when nothing is accepted, and that "accept all
safe" gives exactly ``normalize.fix``. Browser tests are in ``tests/e2e``.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import normalize
from normalize import cli
from normalize.results import FileResult, summarize
from normalize.server import app as desk
from normalize.server import create_app

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "normalize" / "server" / "static"
EXAMPLE = ROOT / "corpora" / "examples" / "wire-kharkiv-en-from-fr.txt"
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "wire-shusha-en-from-fr.txt"
OPTS = {"lang": "en", "style": "ap", "source_lang": "fr"}


@pytest.fixture(scope="module")
def client():
    # A long time limit: on a fresh cache the first gazetteer entry builds an index per
    # language (seconds each); the limits themselves are tested with their own apps.
    with TestClient(create_app(timeout=600)) as c:
        yield c


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _openapi_validator(spec: dict, schema_name: str):
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator({**spec, "$ref": f"#/components/schemas/{schema_name}"})


# -- check and fix -------------------------------------------------------------------

def test_check_returns_the_cli_json_document(client, capsys):
    text = example_text()
    r = client.post("/api/check", json={"text": text, **OPTS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert set(doc) == {"version", "files", "summary"}
    assert doc["version"] == normalize.__version__
    [file] = doc["files"]
    assert (file["path"], file["lang"], file["style"]) == ("<text>", "en", "ap")
    findings = normalize.check(text, **OPTS)
    assert findings, "the example should have findings"
    assert file["findings"] == [f.to_dict() for f in findings]
    assert doc["summary"] == summarize([FileResult("<text>", "en", "ap", findings=findings)])
    # The same document as `mtnorm check --format json`, but for the path.
    cli.main(["check", "--format", "json", "--fail-on", "never", "--lang", "en", "--style", "ap",
              "--source-lang", "fr", str(EXAMPLE)])
    printed = json.loads(capsys.readouterr().out)
    assert printed["files"][0]["findings"] == file["findings"]
    assert printed["summary"] == doc["summary"]


def test_fix_returns_text_plan_and_remaining(client):
    text = example_text()
    r = client.post("/api/fix", json={"text": text, **OPTS, "path": "story.txt"})
    assert r.status_code == 200
    doc = r.json()
    expected = normalize.fix(text, **OPTS)
    assert doc["text"] == expected.text
    assert doc["changed"] is True and doc["converged"] is True
    assert doc["passes"] == expected.passes
    assert doc["applied"] == [e.to_dict() for e in expected.applied]
    assert doc["remaining"] == [f.to_dict() for f in expected.remaining]
    assert doc["summary"]["fixed"] == len(expected.applied)
    assert doc["path"] == "story.txt" and doc["style"] == "ap"
    unsafe = client.post("/api/fix", json={"text": text, **OPTS, "unsafe": True}).json()
    assert unsafe["text"] == normalize.fix(text, **OPTS, unsafe=True).text


def test_select_and_ignore_take_lists_or_comma_strings(client):
    text = example_text()
    as_list = client.post("/api/check", json={"text": text, **OPTS, "select": ["toponym"]}).json()
    as_string = client.post("/api/check", json={"text": text, **OPTS, "select": "toponym"}).json()
    assert as_list == as_string
    rules = {f["rule"] for f in as_list["files"][0]["findings"]}
    assert rules and all(r.startswith("toponym.") for r in rules)
    ignored = client.post("/api/check", json={"text": text, **OPTS, "ignore": "toponym, debris"}).json()
    left = {f["category"] for f in ignored["files"][0]["findings"]}
    assert "debris" not in left and not any(f["rule"].startswith("toponym.")
                                            for f in ignored["files"][0]["findings"])


def test_severity_accept_and_reject_are_request_options(client):
    text = "Kiev said it would utilize Odessa's port.\n"
    options = {"severity": {"toponym": "error"}, "accept": ["Odessa"],
               "reject": {"utilize": "use"}}
    doc = client.post("/api/check", json={"text": text, **OPTS, **options}).json()
    assert doc["files"][0]["findings"] == [f.to_dict() for f in normalize.check(text, **OPTS,
                                                                                **options)]
    found = {(f["rule"], f["text"]): f["severity"] for f in doc["files"][0]["findings"]}
    assert found == {("toponym.variant", "Kiev"): "error", ("terms.rejected", "utilize"): "warning"}
    fixed = client.post("/api/fix", json={"text": text, **OPTS, **options}).json()
    assert fixed["text"] == normalize.fix(text, **OPTS, **options).text
    assert "use Odessa" in fixed["text"]


def test_source_text_enables_source_aware_rules(client):
    doc = client.post("/api/check", json={"text": "Kiev said 3,000 people.", "lang": "en",
                                          "source_lang": "fr", "source": "Kiev a dit 300 personnes."})
    assert doc.status_code == 200
    expected = normalize.check("Kiev said 3,000 people.", "en", None, "fr",
                               source="Kiev a dit 300 personnes.")
    assert doc.json()["files"][0]["findings"] == [f.to_dict() for f in expected]


def test_offsets_are_code_points_with_crlf_and_non_bmp_text(client):
    text = "[ad_1]\r\n😀🇺🇦 Kiev said a\u0301 thing in Kiev.\r\n𝒜 Nagorny Karabakh (…)\r\n"
    doc = client.post("/api/check", json={"text": text, **OPTS}).json()
    findings = doc["files"][0]["findings"]
    assert {f["rule"] for f in findings} >= {"debris.pattern", "toponym.variant"}
    for f in findings:
        assert text[f["start"]:f["end"]] == f["text"]
    fixed = client.post("/api/fix", json={"text": text, **OPTS}).json()["text"]
    assert fixed == normalize.fix(text, **OPTS).text
    assert "\r\n" in fixed and "😀🇺🇦" in fixed


# -- the other endpoints ---------------------------------------------------------------

def test_styles(client):
    doc = client.get("/api/styles").json()
    names = {s["name"]: s for s in doc["styles"]}
    assert names["ap"]["lang"] == "en" and names["ap"]["inherits"] == "default-en"
    assert names["default-en"]["default"] is True
    assert {"en", "fr"} <= set(doc["languages"])
    from normalize.styles import available_styles
    assert set(names) <= set(available_styles())


def test_rules_match_the_cli(client, capsys):
    doc = client.get("/api/rules").json()
    cli.main(["rules", "--format", "json"])
    assert doc["rules"] == json.loads(capsys.readouterr().out)
    from normalize.findings import Category
    assert doc["categories"] == [c.value for c in Category]


def test_gazetteer_by_name_and_by_id(client):
    from normalize.gazetteer import get_gazetteer
    from normalize.places import place_entry

    doc = client.get("/api/gazetteer", params={"name": "Kiev", "lang": "en"}).json()
    assert [e["id"] for e in doc["entries"]] == [p.id for p in get_gazetteer().lookup("Kiev", "en")]
    assert doc["entries"][0] == place_entry(doc["entries"][0]["id"])
    assert doc["entries"][0]["id"] == "city:703448"
    any_lang = client.get("/api/gazetteer", params={"name": "Киев"}).json()
    assert [e["id"] for e in any_lang["entries"]] == [p.id for p in get_gazetteer().lookup("Киев")]
    by_id = client.get("/api/gazetteer", params={"id": "city:703448"}).json()
    assert by_id["entries"] == [doc["entries"][0]]
    assert client.get("/api/gazetteer", params={"id": "city:nowhere"}).json()["entries"] == []
    assert client.get("/api/gazetteer", params={"name": "Xyzzyville"}).json()["entries"] == []
    for params in ({}, {"lang": "en"}, {"name": "Kiev", "lang": "<b>"}, {"name": "x" * 201},
                   {"name": "Kiev", "path": "/etc/passwd"}):
        r = client.get("/api/gazetteer", params=params)
        assert r.status_code == 400 and "error" in r.json(), params


def test_openapi_describes_every_api_route_and_responses_validate(client):
    jsonschema = pytest.importorskip("jsonschema")
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    api_routes = {r.path for r in client.app.routes if r.path.startswith("/api/")}
    assert api_routes == set(spec["paths"])
    for name, schema in spec["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
    text = example_text()
    samples = {
        "CheckResponse": client.post("/api/check", json={"text": text, **OPTS}).json(),
        "FixResponse": client.post("/api/fix", json={"text": text, **OPTS}).json(),
        "StylesResponse": client.get("/api/styles").json(),
        "RulesResponse": client.get("/api/rules").json(),
        "GazetteerResponse": client.get("/api/gazetteer", params={"name": "Kiev"}).json(),
        "Health": client.get("/api/health").json(),
        "Error": client.post("/api/check", json={"text": 1}).json(),
        "CheckRequest": {"text": text, **OPTS, "select": "toponym"},
        "FixRequest": {"text": text, "unsafe": True},
    }
    for name, sample in samples.items():
        _openapi_validator(spec, name).validate(sample)
    with pytest.raises(jsonschema.ValidationError):
        _openapi_validator(spec, "CheckRequest").validate({"text": "x", "source-lang": "fr"})


# -- errors and limits ---------------------------------------------------------------------

@pytest.mark.parametrize("body, needle", [
    ({"text": "Kiev", "style": "no-such-style"}, "unknown style 'no-such-style'"),
    ({"text": "Kiev", "lang": "xx"}, "unsupported language 'xx'"),
    ({"text": "Kiev", "select": ["no.such.rule"]}, "unknown rule, group or category 'no.such.rule'"),
    ({"text": "Kiev", "ignore": "bogus"}, "unknown rule, group or category 'bogus'"),
    ({"text": "Kiev", "lang": "fr", "style": "ap"}, "style 'ap' is for 'en' documents"),
    ({}, "'text' is required"),
    ({"text": 42}, "'text' must be a string"),
    ({"text": "x", "source-lang": "fr"}, "unknown field(s) 'source-lang'"),
    ({"text": "x", "unsafe": True}, "unknown field(s) 'unsafe'"),
    # A request names no file on the desk's machine (a glossary is a CLI/API/config option).
    ({"text": "x", "glossary": "/etc/passwd"}, "unknown field(s) 'glossary'"),
    ({"text": "x", "lang": "<script>"}, "'lang' must be a language code"),
    ({"text": "x", "select": [1, 2]}, "'select' must be a list"),
    ({"text": "a\x00b"}, "NUL characters"),
    ({"text": "x", "path": 3}, "'path' must be a short string"),
    # A configuration file's options, with its validator's messages.
    ({"text": "x", "severity": {"bogus": "error"}},
     "key 'severity' in the request: unknown rule, group or category 'bogus'"),
    ({"text": "x", "severity": {"toponym": "fatal"}},
     "key 'severity' in the request: 'toponym' must be one of error, warning, info, not 'fatal'"),
    ({"text": "x", "severity": ["toponym"]}, "key 'severity' in the request: expected a table"),
    ({"text": "x", "accept": "Kiev"}, "key 'accept' in the request: expected an array of strings"),
    ({"text": "x", "reject": {"use": "use"}}, "contains the rejected term 'use'"),
    ({"text": "x", "reject": {"a": 1}}, "the replacement for 'a' must be a string"),
    ({"text": "x", "severity": {"toponym": ["error"]}}, "holds strings, not nested"),
    ({"text": "x", "accept": ["a"] * 1001}, "'accept' has more than 1000 entries"),
])
def test_bad_options_are_400_with_the_cli_message(client, body, needle):
    r = client.post("/api/check", json=body)
    assert r.status_code == 400
    assert set(r.json()) == {"error"}
    assert needle in r.json()["error"]


def test_cli_gives_the_same_messages_for_bad_options(capsys, tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("Kiev\n", encoding="utf-8")
    assert cli.main(["check", "--style", "no-such-style", str(story)]) == 2
    cli_message = capsys.readouterr().err.strip().removeprefix("mtnorm: error: ")
    with TestClient(create_app()) as c:
        api = c.post("/api/check", json={"text": "Kiev\n", "style": "no-such-style"}).json()["error"]
        # A request's options are validated as a configuration file's are: the same
        # problem text, located in the request instead of in a file's table.
        assert api == f"key 'style' in the request: {cli_message}"
        (tmp_path / "mtnorm.toml").write_text('[severity]\n"toponym" = "fatal"\n', encoding="utf-8")
        assert cli.main(["check", str(story)]) == 2
        from_file = capsys.readouterr().err.strip().removeprefix("mtnorm: error: ")
        from_request = c.post("/api/check", json={"text": "Kiev\n", "severity": {"toponym": "fatal"}})
    problem = "'toponym' must be one of error, warning, info, not 'fatal'"
    assert from_file == f"{tmp_path / 'mtnorm.toml'}: key 'severity' in the top level: {problem}"
    assert from_request.status_code == 400
    assert from_request.json()["error"] == f"key 'severity' in the request: {problem}"


def test_fix_rejects_a_non_boolean_unsafe(client):
    r = client.post("/api/fix", json={"text": "x", "unsafe": "yes"})
    assert r.status_code == 400 and "'unsafe' must be true or false" in r.json()["error"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'"text"', b"\xff\xfe{}",
                                 b'{"text": "\\ud800 lone"}'])
def test_malformed_bodies_are_400(client, raw):
    r = client.post("/api/check", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert "error" in r.json()


def test_json_is_required(client):
    r = client.post("/api/check", content=b"text=Kiev",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and "application/json" in r.json()["error"]
    r = client.post("/api/check", content=b'{"text": "Kiev"}', headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_body_limit_is_413_with_and_without_content_length():
    with TestClient(create_app(max_body=4096)) as c:
        small = c.post("/api/check", json={"text": "Kiev " * 100})
        assert small.status_code == 200
        big = c.post("/api/check", json={"text": "Kiev " * 1000})
        assert big.status_code == 413
        assert "larger than 4,096 bytes" in big.json()["error"]

        def chunks():
            for _ in range(10):
                yield b" " * 1000
            yield b'{"text": "x"}'
        streamed = c.post("/api/check", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert c.get("/api/health").json()["limits"] == {
            "max_body": 4096, "timeout": desk.DEFAULT_TIMEOUT, "read_timeout": 20.0,
            "body_budget": 4 * 4096}


def test_default_body_limit_is_2mb_and_a_2mb_story_is_checked(client):
    text = (example_text() + "\n") * (1_900_000 // (len(example_text().encode()) + 1))
    assert len(json.dumps({"text": text}, ensure_ascii=False).encode()) < desk.DEFAULT_MAX_BODY
    r = client.post("/api/check", json={"text": text, **OPTS})
    assert r.status_code == 200 and r.json()["summary"]["findings"] > 0
    too_big = client.post("/api/check", json={"text": text + "x" * 300_000, **OPTS})
    assert too_big.status_code == 413


def test_slow_check_is_504_and_frees_its_slot(monkeypatch):
    release = threading.Event()

    def slow(job):
        release.wait(5)
        return {"late": True}

    monkeypatch.setattr(desk, "run_check", slow)
    with TestClient(create_app(timeout=0.2, threads=1)) as c:
        t0 = time.monotonic()
        r = c.post("/api/check", json={"text": "Kiev"})
        assert r.status_code == 504 and "longer than 0.2 s" in r.json()["error"]
        assert time.monotonic() - t0 < 3
        runner = c.app.state.runner
        assert runner.pending == 1  # the thread is still busy ...
        release.set()
        for _ in range(100):
            if runner.pending == 0:
                break
            time.sleep(0.02)
        assert runner.pending == 0  # ... and its slot is freed when it ends


def _threads_of_checks(monkeypatch) -> list[str]:
    """The names of the threads that run each check from now on (run_check is wrapped)."""
    names: list[str] = []
    real = desk.run_check

    def recording(job):
        names.append(threading.current_thread().name)
        return real(job)

    monkeypatch.setattr(desk, "run_check", recording)
    return names


def test_short_texts_of_served_options_are_checked_on_the_event_loop(monkeypatch):
    names = _threads_of_checks(monkeypatch)
    story = {"text": example_text(), **OPTS}
    with TestClient(create_app(timeout=600, inline_max=4096)) as c:
        first, second = (c.post("/api/check", json=story) for _ in range(2))
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()  # the same answer from either path
        long_text = c.post("/api/check", json={**story, "text": "Kiev. " * 700})  # 4,200 characters
        other = c.post("/api/check", json={**story, "style": "default"})
        fix = c.post("/api/fix", json=story)
        again = c.post("/api/check", json={**story, "text": "Kiev is far."})
        assert {r.status_code for r in (long_text, other, fix, again)} == {200}
        assert c.app.state.runner.pending == 0
    # The first check of an option set loads its data in the pool; later short ones of
    # that set run on the event loop's thread; a long text, and other options, in the pool.
    assert [n.startswith("mtnorm-desk") for n in names] == [True, False, True, True, False]


def test_inline_max_0_checks_everything_in_the_pool(monkeypatch):
    names = _threads_of_checks(monkeypatch)
    with TestClient(create_app(timeout=600, inline_max=0)) as c:
        for _ in range(3):
            assert c.post("/api/check", json={"text": "Kiev is far.", **OPTS}).status_code == 200
    assert len(names) == 3 and all(n.startswith("mtnorm-desk") for n in names)


def test_an_option_set_is_served_only_by_a_check_that_ended(monkeypatch):
    """A request that fails (bad options, a check past the time limit) does not let the
    next one of its kind skip the pool and its time limit."""
    names = _threads_of_checks(monkeypatch)
    with TestClient(create_app(timeout=600)) as c:
        for _ in range(2):
            bad = c.post("/api/check", json={"text": "Kiev", "lang": "en", "severity": {"x": "high"}})
            assert bad.status_code == 400
    assert len(names) == 2 and all(n.startswith("mtnorm-desk") for n in names)

    release = threading.Event()
    calls: list[str] = []

    def slow(job):
        calls.append(threading.current_thread().name)
        release.wait(5)
        return {"late": True}

    monkeypatch.setattr(desk, "run_check", slow)
    with TestClient(create_app(timeout=0.2, threads=2)) as c:
        for _ in range(2):
            assert c.post("/api/check", json={"text": "Kiev"}).status_code == 504
        release.set()
    assert len(calls) == 2 and all(n.startswith("mtnorm-desk") for n in calls)


def test_serve_inline_max_must_be_a_count():
    for bad in ("-1", "x"):
        with pytest.raises(SystemExit) as exc:
            cli.main(["serve", "--inline-max", bad])
        assert exc.value.code == 2


def test_full_queue_is_503():
    runner = desk.Runner(threads=1, timeout=5, max_pending=1)
    gate = threading.Event()

    async def scenario():
        first = asyncio.ensure_future(runner.run(gate.wait, 5))
        await asyncio.sleep(0.05)
        with pytest.raises(desk.ApiError) as busy:
            await runner.run(lambda: None)
        gate.set()
        assert await first is True
        return busy.value

    result: list = []
    # In a thread of its own: Playwright's sync API (tests/e2e) keeps a loop running here.
    worker = threading.Thread(target=lambda: result.append(asyncio.run(scenario())))
    try:
        worker.start()
        worker.join(30)
    finally:
        runner.shutdown()
    [error] = result
    assert error.status == 503 and error.headers == {"Retry-After": "2"}


def test_errors_are_json(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.json() == {"error": "not found"}
    r = client.get("/api/check")
    assert r.status_code == 405 and r.json() == {"error": "method not allowed"}
    r = client.post("/api/styles", json={})
    assert r.status_code == 405


#: Requests to the job endpoints and what a client sends with them (a body, headers).
_JOB_REQUESTS = [
    ("/api/check", {"json": {"text": "Kiev is in Ukraine.  the the end", **OPTS}}),
    ("/api/fix", {"json": {"text": "Kiev is in Ukraine.  the the end", **OPTS}}),
    ("/api/check", {"content": b"{}", "headers": {"content-type": "text/plain"}}),
    ("/api/check", {"content": b"{bad"}),
    ("/api/check", {"content": b"{bad", "headers": {"content-type": "application/json"}}),
    ("/api/check", {"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}),
    ("/api/check", {"content": b"[1]", "headers": {"content-type": "application/json"}}),
    ("/api/check", {"content": b"x" * 2048, "headers": {"content-type": "application/json"}}),
    ("/api/check", {"json": {"text": "x", "lang": "zz"}}),
    ("/api/check", {"json": {"text": "x", "bogus": 1}}),
    ("/api/check", {"json": {"text": "x", "severity": {"foo": "bar"}}}),
    ("/api/fix", {"json": {"text": "x", "unsafe": "yes"}}),
    ("/api/check", {"json": {"text": "x"}, "headers": {"host": "attacker.example"}}),
    ("/api/check", {"json": {"text": "x"}, "headers": {"content-length": "nine"}}),
]


def _answer(r) -> tuple[int, list[tuple[str, str]], bytes]:
    return r.status_code, list(r.headers.items()), r.content


def test_job_fast_path_answers_as_the_routes_do():
    """POST /api/check and /api/fix skip the router (JobFastPath); a request under a
    root_path goes through the routes, middleware and handlers. Both must give the same
    status, headers (in order) and body for answers and errors alike."""
    app = create_app(max_body=1024, allowed_hosts=desk.loopback_hosts())
    with TestClient(app, base_url="http://127.0.0.1:8000") as fast, \
            TestClient(app, base_url="http://127.0.0.1:8000", root_path="/desk") as routed:
        for path, kwargs in _JOB_REQUESTS:
            if "content-length" in kwargs.get("headers", {}):
                continue   # httpx sets its own; sent raw below
            a = _answer(fast.post(path, **kwargs))
            b = _answer(routed.post("/desk" + path, **kwargs))
            assert a == b, (path, kwargs)
        statuses = [_answer(fast.post(path, **kw))[0] for path, kw in _JOB_REQUESTS
                    if "content-length" not in kw.get("headers", {})]
        assert statuses == [200, 200, 415, 415, 400, 400, 400, 413, 400, 400, 400, 400, 400]
        # The answer of a check names the security headers once each.
        names = [k for k, _ in fast.post("/api/check", json={"text": "x"}).headers.items()]
        assert names == ["content-length", "content-type", "x-content-type-options",
                         "referrer-policy", "cache-control"]


def test_job_fast_path_skips_the_router(monkeypatch):
    calls: list[str] = []
    app = create_app()
    router_call = type(app.router).__call__

    async def counted(self, scope, receive, send):
        if scope["type"] == "http":
            calls.append(scope["path"])
        await router_call(self, scope, receive, send)

    monkeypatch.setattr(type(app.router), "__call__", counted)
    with TestClient(app) as c:
        assert c.post("/api/check", json={"text": "x"}).status_code == 200
        assert c.post("/api/fix", json={"text": "x"}).status_code == 200
        assert calls == []
        assert c.get("/api/check").status_code == 405          # other methods: the routes
        assert c.post("/api/check/", json={"text": "x"}, follow_redirects=False).status_code == 307
        assert c.get("/api/health").status_code == 200
    assert calls == ["/api/check", "/api/check/", "/api/health"]


def test_bad_content_length_is_400_on_both_paths():
    app = create_app()
    with TestClient(app) as fast, TestClient(app, root_path="/desk") as routed:
        for client, prefix in ((fast, ""), (routed, "/desk")):
            scope_headers = {"content-type": "application/json", "content-length": "nine"}
            request = client.build_request("POST", prefix + "/api/check", content=b"{}",
                                           headers=scope_headers)
            request.headers["content-length"] = "nine"
            r = client.send(request)
            assert r.status_code == 400 and r.json() == {"error": "bad Content-Length header"}


def test_internal_errors_do_not_leak(monkeypatch):
    def boom(job):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(desk, "run_check", boom)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        r = c.post("/api/check", json={"text": "Kiev"})
    assert r.status_code == 500
    assert "secret" not in r.text and "error" in r.json()


def test_host_header_is_checked_when_asked():
    app = create_app(allowed_hosts=desk.loopback_hosts())
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/health").status_code == 200
        for host in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
            assert c.get("/api/health", headers={"host": host}).status_code == 200, host
        r = c.get("/", headers={"host": "attacker.example:8000"})
        assert r.status_code == 400 and "Host" in r.json()["error"]


# -- hostile clients: nesting, echoes, saturation, stalled connections ----------------------

def read_response(conn: socket.socket, limit: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response from a raw socket: status, headers (lower-case names), body."""
    conn.settimeout(limit)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a whole response head: {data[:200]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(status_line.split()[1]), headers, body


def closed_within(conn: socket.socket, limit: float) -> float | None:
    """Seconds until the server closed ``conn`` (reading and discarding), or None if it did not."""
    t0 = time.monotonic()
    conn.settimeout(0.1)
    while time.monotonic() - t0 < limit:
        try:
            if conn.recv(65536) == b"":
                return time.monotonic() - t0
        except TimeoutError:
            continue
        except ConnectionResetError:
            return time.monotonic() - t0
    return None


@contextlib.contextmanager
def live_desk(http: str = "auto", **overrides):
    """The desk served by uvicorn (as ``mtnorm serve`` does) on 127.0.0.1, in a thread,
    with the HTTP implementation ``http`` (``normalize.server.listener.protocol_class``)."""
    pytest.importorskip("uvicorn")
    if http == "httptools":
        pytest.importorskip("httptools")
    from normalize.server.listener import bind, make_server

    app = create_app(**overrides)
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = make_server(app, host="127.0.0.1", port=port, log_level="warning",
                         read_timeout=app.state.config.read_timeout, http=http)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started:
                break
            time.sleep(0.01)
        assert server.started, "the server did not start"
        yield port, app
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def post_head(path: str, length: int, port: int) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode("ascii")


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000,
                                 b'{"text": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001])
def test_deeply_nested_json_is_a_short_400(client, raw):
    r = client.post("/api/check", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json() == {"error": "request body is nested too deeply to be a desk request"}


HUGE = "<b>x\n" * 300_000  # 1.8 MB as JSON


@pytest.mark.parametrize("body, needle", [
    ({"text": "x", HUGE: 1}, "unknown field(s) '<b>x\\n<b>x\\n"),
    ({"text": "x", **{f"f{i}": 1 for i in range(10_000)}}, "and 9995 more"),
    ({"text": "x", "lang": "en-" + "-".join(["abc"] * 400_000)}, "'lang' must be a language code"),
    ({"text": "x", "source_lang": "en-" + "-".join(["abc"] * 400_000)}, "'source_lang' must be"),
    ({"text": "x", "select": HUGE}, "'select' is too long"),
    ({"text": "x", "ignore": ["toponym", "y" * 5000]}, "at most 100 characters, not 'yyyy"),
    ({"text": "x", "select": [HUGE[:90]] * 150}, "unknown rule, group or category '<b>x\\n"),
    ({"text": "x", "style": HUGE}, "'style' must be a style name"),
    ({"text": "x", "path": HUGE}, "'path' must be a short string"),
    ({"text": "x", "accept": ["y" * 5000]}, "at most 200 characters, not 'yyyy"),
    ({"text": "x", "reject": {"a": HUGE}}, "at most 200 characters, not '<b>x\\n"),
    ({"text": HUGE.replace("\n", " ")}, "has a line longer than"),
])
def test_errors_quote_the_request_only_in_short_escaped_excerpts(client, body, needle):
    r = client.post("/api/check", json=body)
    assert r.status_code == 400, r.text[:300]
    assert needle in r.json()["error"]
    assert len(r.content) <= desk.MAX_ERROR_CHARS + 100
    assert "<b>x\n" not in r.json()["error"]  # quoted with repr: no raw newline
    q = client.get("/api/gazetteer", params={"name": "Kiev", HUGE[:10_000]: "1"})
    assert q.status_code == 400 and len(q.content) < 400


def test_error_messages_are_cut_whatever_makes_them():
    long = desk.error_response(400, "x" * 10_000)
    message = json.loads(long.body)["error"]
    assert len(message) == desk.MAX_ERROR_CHARS and message.endswith("…")
    assert desk.excerpt("a\nb<" * 30) == repr(("a\nb<" * 30)[:40]) + "…"
    assert desk.excerpt("short") == "'short'"


def test_host_header_is_quoted_short():
    with TestClient(create_app(allowed_hosts=desk.loopback_hosts())) as c:
        r = c.get("/api/health", headers={"host": "evil.example" + "x" * 5000})
    assert r.status_code == 400 and len(r.json()["error"]) < 250
    assert "'evil.example" in r.json()["error"]


@pytest.mark.parametrize("limits", [{"max_pending": 1}, {"body_budget": 20}])
def test_saturated_desk_answers_503_without_reading_the_body(limits):
    """ASGI level: the second request's receive() is never called.

    Saturated by count (max_pending) or by the bytes of bodies held (body_budget:
    the first body is 16 bytes, two would be 32)."""
    app = create_app(threads=1, timeout=600, **limits)
    holding = asyncio.Event()
    go_on = asyncio.Event()
    body = json.dumps({"text": "Kiev"}).encode()

    def scope(path: str) -> dict:
        return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
                "query_string": b"", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
                "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]}

    async def slow_receive():  # the first client sends half its body, then stalls
        if not holding.is_set():
            holding.set()
            return {"type": "http.request", "body": body[:5], "more_body": True}
        await go_on.wait()
        return {"type": "http.request", "body": body[5:], "more_body": False}

    reads = []

    async def watched_receive():
        reads.append(1)
        return {"type": "http.request", "body": body, "more_body": False}

    def collector(out: list):
        async def send(message):
            out.append(message)
        return send

    async def scenario():
        first: list = []
        second: list = []
        task = asyncio.ensure_future(app(scope("/api/check"), slow_receive, collector(first)))
        await asyncio.wait_for(holding.wait(), 10)
        await app(scope("/api/fix"), watched_receive, collector(second))
        go_on.set()
        await asyncio.wait_for(task, 120)
        return first, second

    result: list = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(scenario())))
    worker.start()
    worker.join(150)
    app.state.runner.shutdown()
    [(first, second)] = result
    assert second[0]["status"] == 503 and reads == []
    headers = dict(second[0]["headers"])
    assert headers[b"retry-after"] == b"2"
    assert b"the desk is busy" in second[1]["body"]
    assert first[0]["status"] == 200  # the slow client is served once its body is in
    assert app.state.runner.pending == 0


#: The HTTP implementations the desk's connection deadlines are written against.
HTTP_IMPLEMENTATIONS = ["httptools", "h11"]


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_saturated_server_refuses_a_second_upload_before_its_body(http):
    """Over a socket: a slow sender holds the only slot; the next upload's head gets 503 at once."""
    with live_desk(http, threads=1, max_pending=1, read_timeout=2.0) as (port, _app):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow, \
                socket.create_connection(("127.0.0.1", port), timeout=10) as eager:
            slow.sendall(post_head("/api/check", 1000, port) + b'{"text": "Ki')
            time.sleep(0.3)
            t0 = time.monotonic()
            eager.sendall(post_head("/api/check", 1_500_000, port))  # and not one byte of body
            status, headers, body = read_response(eager)
            assert status == 503 and headers["retry-after"] == "2"
            assert time.monotonic() - t0 < 3
            assert json.loads(body)["error"].startswith("the desk is busy")
            # A client that asked to close and sends its whole body before reading (as simple
            # clients do): the server drains the unread body instead of resetting the
            # connection, so the upload completes and the 503 reaches it.
            with socket.create_connection(("127.0.0.1", port), timeout=10) as closing:
                closing.sendall(post_head("/api/check", 1_500_000, port).replace(
                    b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
                for _ in range(15):
                    closing.sendall(b" " * 100_000)
                    time.sleep(0.01)
                status, headers, body = read_response(closing)
                assert status == 503 and headers["connection"] == "close"
                assert json.loads(body)["error"].startswith("the desk is busy")
            # The slow sender is still being read from, and gets 408 past the read timeout.
            status, headers, body = read_response(slow)
            assert status == 408 and headers["connection"] == "close"
            assert json.loads(body) == {"error": "the request body did not arrive within 2 s"}


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_idle_and_stalled_connections_are_closed(http):
    with live_desk(http, read_timeout=1.0) as (port, _app):
        # 1. A connection that never sends anything.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as idle:
            waited = closed_within(idle, 6)
        assert waited is not None and 0.8 < waited < 4

        # 2. Slowloris: a request head trickling in, a byte at a time, never finished.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as trickle:
            trickle.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            t0 = time.monotonic()
            closed = None
            for _ in range(40):
                try:
                    trickle.sendall(b"X")
                except OSError:
                    closed = time.monotonic() - t0
                    break
                if (waited := closed_within(trickle, 0.2)) is not None:
                    closed = time.monotonic() - t0
                    break
        assert closed is not None and closed < 4

        # 3. Keep-alive: after a response, an idle connection is closed too.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as kept:
            kept.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_response(kept)[0] == 200
            kept.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert read_response(kept)[0] == 200  # still usable right away
            waited = closed_within(kept, 6)
        assert waited is not None and waited < 4

        # 4. A body that stops arriving: 408, then closed.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as stalled:
            stalled.sendall(post_head("/api/check", 100, port) + b'{"text": ')
            status, _headers, body = read_response(stalled)
            assert status == 408 and json.loads(body)["error"].startswith("the request body did not")
            assert closed_within(stalled, 3) is not None


def test_body_budget_counts_announced_sizes():
    runner = desk.Runner(threads=1, timeout=5, max_pending=10, body_budget=1000)
    try:
        runner.acquire(600)
        with pytest.raises(desk.ApiError) as busy:
            runner.acquire(401)
        assert busy.value.status == 503
        assert busy.value.message.startswith("the desk is busy (1 jobs running or waiting")
        runner.acquire(400)  # exactly the budget
        assert (runner.pending, runner.held) == (2, 1000)
        runner.release(600)
        runner.release(400)
        runner.acquire(5000)  # alone, any size the body limit allows is let in
        assert (runner.pending, runner.held) == (1, 5000)
        runner.release(5000)
        assert (runner.pending, runner.held) == (0, 0)
    finally:
        runner.shutdown()


@pytest.mark.parametrize("http", HTTP_IMPLEMENTATIONS)
def test_responses_are_not_held_back_by_nagle(http):
    """The listening socket says it is TCP, so asyncio sets TCP_NODELAY on each connection;
    without it every keep-alive response waited ~40 ms for a delayed ACK."""
    from normalize.server.listener import bind

    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
    with live_desk(http) as (port, _app):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            request = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            conn.sendall(request)
            assert read_response(conn)[0] == 200
            t0 = time.monotonic()
            for _ in range(20):
                conn.sendall(request)
                assert read_response(conn)[0] == 200
            assert time.monotonic() - t0 < 0.6  # 20 x 40 ms = 0.8 s with Nagle


def test_auto_http_is_httptools_where_installed():
    pytest.importorskip("uvicorn")
    from normalize.server.listener import protocol_class

    h11 = protocol_class("h11")
    assert h11.__name__ == "DeskH11Protocol"
    try:
        import httptools  # noqa: F401
    except ImportError:
        assert protocol_class("auto") is h11
        with pytest.raises(ValueError, match="httptools is not installed"):
            protocol_class("httptools")
    else:
        assert protocol_class("auto") is protocol_class("httptools") is not h11
    with pytest.raises(ValueError, match="unknown HTTP implementation"):
        protocol_class("h2")


def test_runner_serves_again_after_a_lifespan_ends():
    app = create_app()
    with TestClient(app) as c:
        assert c.get("/api/rules").status_code == 200
    with TestClient(app) as c:  # a second lifespan (schemathesis' client does this)
        assert c.get("/api/rules").status_code == 200


@pytest.mark.slow
def test_memory_under_64_concurrent_large_uploads_stays_under_500_mb():
    pytest.importorskip("psutil")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_server_memory.py"),
                           "--uploads", "64", "--rounds", "2", "--limit-mb", "500"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # At most 4 bodies of 1.9 MB are admitted at once (body_budget = 4 * max_body); the
    # others are refused before their bodies are read.
    refused = int(re.search(r"503: (\d+)", proc.stdout).group(1))
    assert refused >= 60


# -- the page and its assets ------------------------------------------------------------

def test_page_and_assets_are_served_from_the_package(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    for name, media in desk.STATIC_FILES.items():
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200 and asset.headers["content-type"].split(";")[0] == media.split(";")[0]
        assert asset.content == (STATIC / name).read_bytes()
        assert f"/static/{name}" in r.text  # the page uses every asset
    for bad in ("index.html", "..%2F..%2Fpyproject.toml", "nope.js", "%2e%2e/app.py"):
        assert client.get(f"/static/{bad}").status_code == 404
    assert client.get("/static/../app.py").status_code == 404


def test_page_script_never_builds_html_from_strings():
    for name in ("desk.js", "text.js"):
        code = (STATIC / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/", "", code, flags=re.DOTALL)
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                     "new Function"):
            assert sink not in code, f"{name} uses {sink}"


def test_static_files_are_in_the_package_data():
    from importlib import resources
    names = {p.name for p in resources.files("normalize.server").joinpath("static").iterdir()}
    assert {"index.html", *desk.STATIC_FILES} <= names


# -- the serve command -------------------------------------------------------------------

@pytest.fixture
def fake_serve(monkeypatch):
    """``mtnorm serve`` up to the point of serving: the bind and the server are recorded.

    Whatever address is asked for, the socket is bound on 127.0.0.1 (port 0), so
    the test never takes a real port nor listens beyond this machine.
    """
    pytest.importorskip("uvicorn")
    from normalize.server import listener

    calls: dict[str, list] = {"bind": [], "run": []}

    def bind(host, port):
        calls["bind"].append((host, port))
        return listener.socket.create_server(("127.0.0.1", 0))

    def run(server, sockets=None):
        calls["run"].append((server, sockets[0].getsockname()[1]))

    monkeypatch.setattr(listener, "bind", bind)
    monkeypatch.setattr(listener.uvicorn.Server, "run", run)
    return calls


def test_serve_command_defaults_to_loopback(fake_serve, capsys):
    assert cli.main(["serve"]) == 0
    assert fake_serve["bind"][-1] == ("127.0.0.1", 8000)
    server, port = fake_serve["run"][-1]
    app = server.config.app
    assert app.state.config.allowed_hosts == desk.loopback_hosts()
    assert app.state.config.max_body == 2 * 1024 * 1024
    assert app.state.config.read_timeout == 20
    assert server.config.timeout_keep_alive == 5
    assert server.config.http.header_timeout == 20
    err = capsys.readouterr().err
    assert f"http://127.0.0.1:{port}/" in err and "warning" not in err

    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "9001", "--max-body", "512k",
                     "--timeout", "5", "--threads", "3", "--read-timeout", "7"]) == 0
    assert fake_serve["bind"][-1] == ("0.0.0.0", 9001)
    server, port = fake_serve["run"][-1]
    app = server.config.app
    assert app.state.config.max_body == 512 * 1024 and app.state.config.timeout == 5
    assert app.state.config.read_timeout == 7 and server.config.http.header_timeout == 7
    assert app.state.config.allowed_hosts is None
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err


def test_serve_port_0_prints_the_port_it_got(tmp_path):
    pytest.importorskip("uvicorn")
    proc = subprocess.Popen([sys.executable, "-m", "normalize", "serve", "--port", "0",
                             "--log-level", "warning"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        found = re.fullmatch(r"mtnorm: copy desk on http://127\.0\.0\.1:(\d+)/ \(API: "
                             r"/openapi\.json; Ctrl-C stops it\)\n", line)
        assert found, line
        port = int(found.group(1))
        assert port != 0
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status, _, body = read_response(conn)
        assert status == 200 and json.loads(body)["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(30)
        proc.stderr.close()


def test_serve_command_says_when_the_port_is_taken(capsys):
    pytest.importorskip("uvicorn")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"mtnorm: error: cannot listen on 127.0.0.1 port {port}: Address already in use"


@pytest.mark.parametrize("args", [["--max-body", "lots"], ["--timeout", "0"], ["--port", "70000"],
                                  ["--read-timeout", "0"]])
def test_serve_command_rejects_bad_arguments(fake_serve, args):
    try:
        status = cli.main(["serve", *args])
    except SystemExit as exc:
        status = exc.code
    assert status == 2
    assert fake_serve == {"bind": [], "run": []}  # nothing was bound nor served


# -- the page's text logic under Node.js -----------------------------------------------------

NODE = shutil.which("node") or shutil.which("nodejs")

HARNESS = r"""
const T = require(process.argv[1]);
const H = {
  slices(text, spans) {
    const index = T.codePointIndex(text);
    return spans.map(([a, b]) => text.slice(T.toUtf16(index, a), T.toUtf16(index, b)));
  },
  review(text, findings) {
    // What the page does with a check response when nothing is accepted.
    const index = T.codePointIndex(text);
    const local = findings.map((f, i) => Object.assign({ id: i }, T.localize(index, f)));
    const segs = T.segments(text, local);
    const marked = local.map(x => text.slice(x.start, x.end));
    return { joined: segs.map(s => s.text).join(""), marked,
             covered: local.map(x => x.start === x.end || segs.some(s => s.ids.includes(x.id))) };
  },
  safePass(text, findings) { return T.applyEdits(text, T.safePass(text, findings)); },
  accept(text, finding) {
    const x = T.localize(T.codePointIndex(text), finding);
    return T.applyEdits(text, x.edits);
  },
  bytes(b64) {
    const bytes = Uint8Array.from(Buffer.from(b64, "base64"));
    const d = T.decodeBytes(bytes);
    return { text: d.text, encoding: d.encoding,
             back: Buffer.from(T.encodeText(d.text, d.encoding, d.bom)).toString("base64") };
  },
  syncRaw(raw, value) { return T.syncRaw(raw, value); },
  spliceRaw(raw, a, b, ins) { return T.spliceRaw(raw, a, b, ins); },
  normalize(text) { return T.normalizeNewlines(text); },
};
require("readline").createInterface({ input: process.stdin }).on("line", line => {
  const { fn, args } = JSON.parse(line);
  let out;
  try { out = { ok: H[fn](...args) }; } catch (e) { out = { error: String(e && e.stack || e) }; }
  process.stdout.write(JSON.stringify(out) + "\n");
});
"""


class Node:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([NODE, "-e", HARNESS, str(STATIC / "text.js")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def __call__(self, fn: str, *args):
        self.proc.stdin.write(json.dumps({"fn": fn, "args": list(args)}).encode("ascii") + b"\n")
        self.proc.stdin.flush()
        out = json.loads(self.proc.stdout.readline().decode("utf-8"))
        if "error" in out:
            raise AssertionError(out["error"])
        return out["ok"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(5)


@pytest.fixture(scope="module")
def node():
    if not NODE:
        pytest.skip("Node.js is not installed: the page's text logic is tested in tests/e2e only")
    n = Node()
    yield n
    n.close()


# Texts: any Unicode but surrogates (JSON from a browser is UTF-8), with line breaks of
# every kind, non-BMP characters, combining marks and the artefacts rules look for.
_pieces = st.sampled_from(["\r\n", "\n", "\r", "😀", "🇺🇦", "𝒜", "é", "e\u0301", "\u200b", "\ufeff",
                           " ", "Kiev", "Kiev's", "KIEV", "[ad_1]", "[ad_1]\r\n", "a The", "(…)",
                           "Nagorny Karabakh", "Nagorno Karabakh", "the the", "«", "»", "“", "”",
                           "Kharkov", "said", ".", ",", "Source link", "\t", "  "])
_any = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
texts = st.lists(st.one_of(_pieces, _any), max_size=30).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, data=st.data())
def test_page_offsets_match_python_for_any_text(node, text, data):
    n = len(text)
    spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted), max_size=8))
    assert node("slices", text, spans) == [text[a:b] for a, b in spans]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_text_round_trips_through_the_page_unchanged(node, client, text):
    doc = client.post("/api/check", json={"text": text, **OPTS})
    assert doc.status_code == 200
    findings = doc.json()["files"][0]["findings"]
    out = node("review", text, findings)
    assert out["joined"] == text                       # what is shown, copied and downloaded
    assert out["marked"] == [f["text"] for f in findings]  # each mark covers its finding's text
    assert all(out["covered"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_accepting_one_finding_edits_what_python_would(node, text):
    for f in normalize.check(text, **OPTS):
        if f.replacement is None:
            continue
        expected = text
        for e in reversed(f.edits()):
            expected = expected[:e.start] + e.replacement + expected[e.end:]
        assert node("accept", text, f.to_dict()) == expected


def _client_fix(node, text: str, lang: str, style: str | None, source_lang: str | None) -> str:
    """The page's "accept all safe": passes of chosen safe edits, re-checking after each."""
    for _ in range(8):
        findings = [f.to_dict() for f in normalize.check(text, lang, style, source_lang)]
        new = node("safePass", text, findings)
        if new == text:
            break
        text = new
    return text


@pytest.mark.parametrize("path, lang, style, source_lang", [
    (EXAMPLE, "en", "ap", "fr"),
    (EXAMPLE, "en", "afp", "fr"),
    (EXAMPLE, "en", None, None),
    (ROOT / "corpora" / "examples" / "depeche-kharkiv-fr.txt", "fr", None, None),
    (SHARED_EXAMPLE, "en", "ap", "fr"),
])
def test_accept_all_safe_equals_mtnorm_fix(node, path, lang, style, source_lang):
    if not path.exists():
        pytest.skip(f"{path} is not present")
    text = path.read_text(encoding="utf-8")
    expected = normalize.fix(text, lang, style, source_lang).text
    assert expected != text
    assert _client_fix(node, text, lang, style, source_lang) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_accept_all_safe_equals_mtnorm_fix_for_any_text(node, text):
    assert _client_fix(node, text, "en", "ap", "fr") == normalize.fix(text, **OPTS).text


@settings(max_examples=100, deadline=None)
@given(text=texts, bom=st.booleans())
def test_file_bytes_round_trip_through_the_page(node, text, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    if b"\x00" in data:
        return
    out = node("bytes", base64.b64encode(data).decode())
    assert base64.b64decode(out["back"]) == data
    # A leading BOM is taken off (and put back on download), as mtnorm reads files.
    assert out["text"] == (text[1:] if not bom and text.startswith("\ufeff") else text)


def test_utf16_files_round_trip_and_bad_files_are_refused(node):
    text = "Kiev 😀\r\nNagorny Karabakh\r\n"
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        data = bom + text.encode(codec)
        out = node("bytes", base64.b64encode(data).decode())
        assert out["text"] == text and base64.b64decode(out["back"]) == data
    for bad, needle in ((b"caf\xe9", "not valid UTF-8"), (b"a\x00b", "binary file")):
        with pytest.raises(AssertionError, match=needle):
            node("bytes", base64.b64encode(bad).decode())


def _normalized(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _raw_offset(raw: str, k: int) -> int:
    """Index in raw of the k-th character of _normalized(raw)."""
    i = 0
    for _ in range(k):
        i += 2 if raw[i:i + 2] == "\r\n" else 1
    return i


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@settings(max_examples=150, deadline=None)
@given(raw=texts, data=st.data())
def test_the_editor_keeps_pasted_line_breaks(node, raw, data):
    """The textarea shows \\r\\n and \\r as \\n: the page keeps the real text beside it,
    so pasting keeps the pasted text exactly and typing elsewhere loses no line break."""
    shown = node("normalize", raw)
    assert shown == _normalized(raw)
    a = data.draw(st.integers(0, len(shown)))
    b = data.draw(st.integers(a, len(shown)))
    a16, b16 = _u16(shown[:a]), _u16(shown[:b])  # the textarea counts UTF-16 units
    pasted = data.draw(st.sampled_from(["", "a\r\nb", "\r\n", "😀\r", "Kyiv\n"]))
    assert node("spliceRaw", raw, a16, b16, pasted) == \
        raw[:_raw_offset(raw, a)] + pasted + raw[_raw_offset(raw, b):]
    typed = data.draw(st.sampled_from(["", "x", "\n", "😀", "Kyiv"]))
    value = shown[:a] + typed + shown[b:]
    synced = node("syncRaw", raw, value)
    assert _normalized(synced) == value
    # Only line breaks inside the replaced selection may go (and one lone \\r next to a new \\n).
    assert synced.count("\r") >= raw.count("\r") - (b - a) - 1


def test_a_new_line_break_after_lone_carriage_returns_keeps_them(node):
    """Typing a line break right after a lone \r: the \r must not pair with the new \n
    (one break, not two), and the \r before it must not pair with a \n that replaces it
    (hypothesis found "\r\r" + "\n" losing both)."""
    assert node("syncRaw", "\r\r", "\n\n\n") == "\r\r\r"
    assert node("syncRaw", "a\rb", "a\n\nb") == "a\n\nb"
    assert node("syncRaw", "a\r\rb", "a\n\n\nb") == "a\r\r\rb"
    assert node("syncRaw", "a\r\nb\rc", "a\nb\nxc") == "a\r\nb\rxc"


class _Sink:
    """A transport that records what is written to it."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.events: list[str] = []

    def write(self, data: bytes) -> None:
        self.sent.append(bytes(data))

    def is_closing(self) -> bool:
        return "close" in self.events

    def get_write_buffer_size(self) -> int:
        return sum(map(len, self.sent))

    def close(self) -> None:
        self.events.append("close")

    def abort(self) -> None:
        self.events.append("abort")

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.events.append("eof")


class _Conn:
    def __init__(self, serving: bool) -> None:
        self.serving = serving

    def _serving(self) -> bool:
        return self.serving

    def body_unread(self) -> bool:
        return False


def test_a_response_head_goes_out_with_its_body():
    from normalize.server.listener import HELD_MAX, _LingeringTransport

    sink, conn = _Sink(), _Conn(serving=True)
    t = _LingeringTransport(sink, conn)  # type: ignore[arg-type]
    t.write(b"HTTP/1.1 200 OK\r\n\r\n")
    assert sink.sent == [] and t.get_write_buffer_size() == 19
    t.write(b"{}")
    assert sink.sent == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
    t.write(b"more")          # a later chunk of the same response is not held
    assert sink.sent[-1] == b"more"
    t.flush()                 # nothing held: nothing sent
    assert len(sink.sent) == 2

    t.write(b"head")          # a response that ends without another write
    t.flush()
    assert sink.sent[-1] == b"head"

    t.write(b"head")          # a close sends what is held first
    t.close()
    assert sink.sent[-1] == b"head" and sink.events == ["close"]

    sink, conn = _Sink(), _Conn(serving=False)
    t = _LingeringTransport(sink, conn)  # type: ignore[arg-type]
    t.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")   # no request being served: at once
    assert sink.sent == [b"HTTP/1.1 400 Bad Request\r\n\r\n"]

    sink, conn = _Sink(), _Conn(serving=True)
    t = _LingeringTransport(sink, conn)  # type: ignore[arg-type]
    t.write(b"x" * (HELD_MAX + 1))                   # too large to hold
    assert len(sink.sent) == 1
    t2 = _LingeringTransport(sink2 := _Sink(), _Conn(serving=True))  # type: ignore[arg-type]
    t2.write(b"head")
    t2.write_eof()
    assert sink2.sent == [b"head"] and sink2.events == ["eof"]
    t3 = _LingeringTransport(sink3 := _Sink(), _Conn(serving=True))  # type: ignore[arg-type]
    t3.write(b"head")
    t3.abort()
    assert sink3.sent == [] and sink3.events == ["abort"]


class _Recording:
    """A transport that records each write before passing it on."""

    def __init__(self, inner, sent: list[bytes]) -> None:
        self._inner, self._sent = inner, sent

    def write(self, data) -> None:
        self._sent.append(bytes(data))
        self._inner.write(data)

    def __getattr__(self, name):
        return getattr(self._inner, name)


@pytest.mark.parametrize("http", ["httptools", "h11"])
def test_a_live_answer_is_sent_in_one_write(http, monkeypatch):
    from normalize.server import listener

    sent: list[bytes] = []
    init = listener._LingeringTransport.__init__
    monkeypatch.setattr(listener._LingeringTransport, "__init__",
                        lambda self, transport, protocol: init(self, _Recording(transport, sent), protocol))
    with live_desk(http=http) as (port, _app):
        body = json.dumps({"text": "He said that the the talks went on.", "lang": "en"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            for _ in range(2):    # two requests on one keep-alive connection
                sent.clear()
                conn.sendall(post_head("/api/check", len(body), port) + body)
                status, _headers, answer = read_response(conn)
                assert status == 200
                assert json.loads(answer)["files"][0]["findings"][0]["rule"] == "repetition.doubled_word"
                sent[:] = [s for s in sent if s]   # (h11 ends a message with an empty write)
                assert len(sent) == 1, [len(s) for s in sent]
                assert sent[0].startswith(b"HTTP/1.1 200") and sent[0].endswith(answer)
