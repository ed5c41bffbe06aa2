"""The desk's OpenAPI 3.1 description, written by hand (served at ``/openapi.json``).

Schemas are JSON Schema 2020-12, so tests validate real responses against
them (``tests/test_server.py``).
"""
from __future__ import annotations

from typing import Any

from .. import __version__
from ..findings import Category

_CATEGORIES = [c.value for c in Category]

_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Bad request or bad options (unknown style, language or rule, a bad severity, "
             "accept or reject entry): the message says which, as for a configuration file.",
        404: "Not found.",
        413: "Request body larger than the server's limit (mtnorm serve --max-body).",
        408: "The request body did not arrive in time (mtnorm serve --read-timeout).",
        415: "The body is not sent as application/json.",
        503: "Too many requests waiting; retry after the Retry-After header's seconds.",
        504: "The check took longer than the server's time limit (mtnorm serve --timeout; "
             "short texts of option sets already served are checked at once and not timed: "
             "--inline-max).",
    }
    return {str(c): _json(_ref("Error"), text[c]) for c in codes}


def openapi_spec(max_body: int) -> dict[str, Any]:
    options = {
        "text": {"type": "string", "description": "The story (any Unicode text; offsets in "
                 "responses count code points of this string)."},
        "lang": {"type": "string", "default": "en", "description": "Language of the text (--lang)."},
        "style": {"type": ["string", "null"], "default": None,
                  "description": "House style (--style; GET /api/styles lists them). "
                                 "Null or empty: the language's default."},
        "source_lang": {"type": ["string", "null"], "default": None,
                        "description": "Language the text was translated from (--source-lang)."},
        "source": {"type": ["string", "null"], "default": None,
                   "description": "The source text itself, one segment per line (the text of "
                                  "--source FILE; enables source-aware rules)."},
        "select": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                   "description": "Only these rules, groups or categories (--select; a list or "
                                  "a comma-separated string)."},
        "ignore": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
                   "description": "Skip these rules, groups or categories (--ignore)."},
        "severity": {"type": "object", "maxProperties": 1000, "propertyNames": {"maxLength": 200},
                     "additionalProperties": {"type": "string",
                                              "enum": ["error", "warning", "info"]},
                     "description": "Severity overrides: rule id, group, category or 'all' -> "
                                    "level (the [severity] table of mtnorm.toml; the most "
                                    "specific selector wins)."},
        "accept": {"type": "array", "items": {"type": "string", "maxLength": 200},
                   "maxItems": 1000,
                   "description": "Terms never reported: a finding whose text is exactly one "
                                  "of these is dropped (accept in mtnorm.toml)."},
        "reject": {"oneOf": [{"type": "object", "maxProperties": 1000,
                              "propertyNames": {"maxLength": 200},
                              "additionalProperties": {"type": ["string", "null"],
                                                       "maxLength": 200}},
                             {"type": "array", "items": {"type": "string", "maxLength": 200},
                              "maxItems": 1000}],
                   "description": "Terms the house rejects, reported by terms.rejected: term -> "
                                  "replacement (null: none), or a list of terms (reject in "
                                  "mtnorm.toml)."},
        "path": {"type": "string", "default": "<text>", "maxLength": 255,
                 "description": "A label for the text in the response; nothing is read or written."},
    }
    edit = {"type": "object", "required": ["start", "end", "replacement"],
            "properties": {"start": {"type": "integer", "minimum": 0},
                           "end": {"type": "integer", "minimum": 0},
                           "replacement": {"type": "string"}}}
    finding = {
        "type": "object",
        "description": "One problem at text[start:end] (code points, 0-based, end exclusive).",
        "required": ["rule", "category", "severity", "start", "end", "line", "column", "text",
                     "message", "replacement", "fix", "mqm"],
        "properties": {
            "rule": {"type": "string"},
            "category": {"type": "string", "enum": _CATEGORIES},
            "severity": {"type": "string", "enum": ["error", "warning", "info"]},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "text": {"type": "string"},
            "message": {"type": "string"},
            "replacement": {"type": ["string", "null"]},
            "fix": {"type": "string", "enum": ["safe", "unsafe", "none"]},
            "mqm": {"type": "string"},
            "replaces": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                         "description": "The span the replacement applies to, when wider."},
            "edits": {"type": "array", "items": _ref("Edit"),
                      "description": "Every edit of the fix, in text order, when there are several."},
            "group": {"type": "string", "description": "Findings with the same group are one fix "
                      "at several places (every occurrence of a spelling), applied together."},
            "conflicts_with": {"type": "array", "items": {"type": "string"},
                               "description": "Rules whose findings here contradict this one; "
                               "its fix is not applied (fix is 'none')."},
            "data": {"type": "object", "description": "Rule-specific details (e.g. 'place': a "
                     "gazetteer id for GET /api/gazetteer?id=)."},
        },
    }
    summary = {
        "type": "object",
        "required": ["files", "files_with_errors", "findings", "by_severity", "by_category",
                     "by_rule", "fixed"],
        "properties": {
            "files": {"type": "integer"}, "files_with_errors": {"type": "integer"},
            "findings": {"type": "integer"}, "fixed": {"type": "integer"},
            "by_severity": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_rule": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    file_result = {
        "type": "object", "required": ["path", "lang", "style", "findings"],
        "properties": {"path": {"type": "string"}, "lang": {"type": "string"},
                       "style": {"type": "string"},
                       "findings": {"type": "array", "items": _ref("Finding")},
                       "error": {"type": "string"}, "fixed": {"type": "integer"}},
    }
    check_response = {
        "type": "object", "required": ["version", "files", "summary"],
        "description": "The same document as `mtnorm check --format json`.",
        "properties": {"version": {"type": "string"},
                       "files": {"type": "array", "items": _ref("FileResult"), "minItems": 1,
                                 "maxItems": 1},
                       "summary": _ref("Summary")},
    }
    applied = {
        "type": "object",
        "required": ["pass", "rule", "start", "end", "line", "column", "before", "after", "message"],
        "description": "One applied edit; offsets are into that pass's input (a replayable plan).",
        "properties": {"pass": {"type": "integer", "minimum": 1}, "rule": {"type": "string"},
                       "start": {"type": "integer"}, "end": {"type": "integer"},
                       "line": {"type": "integer"}, "column": {"type": "integer"},
                       "before": {"type": "string"}, "after": {"type": "string"},
                       "message": {"type": "string"}},
    }
    fix_response = {
        "type": "object",
        "required": ["version", "path", "lang", "style", "text", "changed", "passes", "converged",
                     "applied", "remaining", "summary"],
        "properties": {
            "version": {"type": "string"}, "path": {"type": "string"}, "lang": {"type": "string"},
            "style": {"type": "string"},
            "text": {"type": "string", "description": "The fixed text (what mtnorm fix writes)."},
            "changed": {"type": "boolean"}, "passes": {"type": "integer"},
            "converged": {"type": "boolean"},
            "applied": {"type": "array", "items": _ref("AppliedEdit")},
            "remaining": {"type": "array", "items": _ref("Finding")},
            "summary": _ref("Summary"),
        },
    }
    place_name = {"type": "object", "required": ["name", "status", "source"],
                  "properties": {"name": {"type": "string"}, "status": {"type": "string"},
                                 "source": {"type": "string"}}}
    place = {
        "type": "object",
        "required": ["id", "kind", "country", "flags", "names", "preferred_by_style", "contested"],
        "description": "What `mtnorm gazetteer lookup --format json` prints for a place.",
        "properties": {
            "id": {"type": "string"}, "kind": {"type": "string"}, "country": {"type": "string"},
            "flags": {"type": "array", "items": {"type": "string"}},
            "names": {"type": "object", "additionalProperties": {"type": "array",
                                                                 "items": _ref("PlaceName")}},
            "preferred_by_style": {"type": "object", "additionalProperties": {"type": "string"}},
            "contested": {"type": "array", "items": {
                "type": "object", "required": ["lang", "name", "used_by"],
                "properties": {"lang": {"type": "string"}, "name": {"type": "string"},
                               "used_by": {"type": "string"}}}},
        },
    }
    gazetteer_response = {
        "type": "object", "required": ["query", "entries"],
        "properties": {"query": {"type": "object"}, "entries": {"type": "array", "items": _ref("Place")}},
    }
    styles_response = {
        "type": "object", "required": ["styles", "languages"],
        "properties": {
            "styles": {"type": "array", "items": {
                "type": "object", "required": ["name", "lang", "description", "inherits", "default"],
                "properties": {"name": {"type": "string"}, "lang": {"type": "string"},
                               "description": {"type": "string"},
                               "inherits": {"type": ["string", "null"]},
                               "default": {"type": "boolean"}}}},
            "languages": {"type": "array", "items": {"type": "string"}},
        },
    }
    rules_response = {
        "type": "object", "required": ["version", "categories", "rules"],
        "properties": {
            "version": {"type": "string"},
            "categories": {"type": "array", "items": {"type": "string", "enum": _CATEGORIES}},
            "rules": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "category", "severity", "fix", "mqm", "languages", "description"],
                "properties": {"id": {"type": "string"},
                               "category": {"type": "string", "enum": _CATEGORIES},
                               "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                               "fix": {"type": "string", "enum": ["safe", "unsafe", "none"]},
                               "mqm": {"type": "string"},
                               "languages": {"oneOf": [{"const": "all"},
                                                       {"type": "array", "items": {"type": "string"}}]},
                               "description": {"type": "string"}}}},
        },
    }
    error = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
    health = {"type": "object", "required": ["status", "version"],
              "properties": {"status": {"const": "ok"}, "version": {"type": "string"},
                             "pending": {"type": "integer"}, "limits": {"type": "object"}}}

    def body(schema_name: str, example: dict[str, Any]) -> dict[str, Any]:
        return {"required": True, "description": f"JSON, at most {max_body:,} bytes.",
                "content": {"application/json": {"schema": _ref(schema_name), "example": example}}}

    example = {"text": "[ad_1]\nKiev said on Thursday...", "lang": "en", "style": "ap",
               "source_lang": "fr"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mtnorm copy desk",
            "version": __version__,
            "description": "Check and fix machine-translated news copy over HTTP: the options "
                           "of a configuration file (mtnorm.toml) and the JSON findings model "
                           "of the mtnorm command line. "
                           "Errors are {\"error\": message}.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "paths": {
            "/api/check": {"post": {
                "operationId": "check", "summary": "Findings for a text (mtnorm check --format json)",
                "requestBody": body("CheckRequest", example),
                "responses": {"200": _json(_ref("CheckResponse"), "The findings document."),
                              **_errors(400, 408, 413, 415, 503, 504)}}},
            "/api/fix": {"post": {
                "operationId": "fix",
                "summary": "Apply safe (and with unsafe=true, unsafe) fixes (mtnorm fix)",
                "requestBody": body("FixRequest", {**example, "unsafe": False}),
                "responses": {"200": _json(_ref("FixResponse"),
                                           "The fixed text, the applied plan and what remains."),
                              **_errors(400, 408, 413, 415, 503, 504)}}},
            "/api/styles": {"get": {
                "operationId": "styles", "summary": "House styles and supported languages",
                "responses": {"200": _json(_ref("StylesResponse"), "Bundled styles."),
                              **_errors(503, 504)}}},
            "/api/rules": {"get": {
                "operationId": "rules", "summary": "Every rule (mtnorm rules --format json)",
                "responses": {"200": _json(_ref("RulesResponse"), "Rules and categories."),
                              **_errors(503, 504)}}},
            "/api/gazetteer": {"get": {
                "operationId": "gazetteer",
                "summary": "Gazetteer entries of a place name (mtnorm gazetteer lookup), or of a "
                           "place id as given in a toponym finding's data.place",
                "parameters": [
                    {"name": "name", "in": "query", "schema": {"type": "string", "maxLength": 200},
                     "description": "A place name in any language."},
                    {"name": "lang", "in": "query", "schema": {"type": "string"},
                     "description": "Only names usable in this language."},
                    {"name": "id", "in": "query", "schema": {"type": "string", "maxLength": 200},
                     "description": "A gazetteer place id, e.g. city:703448 (instead of name)."},
                ],
                "responses": {"200": _json(_ref("GazetteerResponse"), "Matching places (maybe none)."),
                              **_errors(400, 503, 504)}}},
            "/api/health": {"get": {
                "operationId": "health", "summary": "Liveness, version and limits",
                "responses": {"200": _json(_ref("Health"), "The server is up.")}}},
        },
        "components": {"schemas": {
            "CheckRequest": {"type": "object", "required": ["text"], "additionalProperties": False,
                             "properties": options},
            "FixRequest": {"type": "object", "required": ["text"], "additionalProperties": False,
                           "properties": {**options, "unsafe": {
                               "type": "boolean", "default": False,
                               "description": "Also apply unsafe fixes (--unsafe)."}}},
            "Edit": edit, "Finding": finding, "Summary": summary, "FileResult": file_result,
            "CheckResponse": check_response, "AppliedEdit": applied, "FixResponse": fix_response,
            "PlaceName": place_name, "Place": place, "GazetteerResponse": gazetteer_response,
            "StylesResponse": styles_response, "RulesResponse": rules_response,
            "Error": error, "Health": health,
        }},
    }
