"""Fault suite, the copy desk: schemathesis against ``/openapi.json`` (in-process, ASGI).

Every operation of the desk's own OpenAPI description gets generated requests
(valid and invalid); no answer may be a 5xx, and every answer must have a
status code, content type and body that the description lists. Bounded:
a few examples per operation, so the run takes seconds.
"""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("starlette")

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from normalize.server import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# Read from the app itself (no socket). A long time limit: a 504 would be a slow machine, not a
# fault of the desk.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(timeout=600))


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_desk_answers_every_generated_request_as_its_openapi_says(case):
    case.call_and_validate(checks=CHECKS)
