"""Registers the rules that data files declare, when the registry imports the rule modules.

The registry imports every module of every group folder under
:mod:`normalize.rules`; this one reads the rule files (a few small
declarations: their per-language data is read when a document needs it) and
registers one rule class for each, so data rules are selected, ignored,
overridden and suppressed like any other.
"""
from __future__ import annotations

from ...registry import _RULES, register
from ...ruletypes import register_all

DECLARED = register_all(register, lambda rule_id: rule_id in _RULES)
